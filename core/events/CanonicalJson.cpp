#include "CanonicalJson.h"

#include "JsonScan.h"

#include <QJsonArray>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace casefile {

QByteArray CanonicalJson::encode(const QJsonValue &value)
{
    QByteArray out;
    append(out, value);
    return out;
}

QByteArray CanonicalJson::encode(const QJsonObject &object)
{
    QByteArray out;
    appendObject(out, object);
    return out;
}

void CanonicalJson::append(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        break;
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        break;
    case QJsonValue::Double:
        appendNumber(out, value.toDouble());
        break;
    case QJsonValue::String:
        appendString(out, value.toString());
        break;
    case QJsonValue::Array: {
        out += '[';
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i)
                out += ',';
            append(out, array.at(i));
        }
        out += ']';
        break;
    }
    case QJsonValue::Object:
        appendObject(out, value.toObject());
        break;
    }
}

void CanonicalJson::appendObject(QByteArray &out, const QJsonObject &object)
{
    QStringList keys = object.keys();
    // QString's operator< compares UTF-16 code units, the order RFC 8785 uses.
    std::sort(keys.begin(), keys.end());
    out += '{';
    bool first = true;
    for (const QString &key : std::as_const(keys)) {
        if (!first)
            out += ',';
        first = false;
        appendString(out, key);
        out += ':';
        append(out, object.value(key));
    }
    out += '}';
}

void CanonicalJson::appendString(QByteArray &out, const QString &text)
{
    appendUtf8(out, text.toUtf8());
}

void CanonicalJson::appendUtf8(QByteArray &out, QByteArrayView utf8)
{
    static const char hex[] = "0123456789abcdef";
    // A large string (a chunk of output) gets its room at once, escapes included for text
    // with a line break every ~60 bytes, rather than through a series of doublings and copies;
    // still at least doubling, so a document of many chunks is not copied once per chunk.
    if (utf8.size() > 4096 && out.capacity() - out.size() < utf8.size() + 2)
        out.reserve(qMax(out.size() + utf8.size() + utf8.size() / 16 + 64, out.capacity() * 2));
    out += '"';
    // Copy runs of bytes that need no escape in one go; output is mostly plain text.
    const auto *p = reinterpret_cast<const uchar *>(utf8.constData());
    const uchar *const end = p + utf8.size();
    for (;;) {
        const uchar *plain = JsonScan::toEscape(p, end);
        out.append(reinterpret_cast<const char *>(p), plain - p);
        if (plain == end)
            break;
        p = plain + 1;
        switch (const uchar u = *plain) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            out += "\\u00";
            out += hex[u >> 4];
            out += hex[u & 0xf];
        }
    }
    out += '"';
}

void CanonicalJson::appendNumber(QByteArray &out, double number)
{
    if (!std::isfinite(number)) {
        out += "null"; // JSON has no NaN or infinity; QJsonValue cannot parse them either
        return;
    }
    if (std::trunc(number) == number && std::fabs(number) < 9007199254740992.0) {
        out += QByteArray::number(static_cast<qint64>(number));
        return;
    }
    out += QByteArray::number(number, 'g', QLocale::FloatingPointShortest);
}

} // namespace casefile
