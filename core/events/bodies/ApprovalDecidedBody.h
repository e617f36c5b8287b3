#pragma once

#include "../EventKind.h"
#include "../JsonReader.h"

namespace casefile {

// approval.decided: the end user's answer, written by the agent itself.
struct ApprovalDecidedBody
{
    static constexpr EventKind kind = EventKind::ApprovalDecided;
    static const QStringList decisions; // approved, denied, timed_out
    QString command;
    QString decision;
    QString decidedBy; // the OS user who answered, or the unattended policy
    QString decidedAt;
    std::optional<QString> reason;
    QJsonObject unknown; // fields from newer peers, carried along unchanged

    static ApprovalDecidedBody read(JsonReader &reader);
    QJsonObject toJson() const;
};

} // namespace casefile
