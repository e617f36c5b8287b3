#include "SessionInfo.h"

#include <QJsonArray>

namespace casefile {

QJsonObject SessionInfo::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("org"), org},
            {QStringLiteral("clientGroup"), clientGroup},
            {QStringLiteral("endpoint"), endpoint},
            {QStringLiteral("technician"), technician},
            {QStringLiteral("title"), title},
            {QStringLiteral("ticket"), ticket},
            {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
            {QStringLiteral("openedAt"), openedAt},
            {QStringLiteral("closedAt"), closedAt},
            {QStringLiteral("head"), lastSeq}};
}

SessionInfo SessionInfo::fromJson(const QJsonObject &o)
{
    SessionInfo s;
    s.id = o.value(QStringLiteral("id")).toString();
    s.org = o.value(QStringLiteral("org")).toString();
    s.clientGroup = o.value(QStringLiteral("clientGroup")).toString();
    s.endpoint = o.value(QStringLiteral("endpoint")).toString();
    s.technician = o.value(QStringLiteral("technician")).toString();
    s.title = o.value(QStringLiteral("title")).toString();
    s.ticket = o.value(QStringLiteral("ticket")).toString();
    for (const QJsonValue t : o.value(QStringLiteral("tags")).toArray())
        s.tags << t.toString();
    s.openedAt = o.value(QStringLiteral("openedAt")).toString();
    s.closedAt = o.value(QStringLiteral("closedAt")).toString();
    s.lastSeq = o.value(QStringLiteral("head")).toInteger();
    return s;
}

} // namespace casefile
