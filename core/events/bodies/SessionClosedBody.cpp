#include "SessionClosedBody.h"

#include "../JsonFields.h"

namespace casefile {

SessionClosedBody SessionClosedBody::read(JsonReader &r)
{
    SessionClosedBody b;
    b.summary = r.optionalString(QStringLiteral("summary"));
    b.unknown = r.unknownFields();
    return b;
}

QJsonObject SessionClosedBody::toJson() const
{
    QJsonObject o = unknown;
    json::insertOptional(o, QStringLiteral("summary"), summary);
    return o;
}

} // namespace casefile
