#pragma once

#include "../EventKind.h"
#include "../JsonReader.h"

namespace casefile {

// command.finished: how the command ended (or why it never started).
struct CommandFinishedBody
{
    static constexpr EventKind kind = EventKind::CommandFinished;
    static const QStringList statuses; // exited, crashed, cancelled, timed_out, denied, failed
    QString command;
    QString status;
    std::optional<qint64> exitCode;
    qint64 durationMs = 0;
    std::optional<QString> error;
    QJsonObject unknown; // fields from newer peers, carried along unchanged

    static CommandFinishedBody read(JsonReader &reader);
    QJsonObject toJson() const;
};

} // namespace casefile
