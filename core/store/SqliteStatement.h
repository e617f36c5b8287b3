#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

class QSqlDatabase;
struct sqlite3;
struct sqlite3_stmt;

namespace casefile {

// One prepared statement straight on SQLite's C API, on the connection under a QSqlDatabase of
// the QSQLITE driver (the same library Qt's plugin uses). For the few statements every appended
// event runs: text is bound as the UTF-8 it already is, without QVariant or UTF-16 in between
// (a third of an append's cost in the store went there).
class SqliteStatement
{
public:
    // The connection under `db`, or null when it is not an open SQLite connection.
    static sqlite3 *handleOf(const QSqlDatabase &db);

    SqliteStatement(sqlite3 *db, const char *sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    bool isValid() const { return m_statement != nullptr; }
    // Binds from 1, in order. The bytes are copied.
    SqliteStatement &bind(QByteArrayView utf8);
    SqliteStatement &bind(const QString &text) { return bind(QByteArrayView(text.toUtf8())); }
    SqliteStatement &bind(qint64 value);
    // Runs to the next row: true while there is one; false at the end or on an error.
    bool next();
    // Makes it ready for new values, saying why the last step failed (empty when it did not).
    QString finish();

    qint64 int64(int column) const;
    QByteArray bytes(int column) const;
    QString errorString() const;
    // Whether the connection is inside a transaction: SQLite ends one by itself on some errors
    // (a full disk, I/O), and nothing may then be retried as if it were still open.
    bool inTransaction() const;

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    int m_bound = 0;
    bool m_failed = false;
};

} // namespace casefile
