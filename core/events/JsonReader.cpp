#include "JsonReader.h"

#include <QDate>
#include <QUuid>

#include <algorithm>
#include <cmath>

namespace casefile {

namespace {
// Integers travel as JSON numbers; beyond 2^53 a double can no longer hold them exactly.
constexpr double kMaxExactInteger = 9007199254740992.0;
} // namespace

JsonReader::JsonReader(const QJsonObject &object, QString path, CodecError *error)
    : m_object(object), m_path(std::move(path)), m_error(error)
{
}

QString JsonReader::fieldPath(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + QLatin1Char('.') + key;
}

void JsonReader::fail(const QString &key, const QString &message)
{
    if (!m_error->isNull())
        return; // the first problem is the one worth reporting
    m_error->field = fieldPath(key);
    m_error->message = message;
}

QString JsonReader::typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

const QJsonValue *JsonReader::find(const QString &key)
{
    const auto it = m_object.constFind(key);
    const bool present = it != m_object.constEnd();
    if (!std::any_of(m_seen.cbegin(), m_seen.cend(), [&](const QString &k) { return k == key; })) {
        m_seen.append(key);
        if (present)
            ++m_found;
    }
    if (!present)
        return nullptr;
    m_current = it.value();
    return &m_current;
}

const QJsonValue *JsonReader::findString(const QString &key)
{
    const QJsonValue *value = find(key);
    if (!value) {
        fail(key, QStringLiteral("required field is missing"));
        return nullptr;
    }
    if (!value->isString()) {
        fail(key, QStringLiteral("expected a string, found ") + typeName(*value));
        return nullptr;
    }
    return value;
}

QString JsonReader::requireString(const QString &key)
{
    const QJsonValue *value = findString(key);
    return value ? value->toString() : QString();
}

QString JsonReader::requireText(const QString &key)
{
    if (!m_checkOnly)
        return requireString(key);
    findString(key);
    return {};
}

std::optional<QString> JsonReader::optionalString(const QString &key)
{
    const QJsonValue *value = find(key);
    if (!value || value->isNull())
        return std::nullopt;
    if (!value->isString()) {
        fail(key, QStringLiteral("expected a string, found ") + typeName(*value));
        return std::nullopt;
    }
    return value->toString();
}

QString JsonReader::requireEnum(const QString &key, const QStringList &allowed)
{
    const QString text = requireString(key);
    if (ok() && !allowed.contains(text)) {
        fail(key, QStringLiteral("'%1' is not one of: %2").arg(text, allowed.join(QStringLiteral(", "))));
        return {};
    }
    return text;
}

qint64 JsonReader::requireInteger(const QString &key, qint64 minimum)
{
    const QJsonValue *value = find(key);
    if (!value) {
        fail(key, QStringLiteral("required field is missing"));
        return 0;
    }
    if (value->isNull()) {
        fail(key, QStringLiteral("expected an integer, found null"));
        return 0;
    }
    const auto result = optionalInteger(key, minimum);
    return result.value_or(0);
}

std::optional<qint64> JsonReader::optionalInteger(const QString &key, qint64 minimum)
{
    const QJsonValue *value = find(key);
    if (!value || value->isNull())
        return std::nullopt;
    if (!value->isDouble()) {
        fail(key, QStringLiteral("expected an integer, found ") + typeName(*value));
        return std::nullopt;
    }
    const double d = value->toDouble();
    if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > kMaxExactInteger) {
        fail(key, QStringLiteral("expected an integer, found %1").arg(d));
        return std::nullopt;
    }
    const auto integer = static_cast<qint64>(d);
    if (integer < minimum) {
        fail(key, QStringLiteral("must be at least %1, found %2").arg(minimum).arg(integer));
        return std::nullopt;
    }
    return integer;
}

bool JsonReader::requireBool(const QString &key)
{
    const QJsonValue *value = find(key);
    if (!value) {
        fail(key, QStringLiteral("required field is missing"));
        return false;
    }
    if (!value->isBool()) {
        fail(key, QStringLiteral("expected a boolean, found ") + typeName(*value));
        return false;
    }
    return value->toBool();
}

