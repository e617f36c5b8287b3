#include "WireMessage.h"

#include "events/CanonicalJson.h"
#include "events/EventCodec.h"
#include "events/JsonParser.h"

#include <QJsonDocument>

#include <cmath>

namespace casefile {

const QString WireMessage::BadRequest = QStringLiteral("bad_request");
const QString WireMessage::Unauthorized = QStringLiteral("unauthorized");
const QString WireMessage::Forbidden = QStringLiteral("forbidden");
const QString WireMessage::NotFound = QStringLiteral("not_found");
const QString WireMessage::TooLarge = QStringLiteral("too_large");
const QString WireMessage::RateLimited = QStringLiteral("rate_limited");
const QString WireMessage::Aborted = QStringLiteral("aborted");
const QString WireMessage::Conflict = QStringLiteral("conflict");
const QString WireMessage::Unavailable = QStringLiteral("unavailable");
const QString WireMessage::Internal = QStringLiteral("internal");
const QString WireMessage::Timeout = QStringLiteral("timeout");

std::optional<QJsonObject> WireMessage::parse(const QByteArray &utf8, QString *error)
{
    if (!JsonParser::isValidUtf8(utf8)) {
        *error = QStringLiteral("message is not valid UTF-8");
        return std::nullopt;
    }
    JsonParser::Error parseError;
    const auto doc = JsonParser::parse(utf8, &parseError);
    if (!doc) {
        *error = QStringLiteral("message is not valid JSON: %1 at offset %2")
                     .arg(parseError.message)
                     .arg(parseError.offset);
        return std::nullopt;
    }
    if (!doc->isObject()) {
        *error = QStringLiteral("a message must be a JSON object");
        return std::nullopt;
    }
    const QJsonObject object = doc->toObject();
    if (!object.value(QStringLiteral("type")).isString()) {
        *error = QStringLiteral("type: required string is missing");
        return std::nullopt;
    }
    return object;
}

QByteArray WireMessage::encode(const QJsonObject &message)
{
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

std::optional<qint64> WireMessage::integer(const QJsonValue &value, qint64 min, qint64 max)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (d < double(min) || d > double(max) || std::trunc(d) != d)
        return std::nullopt;
    return static_cast<qint64>(d);
}

qint64 WireMessage::requestId(const QJsonObject &message)
{
    return integer(message.value(QStringLiteral("req")), 1).value_or(0);
}

qint64 WireMessage::pipeline(const QJsonObject &message)
{
    const QJsonValue value = message.value(QStringLiteral("pipeline"));
    if (value.isUndefined())
        return 0;
    return integer(value, 1).value_or(-1);
}

QJsonObject WireMessage::result(qint64 req, QJsonObject fields)
{
    fields.insert(QStringLiteral("type"), QStringLiteral("result"));
    fields.insert(QStringLiteral("req"), req);
    return fields;
}

QJsonObject WireMessage::error(qint64 req, const QString &code, const QString &message,
                               const QJsonObject &fields)
{
    QJsonObject o = fields;
    o.insert(QStringLiteral("type"), QStringLiteral("error"));
    o.insert(QStringLiteral("code"), code);
    o.insert(QStringLiteral("message"), message);
    if (req > 0)
        o.insert(QStringLiteral("req"), req);
    return o;
}

QByteArray WireMessage::appendResult(qint64 req, const QList<Event> &events,
                                     const QList<bool> &duplicate, qsizetype from, qsizetype count)
{
    // Keys in QJsonDocument's order (sorted), so the bytes are the same as encode(result(…)).
    QByteArray out;
    out.reserve(48 + count * 150);
    out += "{\"acks\":[";
    for (qsizetype i = from; i < from + count; ++i) {
        const Event &e = events.at(i);
        out += i == from ? "{\"duplicate\":" : ",{\"duplicate\":";
        out += duplicate.at(i) ? "true" : "false";
        out += ",\"hash\":";
        CanonicalJson::appendString(out, e.hash);
        out += ",\"id\":";
        CanonicalJson::appendString(out, e.id);
        out += ",\"seq\":";
        out += QByteArray::number(e.seq);
        out += '}';
    }
    out += "],\"req\":";
    out += QByteArray::number(req);
    out += ",\"type\":\"result\"}";
    return out;
}

QByteArray WireMessage::eventsPush(const QString &session, const QList<QByteArray> &canonicalEvents)
{
    QByteArray out = "{\"type\":\"events\",\"session\":\"" + session.toLatin1() + "\",\"events\":[";
    for (qsizetype i = 0; i < canonicalEvents.size(); ++i) {
        if (i)
            out += ',';
        out += canonicalEvents.at(i);
    }
    out += "]}";
    return out;
}

} // namespace casefile
