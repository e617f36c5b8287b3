#include "Outbox.h"

#include "events/EventCodec.h"

#include <QAtomicInt>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <limits>

namespace casefile {

namespace {

QAtomicInt s_connectionCounter;

// "CFOB" in the SQLite header: tells an outbox from any other SQLite file without guessing
// from table names.
constexpr qint64 applicationId = 0x43464f42;

} // namespace

Outbox::Outbox()
    : m_connection(
          QStringLiteral("casefile-outbox-%1").arg(s_connectionCounter.fetchAndAddRelaxed(1)))
{}

Outbox::~Outbox()
{
    close();
}

bool Outbox::fail(const QString &message) const
{
    m_error = message;
    return false;
}

bool Outbox::isOpen() const
{
    return QSqlDatabase::contains(m_connection) &&
           QSqlDatabase::database(m_connection, false).isOpen();
}

void Outbox::close()
{
    forgetRecent();
    if (!QSqlDatabase::contains(m_connection))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

QString Outbox::pragma(const QString &name) const
{
    if (!isOpen() || name.isEmpty())
        return {};
    for (const QChar c : name) {
        if (!(c.isLower() || c == QLatin1Char('_')))
            return {}; // never splice anything but a bare name into SQL
    }
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("PRAGMA ") + name) || !q.next())
        return {};
    return q.value(0).toString();
}

bool Outbox::open(const QString &path)
{
    close();
    m_error.clear();
    m_path = path;

    const QFileInfo info(path);
    if (path.isEmpty())
        return fail(tr("no outbox file given"));
    if (info.isDir())
        return fail(tr("%1 is a directory, not an outbox file").arg(path));
    if (info.exists() && info.size() > 0) {
        // SQLite opens anything and fails only at the first query; reading the magic first
        // also guarantees that a file of some other kind is never touched.
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return fail(tr("cannot read %1: %2").arg(path, file.errorString()));
        if (file.read(16) != QByteArray("SQLite format 3\0", 16))
            return fail(tr("%1 is not an outbox: it is not an SQLite database").arg(path));
    }
    return openDatabase(path, false);
}

bool Outbox::openInMemory()
{
    close();
    m_error.clear();
    m_path.clear();
    return openDatabase(QStringLiteral(":memory:"), true);
}

bool Outbox::openDatabase(const QString &name, bool inMemory)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return fail(tr("the Qt SQLite driver is missing (Debian: libqt6sql6-sqlite)"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        db.setDatabaseName(name);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        if (!db.open()) {
            const QString reason = db.lastError().text();
            db = QSqlDatabase();
            close();
            return fail(tr("cannot open the outbox %1: %2").arg(name, reason));
        }
    }
    if (!configure(inMemory)) {
        const QString reason = m_error;
        close();
        return fail(reason);
    }
    resetRecent();
    return true;
}

std::optional<qint64> Outbox::dataVersion() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("PRAGMA data_version")) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

void Outbox::forgetRecent() const
{
    m_recent.clear();
    m_recentIds.clear();
    m_recentBytes = 0;
    m_recentFrom = -1;
    m_dataVersion = -1;
}

void Outbox::resetRecent() const
{
    forgetRecent();
    // AUTOINCREMENT: every event queued from now on has a position above the highest ever used.
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    const auto version = dataVersion();
    if (!version ||
        !q.exec(QStringLiteral("SELECT coalesce(max(seq), 0) FROM sqlite_sequence "
                               "WHERE name = 'outbox'")) ||
        !q.next())
        return;
    m_recentFrom = q.value(0).toLongLong() + 1;
    m_dataVersion = *version;
}

void Outbox::keepRecent(const QList<Queued> &stored)
{
    if (m_recentFrom < 0)
        return;
    for (const Queued &event : stored) {
        if (event.position < m_recentFrom)
            continue;
        m_recent.emplace(event.position, event);
        m_recentIds.insert(event.id, event.position);
        m_recentBytes += event.doc.size();
    }
    // The oldest go first; they are read from the file when their turn comes.
    while (m_recentBytes > recentLimitBytes && !m_recent.empty()) {
        const auto oldest = m_recent.begin();
        m_recentBytes -= oldest->second.doc.size();
        m_recentIds.remove(oldest->second.id, oldest->first);
        m_recentFrom = oldest->first + 1;
        m_recent.erase(oldest);
    }
}

