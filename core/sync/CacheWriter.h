#pragma once

#include "events/Event.h"
#include "store/SessionFilter.h"
#include "store/SessionInfo.h"

#include <QObject>
#include <QSet>
#include <QThread>
#include <functional>
#include <memory>
#include <optional>

namespace casefile {

class EventStore;

// The local cache (an EventStore file) on a thread of its own: checking, hashing, indexing and
// writing what arrives never holds up the thread that shows it. Writes are done in the order
// they were queued; every read waits for the writes queued before it, so a read sees all that
// was queued before the read was made. A session whose events do not continue its cached record
// (or that cannot be written) is reported once through storeFailed and not written again.
class CacheWriter : public QObject
{
    Q_OBJECT
public:
    CacheWriter();
    // Finishes the queued writes, closes the file and stops the thread.
    ~CacheWriter() override;
    CacheWriter(const CacheWriter &) = delete;
    CacheWriter &operator=(const CacheWriter &) = delete;

    // Opens (creating) the file, synchronous=NORMAL: what a power cut loses, the server replays.
    bool open(const QString &path, QString *error);

    // Queued; returns at once.
    void store(const QString &session, const QList<Event> &events);
    // Waits until every write queued so far is done.
    void flush();

    // These wait for the queued writes, then read.
    qint64 head(const QString &session); // 0 when unknown or unreadable
    std::optional<QList<Event>> read(const QString &session, qint64 afterSeq, int limit, QString *error);
    std::optional<QList<SessionInfo>> sessions(const SessionFilter &filter, QString *error);

signals:
    // From the cache's thread; `message` says why, for the user.
    void storeFailed(const QString &session, const QString &message, bool storageFailure, qint64 failedSeq);

private:
    // Runs `work` on the cache's thread and waits for it.
    void runAndWait(const std::function<void()> &work);

    QThread m_thread;
    QObject m_context; // lives on m_thread: the target of queued work
    // Touched on m_thread only.
    std::unique_ptr<EventStore> m_store;
    QSet<QString> m_failed;
};

} // namespace casefile
