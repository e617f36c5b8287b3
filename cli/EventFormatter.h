#pragma once

#include "events/Event.h"

namespace casefile {

// How casefile-cli shows an event to a person: one line per event (continuation lines
// indented), with whatever a transcript holds made harmless for a terminal.
class EventFormatter
{
public:
    // "   12  14:21:00.480  command.output      Status : Running"
    static QString line(const Event &event);
    // Control characters become caret notation (ESC → ^[), so output can't drive the terminal.
    static QString printable(const QString &text);
};

} // namespace casefile
