#include "TestEvents.h"
#include "events/EventCodec.h"
#include "store/EventStore.h"
#include "sync/Outbox.h"

#include <QCryptographicHash>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace casefile;

namespace {

QStringList idsOf(const QList<Event> &events)
{
    QStringList ids;
    for (const Event &e : events)
        ids.append(e.id);
    return ids;
}

QByteArray digest(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// Runs one statement on a connection of the test's own, next to the Outbox's.
QString rawScalar(const QString &path, const QString &sql)
{
    const QString name = QStringLiteral("tst_Outbox-raw");
    QString value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                value = q.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

} // namespace

class tst_Outbox : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void fifoAcknowledgeAndCount();
    void pendingLimit();
    void sessionQueuedFrom();
    void pendingAfterGivesDocumentsAsSent();
    void pendingAfterPastWhatIsKeptInMemory();
    void pendingAfterSeesAnotherConnection();
    void survivesReopen();
    void pagesHoldAChunkOfOutput();
    void enqueueIsAllOrNothing();
    void duplicateKeepsFirstPlace();
    void draftsAreStoredAsDrafts();
    void unknownFieldsRoundTrip();
    void inMemoryOutboxesAreSeparate();
    void closedOutboxFailsCleanly();
    void notSqlite();
    void damagedSqlite();
    void foreignDatabase();
    void newerOutbox();
    void directory();
    void zeroByteFileBecomesAnOutbox();
    void killedWriterLosesNothing();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("outbox.db")); }
    QList<Event> notes(int n, const QString &session = Event::newId());

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_Outbox::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QList<Event> tst_Outbox::notes(int n, const QString &session)
{
    QList<Event> events;
    for (int i = 0; i < n; ++i)
        events.append(TestEvents::note(session, QStringLiteral("note %1").arg(i)));
    return events;
}

void tst_Outbox::fifoAcknowledgeAndCount()
{
    Outbox outbox;
    QVERIFY2(outbox.open(path()), qPrintable(outbox.errorString()));
    // Several sessions interleaved: the order is the order of enqueue, not grouped by session.
    const QList<Event> a = notes(3);
    const QList<Event> b = notes(2);
    QVERIFY(outbox.enqueue({a[0], b[0], a[1]}));
    QVERIFY(outbox.enqueue({b[1], a[2]}));
    QCOMPARE(outbox.count(), 5);
    const QStringList order{a[0].id, b[0].id, a[1].id, b[1].id, a[2].id};
    QCOMPARE(idsOf(*outbox.pending()), order);

    // Acknowledging from the middle keeps the order of what is left.
    QVERIFY(outbox.acknowledge({b[0].id, b[1].id, QStringLiteral("not-queued")}));
    QCOMPARE(outbox.count(), 3);
    QCOMPARE(idsOf(*outbox.pending()), (QStringList{a[0].id, a[1].id, a[2].id}));

    // New events go behind the old ones even after the newest rows were removed.
    QVERIFY(outbox.acknowledge({a[2].id}));
    const Event late = TestEvents::note(a[0].session, QStringLiteral("late"));
    QVERIFY(outbox.enqueue({late}));
    QCOMPARE(idsOf(*outbox.pending()), (QStringList{a[0].id, a[1].id, late.id}));

    QVERIFY(outbox.acknowledge(idsOf(*outbox.pending())));
    QCOMPARE(outbox.count(), 0);
    QVERIFY(outbox.pending()->isEmpty());
}

