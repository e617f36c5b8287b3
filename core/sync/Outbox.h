#pragma once

#include "events/Event.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>

class QSqlQuery;

namespace casefile {

// Draft events waiting for the server's acknowledgement, in the order they were written, in an
// SQLite file of their own (WAL, synchronous=FULL): an event is on disk before enqueue()
// returns, so a killed agent resends it after a restart instead of losing it. The server
// de-duplicates on (session, id), which is what makes resending after a crash safe.
// Not thread-safe: one Outbox per thread, each on its own named connection.
class Outbox
{
    Q_DECLARE_TR_FUNCTIONS(casefile::Outbox)

public:
    // The schema this code writes; a file with a newer one is refused, not guessed at.
    static constexpr int schemaVersion = 1;
    // A chunk of output (up to 64 KiB, ~67 KB as a document) takes five 16 KiB pages instead of
    // a chain of seventeen 4 KiB ones, each written, read back and freed with a system call of
    // its own. Larger pages cost no less CPU and write more: 64 KiB ones hold such a document
    // in two pages, 200 MB written for 66 MB of output against 151 MB (BENCHMARKS.md).
    static constexpr int pageSize = 16384;

    Outbox();
    ~Outbox();
    Outbox(const Outbox &) = delete;
    Outbox &operator=(const Outbox &) = delete;

    // Opens (creating if needed) the outbox at `path`. A file that is not an outbox (not SQLite,
    // damaged, another application's database, a newer schema) is refused with errorString()
    // and left as it was.
    bool open(const QString &path);
    // The same queue without a file, for clients that accept losing unsent events on exit.
    bool openInMemory();
    void close();
    bool isOpen() const;
    QString path() const { return m_path; }
    QString errorString() const { return m_error; }
    // The value of an SQLite PRAGMA on this outbox's own connection (journal_mode,
    // synchronous …), for diagnostics and tests. Empty when the name is not a plain pragma name.
    QString pragma(const QString &name) const;

    // Appends drafts at the end of the queue, in one transaction: all or nothing, on disk when
    // it returns true. Every draft is validated first (a draft the codec refuses would block the
    // queue forever); seq, prev and hash are dropped. A (session, id) already queued keeps its
    // place and is not queued twice.
    bool enqueue(const QList<Event> &drafts);
    // The two halves of enqueue(), for a caller that looks at the encoded events first (their
    // size): encode() validates and encodes each draft as it is stored and sent, or says why
    // one is refused; enqueueEncoded() stores drafts with those documents, list for list.
    // A non-empty document in `encoded` (list for list) is taken as it is instead.
    static bool encode(const QList<Event> &drafts, QList<QByteArray> *docs, QString *error,
                       const QList<QByteArray> &encoded = {});
    bool enqueueEncoded(const QList<Event> &drafts, const QList<QByteArray> &docs);
    // The oldest `limit` events (all when limit < 0), oldest first. nullopt on error.
    std::optional<QList<Event>> pending(int limit = -1) const;
    // The same from a place in the queue, as stored: the oldest `limit` events queued after
    // the one with queue position `afterPosition` (0: from the start), each with its position
    // and its document exactly as encode() made it — sent as it is, not decoded again.
    struct Queued
    {
        qint64 position = 0;
        QString id;
        QString session;
        QByteArray doc;
    };
    std::optional<QList<Queued>> pendingAfter(qint64 afterPosition, int limit) const;
    // Removes the events with these ids, in one transaction. Unknown ids are ignored (already
    // acknowledged). Ids are author-made UUIDs, so an id names one event across sessions.
    bool acknowledge(const QStringList &ids);
    // The ids of `session`'s events queued from the one with `id` on, that one included, oldest
    // first (empty when it is not queued). nullopt on error.
    std::optional<QStringList> sessionQueuedFrom(const QString &session, const QString &id) const;
    // Number of queued events, -1 on error.
    qint64 count() const;

private:
    bool openDatabase(const QString &name, bool inMemory);
    bool configure(bool inMemory);
    // Gives a new file, or one whose queue is empty, pages of pageSize bytes.
    void usePageSize(QSqlQuery &q, bool newFile);
    // Forgets the recent events and starts keeping them again after the newest queued so far.
    void resetRecent() const;
    void forgetRecent() const; // and keeps none
    void keepRecent(const QList<Queued> &stored);
    std::optional<qint64> dataVersion() const;
    bool fail(const QString &message) const;

    QString m_connection;
    QString m_path;
    mutable QString m_error;

    // The events queued last, as stored, so that sending them does not read them back from the
    // file (with a command's output streaming, that read was a tenth of the agent's work). It
    // holds every queued event from position m_recentFrom on; pendingAfter() answers from it
    // when that covers the request. Another connection's commit (PRAGMA data_version) resets it.
    static constexpr qint64 recentLimitBytes = 16 * 1024 * 1024;
    mutable std::map<qint64, Queued> m_recent; // by position
    mutable QMultiHash<QString, qint64> m_recentIds; // acknowledge() removes every row of an id
    mutable qint64 m_recentFrom = -1; // -1: none kept
    mutable qint64 m_recentBytes = 0;
    mutable qint64 m_dataVersion = -1;
};

} // namespace casefile
