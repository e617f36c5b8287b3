#include "CachePageReader.h"

#include <QThread>

namespace casefile {

CachePageReader::CachePageReader(const QString &path, const QString &session, EventKind kind, int pageSize,
                                 int pagesAhead)
    : m_ahead(std::max(1, pagesAhead))
{
    m_thread.reset(QThread::create([this, path, session, kind, pageSize] { run(path, session, kind, pageSize); }));
    m_thread->start();
}

CachePageReader::~CachePageReader()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stop = true;
        m_changed.wakeAll();
    }
    m_thread->wait();
}

void CachePageReader::run(const QString &path, const QString &session, EventKind kind, int pageSize)
{
    EventStore store;
    StoreOptions options;
    options.readOnly = true;
    const auto publish = [this](std::optional<QList<EventStore::RawEvent>> page, bool last) {
        QMutexLocker lock(&m_mutex);
        while (!m_stop && int(m_pages.size()) >= m_ahead)
            m_changed.wait(&m_mutex);
        if (m_stop)
            return false;
        m_pages.push_back(std::move(page));
        m_finished = last;
        m_changed.wakeAll();
        return !last;
    };
    if (!store.open(path, options)) {
        {
            QMutexLocker lock(&m_mutex);
            m_error = store.errorString();
        }
        publish(std::nullopt, true);
        return;
    }
    for (qint64 after = 0;;) {
        auto rows = store.readRawKind(session, kind, false, after, pageSize);
        if (!rows) {
            {
                QMutexLocker lock(&m_mutex);
                m_error = store.errorString();
            }
            publish(std::nullopt, true);
            return;
        }
        const bool last = rows->size() < pageSize;
        if (!rows->isEmpty())
            after = rows->last().seq;
        if (!publish(std::move(rows), last))
            return;
    }
}

std::optional<QList<EventStore::RawEvent>> CachePageReader::next()
{
    QMutexLocker lock(&m_mutex);
    while (m_pages.empty() && !m_finished)
        m_changed.wait(&m_mutex);
    if (m_pages.empty())
        return QList<EventStore::RawEvent>(); // done
    auto page = std::move(m_pages.front());
    m_pages.pop_front();
    m_changed.wakeAll();
    return page;
}

QString CachePageReader::errorString() const
{
    QMutexLocker lock(&m_mutex);
    return m_error;
}

} // namespace casefile
