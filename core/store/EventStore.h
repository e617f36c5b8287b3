#pragma once

#include "AppendResult.h"
#include "SearchHit.h"
#include "SearchQuery.h"
#include "SessionFilter.h"
#include "SessionInfo.h"
#include "StoreOptions.h"
#include "events/ChainReport.h"
#include "events/EnvelopeParts.h"
#include "events/Event.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <memory>
#include <optional>

namespace casefile {

class SqliteStatement;

// The durable session record on QtSql (SQLite by default). Appends are atomic per batch,
// idempotent on (session, id), sealed into the hash chain and committed before they return:
// a returned append is never lost. Not thread-safe: one EventStore per thread.
class EventStore
{
public:
    EventStore();
    ~EventStore();
    EventStore(const EventStore &) = delete;
    EventStore &operator=(const EventStore &) = delete;

    // Opens (creating if needed) and migrates the store at `path`. On failure errorString()
    // says why in words a person can act on; nothing is changed in a file that is not a store.
    bool open(const QString &path, const StoreOptions &options = {});
    void close();
    bool isOpen() const;
    QString path() const { return m_path; }
    QString errorString() const { return m_error; }
    int schemaVersion() const;
    // The value of an SQLite PRAGMA on this store's own connection (journal_mode, synchronous,
    // page_count …), for diagnostics. Empty when the name is not a plain pragma name.
    QString pragma(const QString &name) const;

    // Seals and stores `drafts` in one transaction: all or nothing. Events whose (session, id)
    // is already stored with the same content come back as duplicates with their original seq;
    // the same id with different content is refused.
    // `drafts` are checked with the strict codec first, unless the caller has just decoded
    // each of them with EventCodec in Draft mode (the server's appends): checking again would
    // only repeat that, at a sixth of the server's time per event.
    enum class Drafts
    {
        Unchecked,
        Decoded
    };
    AppendResult append(const QList<Event> &drafts, Drafts given = Drafts::Unchecked);
    // The same, with each draft's envelope encoded ahead (EnvelopeParts::of, one per draft) so
    // sealing here only hashes and joins: for the server, whose store runs on its own thread.
    AppendResult append(const QList<Event> &drafts, Drafts given, const QList<EnvelopeParts> &parts);

    // Stores events the server has already sealed, byte for byte as sealed (never re-sealed):
    // for mirrors and client caches. All or nothing, in one transaction. Each event must
    // continue its session's local chain exactly: seq = head + 1 and prev = the head's hash
    // (seq 1: prev = genesis and kind session.opened), and its content must hash to its hash.
    // An event already stored at its seq with the same hash is skipped (`duplicate`); anything
    // else at a stored seq, a gap, a broken link or a forged hash refuses the whole batch with
    // an error naming the seq. `events` and `documents` are as for append().
    AppendResult storeSealed(const QList<Event> &events);

    // Events of a session with seq in (afterSeq, afterSeq + limit], in order.
    std::optional<QList<Event>> read(const QString &session, qint64 afterSeq = 0, int limit = 1000);
    // The stored canonical JSON of the same events, for relaying without re-encoding.
    std::optional<QList<QByteArray>> readRaw(const QString &session, qint64 afterSeq = 0,
                                             int limit = 1000);
    // The stored documents of the events of one kind only (or, with `exclude`, of every other
    // kind) with seq > afterSeq, in seq order, at most `limit`: lets a viewer read a session's
    // many output chunks apart from the few events it decodes.
    struct RawEvent
    {
        qint64 seq = 0;
        QByteArray doc;
    };
    std::optional<QList<RawEvent>> readRawKind(const QString &session, EventKind kind, bool exclude,
                                               qint64 afterSeq = 0, int limit = 1000);
    // The same for several kinds: events of any of them (or of none of them, `exclude`).
    std::optional<QList<RawEvent>> readRawKinds(const QString &session, const QList<EventKind> &kinds,
                                                bool exclude, qint64 afterSeq = 0, int limit = 1000);

    // nullopt when there is no such session (then *missing is set, if given) or it cannot be
    // read (errorString()).
    std::optional<SessionInfo> session(const QString &id, bool *missing = nullptr);
    std::optional<QList<SessionInfo>> sessions(const SessionFilter &filter);
    // Completes the full-text index first (see indexSearchText), unless the store is read-only:
    // a search finds every event stored before it.
    std::optional<QList<SearchHit>> search(const SearchQuery &query);

