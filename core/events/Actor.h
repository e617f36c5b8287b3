#pragma once

#include <QString>
#include <QStringList>

namespace casefile {

// Who wrote an event: a signed-in user, an enrolled endpoint, or the server itself.
struct Actor
{
    static const QStringList types; // user, endpoint, server

    QString type;
    QString id;

    bool operator==(const Actor &other) const { return type == other.type && id == other.id; }
};

} // namespace casefile
