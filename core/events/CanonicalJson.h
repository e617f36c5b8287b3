#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>

namespace casefile {

// The one byte sequence a JSON value hashes as: UTF-8, no whitespace, object keys sorted by
// UTF-16 code units, integers without a fraction, other numbers in their shortest round-trip
// form, strings escaping only '"', '\\' and control characters. Two peers that agree on the
// value agree on these bytes, which is what makes the hash chain portable.
class CanonicalJson
{
public:
    static QByteArray encode(const QJsonValue &value);
    static QByteArray encode(const QJsonObject &object);
    static void append(QByteArray &out, const QJsonValue &value);
    static void appendString(QByteArray &out, const QString &text);
    // The same for text already in UTF-8, which must be valid (JsonParser::isValidUtf8).
    static void appendUtf8(QByteArray &out, QByteArrayView utf8);

private:
    static void appendNumber(QByteArray &out, double number);
    static void appendObject(QByteArray &out, const QJsonObject &object);
};

} // namespace casefile
