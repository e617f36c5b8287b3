#include "AgentJournal.h"

#include "events/Event.h"

#include <QAtomicInt>
#include <QList>
#include <QPair>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace casefile {

namespace {
QAtomicInt s_counter;
}

AgentJournal::AgentJournal()
    : m_connection(QStringLiteral("casefile-agent-journal-%1").arg(s_counter.fetchAndAddRelaxed(1)))
{
}

AgentJournal::~AgentJournal()
{
    if (QSqlDatabase::contains(m_connection)) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_connection, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool AgentJournal::open(const QString &path)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(path);
    if (!db.open()) {
        m_error = db.lastError().text();
        return false;
    }
    QSqlQuery q(db);
    // FULL: "claimed" must be on disk before the command can run.
    for (const char *sql :
         {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
          "CREATE TABLE IF NOT EXISTS commands (command TEXT PRIMARY KEY, session TEXT NOT NULL,"
          " claimed_at TEXT NOT NULL, finished_at TEXT NOT NULL DEFAULT '')",
          "CREATE TABLE IF NOT EXISTS contexts (session TEXT PRIMARY KEY, sent_at TEXT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS processes (command TEXT PRIMARY KEY, pid INTEGER NOT NULL,"
          " start_ticks INTEGER NOT NULL, boot_id TEXT NOT NULL)"}) {
        if (!q.exec(QLatin1String(sql))) {
            m_error = QStringLiteral("%1: %2").arg(path, q.lastError().text());
            return false;
        }
    }
    if (!loadIdNamespace()) {
        m_error = QStringLiteral("%1: %2").arg(path, m_error);
        return false;
    }
    return true;
}

bool AgentJournal::loadIdNamespace()
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    const auto read = [this, &q] {
        if (!q.exec(QStringLiteral("SELECT value FROM settings WHERE name = 'id-namespace'"))) {
            m_error = q.lastError().text();
            return false;
        }
        m_idNamespace = q.next() ? QUuid::fromString(q.value(0).toString()) : QUuid();
        return true;
    };
    if (!read())
        return false;
    if (m_idNamespace.isNull()) {
        // A new journal (or one from before the namespace). OR IGNORE, then read again:
        // whatever was there first stays, also if two agents raced.
        q.prepare(QStringLiteral(
            "INSERT OR IGNORE INTO settings (name, value) VALUES ('id-namespace', ?)"));
        q.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
        if (!q.exec()) {
            m_error = q.lastError().text();
            return false;
        }
        if (!read())
            return false;
    }
    if (m_idNamespace.isNull()) {
        m_error = QStringLiteral("the id namespace is damaged");
        return false;
    }
    return true;
}

AgentJournal::Claim AgentJournal::claimCommand(const QString &session, const QString &command)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery seen(db);
    seen.prepare(QStringLiteral("SELECT 1 FROM commands WHERE command = ?"));
    seen.addBindValue(command);
    if (!seen.exec()) {
        m_error = seen.lastError().text();
        return Claim::Failed;
    }
    if (seen.next())
        return Claim::Seen;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO commands (command, session, claimed_at) VALUES (?, ?, ?)"));
    q.addBindValue(command);
    q.addBindValue(session);
    q.addBindValue(Event::nowTimestamp());
    if (!q.exec()) {
        m_error = q.lastError().text();
        return Claim::Failed;
    }
    return Claim::Claimed;
}

bool AgentJournal::finishCommand(const QString &command)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("UPDATE commands SET finished_at = ? WHERE command = ?"));
    q.addBindValue(Event::nowTimestamp());
    q.addBindValue(command);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return false;
    }
    // Its processes are gone; a row left behind (a failed delete) is only never looked at.
    q.prepare(QStringLiteral("DELETE FROM processes WHERE command = ?"));
    q.addBindValue(command);
    q.exec();
    return true;
}

QList<QPair<QString, QString>> AgentJournal::unfinishedCommands()
{
    QList<QPair<QString, QString>> list;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (q.exec(QStringLiteral("SELECT session, command FROM commands WHERE finished_at = '' ORDER BY claimed_at"))) {
        while (q.next())
            list.append({q.value(0).toString(), q.value(1).toString()});
    }
    return list;
}

bool AgentJournal::noteProcess(const QString &command, const ProcessSession::Leader &leader)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO processes (command, pid, start_ticks, boot_id)"
                             " VALUES (?, ?, ?, ?)"));
    q.addBindValue(command);
    q.addBindValue(leader.pid);
    q.addBindValue(leader.startTicks);
    q.addBindValue(leader.bootId);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return false;
    }
    return true;
}

std::optional<ProcessSession::Leader> AgentJournal::processOf(const QString &command)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT pid, start_ticks, boot_id FROM processes WHERE command = ?"));
    q.addBindValue(command);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return ProcessSession::Leader{q.value(0).toLongLong(), q.value(1).toLongLong(),
                                  q.value(2).toString()};
}

bool AgentJournal::contextSent(const QString &session)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT 1 FROM contexts WHERE session = ?"));
    q.addBindValue(session);
    return q.exec() && q.next();
}

bool AgentJournal::markContextSent(const QString &session)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT OR IGNORE INTO contexts (session, sent_at) VALUES (?, ?)"));
    q.addBindValue(session);
    q.addBindValue(Event::nowTimestamp());
    if (!q.exec()) {
        m_error = q.lastError().text();
        return false;
    }
    return true;
}

} // namespace casefile
