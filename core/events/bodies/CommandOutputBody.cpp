#include "CommandOutputBody.h"

namespace casefile {

const QStringList CommandOutputBody::streams = {QStringLiteral("stdout"), QStringLiteral("stderr")};

CommandOutputBody CommandOutputBody::read(JsonReader &r)
{
    CommandOutputBody b;
    b.command = r.requireUuid(QStringLiteral("command"));
    b.stream = r.requireEnum(QStringLiteral("stream"), streams);
    b.chunk = r.requireInteger(QStringLiteral("chunk"), 0);
    b.data = r.requireText(QStringLiteral("data"));
    b.unknown = r.unknownFields();
    return b;
}

QJsonObject CommandOutputBody::toJson() const
{
    QJsonObject o = unknown;
    o.insert(QStringLiteral("command"), command);
    o.insert(QStringLiteral("stream"), stream);
    o.insert(QStringLiteral("chunk"), chunk);
    o.insert(QStringLiteral("data"), data);
    return o;
}

} // namespace casefile
