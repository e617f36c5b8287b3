#include "HashChain.h"

#include "CanonicalJson.h"
#include "EventCodec.h"

#include <QCryptographicHash>

namespace casefile {

QString HashChain::genesis()
{
    return QString(64, QLatin1Char('0'));
}

namespace {
QString hashOf(const Event &event, const QByteArray &canonicalBody)
{
    QCryptographicHash sha(QCryptographicHash::Sha256);
    sha.addData(QByteArray::fromHex(event.prev.toLatin1()));
    sha.addData(EventCodec::encodeEnvelope(event, canonicalBody, false));
    return QString::fromLatin1(sha.result().toHex());
}
} // namespace

QString HashChain::computeHash(const Event &event)
{
    return hashOf(event, CanonicalJson::encode(event.body));
}

QByteArray HashChain::seal(Event &event, qint64 seq, const QString &prev)
{
    event.seq = seq;
    event.prev = prev;
    const QByteArray body = CanonicalJson::encode(event.body);
    event.hash = hashOf(event, body);
    return EventCodec::encodeEnvelope(event, body, true);
}

} // namespace casefile