void Outbox::usePageSize(QSqlQuery &q, bool newFile)
{
    // Best effort: an outbox with other pages works, only slower.
    const auto scalar = [&q](const QString &sql) {
        const qint64 value = q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
        q.finish();
        return value;
    };
    if (scalar(QStringLiteral("PRAGMA page_size")) == pageSize)
        return;
    // One made by an earlier version is rewritten while its queue is empty, not while events
    // wait in it.
    if (!newFile && scalar(QStringLiteral("SELECT count(*) FROM outbox")) != 0)
        return;
    // The page size of a WAL file is fixed; another process with the file open keeps it so.
    if (!q.exec(QStringLiteral("PRAGMA journal_mode = DELETE")))
        return;
    q.finish();
    if (q.exec(QStringLiteral("PRAGMA page_size = %1").arg(pageSize)) && !newFile)
        q.exec(QStringLiteral("VACUUM"));
    q.finish();
}

bool Outbox::configure(bool inMemory)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    const QString name = inMemory ? QStringLiteral(":memory:") : m_path;
    const auto unusable = [&] {
        return fail(tr("%1 is not a usable outbox: %2").arg(name, q.lastError().text()));
    };
    const auto scalar = [&](const QString &sql, QVariant *value) {
        if (!q.exec(sql) || !q.next())
            return false;
        *value = q.value(0);
        q.finish();
        return true;
    };

    // The first real read: a damaged file fails here, with SQLite's own words for it.
    QVariant objects, appId, version;
    if (!scalar(QStringLiteral("SELECT count(*) FROM sqlite_master"), &objects) ||
        !scalar(QStringLiteral("PRAGMA application_id"), &appId) ||
        !scalar(QStringLiteral("PRAGMA user_version"), &version))
        return unusable();
    // Decide whether the file is ours before writing anything to it (WAL marks the header).
    if (objects.toLongLong() > 0 && appId.toLongLong() != applicationId)
        return fail(
            tr("%1 is not an outbox: it is another application's SQLite database").arg(name));
    if (version.toInt() > schemaVersion)
        return fail(tr("%1 was written by a newer Casefile (outbox version %2, this one knows %3); "
                       "upgrade Casefile")
                        .arg(name)
                        .arg(version.toInt())
                        .arg(schemaVersion));

    if (!inMemory) {
        usePageSize(q, objects.toLongLong() == 0);
        // WAL + FULL: the WAL is synced on every commit, so a returned enqueue survives a killed
        // process and a power cut.
        QVariant mode;
        if (!scalar(QStringLiteral("PRAGMA journal_mode = WAL"), &mode))
            return unusable();
        if (!q.exec(QStringLiteral("PRAGMA synchronous = FULL")))
            return unusable();
        q.finish();
        // Debian's SQLite zeroes every deleted page (SECURE_DELETE): for a queue that deletes
        // each row once the server has it, that wrote every event twice more. FAST still clears
        // what is deleted within the pages it writes anyway.
        if (!q.exec(QStringLiteral("PRAGMA secure_delete = FAST")))
            return unusable();
        q.finish();
    }

    if (version.toInt() == 0) {
        // One transaction, so a crash while creating leaves an empty file that is created
        // again on the next open, never half a schema.
        const QStringList steps = {
            QStringLiteral("BEGIN IMMEDIATE"),
            // AUTOINCREMENT: a row id is never reused, so the order of the queue is the order of
            // the rows even after the newest ones were acknowledged.
            QStringLiteral("CREATE TABLE outbox (rid INTEGER PRIMARY KEY AUTOINCREMENT, "
                           "session TEXT NOT NULL, id TEXT NOT NULL, doc BLOB NOT NULL, "
                           "UNIQUE (session, id))"),
            QStringLiteral("CREATE INDEX outbox_by_id ON outbox (id)"),
            QStringLiteral("PRAGMA application_id = %1").arg(applicationId),
            QStringLiteral("PRAGMA user_version = %1").arg(schemaVersion),
            QStringLiteral("COMMIT"),
        };
        for (const QString &step : steps) {
            if (!q.exec(step)) {
                const bool failed = unusable();
                q.exec(QStringLiteral("ROLLBACK"));
                return failed;
            }
            q.finish();
        }
    }
    return true;
}

