#pragma once

#include "EnvelopeParts.h"
#include "Event.h"

#include <QByteArray>

namespace casefile {

// hash = SHA-256(prev as 32 raw bytes || canonical JSON of every field but hash), hex encoded.
// The first event's prev is 64 zeros. Seq starts at 1 and grows by one.
class HashChain
{
public:
    static QString genesis();
    static QString computeHash(const Event &event);
    // Assigns seq and prev and computes the hash: what the server does on append. Returns the
    // sealed event's canonical JSON, ready to store.
    static QByteArray seal(Event &event, qint64 seq, const QString &prev);
    // The same, from the event's envelope encoded ahead (EnvelopeParts::of the same draft).
    static QByteArray seal(Event &event, qint64 seq, const QString &prev, const EnvelopeParts &parts);
};

} // namespace casefile
