#include "CommandFinishedBody.h"

#include "../JsonFields.h"

namespace casefile {

const QStringList CommandFinishedBody::statuses = {
    QStringLiteral("exited"),    QStringLiteral("crashed"), QStringLiteral("cancelled"),
    QStringLiteral("timed_out"), QStringLiteral("denied"),  QStringLiteral("failed")};

CommandFinishedBody CommandFinishedBody::read(JsonReader &r)
{
    CommandFinishedBody b;
    b.command = r.requireUuid(QStringLiteral("command"));
    b.status = r.requireEnum(QStringLiteral("status"), statuses);
    b.exitCode = r.optionalInteger(QStringLiteral("exitCode"));
    if (r.ok() && b.status == QLatin1String("exited") && !b.exitCode)
        r.fail(QStringLiteral("exitCode"), QStringLiteral("required when status is 'exited'"));
    b.durationMs = r.requireInteger(QStringLiteral("durationMs"), 0);
    b.error = r.optionalString(QStringLiteral("error"));
    b.unknown = r.unknownFields();
    return b;
}

QJsonObject CommandFinishedBody::toJson() const
{
    QJsonObject o = unknown;
    o.insert(QStringLiteral("command"), command);
    o.insert(QStringLiteral("status"), status);
    json::insertOptional(o, QStringLiteral("exitCode"), exitCode);
    o.insert(QStringLiteral("durationMs"), durationMs);
    json::insertOptional(o, QStringLiteral("error"), error);
    return o;
}

} // namespace casefile
