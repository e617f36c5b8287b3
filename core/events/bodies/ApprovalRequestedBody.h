#pragma once

#include "../EventKind.h"
#include "../JsonReader.h"

namespace casefile {

// approval.requested: the agent is about to ask the end user for consent.
struct ApprovalRequestedBody
{
    static constexpr EventKind kind = EventKind::ApprovalRequested;
    QString command;
    QString prompt; // the exact text shown to the person at the endpoint
    QJsonObject unknown; // fields from newer peers, carried along unchanged

    static ApprovalRequestedBody read(JsonReader &reader);
    QJsonObject toJson() const;
};

} // namespace casefile
