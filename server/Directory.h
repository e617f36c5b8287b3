#pragma once

#include "StoreConnection.h"

#include "Principal.h"

#include <QJsonArray>
#include <QPair>
#include <QSet>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <optional>

namespace casefile {

// Orgs, client groups, users, enrolled endpoints, tokens and enrollment codes, in the same
// SQLite file as the event store (schema version 4; snapshots are version 5, see SnapshotRegistry). Secrets are returned once, when made, and
// stored only as SHA-256 digests.
class Directory
{
public:
    struct Secret
    {
        QString id;
        QString value; // shown once, never stored
        QString expiresAt;
    };
    struct Enrollment
    {
        QString endpoint;
        QString token;
        QString org;
        QString clientGroup;
    };
    struct EndpointInfo
    {
        QString id;
        QString org;
        QString clientGroup;
        QString hostname;
        QString os;
        QString enrolledAt;
    };

    Directory();
    ~Directory();
    Directory(const Directory &) = delete;
    Directory &operator=(const Directory &) = delete;

    // The store file must exist and be migrated (EventStore::open does that).
    bool open(const QString &path);
    QString errorString() const { return m_error; }

    std::optional<QString> createOrg(const QString &name);
    std::optional<QString> createClientGroup(const QString &org, const QString &name);
    std::optional<QString> createUser(const QString &org, const QString &name, const QString &role);
    // A bearer token for a user; ttlSeconds 0 = no expiry.
    std::optional<Secret> issueToken(const QString &user, qint64 ttlSeconds = 0);
    bool revokeToken(const QString &tokenId);
    // Revokes every active token of an endpoint (a stolen or retired machine); how many, or
    // nullopt when there is no such endpoint or the store failed.
    std::optional<int> revokeEndpointTokens(const QString &endpoint);
    // Of these token hashes, those of tokens revoked, or expired by `now` (an RFC 3339 UTC
    // timestamp): the connections holding them must end.
    std::optional<QSet<QString>> endedTokens(const QSet<QString> &hashes, const QString &now);
    std::optional<Secret> createEnrollmentCode(const QString &clientGroup, qint64 ttlSeconds);
    // Trades a one-time code for an endpoint and its token. Atomic: a code works once.
    std::optional<Enrollment> enroll(const QString &code, const QString &hostname, const QString &os);

    // Who holds this token; nullopt (with errorString) for unknown, revoked or expired tokens,
    // and when the store cannot tell (then *unavailable is set, if given: not a refusal).
    std::optional<Principal> authenticate(const QString &token, bool *unavailable = nullptr);
    std::optional<EndpointInfo> endpoint(const QString &id);
    QList<EndpointInfo> endpoints(const QString &org);
    // (id, name) of the org's client groups, by name.
    QList<QPair<QString, QString>> clientGroups(const QString &org);

    static QString hashSecret(const QString &secret);
    static QString newSecret(const QString &prefix);

private:
    bool fail(const QString &message);
    // Runs one INSERT with these values; false (with errorString) when it fails.
    bool insert(const QString &sql, const QVariantList &values);
    bool exists(const QString &table, const QString &id, QString *org = nullptr);
    std::optional<Secret> insertToken(const QString &type, const QString &principal, qint64 ttlSeconds);

    StoreConnection m_db;
    QString m_error;
};

} // namespace casefile