// What a client drops when the server refuses a whole session: that session's events from the
// refused one on, in queue order, and nothing of another session or queued before it.
void tst_Outbox::sessionQueuedFrom()
{
    Outbox outbox;
    QVERIFY2(outbox.open(path()), qPrintable(outbox.errorString()));
    const QList<Event> a = notes(4);
    const QList<Event> b = notes(2);
    QVERIFY(outbox.enqueue({a[0], b[0], a[1], a[2], b[1], a[3]}));
    const QString session = a[0].session;
    QCOMPARE(*outbox.sessionQueuedFrom(session, a[1].id), (QStringList{a[1].id, a[2].id, a[3].id}));
    QCOMPARE(*outbox.sessionQueuedFrom(session, a[0].id), idsOf(a));
    QCOMPARE(*outbox.sessionQueuedFrom(b[0].session, b[1].id), QStringList{b[1].id});
    // Not queued (acknowledged meanwhile), or of another session: nothing.
    QVERIFY(outbox.sessionQueuedFrom(session, b[0].id)->isEmpty());
    QVERIFY(outbox.acknowledge({a[2].id}));
    QVERIFY(outbox.sessionQueuedFrom(session, a[2].id)->isEmpty());
    QCOMPARE(*outbox.sessionQueuedFrom(session, a[1].id), (QStringList{a[1].id, a[3].id}));
    outbox.close();
    QVERIFY(!outbox.sessionQueuedFrom(session, a[1].id));
    QVERIFY(!outbox.errorString().isEmpty());
}

void tst_Outbox::pendingLimit()
{
    Outbox outbox;
    QVERIFY(outbox.open(path()));
    const QList<Event> events = notes(10);
    QVERIFY(outbox.enqueue(events));
    QCOMPARE(idsOf(*outbox.pending(3)), idsOf(events.mid(0, 3)));
    QCOMPARE(outbox.pending(0)->size(), 0);
    QCOMPARE(outbox.pending(100)->size(), 10);
    QCOMPARE(outbox.pending(-1)->size(), 10);
}

// What the client sends: each document as encode() made it (the codec's draft form, which
// the server decodes), read on from a place in the queue.
void tst_Outbox::pendingAfterGivesDocumentsAsSent()
{
    Outbox outbox;
    QVERIFY(outbox.open(path()));
    QList<Event> events = notes(6);
    events[2].seq = 7; // a draft's seq, prev and hash are never queued
    events[2].hash = QStringLiteral("ab");
    QList<QByteArray> docs;
    QString error;
    QVERIFY2(Outbox::encode(events, &docs, &error), qPrintable(error));
    QVERIFY(outbox.enqueueEncoded(events, docs));

    const auto first = outbox.pendingAfter(0, 4);
    QVERIFY(first);
    QCOMPARE(first->size(), 4);
    for (qsizetype i = 0; i < first->size(); ++i) {
        Event draft = events.at(i);
        draft.seq = 0;
        draft.hash.clear();
        QCOMPARE(first->at(i).id, events.at(i).id);
        QCOMPARE(first->at(i).session, events.at(i).session);
        QCOMPARE(first->at(i).doc, EventCodec::encode(draft, false));
        QVERIFY(EventCodec::decode(first->at(i).doc, EventCodec::Mode::Draft).ok());
        if (i > 0)
            QVERIFY(first->at(i).position > first->at(i - 1).position);
    }
    const auto rest = outbox.pendingAfter(first->at(1).position, -1);
    QCOMPARE(idsOf(events.mid(2)), [&] {
        QStringList ids;
        for (const Outbox::Queued &q : *rest)
            ids.append(q.id);
        return ids;
    }());
    QVERIFY(outbox.pendingAfter(first->constLast().position + 100, 10)->isEmpty());

    // A draft the codec refuses is not encoded, and says which one.
    events[4].id = QStringLiteral("not-a-uuid");
    QVERIFY(!Outbox::encode(events, &docs, &error));
    QVERIFY2(error.startsWith(QStringLiteral("event 5 (not-a-uuid)")), qPrintable(error));
    QVERIFY(!outbox.enqueueEncoded(events.mid(0, 2), docs.mid(0, 1)));
}

namespace {

QStringList positionsOrder(const QList<Outbox::Queued> &queued, bool *ascending)
{
    QStringList ids;
    *ascending = true;
    for (qsizetype i = 0; i < queued.size(); ++i) {
        ids.append(queued.at(i).id);
        if (i > 0 && queued.at(i).position <= queued.at(i - 1).position)
            *ascending = false;
    }
    return ids;
}

} // namespace

