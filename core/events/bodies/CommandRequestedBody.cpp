#include "CommandRequestedBody.h"

#include "../JsonFields.h"

namespace casefile {

CommandRequestedBody CommandRequestedBody::read(JsonReader &r)
{
    CommandRequestedBody b;
    b.command = r.requireUuid(QStringLiteral("command"));
    b.shell = r.requireString(QStringLiteral("shell"));
    if (r.ok() && b.shell.isEmpty())
        r.fail(QStringLiteral("shell"), QStringLiteral("must not be empty"));
    b.text = r.requireString(QStringLiteral("text"));
    b.change = r.requireBool(QStringLiteral("change"));
    b.timeoutMs = r.optionalInteger(QStringLiteral("timeoutMs"), 0);
    b.unknown = r.unknownFields();
    return b;
}

QJsonObject CommandRequestedBody::toJson() const
{
    QJsonObject o = unknown;
    o.insert(QStringLiteral("command"), command);
    o.insert(QStringLiteral("shell"), shell);
    o.insert(QStringLiteral("text"), text);
    o.insert(QStringLiteral("change"), change);
    json::insertOptional(o, QStringLiteral("timeoutMs"), timeoutMs);
    return o;
}

} // namespace casefile
