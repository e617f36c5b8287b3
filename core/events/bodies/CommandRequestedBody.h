#pragma once

#include "../EventKind.h"
#include "../JsonReader.h"

namespace casefile {

// command.requested: a technician asks the endpoint to run something.
struct CommandRequestedBody
{
    static constexpr EventKind kind = EventKind::CommandRequested;
    QString command; // the command id every later command.* event refers to
    QString shell;
    QString text;
    bool change = false; // a change must be approved by the end user before it runs
    std::optional<qint64> timeoutMs;
    QJsonObject unknown; // fields from newer peers, carried along unchanged

    static CommandRequestedBody read(JsonReader &reader);
    QJsonObject toJson() const;
};

} // namespace casefile