// The newest events are kept in memory (up to 16 MiB) so sending does not read them back; past
// that, and for what was queued before the outbox was opened, the file answers. Either way the
// queue reads the same: every event, in order, each once.
void tst_Outbox::pendingAfterPastWhatIsKeptInMemory()
{
    const QString session = Event::newId();
    const QString command = Event::newId();
    const QString line = QStringLiteral("0123456789abcdef").repeated(4) + QLatin1Char('\n');
    QList<Event> events;
    {
        Outbox before; // queued in an earlier run: only in the file
        QVERIFY(before.open(path()));
        const QList<Event> earlier = notes(3, session);
        QVERIFY(before.enqueue(earlier));
        events += earlier;
    }
    Outbox outbox;
    QVERIFY(outbox.open(path()));
    // 320 chunks of 64 KiB: 21 MB, more than is kept.
    for (int batch = 0; batch < 20; ++batch) {
        QList<Event> chunks;
        for (int i = 0; i < 16; ++i)
            chunks.append(
                TestEvents::output(session, command, batch * 16 + i, line.repeated(1000)));
        QVERIFY(outbox.enqueue(chunks));
        events += chunks;
    }
    bool ascending = false;
    const auto all = outbox.pendingAfter(0, -1);
    QVERIFY(all);
    QCOMPARE(positionsOrder(*all, &ascending), idsOf(events));
    QVERIFY(ascending);
    // Page by page, as the sender reads, from the oldest to the newest.
    QStringList paged;
    for (qint64 after = 0;;) {
        const auto page = outbox.pendingAfter(after, 7);
        QVERIFY(page);
        if (page->isEmpty())
            break;
        for (const Outbox::Queued &q : *page)
            paged.append(q.id);
        after = page->constLast().position;
    }
    QCOMPARE(paged, idsOf(events));
    // Acknowledged from the front, and one from the middle: gone from every read.
    QStringList gone = idsOf(events.mid(0, 200));
    gone.append(events.at(300).id);
    QVERIFY(outbox.acknowledge(gone));
    QList<Event> left = events.mid(200);
    left.removeAt(100);
    QCOMPARE(positionsOrder(*outbox.pendingAfter(0, -1), &ascending), idsOf(left));
    QCOMPARE(outbox.count(), left.size());
    // And the documents are the ones stored.
    const auto last = outbox.pendingAfter(all->at(all->size() - 2).position, 5);
    QCOMPARE(last->size(), 1);
    QCOMPARE(last->first().doc, all->constLast().doc);
}

// Another process with the same outbox (or another Outbox here) queues and removes events;
// what this one kept in memory must not hide either.
void tst_Outbox::pendingAfterSeesAnotherConnection()
{
    const QString session = Event::newId();
    Outbox mine;
    Outbox theirs;
    QVERIFY(mine.open(path()));
    QVERIFY(theirs.open(path()));
    const QList<Event> first = notes(3, session);
    QVERIFY(mine.enqueue(first));
    const QList<Event> second = notes(2, session);
    QVERIFY(theirs.enqueue(second));
    const QList<Event> third = notes(2, session);
    QVERIFY(mine.enqueue(third));
    bool ascending = false;
    QCOMPARE(positionsOrder(*mine.pendingAfter(0, -1), &ascending), idsOf(first + second + third));
    QVERIFY(ascending);
    QVERIFY(theirs.acknowledge({first.at(1).id, third.at(0).id}));
    QCOMPARE(positionsOrder(*mine.pendingAfter(0, -1), &ascending),
             (QStringList{first.at(0).id, first.at(2).id, second.at(0).id, second.at(1).id,
                          third.at(1).id}));

    // One id in two sessions (an author that reuses ids): acknowledging it removes both rows,
    // from the file and from what is kept, or the other would be sent forever.
    Outbox solo;
    QVERIFY(solo.open(m_dir->filePath(QStringLiteral("solo.db"))));
    const Event once = TestEvents::note(Event::newId(), QStringLiteral("one session"));
    Event twice = TestEvents::note(Event::newId(), QStringLiteral("same id, other session"));
    twice.id = once.id;
    QVERIFY(solo.enqueue({once}));
    QVERIFY(solo.enqueue({twice}));
    QCOMPARE(solo.pendingAfter(0, -1)->size(), 2);
    QVERIFY(solo.acknowledge({once.id}));
    QCOMPARE(solo.count(), 0);
    QCOMPARE(solo.pendingAfter(0, -1)->size(), 0);
}

