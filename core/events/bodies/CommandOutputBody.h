#pragma once

#include "../EventKind.h"
#include "../JsonReader.h"

namespace casefile {

// command.output: one coalesced chunk of a stream.
struct CommandOutputBody
{
    static constexpr EventKind kind = EventKind::CommandOutput;
    static const QStringList streams; // stdout, stderr
    QString command;
    QString stream;
    qint64 chunk = 0; // 0, 1, 2 … per command, so gaps are visible
    QString data;
    QJsonObject unknown; // fields from newer peers, carried along unchanged

    static CommandOutputBody read(JsonReader &reader);
    QJsonObject toJson() const;
    // The canonical JSON of a body without unknown fields, its data given in UTF-8 (valid:
    // JsonParser::isValidUtf8): the bytes CanonicalJson::encode(toJson()) gives, without
    // taking a chunk of output through QString and QJsonObject on the way.
    static QByteArray canonical(const QString &command, const QString &stream, qint64 chunk,
                                QByteArrayView utf8Data);
};

} // namespace casefile
