#include "RelayStore.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

RelayStore::RelayStore(const QString &path, QObject *parent)
    : QObject(parent), m_path(path),
      m_connection(QStringLiteral("relay-store-") +
                   QUuid::createUuid().toString(QUuid::WithoutBraces))
{}

RelayStore::~RelayStore()
{
    if (QSqlDatabase::contains(m_connection)) {
        QSqlDatabase::database(m_connection).close();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

RelayStore *RelayStore::start(const QString &path, QThread &thread, QString *error)
{
    auto *store = new RelayStore(path);
    store->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, store, &QObject::deleteLater);
    thread.start();
    bool opened = false;
    QMetaObject::invokeMethod(store, &RelayStore::open, Qt::BlockingQueuedConnection, &opened);
    if (!opened) {
        *error = store->error();
        thread.quit();
        thread.wait();
        return nullptr;
    }
    return store;
}

bool RelayStore::open()
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(m_path);
    if (!db.open()) {
        m_error = db.lastError().text();
        return false;
    }
    QSqlQuery q(db);
    // The most favourable settings found (docs/BENCHMARKS.md): 64 KiB pages (a frame is one
    // leaf cell and one overflow page) and no checkpoint while the run lasts, so the frames go
    // to disk about once during it, in the WAL; the checkpoint comes when the store closes.
    for (const char *statement :
         {"PRAGMA page_size = 65536", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
          "PRAGMA wal_autocheckpoint = 0",
          "CREATE TABLE IF NOT EXISTS frames (seq INTEGER PRIMARY KEY, data BLOB NOT NULL)"}) {
        if (!q.exec(QString::fromLatin1(statement))) {
            m_error = q.lastError().text();
            return false;
        }
    }
    return true;
}

void RelayStore::add(const QByteArray &frame)
{
    m_pending.append(frame);
    // Runs once the frames already queued for this thread are in m_pending.
    if (!m_commitQueued) {
        m_commitQueued = true;
        QMetaObject::invokeMethod(this, &RelayStore::commit, Qt::QueuedConnection);
    }
}

void RelayStore::commit()
{
    m_commitQueued = false;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QList<QByteArray> frames;
    frames.swap(m_pending);
    bool ok = db.transaction();
    QSqlQuery insert(db);
    ok = ok && insert.prepare(QStringLiteral("INSERT INTO frames (data) VALUES (?)"));
    for (qsizetype i = 0; ok && i < frames.size(); ++i) {
        insert.bindValue(0, frames.at(i));
        ok = insert.exec();
    }
    if (!(ok && db.commit())) {
        const QString error = ok ? db.lastError().text() : insert.lastError().text();
        db.rollback();
        emit failed(error);
        return;
    }
    emit stored(frames);
}
