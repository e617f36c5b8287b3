#include "SnapshotRegistry.h"

#include "Directory.h"
#include "events/Event.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace casefile {

namespace {
// Everything of a record but the document, which only byToken() reads (as the last column).
const QString kColumns = QStringLiteral(
    "s.id, s.org, s.publisher, s.title, s.audience, s.created_at, s.expires_at, s.revoked_at, s.revoked_by,"
    " s.sessions, (SELECT COUNT(*) FROM snapshot_views v WHERE v.snapshot = s.id)");

SnapshotRegistry::Record recordFrom(const QSqlQuery &q)
{
    SnapshotRegistry::Record r;
    r.id = q.value(0).toString();
    r.org = q.value(1).toString();
    r.publisher = q.value(2).toString();
    r.title = q.value(3).toString();
    r.audience = q.value(4).toString();
    r.createdAt = q.value(5).toString();
    r.expiresAt = q.value(6).toString();
    r.revokedAt = q.value(7).toString();
    r.revokedBy = q.value(8).toString();
    r.sessions = q.value(9).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
    r.views = q.value(10).toLongLong();
    return r;
}
} // namespace

bool SnapshotRegistry::Record::isExpired() const
{
    return QDateTime::fromString(expiresAt, Qt::ISODateWithMs) <= QDateTime::currentDateTimeUtc();
}

SnapshotRegistry::SnapshotRegistry()
    : m_db(QStringLiteral("casefile-snapshots"))
{
}

SnapshotRegistry::~SnapshotRegistry() = default;

bool SnapshotRegistry::fail(const QString &message)
{
    m_error = message;
    return false;
}

bool SnapshotRegistry::open(const QString &path)
{
    QString error;
    return m_db.open(path, QStringLiteral("snapshots"), &error) || fail(error);
}

std::optional<QString> SnapshotRegistry::add(const Record &r)
{
    const QString token = Directory::newSecret(QStringLiteral("cfs_"));
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("INSERT INTO snapshots (id, org, token_hash, publisher, title, audience, created_at,"
                             " expires_at, sessions, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v : {QVariant(r.id), QVariant(r.org), QVariant(Directory::hashSecret(token)),
                              QVariant(r.publisher), QVariant(r.title), QVariant(r.audience), QVariant(r.createdAt),
                              QVariant(r.expiresAt), QVariant(r.sessions.join(QLatin1Char(','))),
                              QVariant(QString::fromUtf8(r.document))})
        q.addBindValue(v);
    if (!q.exec()) {
        fail(q.lastError().text());
        return std::nullopt;
    }
    return token;
}

std::optional<SnapshotRegistry::Record> SnapshotRegistry::one(const QString &where, const QString &value,
                                                             bool withDocument)
{
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("SELECT %1%2 FROM snapshots s WHERE %3 = ?")
                  .arg(kColumns, withDocument ? QStringLiteral(", s.document") : QString(), where));
    q.addBindValue(value);
    if (!q.exec()) {
        fail(q.lastError().text());
        return std::nullopt;
    }
    if (!q.next()) {
        fail(QStringLiteral("no such snapshot"));
        return std::nullopt;
    }
    Record r = recordFrom(q);
    if (withDocument)
        r.document = q.value(11).toString().toUtf8();
    return r;
}

std::optional<SnapshotRegistry::Record> SnapshotRegistry::byToken(const QString &token)
{
    return one(QStringLiteral("s.token_hash"), Directory::hashSecret(token), true);
}

std::optional<SnapshotRegistry::Record> SnapshotRegistry::byId(const QString &id)
{
    return one(QStringLiteral("s.id"), id, false);
}

QList<SnapshotRegistry::Record> SnapshotRegistry::list(const QString &org, int limit)
{
    QList<Record> out;
    QSqlQuery q(m_db.database());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM snapshots s WHERE s.org = ? ORDER BY s.created_at DESC LIMIT ?").arg(kColumns));
    q.addBindValue(org);
    q.addBindValue(limit);
    if (!q.exec()) {
        fail(q.lastError().text());
        return out;
    }
    while (q.next())
        out.append(recordFrom(q)); // lists never carry the documents
    return out;
}

bool SnapshotRegistry::revoke(const QString &id, const QString &by)
{
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("UPDATE snapshots SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at = ''"));
    q.addBindValue(Event::nowTimestamp());
    q.addBindValue(by);
    q.addBindValue(id);
    if (!q.exec())
        return fail(q.lastError().text());
    return true;
}

bool SnapshotRegistry::logView(const QString &id, const QString &viewer, const QString &format)
{
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("INSERT INTO snapshot_views (snapshot, at, viewer, format) VALUES (?, ?, ?, ?)"));
    q.addBindValue(id);
    q.addBindValue(Event::nowTimestamp());
    q.addBindValue(viewer);
    q.addBindValue(format);
    if (!q.exec())
        return fail(q.lastError().text());
    return true;
}

QList<SnapshotRegistry::View> SnapshotRegistry::views(const QString &id)
{
    QList<View> out;
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("SELECT at, viewer, format FROM snapshot_views WHERE snapshot = ? ORDER BY at"));
    q.addBindValue(id);
    if (!q.exec()) {
        fail(q.lastError().text());
        return out;
    }
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString()});
    return out;
}

RedactionDictionary SnapshotRegistry::dictionary(const QStringList &clientGroups)
{
    RedactionDictionary d;
    QSqlQuery q(m_db.database());
    q.prepare(QStringLiteral("SELECT term, type FROM dictionary_terms WHERE client_group = ? ORDER BY added_at"));
    for (const QString &group : clientGroups) {
        q.addBindValue(group);
        if (!q.exec()) {
            fail(q.lastError().text());
            continue;
        }
        while (q.next()) {
            if (const auto type = Finding::typeFromName(q.value(1).toString()))
                d.add(q.value(0).toString(), *type);
        }
    }
    return d;
}

std::optional<int> SnapshotRegistry::addTerms(const QString &clientGroup, const RedactionDictionary &terms,
                                              const QString &by)
{
    QSqlDatabase db = m_db.database();
    db.transaction();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR IGNORE INTO dictionary_terms (client_group, term, type, added_by, added_at)"
                             " VALUES (?, ?, ?, ?, ?)"));
    int added = 0;
    for (const auto &t : terms.terms()) {
        q.addBindValue(clientGroup);
        q.addBindValue(t.text);
        q.addBindValue(Finding::typeName(t.type));
        q.addBindValue(by);
        q.addBindValue(Event::nowTimestamp());
        if (!q.exec()) {
            db.rollback();
            fail(q.lastError().text());
            return std::nullopt;
        }
        added += q.numRowsAffected() > 0;
    }
    db.commit();
    return added;
}

} // namespace casefile
