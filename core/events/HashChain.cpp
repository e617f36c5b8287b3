#include "HashChain.h"

#include "CanonicalJson.h"

#include <QCryptographicHash>

namespace casefile {

QString HashChain::genesis()
{
    return QString(64, QLatin1Char('0'));
}

QString HashChain::computeHash(const Event &event)
{
    QCryptographicHash sha(QCryptographicHash::Sha256);
    sha.addData(QByteArray::fromHex(event.prev.toLatin1()));
    sha.addData(CanonicalJson::encode(event.toJsonWithoutHash()));
    return QString::fromLatin1(sha.result().toHex());
}

void HashChain::seal(Event &event, qint64 seq, const QString &prev)
{
    event.seq = seq;
    event.prev = prev;
    event.hash = computeHash(event);
}

} // namespace casefile
