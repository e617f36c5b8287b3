#pragma once

#include <QString>

namespace casefile {

// The outcome of verifying a session's hash chain. When it fails, firstBadSeq is the seq at
// which the record stops being trustworthy: everything before it verified.
struct ChainReport
{
    enum class Problem {
        None,
        Undecodable,  // the stored bytes are not a valid event
        WrongSession, // an event of another session in this record
        SeqGap,       // an event is missing, doubled or out of order
        BrokenLink,   // prev is not the hash of the event before
        HashMismatch, // the content does not hash to the stored hash
        DuplicateId,  // the same event id twice
    };

    bool ok = true;
    qint64 eventsChecked = 0;
    qint64 firstBadSeq = 0;
    Problem problem = Problem::None;
    QString message;
    QString lastHash; // hash of the last verified event

    QString toString() const
    {
        if (ok)
            return QStringLiteral("chain verified: %1 events").arg(eventsChecked);
        return QStringLiteral("chain broken at seq %1: %2").arg(firstBadSeq).arg(message);
    }
};

} // namespace casefile
