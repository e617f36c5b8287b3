#pragma once

#include "events/Event.h"

#include <QList>
#include <QString>

namespace casefile {

// The outcome of one atomic append. On success `events` holds every event as sealed (with its
// seq, prev and hash), in the order given; `duplicate` marks events that were already stored
// and were not written again.
struct AppendResult
{
    bool ok = false;
    QString error;
    int failedIndex = -1; // which event of the batch was refused, -1 for the batch as a whole
    // The refusal holds for every event of the refused one's session (it is closed, or it
    // does not exist): a client drops them all instead of offering them one by one.
    bool sessionRefused = false;
    // The database could not write (disk full, I/O error, busy): nothing is wrong with the
    // events, and the same append may succeed later. Otherwise a failure is a refusal.
    bool storageFailure = false;
    // The refused event would be larger once sealed than a client may read back (raw control
    // characters grow sixfold when escaped): refused as too large, not as a conflict.
    bool tooLarge = false;
    QList<Event> events;
    QList<bool> duplicate;
    // The stored canonical JSON of each event, for relaying without encoding again.
    QList<QByteArray> documents;
};

} // namespace casefile
