#pragma once

#include "CodecError.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QVarLengthArray>
#include <QStringList>

#include <optional>

namespace casefile {

// Reads typed fields out of a JSON object and remembers the first problem with the path of the
// field that caused it, so every decoder reports "body.exitCode: expected an integer" the same
// way. Keys that were never asked for are "unknown" and are kept by the caller, not dropped.
class JsonReader
{
public:
    JsonReader(const QJsonObject &object, QString path, CodecError *error);

    QString requireString(const QString &key);
    // A required string of free text, whose value nothing checks: a check-only reader checks
    // its type and returns an empty string, sparing a copy of what may be 64 KiB of output.
    QString requireText(const QString &key);
    // Reading only to validate (EventCodec::validateBody): values of requireText are not read.
    void setCheckOnly(bool checkOnly) { m_checkOnly = checkOnly; }
    std::optional<QString> optionalString(const QString &key);
    // Required string that must be one of `allowed`.
    QString requireEnum(const QString &key, const QStringList &allowed);
    qint64 requireInteger(const QString &key, qint64 minimum = std::numeric_limits<qint64>::min());
    std::optional<qint64> optionalInteger(const QString &key,
                                          qint64 minimum = std::numeric_limits<qint64>::min());
    bool requireBool(const QString &key);
    QStringList optionalStringList(const QString &key);
    std::optional<QJsonArray> optionalArray(const QString &key);
    QJsonObject requireObject(const QString &key);
    // Lower-case canonical UUID without braces, the form every id in the record uses.
    QString requireUuid(const QString &key);
    std::optional<QString> optionalUuid(const QString &key);
    // RFC 3339 UTC with milliseconds: 2026-05-24T14:23:05.123Z
    QString requireTimestamp(const QString &key);

    // The fields nobody asked for, to be carried along unchanged.
    QJsonObject unknownFields() const;
    bool ok() const { return m_error->isNull(); }
    CodecError *errorSink() const { return m_error; }
    QString fieldPath(const QString &key) const;
    void fail(const QString &key, const QString &message);

    static bool isUuid(const QString &text);
    static bool isTimestamp(const QString &text);

private:
    const QJsonValue *find(const QString &key);
    // The value of a required string field, or nullptr after failing (missing, not a string).
    const QJsonValue *findString(const QString &key);
    static QString typeName(const QJsonValue &value);

    const QJsonObject &m_object;
    QString m_path;
    CodecError *m_error;
    // Keys asked for; bodies have a handful, so a flat array beats hashing.
    QVarLengthArray<QString, 16> m_seen;
    qsizetype m_found = 0; // how many of them were present
    QJsonValue m_current;
    bool m_checkOnly = false;
};

} // namespace casefile
