#pragma once

#include "events/EventKind.h"
#include "store/EventStore.h"

#include <QMutex>
#include <QString>
#include <QWaitCondition>
#include <deque>
#include <memory>
#include <optional>

class QThread;

namespace casefile {

// Reads the stored events of one kind of a session (EventStore::readRawKind) on a thread of its
// own, a few pages ahead of whoever takes them, so reading the file and decoding what was read
// overlap. The reader has its own read-only connection to the file.
class CachePageReader
{
public:
    CachePageReader(const QString &path, const QString &session, EventKind kind, int pageSize = 64,
                    int pagesAhead = 4);
    // Stops the reader (if it is still going) and waits for it.
    ~CachePageReader();
    CachePageReader(const CachePageReader &) = delete;
    CachePageReader &operator=(const CachePageReader &) = delete;

    // The next page in seq order, an empty list after the last one, nullopt when the file could
    // not be read (errorString() says why).
    std::optional<QList<EventStore::RawEvent>> next();
    QString errorString() const;

private:
    void run(const QString &path, const QString &session, EventKind kind, int pageSize);

    mutable QMutex m_mutex;
    QWaitCondition m_changed;
    std::deque<std::optional<QList<EventStore::RawEvent>>> m_pages; // nullopt: an error
    int m_ahead;
    bool m_finished = false; // the reader has queued its last page
    bool m_stop = false;
    QString m_error;
    std::unique_ptr<QThread> m_thread;
};

} // namespace casefile
