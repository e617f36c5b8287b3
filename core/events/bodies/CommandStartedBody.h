#pragma once

#include "../EventKind.h"
#include "../JsonReader.h"

namespace casefile {

// command.started: the process exists.
struct CommandStartedBody
{
    static constexpr EventKind kind = EventKind::CommandStarted;
    QString command;
    qint64 pid = 0;
    QString user; // the user context the process runs as
    std::optional<QString> cwd;
    QJsonObject unknown; // fields from newer peers, carried along unchanged

    static CommandStartedBody read(JsonReader &reader);
    QJsonObject toJson() const;
};

} // namespace casefile