bool Outbox::encode(const QList<Event> &drafts, QList<QByteArray> *docs, QString *error,
                    const QList<QByteArray> &encoded)
{
    docs->clear();
    docs->reserve(drafts.size());
    for (qsizetype i = 0; i < drafts.size(); ++i) {
        if (i < encoded.size() && !encoded.at(i).isEmpty()) {
            docs->append(encoded.at(i));
            continue;
        }
        Event draft = drafts.at(i);
        draft.seq = 0;
        draft.prev.clear();
        draft.hash.clear();
        const auto checked = EventCodec::fromJson(draft.toJson(), EventCodec::Mode::Draft);
        if (!checked.ok()) {
            *error = tr("event %1 (%2): %3").arg(i + 1).arg(draft.id, checked.error.toString());
            return false;
        }
        docs->append(EventCodec::encode(checked.event));
    }
    return true;
}

bool Outbox::enqueue(const QList<Event> &drafts)
{
    m_error.clear();
    // Validate and encode everything before the transaction: a refused batch writes nothing.
    QList<QByteArray> docs;
    if (!encode(drafts, &docs, &m_error))
        return false;
    return enqueueEncoded(drafts, docs);
}

bool Outbox::enqueueEncoded(const QList<Event> &drafts, const QList<QByteArray> &docs)
{
    m_error.clear();
    if (!isOpen())
        return fail(tr("the outbox is not open"));
    if (drafts.size() != docs.size())
        return fail(QStringLiteral("enqueueEncoded: %1 drafts, %2 documents")
                        .arg(drafts.size())
                        .arg(docs.size()));
    if (drafts.isEmpty())
        return true;

    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return fail(tr("cannot write to the outbox: %1").arg(q.lastError().text()));
    q.finish();
    QSqlQuery insert(db);
    // OR IGNORE: an event queued twice (a caller retrying after a crash) keeps its first place.
    bool ok = insert.prepare(
        QStringLiteral("INSERT OR IGNORE INTO outbox (session, id, doc) VALUES (?, ?, ?)"));
    QList<Queued> stored;
    stored.reserve(drafts.size());
    for (qsizetype i = 0; ok && i < drafts.size(); ++i) {
        insert.addBindValue(drafts.at(i).session);
        insert.addBindValue(drafts.at(i).id);
        insert.addBindValue(docs.at(i));
        ok = insert.exec();
        if (ok && insert.numRowsAffected() == 1)
            stored.append({insert.lastInsertId().toLongLong(), drafts.at(i).id,
                           drafts.at(i).session, docs.at(i)});
    }
    if (ok && q.exec(QStringLiteral("COMMIT"))) {
        keepRecent(stored);
        return true;
    }
    const QString reason = ok ? q.lastError().text() : insert.lastError().text();
    insert.finish();
    q.exec(QStringLiteral("ROLLBACK"));
    return fail(tr("cannot write to the outbox: %1").arg(reason));
}

std::optional<QList<Event>> Outbox::pending(int limit) const
{
    const auto queued = pendingAfter(0, limit);
    if (!queued)
        return std::nullopt;
    QList<Event> events;
    events.reserve(queued->size());
    for (const Queued &q : *queued) {
        const auto decoded = EventCodec::decode(q.doc, EventCodec::Mode::Draft);
        if (!decoded.ok()) {
            // Only a damaged file gets here: enqueue() stores nothing the codec refuses.
            fail(tr("the queued event %1 is damaged: %2").arg(q.id, decoded.error.toString()));
            return std::nullopt;
        }
        events.append(decoded.event);
    }
    return events;
}

