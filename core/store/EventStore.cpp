#include "EventStore.h"

#include "FtsQuery.h"
#include "Migrations.h"
#include "SqliteStatement.h"
#include "events/ChainVerifier.h"
#include "events/EventCodec.h"
#include "events/HashChain.h"
#include "events/bodies/SessionOpenedBody.h"

#include <QAtomicInt>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QScopeGuard>
#include <QSet>
#include <QSqlError>
#include <QVariant>

namespace casefile {

namespace {

QAtomicInt s_connectionCounter;

// What makes two events "the same" for de-duplication: everything the author wrote.
QByteArray authoredContent(Event event)
{
    event.seq = 0;
    event.prev.clear();
    event.hash.clear();
    return EventCodec::encode(event);
}

QString likePattern(const QString &text)
{
    QString escaped = text.toLower();
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    escaped.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

// The store files this process has open through an EventStore, and how many stores hold each.
// Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
// included: another process (`casefiled admin` beside a running server) then takes the file
// for unused, checkpoints and deletes the WAL under the open connections, and writes are lost.
// So the header is read through a descriptor of our own only while no store here has the file.
QMutex s_openFilesMutex;
QHash<QString, int> s_openFiles;

QString openFileKey(const QString &path)
{
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? info.absoluteFilePath() : canonical;
}

bool isOpenHere(const QString &key)
{
    const QMutexLocker lock(&s_openFilesMutex);
    return s_openFiles.value(key) > 0;
}

} // namespace

EventStore::EventStore()
    : m_connection(QStringLiteral("casefile-store-%1").arg(s_connectionCounter.fetchAndAddRelaxed(1)))
{
}

EventStore::~EventStore()
{
    close();
}

bool EventStore::fail(const QString &message)
{
    m_error = message;
    return false;
}

bool EventStore::failQuery(const QSqlQuery &query, const QString &what)
{
    return fail(QStringLiteral("%1: %2").arg(what, query.lastError().text()));
}

bool EventStore::isOpen() const
{
    return QSqlDatabase::contains(m_connection) && QSqlDatabase::database(m_connection, false).isOpen();
}

bool EventStore::open(const QString &path, const StoreOptions &options)
{
    close();
    m_error.clear();
    m_path = path;

    const QFileInfo info(path);
    if (info.isDir())
        return fail(QStringLiteral("%1 is a directory, not a Casefile store").arg(path));
    if (info.exists() && info.size() > 0) {
        // Check the magic first: SQLite would open anything and fail only on the first query.
        // A file a store of this process has open was checked then.
        if (!isOpenHere(openFileKey(path))) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                return fail(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
            if (file.read(16) != QByteArray("SQLite format 3\0", 16))
                return fail(QStringLiteral("%1 is not a Casefile store: it is not an SQLite database").arg(path));
        }
    } else if (options.readOnly) {
        return fail(QStringLiteral("%1 does not exist").arg(path));
    }

    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return fail(QStringLiteral("the Qt SQLite driver is missing (Debian: libqt6sql6-sqlite)"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        db.setDatabaseName(path);
        QString connectOptions = QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000");
        if (options.readOnly)
            connectOptions += QStringLiteral(";QSQLITE_OPEN_READONLY");
        db.setConnectOptions(connectOptions);
        if (!db.open()) {
            const QString reason = db.lastError().text();
            db = QSqlDatabase();
            close();
            return fail(QStringLiteral("cannot open %1: %2").arg(path, reason));
        }
    }
    if (!configure(options)) {
        const QString reason = m_error;
        close();
        return fail(reason);
    }
    m_openFileKey = openFileKey(path);
    const QMutexLocker lock(&s_openFilesMutex);
    ++s_openFiles[m_openFileKey];
    return true;
}

bool EventStore::configure(const StoreOptions &options)
{
    m_deferSearchIndex = options.deferSearchIndex;
    m_readOnly = options.readOnly;
    m_fullSync = options.durability == StoreOptions::Durability::Full;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    m_sqlite = db.driverName() == QLatin1String("QSQLITE");
    QSqlQuery q(db);
    const auto pragma = [&](const QString &sql) -> bool {
        if (q.exec(sql)) {
            q.finish();
            return true;
        }
        return fail(QStringLiteral("%1 is not a usable Casefile store: %2")
                        .arg(m_path, q.lastError().text()));
    };
    // The first real read: a damaged file fails here, with SQLite's own words for it.
    if (!pragma(QStringLiteral("SELECT count(*) FROM sqlite_master")))
        return false;
    // Before changing anything (WAL leaves its mark in the file): is this ours at all?
    QString error;
    const int version = Migrations::currentVersion(db, &error);
    if (version < 0)
        return fail(QStringLiteral("%1: %2").arg(m_path, error));
    if (version > Migrations::latestVersion())
        return fail(QStringLiteral("%1 has schema version %2, newer than this Casefile understands "
                                   "(%3); upgrade Casefile")
                        .arg(m_path)
                        .arg(version)
                        .arg(Migrations::latestVersion()));
    if (!options.readOnly) {
        if (!q.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !q.next())
            return failQuery(q, QStringLiteral("cannot switch %1 to WAL").arg(m_path));
        q.finish();
        // WAL + FULL: every commit is on disk before it returns. NORMAL: survives a crash of
        // this process (the WAL is in the OS cache) but not necessarily a power cut.
        if (!pragma(options.durability == StoreOptions::Durability::Full
                        ? QStringLiteral("PRAGMA synchronous = FULL")
                        : QStringLiteral("PRAGMA synchronous = NORMAL")))
            return false;
        // Events are never deleted; what is (the search index's merged segments, sessions'
        // tags) can be rebuilt from them. Debian's SQLite zeroes every freed page
        // (SECURE_DELETE), which rewrote the index's pages once more on every merge.
        if (!pragma(QStringLiteral("PRAGMA secure_delete = FAST")))
            return false;
    }
    if (!pragma(QStringLiteral("PRAGMA foreign_keys = ON")))
        return false;
    if (options.maxBytes > 0) {
        if (!q.exec(QStringLiteral("PRAGMA page_size")) || !q.next())
            return failQuery(q, QStringLiteral("cannot read the page size"));
        const qint64 pageSize = q.value(0).toLongLong();
        q.finish();
        if (!pragma(QStringLiteral("PRAGMA max_page_count = %1").arg(qMax<qint64>(1, options.maxBytes / pageSize))))
            return false;
    }

    if (options.readOnly) {
        if (version != Migrations::latestVersion())
            return fail(QStringLiteral("%1 has schema version %2; open it writable once to migrate it to %3")
                            .arg(m_path)
                            .arg(version)
                            .arg(Migrations::latestVersion()));
    } else if (!Migrations::migrate(db, &error)) {
        return fail(QStringLiteral("%1: %2").arg(m_path, error));
    }

    // The statements every appended event runs, straight on SQLite's C API.
    sqlite3 *handle = SqliteStatement::handleOf(db);
    if (!handle)
        return fail(QStringLiteral("%1: not an SQLite connection").arg(m_path));
    m_findById = std::make_unique<SqliteStatement>(
        handle, "SELECT seq, CAST(doc AS BLOB) FROM events WHERE session = ? AND id = ?");
    m_insertEvent = std::make_unique<SqliteStatement>(
        handle, "INSERT INTO events (session, seq, id, kind, at, hash, doc) VALUES (?, ?, ?, ?, ?, ?, ?)");
    m_indexMark = std::make_unique<SqliteStatement>(handle, "SELECT through_rid FROM search_index");
    // The last of the next `?2` events after the mark (a negative limit: all of them).
    m_indexEnd = std::make_unique<SqliteStatement>(
        handle,
        "SELECT max(rid) FROM (SELECT rid FROM events WHERE rid > ?1 ORDER BY rid LIMIT ?2)");
    m_indexRange = std::make_unique<SqliteStatement>(
        handle, "INSERT INTO event_text (rowid, text) SELECT rid, text FROM event_search_text "
                "WHERE rid > ?1 AND rid <= ?2 AND text <> ''");
    // The same, passing over documents that are not JSON (a damaged row: json_extract fails
    // on it, and the index would stop there for good).
    m_indexRangeChecked = std::make_unique<SqliteStatement>(
        handle, "INSERT INTO event_text (rowid, text) SELECT rid, text FROM event_search_text "
                "WHERE rid IN (SELECT rid FROM events WHERE rid > ?1 AND rid <= ?2 "
                "AND json_valid(CAST(doc AS TEXT))) AND text <> ''");
    m_setIndexMark =
        std::make_unique<SqliteStatement>(handle, "UPDATE search_index SET through_rid = ?");
    for (const SqliteStatement *statement :
         {m_findById.get(), m_insertEvent.get(), m_indexMark.get(), m_indexEnd.get(),
          m_indexRange.get(), m_indexRangeChecked.get(), m_setIndexMark.get()}) {
        if (!statement->isValid())
            return fail(QStringLiteral("cannot prepare statement: %1").arg(statement->errorString()));
    }
    m_findBySeq = std::make_unique<QSqlQuery>(db);
    m_loadHead = std::make_unique<QSqlQuery>(db);
    m_updateHead = std::make_unique<QSqlQuery>(db);
    return prepare(*m_findBySeq, QStringLiteral("SELECT hash, doc FROM events WHERE session = ? AND seq = ?"))
        && prepare(*m_loadHead,
                   QStringLiteral("SELECT last_seq, last_hash, closed_at FROM sessions WHERE id = ?"))
        && prepare(*m_updateHead,
                   QStringLiteral("UPDATE sessions SET last_seq = ?, last_hash = ?, closed_at = ? WHERE id = ?"));
}

bool EventStore::prepare(QSqlQuery &query, const QString &sql)
{
    if (query.prepare(sql))
        return true;
    return failQuery(query, QStringLiteral("cannot prepare statement"));
}

void EventStore::close()
{
    // Every statement goes before its connection: SQLite does not close one with statements.
    m_findById.reset();
    m_insertEvent.reset();
    m_indexMark.reset();
    m_indexEnd.reset();
    m_indexRange.reset();
    m_indexRangeChecked.reset();
    m_setIndexMark.reset();
    m_findBySeq.reset();
    m_loadHead.reset();
    m_updateHead.reset();
    if (QSqlDatabase::contains(m_connection)) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_connection, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_connection);
    }
    if (!m_openFileKey.isEmpty()) {
        const QMutexLocker lock(&s_openFilesMutex);
        if (--s_openFiles[m_openFileKey] <= 0)
            s_openFiles.remove(m_openFileKey);
        m_openFileKey.clear();
    }
}

int EventStore::schemaVersion() const
{
    if (!isOpen())
        return -1;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QString error;
    return Migrations::currentVersion(db, &error);
}

QString EventStore::pragma(const QString &name) const
{
    if (!isOpen() || name.isEmpty())
        return {};
    for (const QChar c : name) {
        if (!(c.isLower() || c == QLatin1Char('_')))
            return {};
    }
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("PRAGMA ") + name) || !q.next())
        return {};
    return q.value(0).toString();
}

