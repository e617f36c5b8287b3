#include "StoreConnection.h"

#include <QAtomicInt>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace casefile {

namespace {
QAtomicInt s_counter;
} // namespace

StoreConnection::StoreConnection(const QString &prefix)
    : m_name(QStringLiteral("%1-%2").arg(prefix).arg(s_counter.fetchAndAddRelaxed(1)))
{
}

StoreConnection::~StoreConnection()
{
    if (QSqlDatabase::contains(m_name)) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
}

bool StoreConnection::open(const QString &path, const QString &requiredTable, QString *error)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!db.open()) {
        *error = db.lastError().text();
        return false;
    }
    QSqlQuery q(db);
    q.exec(QStringLiteral("PRAGMA synchronous = FULL"));
    q.exec(QStringLiteral("PRAGMA foreign_keys = ON"));
    if (!db.tables().contains(requiredTable)) {
        *error = QStringLiteral("%1 has no %2 table; open it with the event store first").arg(path, requiredTable);
        return false;
    }
    return true;
}

} // namespace casefile