void tst_Outbox::survivesReopen()
{
    const QList<Event> events = notes(4);
    {
        Outbox outbox;
        QVERIFY(outbox.open(path()));
        QVERIFY(outbox.enqueue(events));
        QVERIFY(outbox.acknowledge({events[1].id}));
        // A removal is not synced on its own; what is queued after it still is.
        QCOMPARE(outbox.pragma(QStringLiteral("synchronous")), QStringLiteral("2"));
    }
    QCOMPARE(rawScalar(path(), QStringLiteral("PRAGMA journal_mode")), QStringLiteral("wal"));
    Outbox outbox;
    QVERIFY2(outbox.open(path()), qPrintable(outbox.errorString()));
    // WAL + FULL is what makes a returned enqueue survive a power cut, which no test here can
    // simulate; so the settings themselves are checked. 2 = FULL.
    QCOMPARE(outbox.pragma(QStringLiteral("journal_mode")), QStringLiteral("wal"));
    QCOMPARE(outbox.pragma(QStringLiteral("synchronous")), QStringLiteral("2"));
    QCOMPARE(outbox.pragma(QStringLiteral("secure_delete")), QStringLiteral("2")); // FAST
    QCOMPARE(outbox.pragma(QStringLiteral("user_version; DROP TABLE outbox")), QString());
    QCOMPARE(idsOf(*outbox.pending()), (QStringList{events[0].id, events[2].id, events[3].id}));
}

// 16 KiB pages: a chunk of output is five pages, not a chain of seventeen. An outbox of
// an earlier version (4 KiB pages) keeps them while events wait in it and is rewritten once
// its queue is empty.
void tst_Outbox::pagesHoldAChunkOfOutput()
{
    {
        Outbox outbox;
        QVERIFY(outbox.open(path()));
        QCOMPARE(outbox.pragma(QStringLiteral("page_size")), QString::number(Outbox::pageSize));
        QCOMPARE(outbox.pragma(QStringLiteral("journal_mode")), QStringLiteral("wal"));
    }
    // As an earlier version left it: 4 KiB pages, WAL, one event waiting.
    const QList<Event> events = notes(2);
    {
        Outbox outbox;
        QVERIFY(outbox.open(path()));
        QVERIFY(outbox.enqueue(events));
    }
    {
        const QString name = QStringLiteral("tst_Outbox-vacuum");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path());
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode = DELETE")));
            QVERIFY(q.exec(QStringLiteral("PRAGMA page_size = 4096")));
            QVERIFY(q.exec(QStringLiteral("VACUUM")));
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode = WAL")));
        }
        QSqlDatabase::removeDatabase(name);
    }
    QCOMPARE(rawScalar(path(), QStringLiteral("PRAGMA page_size")), QStringLiteral("4096"));
    {
        Outbox outbox;
        QVERIFY2(outbox.open(path()), qPrintable(outbox.errorString()));
        QCOMPARE(outbox.pragma(QStringLiteral("page_size")), QStringLiteral("4096"));
        QCOMPARE(outbox.pragma(QStringLiteral("journal_mode")), QStringLiteral("wal"));
        QCOMPARE(idsOf(*outbox.pending()), idsOf(events));
        QVERIFY(outbox.acknowledge(idsOf(events)));
    }
    Outbox outbox;
    QVERIFY2(outbox.open(path()), qPrintable(outbox.errorString()));
    QCOMPARE(outbox.pragma(QStringLiteral("page_size")), QString::number(Outbox::pageSize));
    QCOMPARE(outbox.pragma(QStringLiteral("journal_mode")), QStringLiteral("wal"));
    QCOMPARE(outbox.pragma(QStringLiteral("synchronous")), QStringLiteral("2"));
    const QList<Event> later = notes(3);
    QVERIFY(outbox.enqueue(later));
    QCOMPARE(idsOf(*outbox.pending()), idsOf(later));
}