std::optional<EventStore::Head> EventStore::loadHead(const QString &session)
{
    m_loadHead->addBindValue(session);
    if (!m_loadHead->exec()) {
        failQuery(*m_loadHead, QStringLiteral("cannot read session %1").arg(session));
        return std::nullopt;
    }
    Head head;
    if (m_loadHead->next()) {
        head.exists = true;
        head.lastSeq = m_loadHead->value(0).toLongLong();
        head.lastHash = m_loadHead->value(1).toString();
        head.closedAt = m_loadHead->value(2).toString();
        head.closed = !head.closedAt.isEmpty();
    }
    m_loadHead->finish();
    return head;
}

bool EventStore::insertSession(const Event &opened)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const auto body = opened.bodyAs<SessionOpenedBody>();
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral(
        "INSERT INTO sessions (id, org, client_group, endpoint, technician, title, ticket, "
        "follow_up_of, opened_at, closed_at, last_seq, last_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)"));
    insert.addBindValue(opened.session);
    insert.addBindValue(body.org);
    insert.addBindValue(body.clientGroup);
    insert.addBindValue(body.endpoint);
    insert.addBindValue(body.technician);
    insert.addBindValue(body.title);
    insert.addBindValue(body.ticket.value_or(QStringLiteral("")));
    insert.addBindValue(body.followUpOf.value_or(QStringLiteral("")));
    insert.addBindValue(opened.at);
    insert.addBindValue(opened.seq);
    insert.addBindValue(opened.hash);
    if (!insert.exec())
        return failQuery(insert, QStringLiteral("cannot index session"));
    QSqlQuery tag(db);
    tag.prepare(QStringLiteral("INSERT INTO session_tags (session, tag) VALUES (?, ?)"));
    for (const QString &t : QSet<QString>(body.tags.cbegin(), body.tags.cend())) {
        tag.addBindValue(opened.session);
        tag.addBindValue(t);
        if (!tag.exec())
            return failQuery(tag, QStringLiteral("cannot index tag"));
    }
    return true;
}

