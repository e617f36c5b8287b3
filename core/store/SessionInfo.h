#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace casefile {

// One row of the sessions index, kept up to date by every append.
struct SessionInfo
{
    QString id;
    QString org;
    QString clientGroup;
    QString endpoint;
    QString technician;
    QString title;
    QString ticket;
    QStringList tags;
    QString followUpOf;
    QString openedAt;
    QString closedAt; // empty while the session is live
    qint64 lastSeq = 0;
    QString lastHash;

    bool isOpen() const { return closedAt.isEmpty(); }
    // The session object of the wire protocol (docs/PROTOCOL.md 6.2); the cli prints the same.
    QJsonObject toJson() const;
    // The inverse, for clients reading the server's answers.
    static SessionInfo fromJson(const QJsonObject &object);
};

} // namespace casefile
