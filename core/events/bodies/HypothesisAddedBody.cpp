#include "HypothesisAddedBody.h"

namespace casefile {

HypothesisAddedBody HypothesisAddedBody::read(JsonReader &r)
{
    HypothesisAddedBody b;
    b.hypothesis = r.requireUuid(QStringLiteral("hypothesis"));
    b.text = r.requireString(QStringLiteral("text"));
    b.unknown = r.unknownFields();
    return b;
}

QJsonObject HypothesisAddedBody::toJson() const
{
    QJsonObject o = unknown;
    o.insert(QStringLiteral("hypothesis"), hypothesis);
    o.insert(QStringLiteral("text"), text);
    return o;
}

} // namespace casefile
