#include "StoreWriter.h"
#include "TestEvents.h"
#include "events/EnvelopeParts.h"
#include "store/EventStore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace casefile;

// casefiled's store thread: the search index yields to a stream of appends, and still follows
// one that never pauses. The writer runs on a real SQLite file; the backlog is read through a
// second, read-only connection, as a search on another server thread would see it.
class tst_StoreWriter : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void indexWaitsForAPauseInTheAppends();
    void indexFollowsAStreamThatNeverPauses();
    void backlogOfAnEarlierRunCountsTowardsTheLag();
    void refusedAppendAmongOthersIsNamed();

private:
    // Writes the appends in one call to the writer and returns its results.
    QList<AppendResult> write(const QList<QList<Event>> &appends);
    // Appends `batches` batches of `perBatch` output events of `bytes` each, always with two
    // batches queued behind the one being stored, so the writer never finds its queue empty.
    // Returns the number of events stored.
    qint64 stream(int batches, int perBatch, int bytes);
    // Events not yet indexed, through a read-only store; with `estimate`, the store's estimate
    // of their bytes too.
    qint64 backlog(qint64 *estimate = nullptr);
    // The exact bytes of the documents not yet indexed (the store only estimates them).
    qint64 backlogBytes();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<StoreWriter> m_writer;
    QString m_session;
    QString m_path;
};

void tst_StoreWriter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("casefile.db"));
    m_writer = std::make_unique<StoreWriter>();
    QString error;
    QVERIFY2(m_writer->open(m_path, &error), qPrintable(error));
    m_session = Event::newId();
}

void tst_StoreWriter::cleanup()
{
    m_writer.reset();
    m_dir.reset();
}

qint64 tst_StoreWriter::stream(int batches, int perBatch, int bytes)
{
    const QString command = Event::newId();
    const QString line = QStringLiteral("printer queue entry %1 stalled\n");
    qint64 chunk = 0;
    const auto nextBatch = [&] {
        QList<Event> events;
        QList<EnvelopeParts> parts;
        for (int i = 0; i < perBatch; ++i) {
            QString data;
            while (data.size() < bytes)
                data += line.arg(chunk * 1000 + data.size());
            events.append(TestEvents::output(m_session, command, chunk++, data));
            parts.append(EnvelopeParts::of(events.constLast()));
        }
        return std::make_pair(QList<QList<Event>>{events}, QList<QList<EnvelopeParts>>{parts});
    };

    int given = 0;
    int done = 0;
    bool failed = false;
    std::function<void()> give = [&] {
        const auto [events, parts] = nextBatch();
        ++given;
        m_writer->write(events, parts, this, [&](const QList<AppendResult> &results) {
            ++done;
            failed = failed || results.size() != 1 || !results.first().ok;
            if (given < batches)
                give();
        });
    };
    // The session's first event, then the stream.
    {
        const Event opened = TestEvents::opened(m_session, {});
        bool stored = false;
        m_writer->write({{opened}}, {{EnvelopeParts::of(opened)}}, this,
                        [&](const QList<AppendResult> &results) { stored = results.value(0).ok; });
        if (!QTest::qWaitFor([&] { return stored; }, 10000))
            return -1;
    }
    for (int i = 0; i < 3 && given < batches; ++i)
        give();
    if (!QTest::qWaitFor([&] { return done == batches; }, 120000) || failed)
        return -1;
    return 1 + qint64(batches) * perBatch;
}

