#include "ApprovalRequestedBody.h"

namespace casefile {

ApprovalRequestedBody ApprovalRequestedBody::read(JsonReader &r)
{
    ApprovalRequestedBody b;
    b.command = r.requireUuid(QStringLiteral("command"));
    b.prompt = r.requireString(QStringLiteral("prompt"));
    b.unknown = r.unknownFields();
    return b;
}

QJsonObject ApprovalRequestedBody::toJson() const
{
    QJsonObject o = unknown;
    o.insert(QStringLiteral("command"), command);
    o.insert(QStringLiteral("prompt"), prompt);
    return o;
}

} // namespace casefile
