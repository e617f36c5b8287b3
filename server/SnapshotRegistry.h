#pragma once

#include "StoreConnection.h"

#include "redact/RedactionDictionary.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace casefile {

// Published snapshots, their view log and the client dictionaries, in the server's SQLite file
// (schema version 5). A snapshot's link token is shown once, when it is made, and stored only
// as its SHA-256 digest.
class SnapshotRegistry
{
public:
    struct Record
    {
        QString id;
        QString org;
        QString publisher;
        QString title;
        QString audience; // "org" or "link"
        QString createdAt;
        QString expiresAt;
        QString revokedAt;
        QString revokedBy;
        QStringList sessions;
        QByteArray document; // the signed JSON as served
        qint64 views = 0;
        bool isExpired() const;
    };
    struct View
    {
        QString at;
        QString viewer; // a user id, or "link" for an anonymous reader
        QString format; // "html" or "json"
    };

    SnapshotRegistry();
    ~SnapshotRegistry();
    SnapshotRegistry(const SnapshotRegistry &) = delete;
    SnapshotRegistry &operator=(const SnapshotRegistry &) = delete;

    bool open(const QString &path);
    QString errorString() const { return m_error; }

    // Stores the record and returns its link token (at least 128 random bits; here 256).
    std::optional<QString> add(const Record &record);
    // The record with its document (to serve it).
    std::optional<Record> byToken(const QString &token);
    // The record without its document (to check who may revoke or see views).
    std::optional<Record> byId(const QString &id);
    QList<Record> list(const QString &org, int limit = 200);
    bool revoke(const QString &id, const QString &by);
    bool logView(const QString &id, const QString &viewer, const QString &format);
    QList<View> views(const QString &id);

    RedactionDictionary dictionary(const QStringList &clientGroups);
    // Adds terms to a client group's dictionary; returns how many were new.
    std::optional<int> addTerms(const QString &clientGroup, const RedactionDictionary &terms, const QString &by);

private:
    bool fail(const QString &message);
    std::optional<Record> one(const QString &where, const QString &value, bool withDocument);

    StoreConnection m_db;
    QString m_error;
};

} // namespace casefile