QList<AppendResult> tst_StoreWriter::write(const QList<QList<Event>> &appends)
{
    QList<QList<EnvelopeParts>> parts;
    for (const QList<Event> &events : appends) {
        parts.append(QList<EnvelopeParts>());
        for (const Event &e : events)
            parts.last().append(EnvelopeParts::of(e));
    }
    QList<AppendResult> results;
    bool done = false;
    m_writer->write(appends, parts, this, [&](const QList<AppendResult> &r) {
        results = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        return {};
    return results;
}

// Appends that arrived together are stored in one transaction; one refused (its session is
// closed) makes the writer store them one by one, and its result names the event and says the
// whole session refuses events (casefiled tells the client, PROTOCOL.md 6.4).
void tst_StoreWriter::refusedAppendAmongOthersIsNamed()
{
    const QString closed = Event::newId();
    QCOMPARE(write({{TestEvents::opened(m_session, {})},
                    {TestEvents::opened(closed, {}), TestEvents::closed(closed)}})
                 .size(),
             1);
    const QList<AppendResult> results =
        write({{TestEvents::note(m_session, QStringLiteral("first"))},
               {TestEvents::note(m_session, QStringLiteral("fine")),
                TestEvents::note(closed, QStringLiteral("late"))},
               {TestEvents::note(m_session, QStringLiteral("last"))}});
    QCOMPARE(results.size(), 3);
    QVERIFY(results.at(0).ok);
    QVERIFY(!results.at(1).ok);
    QCOMPARE(results.at(1).failedIndex, 1);
    QVERIFY(results.at(1).sessionRefused);
    QVERIFY(!results.at(1).storageFailure);
    QVERIFY2(results.at(1).error.contains(QStringLiteral("is closed")),
             qPrintable(results.at(1).error));
    QVERIFY(results.at(2).ok);
    QCOMPARE(results.at(2).events.constFirst().seq, 3); // opened, first, last
}

qint64 tst_StoreWriter::backlog(qint64 *estimate)
{
    EventStore reader;
    StoreOptions options;
    options.readOnly = true;
    if (!reader.open(m_path, options))
        return -1;
    return reader.searchIndexBacklog(estimate);
}

qint64 tst_StoreWriter::backlogBytes()
{
    qint64 bytes = -1;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("exact"));
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        QSqlQuery q(db);
        if (db.open() &&
            q.exec(QStringLiteral("SELECT sum(length(CAST(doc AS BLOB))) FROM events"
                                  " WHERE rid > (SELECT through_rid FROM search_index)")) &&
            q.next())
            bytes = q.value(0).toLongLong(); // exact: an integer sum (NULL, so 0, for none)
    }
    QSqlDatabase::removeDatabase(QStringLiteral("exact"));
    return bytes;
}

void tst_StoreWriter::indexWaitsForAPauseInTheAppends()
{
    // A pause of two seconds: the stream below never makes one, however slow the machine.
    m_writer->setIndexPacing(2000, qint64(1) << 40);
    const qint64 stored = stream(120, 4, 16 * 1024);
    QVERIFY(stored > 0);
    // Nothing indexed while the appends kept coming (before, every eighth batch took a turn).
    QCOMPARE(backlog(), stored);
    // Then the pause: the index catches up without a search asking for it.
    QTRY_COMPARE_WITH_TIMEOUT(backlog(), 0, 30000);
}

void tst_StoreWriter::indexFollowsAStreamThatNeverPauses()
{
    // No pause is ever long enough, and the index may trail by 256 KiB: ~16 events of 16 KiB.
    m_writer->setIndexPacing(600000, 256 * 1024);
    const qint64 stored = stream(120, 4, 16 * 1024);
    QVERIFY(stored > 0);
    const qint64 behind = backlog();
    QVERIFY2(behind >= 0 && behind <= 64,
             qPrintable(QStringLiteral("%1 of %2 events not indexed").arg(behind).arg(stored)));
}

void tst_StoreWriter::backlogOfAnEarlierRunCountsTowardsTheLag()
{
    // An earlier run stores ~7.5 MiB and stops before any of it is indexed.
    m_writer->setIndexPacing(600000, qint64(1) << 40);
    const qint64 earlier = stream(120, 4, 16 * 1024);
    QVERIFY(earlier > 0);
    m_writer.reset();
    // What the writer starts from: the store's estimate of those bytes, from the newest events.
    qint64 estimate = -1;
    QCOMPARE(backlog(&estimate), earlier);
    const qint64 exact = backlogBytes();
    QVERIFY2(exact > 0 && qAbs(estimate - exact) < exact / 20,
             qPrintable(QStringLiteral("estimate %1, exact %2").arg(estimate).arg(exact)));

    // The next run starts under a stream that never pauses, ~3.2 MiB: the index may trail by
    // 4 MiB, the earlier run's backlog included. Counting only this run's appends, it never
    // began.
    m_writer = std::make_unique<StoreWriter>();
    QString error;
    QVERIFY2(m_writer->open(m_path, &error), qPrintable(error));
    constexpr qint64 lag = 4 * 1024 * 1024;
    m_writer->setIndexPacing(600000, lag);
    m_session = Event::newId();
    const qint64 stored = stream(200, 4, 4 * 1024);
    QVERIFY(stored > 0);
    const qint64 behind = backlog();
    const qint64 bytes = backlogBytes();
    // The last batches may be stored before the slice they call for runs.
    QVERIFY2(behind >= 0 && bytes >= 0 && bytes <= lag + 256 * 1024,
             qPrintable(QStringLiteral("%1 of %2 events not indexed, %3 bytes")
                            .arg(behind)
                            .arg(earlier + stored)
                            .arg(bytes)));
}

QTEST_MAIN(tst_StoreWriter)
#include "tst_StoreWriter.moc"
