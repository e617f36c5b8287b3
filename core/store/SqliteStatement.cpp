#include "SqliteStatement.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

namespace casefile {

sqlite3 *SqliteStatement::handleOf(const QSqlDatabase &db)
{
    if (!db.isOpen() || db.driverName() != QLatin1String("QSQLITE"))
        return nullptr;
    const QVariant handle = db.driver()->handle();
    // As QSqlDriver::handle() documents it for QSQLITE.
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

SqliteStatement::SqliteStatement(sqlite3 *db, const char *sql) : m_db(db)
{
    if (db && sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_statement, nullptr) !=
                  SQLITE_OK) {
        sqlite3_finalize(m_statement);
        m_statement = nullptr;
    }
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement);
}

SqliteStatement &SqliteStatement::bind(QByteArrayView utf8)
{
    // An empty view may have no data: bind "" rather than NULL.
    sqlite3_bind_text(m_statement, ++m_bound, utf8.isNull() ? "" : utf8.data(), int(utf8.size()),
                      SQLITE_TRANSIENT);
    return *this;
}

SqliteStatement &SqliteStatement::bind(qint64 value)
{
    sqlite3_bind_int64(m_statement, ++m_bound, value);
    return *this;
}

bool SqliteStatement::next()
{
    const int rc = sqlite3_step(m_statement);
    m_failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
    return rc == SQLITE_ROW;
}

QString SqliteStatement::finish()
{
    const QString error = m_failed ? errorString() : QString();
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    m_bound = 0;
    m_failed = false;
    return error;
}

qint64 SqliteStatement::int64(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

QByteArray SqliteStatement::bytes(int column) const
{
    const void *data = sqlite3_column_blob(m_statement, column);
    return QByteArray(static_cast<const char *>(data), sqlite3_column_bytes(m_statement, column));
}

QString SqliteStatement::errorString() const
{
    return QString::fromUtf8(sqlite3_errmsg(m_db));
}

bool SqliteStatement::inTransaction() const
{
    return sqlite3_get_autocommit(m_db) == 0;
}

} // namespace casefile