void tst_Outbox::enqueueIsAllOrNothing()
{
    Outbox outbox;
    QVERIFY(outbox.open(path()));
    QVERIFY(outbox.enqueue(notes(1)));
    QList<Event> batch = notes(3);
    batch[1].session = QStringLiteral("NOT-A-UUID");
    QVERIFY(!outbox.enqueue(batch));
    QVERIFY2(outbox.errorString().contains(QStringLiteral("event 2 (") + batch[1].id),
             qPrintable(outbox.errorString()));
    QVERIFY2(outbox.errorString().contains(QStringLiteral("session")),
             qPrintable(outbox.errorString()));
    QCOMPARE(outbox.count(), 1);
    // Still usable afterwards.
    batch[1].session = batch[0].session;
    QVERIFY2(outbox.enqueue(batch), qPrintable(outbox.errorString()));
    QCOMPARE(outbox.count(), 4);
}

void tst_Outbox::duplicateKeepsFirstPlace()
{
    Outbox outbox;
    QVERIFY(outbox.open(path()));
    const QList<Event> events = notes(3);
    QVERIFY(outbox.enqueue(events));
    QVERIFY(outbox.enqueue({events[0], events[2]}));
    QCOMPARE(idsOf(*outbox.pending()), idsOf(events));
    // The same id in another session is another event.
    Event other = events[0];
    other.session = Event::newId();
    QVERIFY(outbox.enqueue({other}));
    QCOMPARE(outbox.count(), 4);
}

void tst_Outbox::draftsAreStoredAsDrafts()
{
    Outbox outbox;
    QVERIFY(outbox.open(path()));
    Event e = TestEvents::note(Event::newId(), QStringLiteral("sealed by mistake"));
    e.seq = 9;
    e.prev = QString(64, QLatin1Char('a'));
    e.hash = QString(64, QLatin1Char('b'));
    QVERIFY(outbox.enqueue({e}));
    const Event back = outbox.pending()->first();
    QCOMPARE(back.seq, 0);
    QVERIFY(back.prev.isEmpty());
    QVERIFY(back.hash.isEmpty());
    QCOMPARE(back.body, e.body);
}

void tst_Outbox::unknownFieldsRoundTrip()
{
    Outbox outbox;
    QVERIFY(outbox.open(path()));
    Event e = TestEvents::output(Event::newId(), Event::newId(), 3,
                                 QStringLiteral("ünïcode \u2603 and \"quotes\"\n"));
    e.unknown.insert(QStringLiteral("x-newer"), QJsonObject{{QStringLiteral("a"), 1}});
    e.body.insert(QStringLiteral("futureField"), true);
    QVERIFY(outbox.enqueue({e}));
    const Event back = outbox.pending()->first();
    QCOMPARE(EventCodec::encode(back), EventCodec::encode(e));
}

void tst_Outbox::inMemoryOutboxesAreSeparate()
{
    Outbox a, b;
    QVERIFY(a.openInMemory());
    QVERIFY(b.openInMemory());
    QVERIFY(a.enqueue(notes(2)));
    QVERIFY(b.enqueue(notes(5)));
    QCOMPARE(a.count(), 2);
    QCOMPARE(b.count(), 5);
    QVERIFY(a.path().isEmpty());
}

void tst_Outbox::closedOutboxFailsCleanly()
{
    Outbox outbox;
    QVERIFY(!outbox.enqueue(notes(1)));
    QVERIFY(!outbox.errorString().isEmpty());
    QVERIFY(!outbox.pending());
    QVERIFY(!outbox.acknowledge({QStringLiteral("x")}));
    QCOMPARE(outbox.count(), -1);
    QVERIFY(outbox.open(path()));
    outbox.close();
    QVERIFY(!outbox.isOpen());
    QCOMPARE(outbox.count(), -1);
}

