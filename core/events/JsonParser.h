#pragma once

#include <QByteArrayView>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace casefile {

// JSON from UTF-8 into QJsonValue, as QJsonDocument::fromJson reads it (an object or an array at
// the top, a byte order mark skipped, nesting up to 1024, the last of duplicate keys wins, whole
// numbers that fit a qint64 kept as integers, unescaped control characters let through) except
// where Qt bends RFC 8259 in ways that change or guess content: invalid UTF-8 and lone
// surrogates, which Qt keeps or replaces, unknown escapes ("\x41", which Qt reads as "x41") and
// numbers like ".5" and "1." are refused.
// Why not QJsonDocument: Qt 6.4 builds every string that holds an escape one character at a
// time, and every line of command output holds one ("\n"); that was a quarter of the server's
// time. Here a string is copied in runs between escapes and converted once.
class JsonParser
{
public:
    struct Error
    {
        QString message;
        qsizetype offset = 0; // bytes into the input
    };

    // Text that Qt's parser reads the same way (ASCII, no escapes) goes to QJsonDocument, which
    // builds small objects faster; the rest to a parser of our own.
    static std::optional<QJsonValue> parse(QByteArrayView utf8, Error *error = nullptr);
    // Always the parser of our own, for tests that compare it with Qt's.
    static std::optional<QJsonValue> parseWithoutQt(QByteArrayView utf8, Error *error = nullptr);
    // Whether `bytes` is well-formed UTF-8 (no overlong forms, surrogates or code points past
    // U+10FFFF), without decoding it.
    static bool isValidUtf8(QByteArrayView bytes);
};

} // namespace casefile
