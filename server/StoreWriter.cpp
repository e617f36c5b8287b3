#include "StoreWriter.h"

#include "store/EventStore.h"

#include <QMetaObject>

namespace casefile {

StoreWriter::StoreWriter()
{
    m_thread.setObjectName(QStringLiteral("casefile store writer"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

StoreWriter::~StoreWriter()
{
    stop();
    delete m_context;
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
            ok = m_store->open(path);
            if (!ok)
                *error = m_store->errorString();
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
    QMetaObject::invokeMethod(m_context, [this, appends, parts, receiver, done = std::move(done)] {
        const QList<AppendResult> results = store(appends, parts);
        // Posted to the receiver: Qt drops the call if the receiver is deleted before it runs.
        QMetaObject::invokeMethod(
            receiver, [done, results] { done(results); }, Qt::QueuedConnection);
    });
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
