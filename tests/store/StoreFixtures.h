#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QFile>

// Loads one of the SQL fixtures in tests/data/store into a fresh SQLite file, the way an earlier
// Casefile (or another program) left it.
class StoreFixtures
{
public:
    static bool loadSql(const QString &fixture, const QString &dbPath, QString *error)
    {
        QFile file(QStringLiteral(CASEFILE_TEST_DATA "/store/") + fixture);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = file.errorString();
            return false;
        }
        const QString script = QString::fromUtf8(file.readAll());
        const QString name = QStringLiteral("fixture-loader");
        bool ok = true;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(dbPath);
            ok = db.open();
            // Statements end with ";\n"; none of the fixture data contains that sequence.
            const QStringList statements = script.split(QStringLiteral(";\n"), Qt::SkipEmptyParts);
            for (const QString &sql : statements) {
                if (!ok || sql.trimmed().isEmpty())
                    continue;
                QSqlQuery q(db);
                if (!q.exec(sql)) {
                    *error = q.lastError().text() + QStringLiteral(" in ") + sql.left(60);
                    ok = false;
                }
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return ok;
    }
};
