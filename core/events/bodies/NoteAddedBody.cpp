#include "NoteAddedBody.h"

namespace casefile {

NoteAddedBody NoteAddedBody::read(JsonReader &r)
{
    NoteAddedBody b;
    b.text = r.requireString(QStringLiteral("text"));
    b.unknown = r.unknownFields();
    return b;
}

QJsonObject NoteAddedBody::toJson() const
{
    QJsonObject o = unknown;
    o.insert(QStringLiteral("text"), text);
    return o;
}

} // namespace casefile