EventStore::Head *EventStore::headOf(const QString &session, QHash<QString, Head> &heads,
                                     QString *error)
{
    auto it = heads.find(session);
    if (it == heads.end()) {
        const auto head = loadHead(session);
        if (!head) {
            m_storageFailure = true;
            *error = m_error;
            return nullptr;
        }
        it = heads.insert(session, *head);
    }
    return &it.value();
}

// The one way a sealed event gets into the store, for append() and storeSealed() alike: the
// row, its full-text entry, the sessions index for session.opened, and the in-memory head
// (written back once per batch by writeBatch).
QString EventStore::insertSealed(const Event &sealed, const QByteArray &document, Head &head)
{
    m_insertEvent->bind(sealed.session).bind(sealed.seq).bind(sealed.id).bind(eventKindName(sealed.kind));
    m_insertEvent->bind(sealed.at).bind(sealed.hash).bind(QByteArrayView(document));
    m_insertEvent->next();
    if (const QString error = m_insertEvent->finish(); !error.isEmpty()) {
        m_storageFailure = true;
        return QStringLiteral("cannot store the event: ") + error;
    }
    if (sealed.kind == EventKind::SessionOpened) {
        if (!insertSession(sealed)) {
            m_storageFailure = true;
            return m_error;
        }
        head.exists = true;
    }
    if (sealed.kind == EventKind::SessionClosed) {
        head.closed = true;
        head.closedAt = sealed.at;
    }
    head.lastSeq = sealed.seq;
    head.lastHash = sealed.hash;
    head.dirty = true;
    return {};
}

