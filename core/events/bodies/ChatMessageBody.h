#pragma once

#include "../EventKind.h"
#include "../JsonReader.h"

namespace casefile {

// chat.message: between technician and end user.
struct ChatMessageBody
{
    static constexpr EventKind kind = EventKind::ChatMessage;
    QString text;
    QJsonObject unknown; // fields from newer peers, carried along unchanged

    static ChatMessageBody read(JsonReader &reader);
    QJsonObject toJson() const;
};

} // namespace casefile
