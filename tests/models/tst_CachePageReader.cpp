// Reading a cached session's output chunks ahead, on another thread.
#include "CachePageReader.h"
#include "TestEvents.h"
#include "store/EventStore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace casefile;

class tst_CachePageReader : public QObject
{
    Q_OBJECT
private slots:
    void pagesInOrderThenEnd();
    void stoppingEarlyDoesNotHang();
    void unreadableFileIsAnError();
};

namespace {
QString fill(const QTemporaryDir &dir, int outputs, QString *session)
{
    const QString path = dir.filePath(QStringLiteral("cache.db"));
    EventStore store;
    if (!store.open(path))
        return {};
    *session = Event::newId();
    const QString cmd = Event::newId();
    QList<Event> batch{TestEvents::opened(*session, {}), TestEvents::requested(*session, cmd, QStringLiteral("seq"))};
    for (int i = 0; i < outputs; ++i) {
        batch.append(TestEvents::output(*session, cmd, i, QStringLiteral("line %1\n").arg(i)));
        if (i % 10 == 0)
            batch.append(TestEvents::note(*session, QStringLiteral("between %1").arg(i)));
    }
    return store.append(batch).ok ? path : QString();
}
} // namespace

void tst_CachePageReader::pagesInOrderThenEnd()
{
    QTemporaryDir dir;
    QString session;
    const QString path = fill(dir, 25, &session);
    QVERIFY(!path.isEmpty());
    CachePageReader reader(path, session, EventKind::CommandOutput, 4, 2);
    QList<qint64> seqs;
    int pages = 0;
    while (true) {
        const auto page = reader.next();
        QVERIFY(page);
        if (page->isEmpty())
            break;
        QVERIFY(page->size() <= 4);
        ++pages;
        for (const auto &row : *page) {
            QVERIFY(row.doc.contains("\"kind\":\"command.output\""));
            seqs << row.seq;
        }
    }
    QCOMPARE(seqs.size(), 25);
    QCOMPARE(pages, 7); // 6 full pages and one of 1
    QVERIFY(std::is_sorted(seqs.begin(), seqs.end()));
    QCOMPARE(std::adjacent_find(seqs.begin(), seqs.end()), seqs.end()); // no seq twice
    const auto again = reader.next(); // stays at the end
    QVERIFY(again && again->isEmpty());
    QVERIFY(reader.errorString().isEmpty());
}

void tst_CachePageReader::stoppingEarlyDoesNotHang()
{
    QTemporaryDir dir;
    QString session;
    const QString path = fill(dir, 200, &session);
    QVERIFY(!path.isEmpty());
    auto reader = std::make_unique<CachePageReader>(path, session, EventKind::CommandOutput, 2, 1);
    const auto first = reader->next();
    QVERIFY(first && first->size() == 2);
    reader.reset(); // the reader is blocked waiting for room: it must stop, not wait forever
}

void tst_CachePageReader::unreadableFileIsAnError()
{
    QTemporaryDir dir;
    CachePageReader reader(dir.filePath(QStringLiteral("missing.db")), Event::newId(), EventKind::CommandOutput);
    const auto page = reader.next();
    QVERIFY(!page);
    QVERIFY(!reader.errorString().isEmpty());
}

QTEST_GUILESS_MAIN(tst_CachePageReader)
#include "tst_CachePageReader.moc"