QString EventStore::appendOne(const Event &draft, const EnvelopeParts *parts, QHash<QString, Head> &heads, Event *sealed,
                              bool *duplicate, QByteArray *document)
{
    *duplicate = false;
    // The stored document of this id, if there is one.
    std::optional<QByteArray> stored;
    m_findById->bind(draft.session).bind(draft.id);
    if (m_findById->next())
        stored = m_findById->bytes(1);
    if (const QString error = m_findById->finish(); !error.isEmpty()) {
        m_storageFailure = true;
        return QStringLiteral("cannot look up the event: ") + error;
    }
    if (stored) {
        const auto decoded = EventCodec::decode(*stored, EventCodec::Mode::Sealed);
        if (!decoded.ok())
            return QStringLiteral("the stored event with this id is damaged: ") + decoded.error.toString();
        if (authoredContent(decoded.event) != authoredContent(draft))
            return QStringLiteral("event id %1 is already used by a different event").arg(draft.id);
        *sealed = decoded.event;
        *duplicate = true;
        *document = *stored;
        return {};
    }

    QString error;
    Head *head = headOf(draft.session, heads, &error);
    if (!head)
        return error;
    if (!head->exists && draft.kind != EventKind::SessionOpened) {
        m_sessionRefused = true;
        return QStringLiteral("unknown session %1 (its first event must be session.opened)").arg(draft.session);
    }
    if (head->exists && draft.kind == EventKind::SessionOpened)
        return QStringLiteral("session %1 is already open").arg(draft.session);
    if (head->closed) {
        m_sessionRefused = true;
        return QStringLiteral("session %1 is closed; nothing more can be added").arg(draft.session);
    }

    *sealed = draft;
    const QString prev = head->exists ? head->lastHash : HashChain::genesis();
    *document = parts ? HashChain::seal(*sealed, head->lastSeq + 1, prev, *parts)
                      : HashChain::seal(*sealed, head->lastSeq + 1, prev);
    // What is stored must decode again everywhere, or the session would no longer verify.
    if (document->size() > EventCodec::maxSealedEventBytes) {
        m_tooLarge = true;
        return QStringLiteral("the event is %1 bytes once sealed, more than the limit of %2 (raw "
                              "control characters take six bytes each)")
            .arg(document->size())
            .arg(EventCodec::maxSealedEventBytes);
    }
    return insertSealed(*sealed, *document, *head);
}

QString EventStore::storeSealedOne(const Event &event, const EnvelopeParts *, QHash<QString, Head> &heads, Event *stored,
                                   bool *duplicate, QByteArray *document)
{
    *duplicate = false;
    QString error;
    Head *head = headOf(event.session, heads, &error);
    if (!head)
        return error;

    if (event.seq <= head->lastSeq) {
        // Already have that seq: the very same event again (a replay overlap) or another one.
        m_findBySeq->addBindValue(event.session);
        m_findBySeq->addBindValue(event.seq);
        if (!m_findBySeq->exec()) {
            m_storageFailure = true;
            return QStringLiteral("cannot look up seq %1: %2")
                .arg(event.seq)
                .arg(m_findBySeq->lastError().text());
        }
        if (!m_findBySeq->next()) {
            m_findBySeq->finish();
            return QStringLiteral("seq %1 is missing from the local record of session %2, whose "
                                  "head is seq %3")
                .arg(event.seq)
                .arg(event.session)
                .arg(head->lastSeq);
        }
        const QString storedHash = m_findBySeq->value(0).toString();
        const QByteArray doc = m_findBySeq->value(1).toByteArray();
        m_findBySeq->finish();
        if (storedHash != event.hash)
            return QStringLiteral("seq %1 of session %2 is already stored as a different event "
                                  "(hash %3…, this one %4…): the records differ")
                .arg(event.seq)
                .arg(event.session, storedHash.left(12), event.hash.left(12));
        // The hash covers everything, and the event's content was checked against it.
        *stored = event;
        *duplicate = true;
        *document = doc;
        return {};
    }

    if (event.seq != head->lastSeq + 1)
        return QStringLiteral(
                   "seq %1 does not continue session %2: the local record ends at seq %3")
            .arg(event.seq)
            .arg(event.session)
            .arg(head->lastSeq);
    if (!head->exists) {
        if (event.kind != EventKind::SessionOpened)
            return QStringLiteral("seq 1 of session %1 must be session.opened, not %2")
                .arg(event.session, eventKindName(event.kind));
        if (event.prev != HashChain::genesis())
            return QStringLiteral("seq 1 of session %1 must have the genesis prev")
                .arg(event.session);
    } else {
        if (event.kind == EventKind::SessionOpened)
            return QStringLiteral("seq %1 of session %2 is a second session.opened")
                .arg(event.seq)
                .arg(event.session);
        if (head->closed)
            return QStringLiteral("seq %1: session %2 is closed at seq %3; nothing can follow")
                .arg(event.seq)
                .arg(event.session)
                .arg(head->lastSeq);
        if (event.prev != head->lastHash)
            return QStringLiteral("seq %1 does not link to seq %2 of session %3: its prev is not "
                                  "that event's hash")
                .arg(event.seq)
                .arg(head->lastSeq)
                .arg(event.session);
    }

    // The chain is fine but the id is taken: refuse it here rather than as a constraint error.
    m_findById->bind(event.session).bind(event.id);
    const qint64 other = m_findById->next() ? m_findById->int64(0) : 0;
    if (const QString error = m_findById->finish(); !error.isEmpty()) {
        m_storageFailure = true;
        return QStringLiteral("cannot look up the event: ") + error;
    }
    if (other > 0)
        return QStringLiteral("seq %1: event id %2 is already stored at seq %3")
            .arg(event.seq)
            .arg(event.id)
            .arg(other);

    *stored = event;
    *document = EventCodec::encode(event);
    return insertSealed(*stored, *document, *head);
}

AppendResult EventStore::append(const QList<Event> &drafts, Drafts given)
{
    return writeBatch(drafts, Input::Drafts, &EventStore::appendOne, given == Drafts::Unchecked);
}

