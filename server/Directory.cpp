#include "Directory.h"

#include "events/Event.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace casefile {

Directory::Directory()
    : m_db(QStringLiteral("casefile-directory"))
{
}

Directory::~Directory() = default;

bool Directory::fail(const QString &message)
{
    m_error = message;
    return false;
}

bool Directory::open(const QString &path)
{
    QString error;
    return m_db.open(path, QStringLiteral("tokens"), &error) || fail(error);
}

QString Directory::hashSecret(const QString &secret)
{
    return QString::fromLatin1(QCryptographicHash::hash(secret.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString Directory::newSecret(const QString &prefix)
{
    // 256 bits from the OS's CSPRNG, base64url without padding.
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray bytes(reinterpret_cast<const char *>(words), sizeof(words));
    return prefix
        + QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool Directory::exists(const QString &table, const QString &id, QString *org)
{
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE id = ?")
                  .arg(table == QLatin1String("orgs") ? QStringLiteral("id") : QStringLiteral("org"), table));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return false;
    if (org)
        *org = q.value(0).toString();
    return true;
}

bool Directory::insert(const QString &sql, const QVariantList &values)
{
    QSqlQuery q(m_db.database());
    q.prepare(sql);
    for (const QVariant &value : values)
        q.addBindValue(value);
    if (!q.exec())
        return fail(q.lastError().text());
    return true;
}

std::optional<QString> Directory::createOrg(const QString &name)
{
    if (name.trimmed().isEmpty()) {
        fail(QStringLiteral("an org needs a name"));
        return std::nullopt;
    }
    const QString id = Event::newId();
    if (!insert(QStringLiteral("INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)"),
                {id, name.trimmed(), Event::nowTimestamp()}))
        return std::nullopt;
    return id;
}

std::optional<QString> Directory::createClientGroup(const QString &org, const QString &name)
{
    if (!exists(QStringLiteral("orgs"), org)) {
        fail(QStringLiteral("no org %1").arg(org));
        return std::nullopt;
    }
    if (name.trimmed().isEmpty()) {
        fail(QStringLiteral("a client group needs a name"));
        return std::nullopt;
    }
    const QString id = Event::newId();
    if (!insert(QStringLiteral("INSERT INTO client_groups (id, org, name, created_at) VALUES (?, ?, ?, ?)"),
                {id, org, name.trimmed(), Event::nowTimestamp()}))
        return std::nullopt;
    return id;
}

std::optional<QString> Directory::createUser(const QString &org, const QString &name, const QString &role)
{
    if (!exists(QStringLiteral("orgs"), org)) {
        fail(QStringLiteral("no org %1").arg(org));
        return std::nullopt;
    }
    if (!Principal::roles.contains(role)) {
        fail(QStringLiteral("role must be one of %1").arg(Principal::roles.join(QStringLiteral(", "))));
        return std::nullopt;
    }
    if (name.trimmed().isEmpty()) {
        fail(QStringLiteral("a user needs a name"));
        return std::nullopt;
    }
    const QString id = Event::newId();
    if (!insert(QStringLiteral("INSERT INTO users (id, org, name, role, created_at) VALUES (?, ?, ?, ?, ?)"),
                {id, org, name.trimmed(), role, Event::nowTimestamp()}))
        return std::nullopt;
    return id;
}

std::optional<Directory::Secret> Directory::insertToken(const QString &type, const QString &principal,
                                                        qint64 ttlSeconds)
{
    Secret secret;
    secret.id = Event::newId();
    secret.value = newSecret(QStringLiteral("cf_"));
    if (ttlSeconds > 0)
        secret.expiresAt = Event::timestamp(QDateTime::currentDateTimeUtc().addSecs(ttlSeconds));
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("INSERT INTO tokens (id, hash, principal_type, principal_id, created_at, "
                             "expires_at) VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(secret.id);
    q.addBindValue(hashSecret(secret.value));
    q.addBindValue(type);
    q.addBindValue(principal);
    q.addBindValue(Event::nowTimestamp());
    q.addBindValue(secret.expiresAt.isNull() ? QStringLiteral("") : secret.expiresAt);
    if (!q.exec()) {
        fail(q.lastError().text());
        return std::nullopt;
    }
    return secret;
}

std::optional<Directory::Secret> Directory::issueToken(const QString &user, qint64 ttlSeconds)
{
    if (!exists(QStringLiteral("users"), user)) {
        fail(QStringLiteral("no user %1").arg(user));
        return std::nullopt;
    }
    return insertToken(QStringLiteral("user"), user, ttlSeconds);
}

bool Directory::revokeToken(const QString &tokenId)
{
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at = ''"));
    q.addBindValue(Event::nowTimestamp());
    q.addBindValue(tokenId);
    if (!q.exec())
        return fail(q.lastError().text());
    if (q.numRowsAffected() != 1)
        return fail(QStringLiteral("no active token %1").arg(tokenId));
    return true;
}

std::optional<int> Directory::revokeEndpointTokens(const QString &endpoint)
{
    if (!exists(QStringLiteral("endpoints"), endpoint)) {
        fail(QStringLiteral("no endpoint %1").arg(endpoint));
        return std::nullopt;
    }
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("UPDATE tokens SET revoked_at = ? WHERE principal_type = 'endpoint'"
                             " AND principal_id = ? AND revoked_at = ''"));
    q.addBindValue(Event::nowTimestamp());
    q.addBindValue(endpoint);
    if (!q.exec()) {
        fail(q.lastError().text());
        return std::nullopt;
    }
    return q.numRowsAffected();
}

std::optional<QSet<QString>> Directory::endedTokens(const QSet<QString> &hashes, const QString &now)
{
    QSet<QString> ended;
    const QStringList all(hashes.cbegin(), hashes.cend());
    constexpr qsizetype chunk = 500; // well under SQLite's limit on bound parameters
    for (qsizetype from = 0; from < all.size(); from += chunk) {
        const QStringList some = all.mid(from, chunk);
        QSqlQuery q(m_db.database());
        q.setForwardOnly(true);
        q.prepare(
            QStringLiteral("SELECT hash FROM tokens WHERE hash IN (%1)"
                           " AND (revoked_at <> '' OR (expires_at <> '' AND expires_at <= ?))")
                .arg(QStringList(some.size(), QStringLiteral("?")).join(QLatin1Char(','))));
        for (const QString &hash : some)
            q.addBindValue(hash);
        q.addBindValue(now);
        if (!q.exec()) {
            fail(q.lastError().text());
            return std::nullopt;
        }
        while (q.next())
            ended.insert(q.value(0).toString());
        if (q.lastError().isValid()) {
            fail(q.lastError().text());
            return std::nullopt;
        }
    }
    return ended;
}

std::optional<Directory::Secret> Directory::createEnrollmentCode(const QString &clientGroup, qint64 ttlSeconds)
{
    if (!exists(QStringLiteral("client_groups"), clientGroup)) {
        fail(QStringLiteral("no client group %1").arg(clientGroup));
        return std::nullopt;
    }
    if (ttlSeconds <= 0) {
        fail(QStringLiteral("an enrollment code needs a positive lifetime"));
        return std::nullopt;
    }
    Secret secret;
    secret.id = Event::newId();
    secret.value = newSecret(QStringLiteral("enr_"));
    secret.expiresAt = Event::timestamp(QDateTime::currentDateTimeUtc().addSecs(ttlSeconds));
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("INSERT INTO enrollment_codes (id, hash, client_group, created_at, expires_at) "
                             "VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(secret.id);
    q.addBindValue(hashSecret(secret.value));
    q.addBindValue(clientGroup);
    q.addBindValue(Event::nowTimestamp());
    q.addBindValue(secret.expiresAt);
    if (!q.exec()) {
        fail(q.lastError().text());
        return std::nullopt;
    }
    return secret;
}

std::optional<Directory::Enrollment> Directory::enroll(const QString &code, const QString &hostname,
                                                       const QString &os)
{
    QSqlDatabase db = m_db.database();
    if (hostname.trimmed().isEmpty()) {
        fail(QStringLiteral("hostname is required"));
        return std::nullopt;
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT c.id, c.client_group, c.expires_at, c.used_at, g.org FROM enrollment_codes c "
                             "JOIN client_groups g ON g.id = c.client_group WHERE c.hash = ?"));
    q.addBindValue(hashSecret(code));
    if (!q.exec() || !q.next()) {
        fail(QStringLiteral("unknown enrollment code"));
        return std::nullopt;
    }
    const QString codeId = q.value(0).toString();
    Enrollment result;
    result.clientGroup = q.value(1).toString();
    const QString expiresAt = q.value(2).toString();
    const bool used = !q.value(3).toString().isEmpty();
    result.org = q.value(4).toString();
    q.finish();
    if (used) {
        fail(QStringLiteral("this enrollment code has already been used"));
        return std::nullopt;
    }
    if (expiresAt <= Event::nowTimestamp()) {
        fail(QStringLiteral("this enrollment code expired at %1").arg(expiresAt));
        return std::nullopt;
    }
    result.endpoint = Event::newId();
    if (!db.transaction()) {
        fail(db.lastError().text());
        return std::nullopt;
    }
    // Claim the code first; the WHERE makes a second, racing enrollment change nothing.
    QSqlQuery claim(db);
    claim.prepare(QStringLiteral("UPDATE enrollment_codes SET used_at = ?, endpoint = ? WHERE id = ? AND used_at = ''"));
    claim.addBindValue(Event::nowTimestamp());
    claim.addBindValue(result.endpoint);
    claim.addBindValue(codeId);
    if (!claim.exec() || claim.numRowsAffected() != 1) {
        db.rollback();
        fail(QStringLiteral("this enrollment code has already been used"));
        return std::nullopt;
    }
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO endpoints (id, org, client_group, hostname, os, enrolled_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?)"));
    insert.addBindValue(result.endpoint);
    insert.addBindValue(result.org);
    insert.addBindValue(result.clientGroup);
    insert.addBindValue(hostname.trimmed());
    insert.addBindValue(os.isNull() ? QStringLiteral("") : os);
    insert.addBindValue(Event::nowTimestamp());
    if (!insert.exec()) {
        db.rollback();
        fail(insert.lastError().text());
        return std::nullopt;
    }
    const auto token = insertToken(QStringLiteral("endpoint"), result.endpoint, 0);
    if (!token || !db.commit()) {
        db.rollback();
        return std::nullopt;
    }
    result.token = token->value;
    return result;
}

std::optional<Principal> Directory::authenticate(const QString &token, bool *unavailable)
{
    bool ignored = false;
    bool &cannotTell = unavailable ? *unavailable : ignored;
    cannotTell = false;
    // A query that fails is the store's fault, not the token's: a client told "unauthorized"
    // would give up for good.
    const auto unreadable = [&](const QSqlQuery &q) {
        cannotTell = true;
        fail(QStringLiteral("cannot check the token now: %1").arg(q.lastError().text()));
        return std::nullopt;
    };
    if (token.isEmpty()) {
        fail(QStringLiteral("no token"));
        return std::nullopt;
    }
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("SELECT principal_type, principal_id, expires_at, revoked_at FROM tokens WHERE hash = ?"));
    q.addBindValue(hashSecret(token));
    if (!q.exec())
        return unreadable(q);
    if (!q.next()) {
        if (q.lastError().isValid())
            return unreadable(q);
        fail(QStringLiteral("unknown token"));
        return std::nullopt;
    }
    Principal p;
    p.type = q.value(0).toString();
    p.id = q.value(1).toString();
    const QString expiresAt = q.value(2).toString();
    if (!q.value(3).toString().isEmpty()) {
        fail(QStringLiteral("token has been revoked"));
        return std::nullopt;
    }
    if (!expiresAt.isEmpty() && expiresAt <= Event::nowTimestamp()) {
        fail(QStringLiteral("token has expired"));
        return std::nullopt;
    }
    q.finish();
    q.prepare(
        p.isUser()
            ? QStringLiteral("SELECT org, name, role, '' FROM users WHERE id = ?")
            : QStringLiteral("SELECT org, hostname, '', client_group FROM endpoints WHERE id = ?"));
    q.addBindValue(p.id);
    if (!q.exec())
        return unreadable(q);
    if (!q.next()) {
        if (q.lastError().isValid())
            return unreadable(q);
        fail(p.isUser() ? QStringLiteral("token's user no longer exists")
                        : QStringLiteral("token's endpoint no longer exists"));
        return std::nullopt;
    }
    p.org = q.value(0).toString();
    p.name = q.value(1).toString();
    if (p.isUser())
        p.role = q.value(2).toString();
    else
        p.clientGroup = q.value(3).toString();
    return p;
}

std::optional<Directory::EndpointInfo> Directory::endpoint(const QString &id)
{
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("SELECT id, org, client_group, hostname, os, enrolled_at FROM endpoints WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next()) {
        fail(QStringLiteral("no endpoint %1").arg(id));
        return std::nullopt;
    }
    return EndpointInfo{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                        q.value(3).toString(), q.value(4).toString(), q.value(5).toString()};
}

QList<Directory::EndpointInfo> Directory::endpoints(const QString &org)
{
    QList<EndpointInfo> list;
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("SELECT id, org, client_group, hostname, os, enrolled_at FROM endpoints "
                             "WHERE org = ? ORDER BY hostname, id"));
    q.addBindValue(org);
    if (!q.exec())
        return list;
    while (q.next()) {
        list.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                     q.value(3).toString(), q.value(4).toString(), q.value(5).toString()});
    }
    return list;
}

QList<QPair<QString, QString>> Directory::clientGroups(const QString &org)
{
    QList<QPair<QString, QString>> list;
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("SELECT id, name FROM client_groups WHERE org = ? ORDER BY name, id"));
    q.addBindValue(org);
    if (!q.exec())
        return list;
    while (q.next())
        list.append({q.value(0).toString(), q.value(1).toString()});
    return list;
}

} // namespace casefile
