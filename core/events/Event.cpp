#include "Event.h"

#include <QDateTime>
#include <QUuid>

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
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
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
