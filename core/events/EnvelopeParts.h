#pragma once

#include "Event.h"

#include <QByteArray>

namespace casefile {

class Sha256;

// The canonical JSON of a draft's envelope without the members sealing adds (hash, prev, seq),
// in the three pieces they fit between: encoded ahead of sealing, where there is time (the
// server's event loop), so the store's thread only hashes and joins. Empty for an event with
// members this version does not know (their place among the keys varies): seal it whole.
class EnvelopeParts
{
public:
    static EnvelopeParts of(const Event &draft);
    // The same from the body's canonical JSON, already encoded.
    static EnvelopeParts of(const Event &draft, const QByteArray &canonicalBody);

    bool isEmpty() const { return m_head.isEmpty(); }
    // Bytes of the pieces: about the size of the sealed event, less seq, prev and hash.
    qsizetype size() const { return m_head.size() + m_middle.size() + m_tail.size(); }
    // The canonical JSON of the event with these seq and prev, and with the hash when given:
    // the same bytes as EventCodec::encode of the sealed event.
    QByteArray join(qint64 seq, const QString &prev, const QString &hash = {}) const;
    // Adds join(seq, prev) to `sha`, piece by piece, without joining them.
    void addTo(Sha256 &sha, qint64 seq, const QString &prev) const;

private:
    // Hands the pieces of join() to `sink` in order.
    template<typename Sink>
    void write(Sink &sink, qint64 seq, const QString &prev, const QString &hash) const;

    QByteArray m_head;   // {"actor":…,"at":…,"body":…
    QByteArray m_middle; // ,"id":…,"kind":…
    QByteArray m_tail;   // ,"session":…}
};

} // namespace casefile
