#include "CacheWriter.h"

#include "store/EventStore.h"

#include <QMetaObject>

namespace casefile {

CacheWriter::CacheWriter()
{
    m_thread.setObjectName(QStringLiteral("casefile cache"));
    m_context.moveToThread(&m_thread);
    m_thread.start();
}

CacheWriter::~CacheWriter()
{
    // The store's database connection belongs to the cache's thread: close it there.
    runAndWait([this] { m_store.reset(); });
    m_thread.quit();
    m_thread.wait();
}

void CacheWriter::runAndWait(const std::function<void()> &work)
{
    QMetaObject::invokeMethod(&m_context, work, Qt::BlockingQueuedConnection);
}

bool CacheWriter::open(const QString &path, QString *error)
{
    bool ok = false;
    runAndWait([&] {
        auto store = std::make_unique<EventStore>();
        StoreOptions options;
        options.durability = StoreOptions::Durability::Normal;
        ok = store->open(path, options);
        if (ok)
            m_store = std::move(store);
        else if (error)
            *error = store->errorString();
    });
    return ok;
}

void CacheWriter::store(const QString &session, const QList<Event> &events)
{
    QMetaObject::invokeMethod(
        &m_context,
        [this, session, events] {
            if (!m_store || m_failed.contains(session))
                return;
            const AppendResult result = m_store->storeSealed(events);
            if (result.ok)
                return;
            // Keep what does continue the cached record; only the rest is refused.
            if (!result.storageFailure && result.failedIndex > 0)
                m_store->storeSealed(events.mid(0, result.failedIndex));
            m_failed.insert(session);
            const qint64 seq = result.failedIndex >= 0 && result.failedIndex < events.size()
                                   ? events.at(result.failedIndex).seq
                                   : -1;
            emit storeFailed(session, result.error, result.storageFailure, seq);
        },
        Qt::QueuedConnection);
}

void CacheWriter::flush()
{
    runAndWait([] {});
}

qint64 CacheWriter::head(const QString &session)
{
    qint64 head = 0;
    runAndWait([&] {
        if (!m_store)
            return;
        const auto info = m_store->session(session);
        head = info ? info->lastSeq : 0;
    });
    return head;
}

std::optional<QList<Event>> CacheWriter::read(const QString &session, qint64 afterSeq, int limit, QString *error)
{
    std::optional<QList<Event>> events;
    runAndWait([&] {
        if (!m_store)
            return;
        events = m_store->read(session, afterSeq, limit);
        if (!events && error)
            *error = m_store->errorString();
    });
    return events;
}

std::optional<QList<SessionInfo>> CacheWriter::sessions(const SessionFilter &filter, QString *error)
{
    std::optional<QList<SessionInfo>> list;
    runAndWait([&] {
        if (!m_store)
            return;
        list = m_store->sessions(filter);
        if (!list && error)
            *error = m_store->errorString();
    });
    return list;
}

} // namespace casefile