    // Adds the events stored since the full-text index was last completed, the oldest
    // `maxEvents` of them (all when < 0), in a transaction of its own. Returns how many events
    // it covered (0: the index was complete), -1 on an error. Needed only with
    // StoreOptions::deferSearchIndex; otherwise every append completes the index itself.
    qint64 indexSearchText(qint64 maxEvents = -1);
    // Events not yet in the full-text index, -1 on an error; with `bytes`, also about how long
    // their documents are (from the newest 100 of them: a store upgraded with no index at all
    // would otherwise be read whole).
    qint64 searchIndexBacklog(qint64 *bytes = nullptr) const;

    // Walks the whole chain of a session and checks its head against the sessions index, so
    // a dropped last event is caught too.
    ChainReport verify(const QString &session);

private:
    struct Head
    {
        bool exists = false;
        bool closed = false;
        qint64 lastSeq = 0;
        QString lastHash;
        QString closedAt;
        bool dirty = false;
    };

    bool configure(const StoreOptions &options);
    bool loadTags(QList<SessionInfo> &sessions);
    bool prepare(QSqlQuery &query, const QString &sql);
    bool fail(const QString &message);
    bool failQuery(const QSqlQuery &query, const QString &what);
    // One event of a batch: stores it (or recognises it as a duplicate) and returns an empty
    // string, or says why it is refused. Sets m_storageFailure when the database failed.
    // `parts`: the event's envelope encoded ahead, or null.
    using BatchStep = QString (EventStore::*)(const Event &event, const EnvelopeParts *parts,
                                              QHash<QString, Head> &heads, Event *stored,
                                              bool *duplicate, QByteArray *document);
    enum class Input
    {
        Drafts,
        Sealed
    };

    std::optional<Head> loadHead(const QString &session);
    Head *headOf(const QString &session, QHash<QString, Head> &heads, QString *error);
    bool insertSession(const Event &opened);
    QString insertSealed(const Event &sealed, const QByteArray &document, Head &head);
    QString appendOne(const Event &draft, const EnvelopeParts *parts, QHash<QString, Head> &heads,
                      Event *sealed, bool *duplicate, QByteArray *document);
    QString storeSealedOne(const Event &event, const EnvelopeParts *parts,
                           QHash<QString, Head> &heads, Event *stored, bool *duplicate,
                           QByteArray *document);
    // Indexes events after search_index's mark, at most `maxEvents` (all when < 0), and moves
    // the mark: inside the caller's transaction. Returns how many events it covered, or -1
    // with m_error set.
    qint64 indexAfterMark(qint64 maxEvents);
    AppendResult writeBatch(const QList<Event> &events, Input input, BatchStep step, bool check,
                            const QList<EnvelopeParts> &parts = {});

    QString m_connection;
    QString m_path;
    QString m_error;
    bool m_sqlite = true;
    QString m_openFileKey; // while open: the file, as counted in the process's open stores
    bool m_storageFailure = false; // set by a BatchStep when the database, not the event, failed
    bool m_sessionRefused = false; // set by a BatchStep when no event of that session can be added
    bool m_tooLarge = false;       // set by a BatchStep when the sealed event outgrows the limit
    // The statements every appended event runs, straight on SQLite's C API.
    std::unique_ptr<SqliteStatement> m_findById;
    std::unique_ptr<SqliteStatement> m_insertEvent;
    // The full-text index's statements (indexAfterMark).
    std::unique_ptr<SqliteStatement> m_indexMark;
    std::unique_ptr<SqliteStatement> m_indexEnd;
    std::unique_ptr<SqliteStatement> m_indexRange;
    std::unique_ptr<SqliteStatement> m_indexRangeChecked;
    std::unique_ptr<SqliteStatement> m_setIndexMark;
    bool m_deferSearchIndex = false;
    bool m_readOnly = false;
    bool m_fullSync = true;
    std::unique_ptr<QSqlQuery> m_findBySeq;
    std::unique_ptr<QSqlQuery> m_loadHead;
    std::unique_ptr<QSqlQuery> m_updateHead;
};

} // namespace casefile