AppendResult EventStore::append(const QList<Event> &drafts, Drafts given, const QList<EnvelopeParts> &parts)
{
    Q_ASSERT(parts.size() == drafts.size());
    return writeBatch(drafts, Input::Drafts, &EventStore::appendOne, given == Drafts::Unchecked, parts);
}

AppendResult EventStore::storeSealed(const QList<Event> &events)
{
    return writeBatch(events, Input::Sealed, &EventStore::storeSealedOne, true);
}

AppendResult EventStore::writeBatch(const QList<Event> &events, Input input, BatchStep step,
                                    bool check, const QList<EnvelopeParts> &parts)
{
    AppendResult result;
    if (!isOpen()) {
        result.error = QStringLiteral("the store is not open");
        return result;
    }
    const auto label = [&](int i, const Event &e) {
        return input == Input::Drafts
                   ? QStringLiteral("event %1 (%2)").arg(i).arg(e.id)
                   : QStringLiteral("event %1 (seq %2, %3)").arg(i).arg(e.seq).arg(e.id);
    };
    // Validate everything before touching the database.
    QList<Event> clean;
    clean.reserve(events.size());
    for (int i = 0; i < events.size(); ++i) {
        Event e = events.at(i);
        if (input == Input::Drafts) {
            // The server assigns seq/prev/hash.
            e.seq = 0;
            e.prev.clear();
            e.hash.clear();
        }
        if (!check) {
            clean.append(std::move(e));
            continue;
        }
        const auto checked =
            EventCodec::fromJson(e.toJson(), input == Input::Drafts ? EventCodec::Mode::Draft
                                                                    : EventCodec::Mode::Sealed);
        if (!checked.ok()) {
            result.failedIndex = i;
            result.error =
                QStringLiteral("%1 is invalid: %2").arg(label(i, e), checked.error.toString());
            return result;
        }
        // Sealed elsewhere: its content must be what its hash says, before any chain check.
        if (input == Input::Sealed && HashChain::computeHash(e) != e.hash) {
            result.failedIndex = i;
            result.error =
                QStringLiteral("%1: its content does not match its hash").arg(label(i, e));
            return result;
        }
        clean.append(std::move(e));
    }
    if (clean.isEmpty()) {
        result.ok = true;
        return result;
    }

    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery control(db);
    if (!control.exec(m_sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"))) {
        result.error = QStringLiteral("cannot start a transaction: ") + control.lastError().text();
        result.storageFailure = true;
        return result;
    }
    m_storageFailure = false;
    m_sessionRefused = false;
    m_tooLarge = false;
    const auto rollback = [&](const QString &error, int index) {
        result.storageFailure = m_storageFailure || index < 0;
        result.sessionRefused = m_sessionRefused && !result.storageFailure;
        result.tooLarge = m_tooLarge && !result.storageFailure;
        QSqlQuery undo(db);
        undo.exec(QStringLiteral("ROLLBACK"));
        result.ok = false;
        result.error = error;
        result.failedIndex = index;
        result.events.clear();
        result.duplicate.clear();
        result.documents.clear();
        return result;
    };

    QHash<QString, Head> heads;
    result.events.reserve(clean.size());
    result.duplicate.reserve(clean.size());
    result.documents.reserve(clean.size());
    for (int i = 0; i < clean.size(); ++i) {
        Event stored;
        bool duplicate = false;
        QByteArray document;
        const EnvelopeParts *ahead = parts.size() == clean.size() ? &parts.at(i) : nullptr;
        const QString error = (this->*step)(clean.at(i), ahead, heads, &stored, &duplicate, &document);
        if (!error.isEmpty())
            return rollback(QStringLiteral("%1: %2").arg(label(i, clean.at(i)), error), i);
        result.events.append(std::move(stored));
        result.duplicate.append(duplicate);
        result.documents.append(document);
    }
    for (auto it = heads.cbegin(); it != heads.cend(); ++it) {
        if (!it->dirty)
            continue;
        m_updateHead->addBindValue(it->lastSeq);
        m_updateHead->addBindValue(it->lastHash);
        // A null QString binds as SQL NULL; the column is NOT NULL with '' for "still open".
        m_updateHead->addBindValue(it->closedAt.isNull() ? QStringLiteral("") : it->closedAt);
        m_updateHead->addBindValue(it.key());
        if (!m_updateHead->exec())
            return rollback(QStringLiteral("cannot update session %1: %2").arg(it.key(), m_updateHead->lastError().text()), -1);
    }
    if (!m_deferSearchIndex && indexAfterMark(-1) < 0)
        return rollback(m_error, -1);
    if (!control.exec(QStringLiteral("COMMIT")))
        return rollback(QStringLiteral("cannot commit: ") + control.lastError().text(), -1);
    result.ok = true;
    return result;
}

qint64 EventStore::indexAfterMark(qint64 maxEvents)
{
    const auto failed = [&](const QString &what, const QString &error) {
        m_error = QStringLiteral("cannot %1: %2").arg(what, error);
        return qint64(-1);
    };
    m_indexMark->next();
    const qint64 mark = m_indexMark->int64(0);
    if (const QString error = m_indexMark->finish(); !error.isEmpty())
        return failed(QStringLiteral("read the search index's mark"), error);
    m_indexEnd->bind(mark).bind(maxEvents < 0 ? qint64(-1) : maxEvents);
    m_indexEnd->next();
    const qint64 end = m_indexEnd->int64(0); // NULL, read as 0: nothing after the mark
    if (const QString error = m_indexEnd->finish(); !error.isEmpty())
        return failed(QStringLiteral("find the events to index"), error);
    if (end <= mark)
        return 0;
    m_indexRange->bind(mark).bind(end);
    m_indexRange->next();
    if (const QString error = m_indexRange->finish(); !error.isEmpty()) {
        // A failed statement leaves nothing of itself behind. Unless the failure ended the
        // whole transaction (a full disk), try once more without the rows that are not JSON;
        // anything else fails again and is reported.
        if (!m_indexRangeChecked->inTransaction())
            return failed(QStringLiteral("index events for search"), error);
        m_indexRangeChecked->bind(mark).bind(end);
        m_indexRangeChecked->next();
        if (const QString again = m_indexRangeChecked->finish(); !again.isEmpty())
            return failed(QStringLiteral("index events for search"), again);
    }
    m_setIndexMark->bind(end);
    m_setIndexMark->next();
    if (const QString error = m_setIndexMark->finish(); !error.isEmpty())
        return failed(QStringLiteral("move the search index's mark"), error);
    return end - mark;
}

qint64 EventStore::indexSearchText(qint64 maxEvents)
{
    if (!isOpen()) {
        fail(QStringLiteral("the store is not open"));
        return -1;
    }
    if (m_readOnly)
        return 0;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery control(db);
    // The index can be rebuilt from the events: its commits need not wait for the disk. A
    // later synchronous commit syncs the WAL with them, in order, so none is half there.
    if (m_fullSync)
        control.exec(QStringLiteral("PRAGMA synchronous = NORMAL"));
    const auto restore = qScopeGuard([&] {
        if (m_fullSync)
            control.exec(QStringLiteral("PRAGMA synchronous = FULL"));
    });
    if (!control.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
        fail(QStringLiteral("cannot start a transaction: ") + control.lastError().text());
        return -1;
    }
    const qint64 covered = indexAfterMark(maxEvents);
    if (covered < 0 || !control.exec(QStringLiteral("COMMIT"))) {
        if (covered >= 0)
            m_error = QStringLiteral("cannot commit: ") + control.lastError().text();
        control.exec(QStringLiteral("ROLLBACK"));
        return -1;
    }
    return covered;
}

qint64 EventStore::searchIndexBacklog(qint64 *bytes) const
{
    if (!isOpen())
        return -1;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral(
            "SELECT count(*) FROM events WHERE rid > (SELECT through_rid FROM search_index)")) ||
        !q.next())
        return -1;
    const qint64 events = q.value(0).toLongLong();
    if (bytes) {
        *bytes = 0;
        if (events > 0) {
            if (!q.exec(QStringLiteral(
                    "SELECT avg(length(CAST(doc AS BLOB))) FROM (SELECT doc FROM events"
                    " WHERE rid > (SELECT through_rid FROM search_index)"
                    " ORDER BY rid DESC LIMIT 100)")) ||
                !q.next())
                return -1;
            *bytes = qint64(q.value(0).toDouble() * double(events));
        }
    }
    return events;
}