void tst_Outbox::notSqlite()
{
    {
        QFile f(path());
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("these are not the events you are looking for\n");
    }
    const QByteArray before = digest(path());
    Outbox outbox;
    QVERIFY(!outbox.open(path()));
    QVERIFY2(outbox.errorString().contains(QStringLiteral("not an SQLite database")),
             qPrintable(outbox.errorString()));
    QVERIFY(!outbox.isOpen());
    QCOMPARE(digest(path()), before);
    QVERIFY(!outbox.enqueue(notes(1)));
}

void tst_Outbox::damagedSqlite()
{
    // A valid header and garbage behind it, as after a bad copy.
    QByteArray bytes("SQLite format 3\0", 16);
    auto *rng = QRandomGenerator::global();
    while (bytes.size() < 8192)
        bytes.append(char(rng->bounded(256)));
    {
        QFile f(path());
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }
    Outbox outbox;
    QVERIFY(!outbox.open(path()));
    QVERIFY2(outbox.errorString().contains(QStringLiteral("not a usable outbox")),
             qPrintable(outbox.errorString()));
    QCOMPARE(digest(path()), QCryptographicHash::hash(bytes, QCryptographicHash::Sha256));
}

void tst_Outbox::foreignDatabase()
{
    {
        EventStore store;
        QVERIFY(store.open(path()));
    }
    const QByteArray before = digest(path());
    Outbox outbox;
    QVERIFY(!outbox.open(path()));
    QVERIFY2(outbox.errorString().contains(QStringLiteral("another application")),
             qPrintable(outbox.errorString()));
    QCOMPARE(digest(path()), before);
}

void tst_Outbox::newerOutbox()
{
    {
        Outbox outbox;
        QVERIFY(outbox.open(path()));
        QVERIFY(outbox.enqueue(notes(1)));
    }
    rawScalar(path(), QStringLiteral("PRAGMA user_version = %1").arg(Outbox::schemaVersion + 1));
    QCOMPARE(rawScalar(path(), QStringLiteral("PRAGMA user_version")),
             QString::number(Outbox::schemaVersion + 1));
    Outbox outbox;
    QVERIFY(!outbox.open(path()));
    QVERIFY2(outbox.errorString().contains(QStringLiteral("newer")),
             qPrintable(outbox.errorString()));
}

void tst_Outbox::directory()
{
    Outbox outbox;
    QVERIFY(!outbox.open(m_dir->path()));
    QVERIFY2(outbox.errorString().contains(QStringLiteral("directory")),
             qPrintable(outbox.errorString()));
    QVERIFY(!outbox.open(QString()));
}

