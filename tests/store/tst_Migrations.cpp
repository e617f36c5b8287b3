#include "StoreFixtures.h"
#include "TestEvents.h"
#include "events/EventCodec.h"
#include "store/EventStore.h"
#include "store/Migrations.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace casefile;

class tst_Migrations : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void fromEmptyFile();
    void fromEveryEarlierVersion_data();
    void fromEveryEarlierVersion();
    void fromCommittedEarlierStores_data();
    void fromCommittedEarlierStores();
    void onlyForward();
    void failedMigrationLeavesTheStoreAsItWas();

private:
    QString dbPath() const { return m_dir->filePath(QStringLiteral("store.db")); }
    // A v1 store holding the printer session (closed) and a live second session.
    void writeVersion1(QString *liveSession);
    // A setting of the full-text index (FTS5 keeps them in event_text_config), read apart.
    QString searchIndexSetting(const QString &key);
    void checkUpgradedStore(const QString &liveSession);
    int rawVersion();

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_Migrations::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

QString tst_Migrations::searchIndexSetting(const QString &key)
{
    QString value;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("config"));
        db.setDatabaseName(dbPath());
        db.open();
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT v FROM event_text_config WHERE k = ?"));
        q.addBindValue(key);
        if (q.exec() && q.next())
            value = q.value(0).toString();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("config"));
    return value;
}

int tst_Migrations::rawVersion()
{
    int version = -2;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(dbPath());
        db.open();
        QString error;
        version = Migrations::currentVersion(db, &error);
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    return version;
}

void tst_Migrations::fromEmptyFile()
{
    EventStore store;
    QVERIFY2(store.open(dbPath()), qPrintable(store.errorString()));
    QCOMPARE(store.schemaVersion(), Migrations::latestVersion());
    QVERIFY(Migrations::latestVersion() >= 3);
    QCOMPARE(searchIndexSetting(QStringLiteral("automerge")), QStringLiteral("16"));
    store.close();
    // Opening again runs nothing and changes nothing.
    QVERIFY(store.open(dbPath()));
    QCOMPARE(store.schemaVersion(), Migrations::latestVersion());
}

void tst_Migrations::writeVersion1(QString *liveSession)
{
    // The live session's events are sealed by a scratch store, then written as v1 rows.
    QTemporaryDir scratchDir;
    EventStore scratch;
    QVERIFY(scratch.open(scratchDir.filePath(QStringLiteral("scratch.db"))));
    *liveSession = Event::newId();
    TestEvents::SessionSpec spec;
    spec.title = QStringLiteral("Mapped drive disconnects");
    spec.tags = {QStringLiteral("smb")};
    const AppendResult live = scratch.append({TestEvents::opened(*liveSession, spec),
                                              TestEvents::note(*liveSession, QStringLiteral("net use shows Unavailable"))});
    QVERIFY(live.ok);

    QList<QByteArray> docs = TestEvents::printerSessionLines();
    for (const Event &e : live.events)
        docs.append(EventCodec::encode(e));

    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        QString error;
        QVERIFY2(Migrations::migrate(db, &error, 1), qPrintable(error));
        QCOMPARE(Migrations::currentVersion(db, &error), 1);
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO events (session, seq, id, kind, at, hash, doc) VALUES (?, ?, ?, ?, ?, ?, ?)"));
        for (const QByteArray &doc : docs) {
            const Event e = EventCodec::decode(doc, EventCodec::Mode::Sealed).event;
            q.addBindValue(e.session);
            q.addBindValue(e.seq);
            q.addBindValue(e.id);
            q.addBindValue(eventKindName(e.kind));
            q.addBindValue(e.at);
            q.addBindValue(e.hash);
            q.addBindValue(QString::fromUtf8(doc));
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v1"));
}

void tst_Migrations::checkUpgradedStore(const QString &liveSession)
{
    EventStore store;
    QVERIFY2(store.open(dbPath()), qPrintable(store.errorString()));
    QCOMPARE(store.schemaVersion(), Migrations::latestVersion());

    const QString printer = TestEvents::printerSessionDrafts().first().session;
    QCOMPARE(*store.readRaw(printer), TestEvents::printerSessionLines());
    QVERIFY(store.verify(printer).ok);
    QVERIFY(store.verify(liveSession).ok);

    const auto info = store.session(printer);
    QVERIFY(info);
    QCOMPARE(info->title, QStringLiteral("Printer queue stuck on FRONTDESK-03"));
    QCOMPARE(info->ticket, QStringLiteral("INC-20431"));
    QCOMPARE(info->tags, (QStringList{QStringLiteral("printing"), QStringLiteral("spooler")}));
    QCOMPARE(info->lastSeq, 15);
    QVERIFY(!info->isOpen());
    QVERIFY(store.session(liveSession)->isOpen());

    // The full-text index covers what was stored before it existed.
    SearchQuery q;
    q.text = QStringLiteral("Running"); // the output at seq 6 and the note at seq 9
    QCOMPARE(store.search(q)->size(), 2);
    q.text = QStringLiteral("unavailable OR dns");
    QVERIFY(store.search(q));

    // And the record carries on where it stopped.
    const AppendResult more = store.append({TestEvents::note(liveSession, QStringLiteral("after the upgrade"))});
    QVERIFY2(more.ok, qPrintable(more.error));
    QCOMPARE(more.events.first().seq, 3);
    QVERIFY(store.verify(liveSession).ok);
    q.text = QStringLiteral("upgrade");
    QCOMPARE(store.search(q)->size(), 1);
    // Segments are merged 16 at a time (schema 7): indexing output merged them too often.
    QCOMPARE(searchIndexSetting(QStringLiteral("automerge")), QStringLiteral("16"));
}

void tst_Migrations::fromEveryEarlierVersion_data()
{
    QTest::addColumn<int>("version");
    for (int v = 1; v < Migrations::latestVersion(); ++v)
        QTest::newRow(qPrintable(QStringLiteral("v%1").arg(v))) << v;
}

void tst_Migrations::fromEveryEarlierVersion()
{
    QFETCH(int, version);
    QString live;
    writeVersion1(&live);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("step"));
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        QString error;
        QVERIFY2(Migrations::migrate(db, &error, version), qPrintable(error));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("step"));
    QCOMPARE(rawVersion(), version);
    checkUpgradedStore(live);
}

