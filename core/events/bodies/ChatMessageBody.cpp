#include "ChatMessageBody.h"

namespace casefile {

ChatMessageBody ChatMessageBody::read(JsonReader &r)
{
    ChatMessageBody b;
    b.text = r.requireString(QStringLiteral("text"));
    b.unknown = r.unknownFields();
    return b;
}

QJsonObject ChatMessageBody::toJson() const
{
    QJsonObject o = unknown;
    o.insert(QStringLiteral("text"), text);
    return o;
}

} // namespace casefile
