#include "HashChain.h"

#include "CanonicalJson.h"
#include "EventCodec.h"
#include "Sha256.h"

namespace casefile {

QString HashChain::genesis()
{
    return QString(64, QLatin1Char('0'));
}

namespace {
QString hashOf(const Event &event, const QByteArray &canonicalBody)
{
    QByteArray input = QByteArray::fromHex(event.prev.toLatin1());
    input += EventCodec::encodeEnvelope(event, canonicalBody, false);
    return QString::fromLatin1(Sha256::hash(input).toHex());
}
} // namespace

QString HashChain::computeHash(const Event &event)
{
    return hashOf(event, CanonicalJson::encode(event.body));
}

QByteArray HashChain::seal(Event &event, qint64 seq, const QString &prev)
{
    return seal(event, seq, prev, EnvelopeParts::of(event));
}

QByteArray HashChain::seal(Event &event, qint64 seq, const QString &prev, const EnvelopeParts &parts)
{
    event.seq = seq;
    event.prev = prev;
    if (parts.isEmpty()) { // members this version does not know: the envelope in full
        const QByteArray body = CanonicalJson::encode(event.body);
        event.hash = hashOf(event, body);
        return EventCodec::encodeEnvelope(event, body, true);
    }
    // The pieces go into the digest as they are: no joined copy of a 64 KiB chunk to hash.
    Sha256 sha;
    sha.add(QByteArray::fromHex(prev.toLatin1()));
    parts.addTo(sha, seq, prev);
    event.hash = QString::fromLatin1(sha.result().toHex());
    return parts.join(seq, prev, event.hash);
}

} // namespace casefile
