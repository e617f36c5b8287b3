#include "Event.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QUuid>

#include <array>

namespace casefile {

QJsonObject Event::toJsonWithoutHash() const
{
    QJsonObject o = unknown;
    // Envelope names are never taken from `unknown`, even where this event leaves them out.
    for (const char *key : {"actor", "at", "body", "hash", "id", "kind", "prev", "seq", "session"})
        o.remove(QLatin1String(key));
    o.insert(QStringLiteral("id"), id);
    o.insert(QStringLiteral("session"), session);
    if (seq > 0)
        o.insert(QStringLiteral("seq"), seq);
    o.insert(QStringLiteral("kind"), eventKindName(kind));
    o.insert(QStringLiteral("at"), at);
    o.insert(QStringLiteral("actor"),
             QJsonObject{{QStringLiteral("type"), actor.type}, {QStringLiteral("id"), actor.id}});
    o.insert(QStringLiteral("body"), body);
    if (!prev.isEmpty())
        o.insert(QStringLiteral("prev"), prev);
    return o;
}

QJsonObject Event::toJson() const
{
    QJsonObject o = toJsonWithoutHash();
    if (!hash.isEmpty())
        o.insert(QStringLiteral("hash"), hash);
    return o;
}

Event Event::makeDraft(const QString &session, EventKind kind, const Actor &actor)
{
    Event e;
    e.id = newId();
    e.session = session;
    e.kind = kind;
    e.at = nowTimestamp();
    e.actor = actor;
    return e;
}

QString Event::newId()
{
    // RFC 9562 version 7: 48 bits of Unix milliseconds, then 74 random bits. Ids made close
    // in time sort close together, so the store's (session, id) index grows at its end
    // instead of touching a random page per event (random ids made every append dirty
    // one more 4 KiB page: ~4 KB written per small event).
    const quint64 ms = quint64(QDateTime::currentMSecsSinceEpoch());
    QRandomGenerator *random = QRandomGenerator::system();
    const quint64 high = (ms << 16) | 0x7000u | (random->generate() & 0x0fffu);
    const quint64 low = (random->generate64() & 0x3fffffffffffffffull) | 0x8000000000000000ull;
    std::array<uchar, 16> bytes{};
    for (int i = 0; i < 8; ++i) {
        bytes[size_t(i)] = uchar(high >> (56 - 8 * i));
        bytes[size_t(8 + i)] = uchar(low >> (56 - 8 * i));
    }
    return QUuid::fromRfc4122(QByteArrayView(reinterpret_cast<const char *>(bytes.data()), 16))
        .toString(QUuid::WithoutBraces);
}

QString Event::derivedId(const QUuid &ns, const QString &name)
{
    return QUuid::createUuidV5(ns, name.toUtf8()).toString(QUuid::WithoutBraces);
}

QString Event::nowTimestamp()
{
    return timestamp(QDateTime::currentDateTimeUtc());
}

QString Event::timestamp(const QDateTime &moment)
{
    return moment.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"));
}

} // namespace casefile
