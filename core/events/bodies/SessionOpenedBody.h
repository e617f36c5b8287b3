#pragma once

#include "../EventKind.h"
#include "../JsonReader.h"

namespace casefile {

// session.opened: the first event of every session; it fills the sessions index.
struct SessionOpenedBody
{
    static constexpr EventKind kind = EventKind::SessionOpened;
    QString org;
    QString clientGroup;
    QString endpoint;
    QString technician;
    QString title;
    std::optional<QString> ticket;
    QStringList tags;
    std::optional<QString> followUpOf; // session this one continues
    QJsonObject unknown; // fields from newer peers, carried along unchanged

    static SessionOpenedBody read(JsonReader &reader);
    QJsonObject toJson() const;
};

} // namespace casefile
