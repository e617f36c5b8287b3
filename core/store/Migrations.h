#pragma once

#include <QSqlDatabase>
#include <QString>

namespace casefile {

// Versioned, forward-only schema migrations. A step is never edited once released; a change
// is a new step. Each step runs in its own transaction, with the C++ backfill that fills what
// it adds from the events already stored, and bumps schema_meta.version.
class Migrations
{
public:
    static int latestVersion();
    // 0 for an empty database; -1 (with *error set) when it is not a Casefile store.
    static int currentVersion(QSqlDatabase &db, QString *error);
    // Brings the database up to `target` (latestVersion() by default). Refuses to go back.
    static bool migrate(QSqlDatabase &db, QString *error, int target = -1);
};

} // namespace casefile