void tst_Outbox::zeroByteFileBecomesAnOutbox()
{
    {
        QFile f(path());
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    Outbox outbox;
    QVERIFY2(outbox.open(path()), qPrintable(outbox.errorString()));
    QVERIFY(outbox.enqueue(notes(2)));
    QCOMPARE(outbox.count(), 2);
}

// A writer killed with SIGKILL while queueing and acknowledging: every event whose enqueue had
// returned is still queued, once, in order; every acknowledgement that had returned is kept;
// one cut short is all or nothing.
void tst_Outbox::killedWriterLosesNothing()
{
    const QString session = Event::newId();
    QStringList model; // what is queued at the start of a round, in order

    for (int round = 0; round < 6; ++round) {
        QProcess writer;
        writer.setProcessChannelMode(QProcess::SeparateChannels);
        writer.start(QStringLiteral(OUTBOX_WRITER), {path(), session});
        QVERIFY2(writer.waitForStarted(), qPrintable(writer.errorString()));

        QStringList queued;
        QSet<QString> acked;
        QStringList acking; // an acknowledge that had started but not returned
        QByteArray buffer;
        const auto drain = [&] {
            buffer += writer.readAllStandardOutput();
            qsizetype nl;
            while ((nl = buffer.indexOf('\n')) >= 0) {
                const QString line = QString::fromLatin1(buffer.left(nl));
                buffer.remove(0, nl + 1);
                if (line.startsWith(QLatin1String("queued "))) {
                    queued.append(line.mid(7));
                } else if (line.startsWith(QLatin1String("acking "))) {
                    acking = line.mid(7).split(QLatin1Char(' '));
                } else if (line == QLatin1String("acked")) {
                    acked.unite(QSet<QString>(acking.cbegin(), acking.cend()));
                    acking.clear();
                }
            }
        };
        // Once it is running, kill it after a random time, reading its output all along so it
        // never waits on a full pipe: the kill then lands anywhere, inside a transaction too.
        QElapsedTimer timer;
        timer.start();
        while (queued.size() < 50 && timer.elapsed() < 60000) {
            writer.waitForReadyRead(1000);
            drain();
            QVERIFY2(writer.state() == QProcess::Running,
                     writer.readAllStandardError().constData());
        }
        const int killAt = QRandomGenerator::global()->bounded(20, 400);
        timer.restart();
        while (timer.elapsed() < killAt) {
            writer.waitForReadyRead(5);
            drain();
            QVERIFY2(writer.state() == QProcess::Running,
                     writer.readAllStandardError().constData());
        }
        writer.kill(); // SIGKILL
        QVERIFY(writer.waitForFinished(10000));
        QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
        drain(); // lines already in the pipe were printed after their call returned: they count
        QVERIFY(queued.size() >= 50);

        QCOMPARE(rawScalar(path(), QStringLiteral("PRAGMA integrity_check")), QStringLiteral("ok"));
        Outbox outbox;
        QVERIFY2(outbox.open(path()), qPrintable(outbox.errorString()));
        const auto pending = outbox.pending();
        QVERIFY2(pending, qPrintable(outbox.errorString()));
        const QStringList got = idsOf(*pending);
        const QSet<QString> gotSet(got.cbegin(), got.cend());
        QCOMPARE(gotSet.size(), got.size()); // nothing twice

        const QStringList known = model + queued;
        const QSet<QString> knownSet(known.cbegin(), known.cend());
        const QSet<QString> uncertain(acking.cbegin(), acking.cend());
        for (const QString &id : known) {
            if (acked.contains(id))
                QVERIFY2(!gotSet.contains(id), "an acknowledged event came back");
            else if (!uncertain.contains(id))
                QVERIFY2(gotSet.contains(id),
                         qPrintable(QStringLiteral("queued event %1 was lost").arg(id)));
        }
        // An acknowledge cut short by the kill is one transaction: all or nothing.
        if (!uncertain.isEmpty()) {
            const qsizetype left =
                std::count_if(acking.cbegin(), acking.cend(),
                              [&](const QString &id) { return gotSet.contains(id); });
            QVERIFY2(left == 0 || left == acking.size(), "half an acknowledge survived");
        }
        // The order is the order of enqueue; unknown ids (a batch queued but not yet printed)
        // can only be at the end, and only one batch of them.
        QStringList expectedOrder;
        for (const QString &id : known) {
            if (gotSet.contains(id))
                expectedOrder.append(id);
        }
        QCOMPARE(got.mid(0, expectedOrder.size()), expectedOrder);
        const qsizetype unprinted = got.size() - expectedOrder.size();
        QVERIFY2(unprinted < 30, "more than one unprinted batch");
        for (qsizetype i = expectedOrder.size(); i < got.size(); ++i)
            QVERIFY(!knownSet.contains(got.at(i)));

        qInfo("round %d: %lld queued, %lld acknowledged, %lld pending (%lld unprinted), "
              "acknowledge cut short: %s",
              round, qint64(queued.size()), qint64(acked.size()), qint64(got.size()),
              qint64(unprinted), uncertain.isEmpty() ? "no" : "yes");
        model = got;
    }
}

QTEST_GUILESS_MAIN(tst_Outbox)
#include "tst_Outbox.moc"
