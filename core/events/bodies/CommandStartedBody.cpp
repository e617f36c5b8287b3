#include "CommandStartedBody.h"

#include "../JsonFields.h"

namespace casefile {

CommandStartedBody CommandStartedBody::read(JsonReader &r)
{
    CommandStartedBody b;
    b.command = r.requireUuid(QStringLiteral("command"));
    b.pid = r.requireInteger(QStringLiteral("pid"), 0);
    b.user = r.requireString(QStringLiteral("user"));
    b.cwd = r.optionalString(QStringLiteral("cwd"));
    b.unknown = r.unknownFields();
    return b;
}

QJsonObject CommandStartedBody::toJson() const
{
    QJsonObject o = unknown;
    o.insert(QStringLiteral("command"), command);
    o.insert(QStringLiteral("pid"), pid);
    o.insert(QStringLiteral("user"), user);
    json::insertOptional(o, QStringLiteral("cwd"), cwd);
    return o;
}

} // namespace casefile