std::optional<QList<Outbox::Queued>> Outbox::pendingAfter(qint64 afterPosition, int limit) const
{
    m_error.clear();
    if (!isOpen()) {
        fail(tr("the outbox is not open"));
        return std::nullopt;
    }
    // What another connection queued or removed is not in what is kept here. (Nothing is kept
    // while the version cannot be read: it is tried again here.)
    if (m_recentFrom < 0 || dataVersion() != m_dataVersion)
        resetRecent();
    QList<Queued> events;
    qint64 after = afterPosition;
    if (m_recentFrom < 0 || after + 1 < m_recentFrom) {
        // From the file: the events older than those kept (often none: all acknowledged).
        QSqlQuery q(QSqlDatabase::database(m_connection, false));
        q.setForwardOnly(true);
        q.prepare(
            QStringLiteral("SELECT id, doc, rid, session FROM outbox WHERE rid > ? AND rid < ? "
                           "ORDER BY rid LIMIT ?"));
        q.addBindValue(after);
        q.addBindValue(m_recentFrom < 0 ? std::numeric_limits<qint64>::max() : m_recentFrom);
        q.addBindValue(limit < 0 ? -1 : limit);
        if (!q.exec()) {
            fail(tr("cannot read the outbox: %1").arg(q.lastError().text()));
            return std::nullopt;
        }
        while (q.next())
            events.append({q.value(2).toLongLong(), q.value(0).toString(), q.value(3).toString(),
                           q.value(1).toByteArray()});
        if (!events.isEmpty())
            after = events.constLast().position;
    }
    if (m_recentFrom >= 0) {
        for (auto it = m_recent.upper_bound(after);
             it != m_recent.end() && (limit < 0 || events.size() < limit); ++it)
            events.append(it->second);
    }
    return events;
}

bool Outbox::acknowledge(const QStringList &ids)
{
    m_error.clear();
    if (!isOpen())
        return fail(tr("the outbox is not open"));
    if (ids.isEmpty())
        return true;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    // Without an fsync of its own: a removal lost to a power cut only sends those events again,
    // and the server ignores an event it has. The next enqueue syncs it with its own, in order.
    // The agent waited a quarter of a fast command's output on these syncs (bench_e2e).
    q.exec(QStringLiteral("PRAGMA synchronous = NORMAL"));
    const auto restore = qScopeGuard([&q] { q.exec(QStringLiteral("PRAGMA synchronous = FULL")); });
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return fail(tr("cannot write to the outbox: %1").arg(q.lastError().text()));
    q.finish();
    QSqlQuery remove(db);
    bool ok = remove.prepare(QStringLiteral("DELETE FROM outbox WHERE id = ?"));
    for (const QString &id : ids) {
        if (!ok)
            break;
        remove.addBindValue(id);
        ok = remove.exec();
    }
    if (ok && q.exec(QStringLiteral("COMMIT"))) {
        for (const QString &id : ids) {
            for (const qint64 position : m_recentIds.values(id)) {
                const auto event = m_recent.find(position);
                m_recentBytes -= event->second.doc.size();
                m_recent.erase(event);
            }
            m_recentIds.remove(id);
        }
        return true;
    }
    const QString reason = ok ? q.lastError().text() : remove.lastError().text();
    remove.finish();
    q.exec(QStringLiteral("ROLLBACK"));
    return fail(tr("cannot write to the outbox: %1").arg(reason));
}

std::optional<QStringList> Outbox::sessionQueuedFrom(const QString &session,
                                                     const QString &id) const
{
    m_error.clear();
    if (!isOpen()) {
        fail(tr("the outbox is not open"));
        return std::nullopt;
    }
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT id FROM outbox WHERE session = ? AND rid >= (SELECT rid FROM "
                             "outbox WHERE session = ? AND id = ?) ORDER BY rid"));
    q.addBindValue(session);
    q.addBindValue(session);
    q.addBindValue(id);
    if (!q.exec()) {
        fail(tr("cannot read the outbox: %1").arg(q.lastError().text()));
        return std::nullopt;
    }
    QStringList ids;
    while (q.next())
        ids.append(q.value(0).toString());
    return ids;
}

qint64 Outbox::count() const
{
    if (!isOpen())
        return -1;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("SELECT count(*) FROM outbox")) || !q.next()) {
        fail(tr("cannot read the outbox: %1").arg(q.lastError().text()));
        return -1;
    }
    return q.value(0).toLongLong();
}

} // namespace casefile
