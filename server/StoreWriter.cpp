#include "StoreWriter.h"

#include "store/EventStore.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMetaObject>

#include <algorithm>

namespace casefile {

Q_LOGGING_CATEGORY(lcStoreWriter, "casefile.server.store")

StoreWriter::StoreWriter()
{
    m_thread.setObjectName(QStringLiteral("casefile store writer"));
    m_context = new QObject;
    m_quiet = new QTimer(m_context);
    m_quiet->setSingleShot(true);
    m_quiet->setInterval(quietMs);
    QObject::connect(m_quiet, &QTimer::timeout, m_context, [this] { scheduleIndexing(); });
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

StoreWriter::~StoreWriter()
{
    stop();
    delete m_context;
}

void StoreWriter::setIndexPacing(int quietMs, qint64 maxLagBytes)
{
    QMetaObject::invokeMethod(
        m_context,
        [this, quietMs, maxLagBytes] {
            m_quiet->setInterval(quietMs);
            m_maxLagBytes = maxLagBytes;
        },
        Qt::BlockingQueuedConnection);
}

bool StoreWriter::open(const QString &path, QString *error)
{
    bool ok = false;
    // A QSqlDatabase connection belongs to the thread that made it.
    QMetaObject::invokeMethod(
        m_context,
        [&] {
            delete m_store;
            m_store = new EventStore;
            StoreOptions options;
            options.deferSearchIndex = true;
            ok = m_store->open(path, options);
            if (!ok) {
                *error = m_store->errorString();
                return;
            }
            // Whatever the last run left unindexed counts towards the lag like this run's
            // appends: under a stream from the start, the index would otherwise trail by that
            // backlog on top of maxLagBytes.
            qint64 bytes = 0;
            const qint64 events = m_store->searchIndexBacklog(&bytes);
            m_unindexedEvents = qMax<qint64>(events, 0);
            m_unindexedBytes = bytes; // stays 0 without a backlog or on an error
            scheduleIndexing();
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

void StoreWriter::stop()
{
    if (!m_thread.isRunning())
        return;
    // Queued behind the batch in hand, if any.
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            m_quiet->stop();
            delete m_store;
            m_store = nullptr;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void StoreWriter::write(const QList<QList<Event>> &appends,
                        const QList<QList<EnvelopeParts>> &parts, QObject *receiver, Done done)
{
    m_queuedBatches.ref();
    QMetaObject::invokeMethod(m_context, [this, appends, parts, receiver, done = std::move(done)] {
        m_queuedBatches.deref();
        const QList<AppendResult> results = store(appends, parts);
        // Posted to the receiver: Qt drops the call if the receiver is deleted before it runs.
        QMetaObject::invokeMethod(
            receiver, [done, results] { done(results); }, Qt::QueuedConnection);
        qint64 events = 0;
        qint64 bytes = 0;
        for (const QList<EnvelopeParts> &append : parts) {
            events += append.size();
            for (const EnvelopeParts &event : append)
                bytes += event.size();
        }
        afterBatch(events, bytes);
    });
}

void StoreWriter::search(const SearchQuery &query, QObject *receiver, SearchDone done)
{
    QMetaObject::invokeMethod(m_context, [this, query, receiver, done = std::move(done)] {
        searchStep(query, receiver, done);
    });
}

void StoreWriter::searchStep(const SearchQuery &query, QObject *receiver, const SearchDone &done)
{
    std::optional<QList<SearchHit>> hits;
    QString error = QStringLiteral("the store is not open");
    if (m_store) {
        // Complete the index a slice at a time, the batches queued meanwhile going first: a
        // search after a long stream must not hold up every acknowledgement until it is done.
        const qint64 covered = m_store->indexSearchText(m_sliceEvents);
        if (indexed(covered, m_sliceEvents)) { // a whole slice: there may be more behind it
            QMetaObject::invokeMethod(
                m_context, [this, query, receiver, done] { searchStep(query, receiver, done); },
                Qt::QueuedConnection);
            return;
        }
        if (covered < 0)
            qCWarning(lcStoreWriter) << "cannot update the search index:" << m_store->errorString();
        hits = m_store->search(query); // completes what is left of the index first
        error = hits ? QString() : m_store->errorString();
    }
    QMetaObject::invokeMethod(
        receiver, [done, hits, error] { done(hits, error); }, Qt::QueuedConnection);
}

void StoreWriter::afterBatch(qint64 events, qint64 bytes)
{
    m_unindexedEvents += events;
    m_unindexedBytes += bytes;
    if (m_unindexedBytes > m_maxLagBytes)
        scheduleIndexing();
    else
        m_quiet->start();
}

bool StoreWriter::indexed(qint64 covered, qint64 slice)
{
    if (covered < 0)
        return false;
    const bool full = covered >= slice;
    if (!full || m_unindexedEvents <= covered) {
        // The index is complete (the slice was not full), or all that was counted is in it.
        m_unindexedEvents = 0;
        m_unindexedBytes = 0;
    } else {
        // Their bytes are not known here: take the average of what is left.
        m_unindexedBytes -= m_unindexedBytes / m_unindexedEvents * covered;
        m_unindexedEvents -= covered;
    }
    return full;
}

void StoreWriter::scheduleIndexing()
{
    if (m_indexScheduled)
        return;
    m_indexScheduled = true;
    QMetaObject::invokeMethod(
        m_context, [this] { indexSlice(); }, Qt::QueuedConnection);
}

void StoreWriter::indexSlice()
{
    m_indexScheduled = false;
    if (!m_store)
        return;
    // Appends first; but under a stream that never pauses, the index still follows.
    if (m_queuedBatches.loadRelaxed() > 0 && m_unindexedBytes <= m_maxLagBytes)
        return; // the next batch starts the quiet timer again
    QElapsedTimer timer;
    timer.start();
    const qint64 covered = m_store->indexSearchText(m_sliceEvents);
    if (covered < 0) {
        // Nothing is lost: the events are stored, the next slice or a search tries again.
        qCWarning(lcStoreWriter) << "cannot update the search index:" << m_store->errorString();
        return;
    }
    if (!indexed(covered, m_sliceEvents))
        return; // complete
    // A slice holds up the appends behind it: aim for about 20 ms each.
    const qint64 ms = timer.elapsed();
    if (ms < 10)
        m_sliceEvents = std::min<qint64>(m_sliceEvents * 2, 16384);
    else if (ms > 40)
        m_sliceEvents = std::max<qint64>(m_sliceEvents / 2, 1);
    scheduleIndexing();
}

QList<AppendResult> StoreWriter::store(const QList<QList<Event>> &appends,
                                       const QList<QList<EnvelopeParts>> &parts)
{
    QList<AppendResult> results;
    if (!m_store) {
        AppendResult closed;
        closed.error = QStringLiteral("the store is not open");
        closed.storageFailure = true;
        for (qsizetype i = 0; i < appends.size(); ++i)
            results.append(closed);
        return results;
    }
    QList<Event> all;
    QList<EnvelopeParts> allParts;
    for (qsizetype i = 0; i < appends.size(); ++i) {
        all.append(appends.at(i));
        allParts.append(parts.at(i));
    }
    const AppendResult together = m_store->append(all, EventStore::Drafts::Decoded, allParts);
    if (together.ok || appends.size() == 1)
        return {together};
    for (qsizetype i = 0; i < appends.size(); ++i)
        results.append(m_store->append(appends.at(i), EventStore::Drafts::Decoded, parts.at(i)));
    return results;
}

} // namespace casefile