std::optional<QList<QByteArray>> EventStore::readRaw(const QString &session, qint64 afterSeq, int limit)
{
    if (!isOpen()) {
        fail(QStringLiteral("the store is not open"));
        return std::nullopt;
    }
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT doc FROM events WHERE session = ? AND seq > ? ORDER BY seq LIMIT ?"));
    q.addBindValue(session);
    q.addBindValue(afterSeq);
    q.addBindValue(limit);
    if (!q.exec()) {
        failQuery(q, QStringLiteral("cannot read session %1").arg(session));
        return std::nullopt;
    }
    QList<QByteArray> docs;
    while (q.next())
        docs.append(q.value(0).toByteArray());
    if (q.lastError().isValid()) {
        failQuery(q, QStringLiteral("cannot read session %1").arg(session));
        return std::nullopt;
    }
    return docs;
}

std::optional<QList<EventStore::RawEvent>> EventStore::readRawKind(const QString &session, EventKind kind,
                                                                  bool exclude, qint64 afterSeq, int limit)
{
    return readRawKinds(session, {kind}, exclude, afterSeq, limit);
}

std::optional<QList<EventStore::RawEvent>> EventStore::readRawKinds(const QString &session,
                                                                   const QList<EventKind> &kinds,
                                                                   bool exclude, qint64 afterSeq,
                                                                   int limit)
{
    if (!isOpen()) {
        fail(QStringLiteral("the store is not open"));
        return std::nullopt;
    }
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    QStringList marks;
    for (qsizetype i = 0; i < kinds.size(); ++i)
        marks.append(QStringLiteral("?"));
    // CAST to BLOB hands the UTF-8 bytes over as they are, without a detour through QString.
    // An empty list: every kind, or none when excluding.
    const QString kindClause = kinds.isEmpty()
                                   ? QString()
                                   : QStringLiteral(" AND kind %1 (%2)")
                                         .arg(exclude ? QStringLiteral("NOT IN") : QStringLiteral("IN"),
                                              marks.join(QLatin1Char(',')));
    q.prepare(QStringLiteral("SELECT seq, CAST(doc AS BLOB) FROM events WHERE session = ? AND seq > ?")
              + kindClause + QStringLiteral(" ORDER BY seq LIMIT ?"));
    q.addBindValue(session);
    q.addBindValue(afterSeq);
    for (const EventKind kind : kinds)
        q.addBindValue(eventKindName(kind));
    q.addBindValue(limit);
    if (!q.exec()) {
        failQuery(q, QStringLiteral("cannot read session %1").arg(session));
        return std::nullopt;
    }
    QList<RawEvent> rows;
    while (q.next())
        rows.append({q.value(0).toLongLong(), q.value(1).toByteArray()});
    if (q.lastError().isValid()) {
        failQuery(q, QStringLiteral("cannot read session %1").arg(session));
        return std::nullopt;
    }
    return rows;
}

