#include "ContextCapturedBody.h"

#include "../JsonFields.h"

namespace casefile {

ContextCapturedBody ContextCapturedBody::read(JsonReader &r)
{
    ContextCapturedBody b;
    b.hostname = r.requireString(QStringLiteral("hostname"));
    b.os = r.requireString(QStringLiteral("os"));
    b.osVersion = r.requireString(QStringLiteral("osVersion"));
    b.osBuild = r.optionalString(QStringLiteral("osBuild"));
    b.domain = r.optionalString(QStringLiteral("domain"));
    b.user = r.optionalString(QStringLiteral("user"));
    b.uptimeSeconds = r.optionalInteger(QStringLiteral("uptimeSeconds"), 0);
    b.cpu = r.optionalString(QStringLiteral("cpu"));
    b.cpuCores = r.optionalInteger(QStringLiteral("cpuCores"), 0);
    b.memoryBytes = r.optionalInteger(QStringLiteral("memoryBytes"), 0);
    b.updates = r.optionalStringList(QStringLiteral("updates"));
    b.unknown = r.unknownFields();
    return b;
}

QJsonObject ContextCapturedBody::toJson() const
{
    QJsonObject o = unknown;
    o.insert(QStringLiteral("hostname"), hostname);
    o.insert(QStringLiteral("os"), os);
    o.insert(QStringLiteral("osVersion"), osVersion);
    json::insertOptional(o, QStringLiteral("osBuild"), osBuild);
    json::insertOptional(o, QStringLiteral("domain"), domain);
    json::insertOptional(o, QStringLiteral("user"), user);
    json::insertOptional(o, QStringLiteral("uptimeSeconds"), uptimeSeconds);
    json::insertOptional(o, QStringLiteral("cpu"), cpu);
    json::insertOptional(o, QStringLiteral("cpuCores"), cpuCores);
    json::insertOptional(o, QStringLiteral("memoryBytes"), memoryBytes);
    json::insertList(o, QStringLiteral("updates"), updates);
    return o;
}

} // namespace casefile
