#pragma once

#include "events/Event.h"

namespace casefile {

// What of an event goes into the full-text index: command text, output, chat, notes and
// hypotheses. Everything else (ids, approvals, context) is found through the sessions index.
class SearchText
{
public:
    static QString of(const Event &event);
};

} // namespace casefile