std::optional<QList<Event>> EventStore::read(const QString &session, qint64 afterSeq, int limit)
{
    const auto docs = readRaw(session, afterSeq, limit);
    if (!docs)
        return std::nullopt;
    QList<Event> events;
    events.reserve(docs->size());
    for (const QByteArray &doc : *docs) {
        auto decoded = EventCodec::decode(doc, EventCodec::Mode::Sealed);
        if (!decoded.ok()) {
            fail(QStringLiteral("session %1: the event after seq %2 is damaged: %3")
                     .arg(session)
                     .arg(afterSeq + events.size())
                     .arg(decoded.error.toString()));
            return std::nullopt;
        }
        events.append(std::move(decoded.event));
    }
    return events;
}

namespace {
SessionInfo sessionFromRow(const QSqlQuery &q)
{
    SessionInfo s;
    s.id = q.value(0).toString();
    s.org = q.value(1).toString();
    s.clientGroup = q.value(2).toString();
    s.endpoint = q.value(3).toString();
    s.technician = q.value(4).toString();
    s.title = q.value(5).toString();
    s.ticket = q.value(6).toString();
    s.followUpOf = q.value(7).toString();
    s.openedAt = q.value(8).toString();
    s.closedAt = q.value(9).toString();
    s.lastSeq = q.value(10).toLongLong();
    s.lastHash = q.value(11).toString();
    return s;
}

const QString kSessionColumns = QStringLiteral(
    "id, org, client_group, endpoint, technician, title, ticket, follow_up_of, opened_at, "
    "closed_at, last_seq, last_hash");
} // namespace

