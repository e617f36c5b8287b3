#include "SessionOpenedBody.h"

#include "../JsonFields.h"

namespace casefile {

SessionOpenedBody SessionOpenedBody::read(JsonReader &r)
{
    SessionOpenedBody b;
    b.org = r.requireUuid(QStringLiteral("org"));
    b.clientGroup = r.requireUuid(QStringLiteral("clientGroup"));
    b.endpoint = r.requireUuid(QStringLiteral("endpoint"));
    b.technician = r.requireUuid(QStringLiteral("technician"));
    b.title = r.requireString(QStringLiteral("title"));
    b.ticket = r.optionalString(QStringLiteral("ticket"));
    b.tags = r.optionalStringList(QStringLiteral("tags"));
    b.followUpOf = r.optionalUuid(QStringLiteral("followUpOf"));
    b.unknown = r.unknownFields();
    return b;
}

QJsonObject SessionOpenedBody::toJson() const
{
    QJsonObject o = unknown;
    o.insert(QStringLiteral("org"), org);
    o.insert(QStringLiteral("clientGroup"), clientGroup);
    o.insert(QStringLiteral("endpoint"), endpoint);
    o.insert(QStringLiteral("technician"), technician);
    o.insert(QStringLiteral("title"), title);
    json::insertOptional(o, QStringLiteral("ticket"), ticket);
    json::insertList(o, QStringLiteral("tags"), tags);
    json::insertOptional(o, QStringLiteral("followUpOf"), followUpOf);
    return o;
}

} // namespace casefile
