#pragma once

#include <QSqlDatabase>
#include <QString>

namespace casefile {

// A named QtSql connection of its own to the server's store file (the event store made and
// migrated it): busy timeout, full sync and foreign keys on, closed and removed with the object.
// The directory and the snapshot registry each hold one, so neither shares the event store's.
class StoreConnection
{
public:
    explicit StoreConnection(const QString &prefix);
    ~StoreConnection();
    StoreConnection(const StoreConnection &) = delete;
    StoreConnection &operator=(const StoreConnection &) = delete;

    // Fails (with the reason in *error) unless the file opens and has `requiredTable`.
    bool open(const QString &path, const QString &requiredTable, QString *error);
    QSqlDatabase database() const { return QSqlDatabase::database(m_name, false); }

private:
    QString m_name;
};

} // namespace casefile
