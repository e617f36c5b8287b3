#pragma once

#include <QString>

namespace casefile {

// Narrows the sessions index. Empty fields do not filter. Callers acting for a user always set
// org: the store itself has no notion of who is asking.
struct SessionFilter
{
    QString org;
    QString clientGroup;
    QString endpoint;
    QString technician;
    QString tag;
    QString text;       // substring of title or ticket, case-insensitive
    QString openedFrom; // inclusive, RFC 3339 like every timestamp in the record
    QString openedTo;   // exclusive
    bool liveOnly = false;
    int limit = 200;
    int offset = 0;
};

} // namespace casefile
