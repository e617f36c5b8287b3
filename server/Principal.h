#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace casefile {

// Who is on the other end of a connection, as established from their token.
struct Principal
{
    static const QStringList roles; // admin, technician, reviewer, viewer

    QString type; // "user" or "endpoint"
    QString id;
    QString org;
    QString role;        // users only
    QString name;        // users: display name; endpoints: hostname
    QString clientGroup; // endpoints only

    bool isUser() const { return type == QLatin1String("user"); }
    bool isEndpoint() const { return type == QLatin1String("endpoint"); }
    bool canWrite() const { return isUser() && (role == QLatin1String("admin") || role == QLatin1String("technician")); }
    QJsonObject toJson() const;
};

} // namespace casefile
