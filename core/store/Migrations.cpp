#include "Migrations.h"

#include "events/EventCodec.h"
#include "events/bodies/SessionOpenedBody.h"

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

namespace casefile {

namespace {

using Backfill = bool (*)(QSqlDatabase &, QString *);

struct Step
{
    int version;
    QStringList statements;
    Backfill backfill;
};

bool exec(QSqlQuery &query, QString *error)
{
    if (query.exec())
        return true;
    *error = query.lastError().text();
    return false;
}

bool execText(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    *error = QStringLiteral("%1 (in: %2)").arg(query.lastError().text(), sql.left(80));
    return false;
}

// v2 adds the sessions index: rebuild it from each session's events.
bool backfillSessions(QSqlDatabase &db, QString *error)
{
    QSqlQuery sessions(db);
    sessions.setForwardOnly(true);
    if (!sessions.exec(QStringLiteral("SELECT DISTINCT session FROM events")))
        return (*error = sessions.lastError().text()), false;
    QStringList ids;
    while (sessions.next())
        ids.append(sessions.value(0).toString());

    for (const QString &id : std::as_const(ids)) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT doc FROM events WHERE session = ? AND seq = 1"));
        q.addBindValue(id);
        if (!exec(q, error))
            return false;
        if (!q.next())
            continue; // no session.opened: nothing to index
        const auto opened = EventCodec::decode(q.value(0).toByteArray(), EventCodec::Mode::Sealed);
        if (!opened.ok() || opened.event.kind != EventKind::SessionOpened) {
            *error = QStringLiteral("session %1: first event is not a readable session.opened").arg(id);
            return false;
        }
        const auto body = opened.event.bodyAs<SessionOpenedBody>();

        q.prepare(QStringLiteral("SELECT seq, hash FROM events WHERE session = ? ORDER BY seq DESC LIMIT 1"));
        q.addBindValue(id);
        if (!exec(q, error) || !q.next())
            return false;
        const qint64 lastSeq = q.value(0).toLongLong();
        const QString lastHash = q.value(1).toString();

        q.prepare(QStringLiteral("SELECT at FROM events WHERE session = ? AND kind = 'session.closed'"));
        q.addBindValue(id);
        if (!exec(q, error))
            return false;
        const QVariant closedAt = q.next() ? q.value(0) : QVariant();

        QSqlQuery insert(db);
        insert.prepare(QStringLiteral(
            "INSERT INTO sessions (id, org, client_group, endpoint, technician, title, ticket, "
            "follow_up_of, opened_at, closed_at, last_seq, last_hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        insert.addBindValue(id);
        insert.addBindValue(body.org);
        insert.addBindValue(body.clientGroup);
        insert.addBindValue(body.endpoint);
        insert.addBindValue(body.technician);
        insert.addBindValue(body.title);
        insert.addBindValue(body.ticket.value_or(QStringLiteral("")));
        insert.addBindValue(body.followUpOf.value_or(QStringLiteral("")));
        insert.addBindValue(opened.event.at);
        insert.addBindValue(closedAt.isValid() ? closedAt.toString() : QStringLiteral(""));
        insert.addBindValue(lastSeq);
        insert.addBindValue(lastHash);
        if (!exec(insert, error))
            return false;
        for (const QString &tag : QSet<QString>(body.tags.cbegin(), body.tags.cend())) {
            QSqlQuery t(db);
            t.prepare(QStringLiteral("INSERT INTO session_tags (session, tag) VALUES (?, ?)"));
            t.addBindValue(id);
            t.addBindValue(tag);
            if (!exec(t, error))
                return false;
        }
    }
    return true;
}

const QList<Step> &steps()
{
    static const QList<Step> list = {
        {1,
         {QStringLiteral("CREATE TABLE schema_meta (version INTEGER NOT NULL)"),
          QStringLiteral("INSERT INTO schema_meta (version) VALUES (0)"),
          // rid orders events across sessions (search, replication); (session, seq) is the record.
          QStringLiteral("CREATE TABLE events ("
                         " rid INTEGER PRIMARY KEY,"
                         " session TEXT NOT NULL,"
                         " seq BIGINT NOT NULL,"
                         " id TEXT NOT NULL,"
                         " kind TEXT NOT NULL,"
                         " at TEXT NOT NULL,"
                         " hash TEXT NOT NULL,"
                         " doc TEXT NOT NULL,"
                         " UNIQUE (session, seq),"
                         " UNIQUE (session, id))")},
         nullptr},
        {2,
         {QStringLiteral("CREATE TABLE sessions ("
                         " id TEXT PRIMARY KEY,"
                         " org TEXT NOT NULL,"
                         " client_group TEXT NOT NULL,"
                         " endpoint TEXT NOT NULL,"
                         " technician TEXT NOT NULL,"
                         " title TEXT NOT NULL,"
                         " ticket TEXT NOT NULL DEFAULT '',"
                         " follow_up_of TEXT NOT NULL DEFAULT '',"
                         " opened_at TEXT NOT NULL,"
                         " closed_at TEXT NOT NULL DEFAULT '',"
                         " last_seq BIGINT NOT NULL,"
                         " last_hash TEXT NOT NULL)"),
          QStringLiteral("CREATE INDEX sessions_by_org ON sessions (org, opened_at)"),
          QStringLiteral("CREATE INDEX sessions_by_group ON sessions (client_group, opened_at)"),
          QStringLiteral("CREATE INDEX sessions_by_endpoint ON sessions (endpoint, opened_at)"),
          QStringLiteral("CREATE INDEX sessions_by_technician ON sessions (technician, opened_at)"),
          QStringLiteral("CREATE TABLE session_tags ("
                         " session TEXT NOT NULL REFERENCES sessions (id),"
                         " tag TEXT NOT NULL,"
                         " PRIMARY KEY (session, tag))"),
          QStringLiteral("CREATE INDEX session_tags_by_tag ON session_tags (tag)")},
         backfillSessions},
        // SQLite FTS5; rowid = events.rid. PostgreSQL will use a tsvector column instead.
        {3,
         {QStringLiteral(
             "CREATE VIRTUAL TABLE event_text USING fts5(text, tokenize = 'unicode61')")},
         nullptr}, // version 6 builds the index again, from every event stored
        // The server's directory: who may connect, and to which org everything belongs.
        // Secrets (tokens, enrollment codes) are stored only as SHA-256 hex digests.
        {4,
         {QStringLiteral("CREATE TABLE orgs (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at "
                         "TEXT NOT NULL)"),
          QStringLiteral("CREATE TABLE client_groups ("
                         " id TEXT PRIMARY KEY, org TEXT NOT NULL REFERENCES orgs (id),"
                         " name TEXT NOT NULL, created_at TEXT NOT NULL)"),
          QStringLiteral("CREATE TABLE users ("
                         " id TEXT PRIMARY KEY, org TEXT NOT NULL REFERENCES orgs (id),"
                         " name TEXT NOT NULL, role TEXT NOT NULL, created_at TEXT NOT NULL)"),
          QStringLiteral("CREATE TABLE endpoints ("
                         " id TEXT PRIMARY KEY, org TEXT NOT NULL REFERENCES orgs (id),"
                         " client_group TEXT NOT NULL REFERENCES client_groups (id),"
                         " hostname TEXT NOT NULL, os TEXT NOT NULL, enrolled_at TEXT NOT NULL)"),
          QStringLiteral("CREATE TABLE tokens ("
                         " id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE,"
                         " principal_type TEXT NOT NULL, principal_id TEXT NOT NULL,"
                         " created_at TEXT NOT NULL, expires_at TEXT NOT NULL DEFAULT '',"
                         " revoked_at TEXT NOT NULL DEFAULT '')"),
          QStringLiteral("CREATE TABLE enrollment_codes ("
                         " id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE,"
                         " client_group TEXT NOT NULL REFERENCES client_groups (id),"
                         " created_at TEXT NOT NULL, expires_at TEXT NOT NULL,"
                         " used_at TEXT NOT NULL DEFAULT '', endpoint TEXT NOT NULL DEFAULT '')"),
          QStringLiteral("CREATE INDEX users_by_org ON users (org)"),
          QStringLiteral("CREATE INDEX endpoints_by_org ON endpoints (org)")},
         nullptr},
        // Published snapshots (the signed document itself, a hashed link token), who viewed
        // them, and each client group's redaction dictionary.
        {5,
         {QStringLiteral(
              "CREATE TABLE snapshots ("
              " id TEXT PRIMARY KEY, org TEXT NOT NULL REFERENCES orgs (id),"
              " token_hash TEXT NOT NULL UNIQUE, publisher TEXT NOT NULL, title TEXT NOT NULL,"
              " audience TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,"
              " revoked_at TEXT NOT NULL DEFAULT '', revoked_by TEXT NOT NULL DEFAULT '',"
              " sessions TEXT NOT NULL, document TEXT NOT NULL)"),
          QStringLiteral("CREATE INDEX snapshots_by_org ON snapshots (org, created_at)"),
          QStringLiteral("CREATE TABLE snapshot_views ("
                         " snapshot TEXT NOT NULL REFERENCES snapshots (id), at TEXT NOT NULL,"
                         " viewer TEXT NOT NULL, format TEXT NOT NULL)"),
          QStringLiteral(
              "CREATE INDEX snapshot_views_by_snapshot ON snapshot_views (snapshot, at)"),
          QStringLiteral(
              "CREATE TABLE dictionary_terms ("
              " client_group TEXT NOT NULL REFERENCES client_groups (id), term TEXT NOT NULL,"
              " type TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL,"
              " PRIMARY KEY (client_group, term, type))")},
         nullptr},
        // The full-text index takes its text from the events themselves (an external-content
        // FTS5 table over a view: no second copy of every output line) and may trail the newest
        // events: search_index says up to which events.rid it is complete. Stores that index
        // as they append bring it up to date in each append's transaction; the server's index
        // catches up when its writer is idle, and every search first completes it.
        // What of an event is indexed — command text, output, chat, notes, hypotheses, titles —
        // is this view alone.
        {6,
         {QStringLiteral("DROP TABLE event_text"),
          QStringLiteral(
              "CREATE VIEW event_search_text (rid, text) AS SELECT rid, CASE kind"
              " WHEN 'command.output' THEN json_extract(CAST(doc AS TEXT), '$.body.data')"
              " WHEN 'command.requested' THEN json_extract(CAST(doc AS TEXT), '$.body.text')"
              " WHEN 'chat.message' THEN json_extract(CAST(doc AS TEXT), '$.body.text')"
              " WHEN 'note.added' THEN json_extract(CAST(doc AS TEXT), '$.body.text')"
              " WHEN 'hypothesis.added' THEN json_extract(CAST(doc AS TEXT), '$.body.text')"
              " WHEN 'hypothesis.updated' THEN json_extract(CAST(doc AS TEXT), '$.body.note')"
              " WHEN 'session.opened' THEN json_extract(CAST(doc AS TEXT), '$.body.title')"
              " END FROM events"),
          QStringLiteral("CREATE VIRTUAL TABLE event_text USING fts5(text, tokenize = 'unicode61',"
                         " content = 'event_search_text', content_rowid = 'rid')"),
          QStringLiteral("CREATE TABLE search_index (through_rid INTEGER NOT NULL)"),
          QStringLiteral("INSERT INTO search_index (through_rid) VALUES (0)")},
         nullptr},
        // FTS5 merges its index segments once 4 of a size are there (automerge 4). Output
        // brings many distinct terms (every number is one), and merging that often was a
        // fifth of the cost of indexing it; at 16 searches are as fast (bench_store,
        // BENCHMARKS.md). The setting lives in the table's own config.
        {7,
         {QStringLiteral("INSERT INTO event_text (event_text, rank) VALUES ('automerge', 16)")},
         nullptr},
    };
    return list;
}

} // namespace

int Migrations::latestVersion()
{
    return steps().constLast().version;
}

int Migrations::currentVersion(QSqlDatabase &db, QString *error)
{
    const QStringList tables = db.tables(QSql::Tables);
    if (db.lastError().isValid()) {
        *error = db.lastError().text();
        return -1;
    }
    if (tables.isEmpty())
        return 0;
    if (!tables.contains(QStringLiteral("schema_meta"))) {
        *error = QStringLiteral("not a Casefile store: it holds other tables (%1)")
                     .arg(tables.mid(0, 5).join(QStringLiteral(", ")));
        return -1;
    }
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT version FROM schema_meta")) || !q.next()) {
        *error = QStringLiteral("cannot read the schema version: %1").arg(q.lastError().text());
        return -1;
    }
    return q.value(0).toInt();
}

bool Migrations::migrate(QSqlDatabase &db, QString *error, int target)
{
    if (target < 0)
        target = latestVersion();
    const int current = currentVersion(db, error);
    if (current < 0)
        return false;
    if (current > latestVersion()) {
        *error = QStringLiteral("the store has schema version %1, newer than this Casefile "
                                "understands (%2); upgrade Casefile")
                     .arg(current)
                     .arg(latestVersion());
        return false;
    }
    if (target < current) {
        *error = QStringLiteral("migrations only go forward (store is at %1, asked for %2)")
                     .arg(current)
                     .arg(target);
        return false;
    }
    for (const Step &step : steps()) {
        if (step.version <= current || step.version > target)
            continue;
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        bool ok = true;
        for (const QString &sql : step.statements) {
            if (!(ok = execText(db, sql, error)))
                break;
        }
        if (ok && step.backfill)
            ok = step.backfill(db, error);
        if (ok) {
            QSqlQuery bump(db);
            bump.prepare(QStringLiteral("UPDATE schema_meta SET version = ?"));
            bump.addBindValue(step.version);
            ok = exec(bump, error);
        }
        if (!ok || !db.commit()) {
            const QString reason = ok ? db.lastError().text() : *error;
            db.rollback();
            *error = QStringLiteral("migration to schema version %1 failed: %2").arg(step.version).arg(reason);
            return false;
        }
    }
    return true;
}

} // namespace casefile