std::optional<QList<SessionInfo>> EventStore::sessions(const SessionFilter &filter)
{
    if (!isOpen()) {
        fail(QStringLiteral("the store is not open"));
        return std::nullopt;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QStringList where;
    QVariantList binds;
    const auto equals = [&](const char *column, const QString &value) {
        if (value.isEmpty())
            return;
        where.append(QLatin1String(column) + QStringLiteral(" = ?"));
        binds.append(value);
    };
    equals("org", filter.org);
    equals("client_group", filter.clientGroup);
    equals("endpoint", filter.endpoint);
    equals("technician", filter.technician);
    if (!filter.tag.isEmpty()) {
        where.append(QStringLiteral("id IN (SELECT session FROM session_tags WHERE tag = ?)"));
        binds.append(filter.tag);
    }
    if (!filter.text.isEmpty()) {
        where.append(QStringLiteral("(lower(title) LIKE ? ESCAPE '\\' OR lower(ticket) LIKE ? ESCAPE '\\')"));
        binds.append(likePattern(filter.text));
        binds.append(likePattern(filter.text));
    }
    if (!filter.openedFrom.isEmpty()) {
        where.append(QStringLiteral("opened_at >= ?"));
        binds.append(filter.openedFrom);
    }
    if (!filter.openedTo.isEmpty()) {
        where.append(QStringLiteral("opened_at < ?"));
        binds.append(filter.openedTo);
    }
    if (filter.liveOnly)
        where.append(QStringLiteral("closed_at = ''"));

    QString sql = QStringLiteral("SELECT ") + kSessionColumns + QStringLiteral(" FROM sessions");
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    sql += QStringLiteral(" ORDER BY opened_at DESC, id LIMIT ? OFFSET ?");
    binds.append(filter.limit);
    binds.append(filter.offset);

    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    if (!q.exec()) {
        failQuery(q, QStringLiteral("cannot list sessions"));
        return std::nullopt;
    }
    QList<SessionInfo> list;
    while (q.next())
        list.append(sessionFromRow(q));

    if (!loadTags(list))
        return std::nullopt;
    return list;
}

std::optional<SessionInfo> EventStore::session(const QString &id, bool *missing)
{
    if (missing)
        *missing = false;
    if (!isOpen()) {
        fail(QStringLiteral("the store is not open"));
        return std::nullopt;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT ") + kSessionColumns + QStringLiteral(" FROM sessions WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec()) {
        failQuery(q, QStringLiteral("cannot read session %1").arg(id));
        return std::nullopt;
    }
    if (!q.next()) {
        if (q.lastError().isValid()) { // a failed step, not the end of the rows
            failQuery(q, QStringLiteral("cannot read session %1").arg(id));
            return std::nullopt;
        }
        if (missing)
            *missing = true;
        fail(QStringLiteral("no session %1").arg(id));
        return std::nullopt;
    }
    QList<SessionInfo> one{sessionFromRow(q)};
    if (!loadTags(one))
        return std::nullopt;
    return one.first();
}

bool EventStore::loadTags(QList<SessionInfo> &sessions)
{
    QSqlQuery tags(QSqlDatabase::database(m_connection, false));
    tags.prepare(QStringLiteral("SELECT tag FROM session_tags WHERE session = ? ORDER BY tag"));
    for (SessionInfo &s : sessions) {
        tags.addBindValue(s.id);
        if (!tags.exec())
            return failQuery(tags, QStringLiteral("cannot read tags"));
        while (tags.next())
            s.tags.append(tags.value(0).toString());
    }
    return true;
}

std::optional<QList<SearchHit>> EventStore::search(const SearchQuery &query)
{
    if (!isOpen()) {
        fail(QStringLiteral("the store is not open"));
        return std::nullopt;
    }
    const QString match = FtsQuery::fromUserText(query.text);
    if (match.isEmpty())
        return QList<SearchHit>();
    if (indexSearchText() < 0)
        return std::nullopt;

    QString sql = QStringLiteral(
        "SELECT e.session, e.seq, e.kind, snippet(event_text, 0, ?, ?, ?, 16), json_extract(e.doc, '$.body.command') "
        "FROM event_text JOIN events e ON e.rid = event_text.rowid ");
    QVariantList binds{QString(QChar(SearchHit::markStart)), QString(QChar(SearchHit::markEnd)),
                       QStringLiteral("…")};
    const bool bySession = !query.org.isEmpty() || !query.clientGroup.isEmpty() || !query.endpoint.isEmpty()
                           || !query.technician.isEmpty() || !query.tag.isEmpty() || !query.openedFrom.isEmpty()
                           || !query.openedTo.isEmpty();
    if (bySession)
        sql += QStringLiteral("JOIN sessions s ON s.id = e.session ");
    sql += QStringLiteral("WHERE event_text MATCH ? ");
    binds.append(match);
    const auto where = [&](const char *condition, const QString &value) {
        if (value.isEmpty())
            return;
        sql += QStringLiteral("AND ") + QLatin1String(condition) + QLatin1Char(' ');
        binds.append(value);
    };
    where("s.org = ?", query.org);
    where("s.client_group = ?", query.clientGroup);
    where("s.endpoint = ?", query.endpoint);
    where("s.technician = ?", query.technician);
    where("s.id IN (SELECT session FROM session_tags WHERE tag = ?)", query.tag);
    where("s.opened_at >= ?", query.openedFrom);
    where("s.opened_at < ?", query.openedTo);
    where("e.session = ?", query.session);
    sql += QStringLiteral("ORDER BY event_text.rowid DESC LIMIT ? OFFSET ?");
    binds.append(query.limit);
    binds.append(query.offset);

    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    if (!q.exec()) {
        failQuery(q, QStringLiteral("search failed"));
        return std::nullopt;
    }
    QList<SearchHit> hits;
    while (q.next()) {
        SearchHit hit;
        hit.session = q.value(0).toString();
        hit.seq = q.value(1).toLongLong();
        hit.kind = eventKindFromName(q.value(2).toString()).value_or(EventKind::NoteAdded);
        hit.snippet = q.value(3).toString();
        hit.command = q.value(4).toString();
        hits.append(hit);
    }
    return hits;
}

ChainReport EventStore::verify(const QString &session)
{
    ChainVerifier verifier(session);
    ChainReport report;
    const auto broken = [&](ChainReport::Problem problem, qint64 seq, const QString &message) {
        report.ok = false;
        report.problem = problem;
        report.firstBadSeq = seq;
        report.message = message;
        return report;
    };
    if (!isOpen())
        return broken(ChainReport::Problem::Undecodable, 1, QStringLiteral("the store is not open"));

    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT doc FROM events WHERE session = ? ORDER BY seq"));
    q.addBindValue(session);
    if (!q.exec())
        return broken(ChainReport::Problem::Undecodable, 1, q.lastError().text());
    while (q.next()) {
        if (!verifier.addRaw(q.value(0).toByteArray()))
            return verifier.report();
    }
    if (q.lastError().isValid())
        return broken(ChainReport::Problem::Undecodable, verifier.report().eventsChecked + 1,
                      q.lastError().text());
    report = verifier.report();

    const auto info = this->session(session);
    if (!info)
        return report.eventsChecked == 0
            ? broken(ChainReport::Problem::SeqGap, 1, QStringLiteral("no such session"))
            : broken(ChainReport::Problem::SeqGap, 1, QStringLiteral("events without a session index entry"));
    if (info->lastSeq != report.eventsChecked)
        return broken(ChainReport::Problem::SeqGap, report.eventsChecked + 1,
                      QStringLiteral("the record ends at seq %1 but the session's head is seq %2")
                          .arg(report.eventsChecked)
                          .arg(info->lastSeq));
    if (info->lastHash != report.lastHash)
        return broken(ChainReport::Problem::HashMismatch, report.eventsChecked,
                      QStringLiteral("the last event does not match the session's head hash"));
    return report;
}

} // namespace casefile
