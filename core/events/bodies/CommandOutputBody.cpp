#include "CommandOutputBody.h"

#include "../CanonicalJson.h"

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

QByteArray CommandOutputBody::canonical(const QString &command, const QString &stream, qint64 chunk,
                                        QByteArrayView utf8Data)
{
    // Keys in their canonical order.
    QByteArray out;
    out.reserve(utf8Data.size() + utf8Data.size() / 16 + 128);
    out += "{\"chunk\":";
    out += QByteArray::number(chunk);
    out += ",\"command\":";
    CanonicalJson::appendString(out, command);
    out += ",\"data\":";
    CanonicalJson::appendUtf8(out, utf8Data);
    out += ",\"stream\":";
    CanonicalJson::appendString(out, stream);
    out += '}';
    return out;
}

} // namespace casefile
