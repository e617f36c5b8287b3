#include "ApprovalDecidedBody.h"

#include "../JsonFields.h"

namespace casefile {

const QStringList ApprovalDecidedBody::decisions = {
    QStringLiteral("approved"), QStringLiteral("denied"), QStringLiteral("timed_out")};

ApprovalDecidedBody ApprovalDecidedBody::read(JsonReader &r)
{
    ApprovalDecidedBody b;
    b.command = r.requireUuid(QStringLiteral("command"));
    b.decision = r.requireEnum(QStringLiteral("decision"), decisions);
    b.decidedBy = r.requireString(QStringLiteral("decidedBy"));
    b.decidedAt = r.requireTimestamp(QStringLiteral("decidedAt"));
    b.reason = r.optionalString(QStringLiteral("reason"));
    b.unknown = r.unknownFields();
    return b;
}

QJsonObject ApprovalDecidedBody::toJson() const
{
    QJsonObject o = unknown;
    o.insert(QStringLiteral("command"), command);
    o.insert(QStringLiteral("decision"), decision);
    o.insert(QStringLiteral("decidedBy"), decidedBy);
    o.insert(QStringLiteral("decidedAt"), decidedAt);
    json::insertOptional(o, QStringLiteral("reason"), reason);
    return o;
}

} // namespace casefile
