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
};

} // namespace casefile