void tst_Migrations::fromCommittedEarlierStores_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<int>("version");
    QTest::newRow("v1") << QStringLiteral("schema-v1.sql") << 1;
    QTest::newRow("v2") << QStringLiteral("schema-v2.sql") << 2;
}

// Stores as earlier versions actually wrote them, independent of today's migration code.
void tst_Migrations::fromCommittedEarlierStores()
{
    QFETCH(QString, fixture);
    QFETCH(int, version);
    QString error;
    QVERIFY2(StoreFixtures::loadSql(fixture, dbPath(), &error), qPrintable(error));
    QCOMPARE(rawVersion(), version);
    // The fixtures' live session is the one make_fixtures.py names "session2".
    checkUpgradedStore(QStringLiteral("ac36106c-7db7-564c-a320-2b704c18828f"));
}

void tst_Migrations::onlyForward()
{
    EventStore store;
    QVERIFY(store.open(dbPath()));
    store.close();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fwd"));
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        QString error;
        QVERIFY(!Migrations::migrate(db, &error, 1));
        QVERIFY2(error.contains(QStringLiteral("only go forward")), qPrintable(error));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("fwd"));
    QCOMPARE(rawVersion(), Migrations::latestVersion());
}

void tst_Migrations::failedMigrationLeavesTheStoreAsItWas()
{
    QString live;
    writeVersion1(&live);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("break"));
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("UPDATE events SET doc = '{broken' WHERE seq = 1 AND session = '%1'").arg(live)));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("break"));

    EventStore store;
    QVERIFY(!store.open(dbPath()));
    QVERIFY2(store.errorString().contains(QStringLiteral("migration to schema version 2 failed")),
             qPrintable(store.errorString()));
    QVERIFY(!store.isOpen());
    // Rolled back: still version 1, no half-made sessions table.
    QCOMPARE(rawVersion(), 1);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("look"));
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        QVERIFY(!db.tables().contains(QStringLiteral("sessions")));
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM events")) && q.next());
        QCOMPARE(q.value(0).toInt(), 17);
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("look"));
}

QTEST_GUILESS_MAIN(tst_Migrations)
#include "tst_Migrations.moc"