QStringList JsonReader::optionalStringList(const QString &key)
{
    const QJsonValue *value = find(key);
    if (!value || value->isNull())
        return {};
    if (!value->isArray()) {
        fail(key, QStringLiteral("expected an array of strings, found ") + typeName(*value));
        return {};
    }
    QStringList list;
    const QJsonArray array = value->toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString()) {
            fail(QStringLiteral("%1[%2]").arg(key).arg(i),
                 QStringLiteral("expected a string, found ") + typeName(array.at(i)));
            return {};
        }
        list.append(array.at(i).toString());
    }
    return list;
}

std::optional<QJsonArray> JsonReader::optionalArray(const QString &key)
{
    const QJsonValue *value = find(key);
    if (!value || value->isNull())
        return std::nullopt;
    if (!value->isArray()) {
        fail(key, QStringLiteral("expected an array, found ") + typeName(*value));
        return std::nullopt;
    }
    return value->toArray();
}

QJsonObject JsonReader::requireObject(const QString &key)
{
    const QJsonValue *value = find(key);
    if (!value) {
        fail(key, QStringLiteral("required field is missing"));
        return {};
    }
    if (!value->isObject()) {
        fail(key, QStringLiteral("expected an object, found ") + typeName(*value));
        return {};
    }
    return value->toObject();
}

bool JsonReader::isUuid(const QString &text)
{
    if (text.size() != 36)
        return false;
    const QUuid uuid = QUuid::fromString(text);
    return !uuid.isNull() && uuid.toString(QUuid::WithoutBraces) == text;
}

QString JsonReader::requireUuid(const QString &key)
{
    const QString text = requireString(key);
    if (ok() && !isUuid(text)) {
        fail(key, QStringLiteral("expected a lower-case UUID, found '%1'").arg(text.left(64)));
        return {};
    }
    return text;
}

std::optional<QString> JsonReader::optionalUuid(const QString &key)
{
    auto text = optionalString(key);
    if (text && !isUuid(*text)) {
        fail(key, QStringLiteral("expected a lower-case UUID, found '%1'").arg(text->left(64)));
        return std::nullopt;
    }
    return text;
}

bool JsonReader::isTimestamp(const QString &text)
{
    // Exactly one spelling per instant, so the canonical form (and the hash) is unambiguous:
    // YYYY-MM-DDTHH:MM:SS.mmmZ. Checked by hand; QDateTime parsing is slow on hot paths.
    static constexpr char pattern[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (text.size() != 24)
        return false;
    for (int i = 0; i < 24; ++i) {
        const char16_t c = text.at(i).unicode();
        if (pattern[i] == 'd' ? (c < u'0' || c > u'9') : c != char16_t(pattern[i]))
            return false;
    }
    const auto number = [&](int from, int length) {
        int n = 0;
        for (int i = from; i < from + length; ++i)
            n = n * 10 + (text.at(i).unicode() - u'0');
        return n;
    };
    return QDate::isValid(number(0, 4), number(5, 2), number(8, 2)) && number(11, 2) < 24
        && number(14, 2) < 60 && number(17, 2) < 60;
}

QString JsonReader::requireTimestamp(const QString &key)
{
    const QString text = requireString(key);
    if (ok() && !isTimestamp(text)) {
        fail(key, QStringLiteral("expected an RFC 3339 UTC time like 2026-05-24T14:23:05.123Z, "
                                 "found '%1'")
                      .arg(text.left(64)));
        return {};
    }
    return text;
}

QJsonObject JsonReader::unknownFields() const
{
    QJsonObject unknown;
    if (m_found == m_object.size())
        return unknown; // the common case: every key was asked for
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
        const QString key = it.key();
        if (std::none_of(m_seen.cbegin(), m_seen.cend(), [&](const QString &k) { return k == key; }))
            unknown.insert(key, it.value());
    }
    return unknown;
}

} // namespace casefile
