#pragma once

#include "events/EventKind.h"

#include <QString>

namespace casefile {

// One event that matched a search, newest first. The snippet marks matched words with
// markStart/markEnd (private-use characters that never occur in the indexed text's markup).
struct SearchHit
{
    static constexpr char16_t markStart = u'\uE000';
    static constexpr char16_t markEnd = u'\uE001';

    QString session;
    qint64 seq = 0;
    EventKind kind = EventKind::NoteAdded;
    QString snippet;
    QString command; // the command an output or command text belongs to; empty for others
};

} // namespace casefile
