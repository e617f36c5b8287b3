#include "DiskFull.h"
#include "MockSyncServer.h"
#include "TestEvents.h"
#include "events/EventCodec.h"
#include "events/HashChain.h"
#include "store/EventStore.h"
#include "sync/Outbox.h"
#include "sync/SyncClient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <unistd.h>

using namespace casefile;

namespace {

QStringList idsOf(const QList<Event> &events)
{
    QStringList ids;
    for (const Event &e : events)
        ids.append(e.id);
    return ids;
}

// Everything a client emits, in one place.
struct Recorder
{
    QList<SyncClient::State> states;
    QList<int> reconnectDelays;
    QList<QJsonObject> welcomes;
    QList<QPair<QString, QString>> fatals; // code, message
    QList<AppendAck> acks;
    QStringList refusedIds;
    QStringList refusedCodes;
    QList<qint64> heads;
    QList<Event> events;
    QList<QPair<QString, QJsonObject>> pushes;
    QElapsedTimer sinceWelcome;

    explicit Recorder(SyncClient &c)
    {
        QObject::connect(&c, &SyncClient::stateChanged,
                         [this](SyncClient::State s) { states.append(s); });
        QObject::connect(&c, &SyncClient::reconnectIn,
                         [this](int ms) { reconnectDelays.append(ms); });
        QObject::connect(&c, &SyncClient::welcomed, [this](const QJsonObject &p) {
            welcomes.append(p);
            sinceWelcome.start();
        });
        QObject::connect(&c, &SyncClient::fatalError,
                         [this](const QString &code, const QString &m) {
                             fatals.append({code, m});
                         });
        QObject::connect(&c, &SyncClient::acknowledged,
                         [this](const QList<AppendAck> &a) { acks += a; });
        QObject::connect(&c, &SyncClient::appendRefused,
                         [this](const QStringList &ids, const QString &code, const QString &) {
                             refusedIds += ids;
                             refusedCodes.append(code);
                         });
        QObject::connect(&c, &SyncClient::subscribed,
                         [this](const QString &, qint64 head) { heads.append(head); });
        QObject::connect(&c, &SyncClient::eventsReceived,
                         [this](const QString &, const QList<Event> &e) { events += e; });
        QObject::connect(&c, &SyncClient::pushReceived,
                         [this](const QString &type, const QJsonObject &m) {
                             pushes.append({type, m});
                         });
    }
    QStringList ackedIds() const
    {
        QStringList ids;
        for (const AppendAck &a : acks)
            ids.append(a.id);
        return ids;
    }
    QList<qint64> eventSeqs() const
    {
        QList<qint64> seqs;
        for (const Event &e : events)
            seqs.append(e.seq);
        return seqs;
    }
    int count(SyncClient::State s) const { return int(states.count(s)); }
};

QList<QByteArray> docsOf(const QList<Event> &events)
{
    QList<QByteArray> docs;
    for (const Event &e : events)
        docs.append(EventCodec::encode(e));
    return docs;
}

// A session on the mock server as casefiled would have it: session.opened first, then notes.
QString openSession(MockSyncServer &server, int notes,
                    const QString &title = QStringLiteral("Outlook cannot connect"),
                    QString session = {})
{
    if (session.isEmpty())
        session = Event::newId();
    TestEvents::SessionSpec spec;
    spec.title = title;
    server.addEvent(TestEvents::opened(session, spec));
    for (int i = 0; i < notes; ++i)
        server.addEvent(TestEvents::note(session, QStringLiteral("%1 note %2").arg(title).arg(i)));
    return session;
}

QList<qint64> range(qint64 from, qint64 to)
{
    QList<qint64> r;
    for (qint64 i = from; i <= to; ++i)
        r.append(i);
    return r;
}

} // namespace

class tst_SyncClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void helloAndWelcome();
    void unauthorizedStopsRetrying();
    void binaryFramesOnceWelcomedWithThem();
    void appendIsAcknowledgedAndLeavesTheOutbox();
    void reconnectResendsPendingInOrder_data();
    void reconnectResendsPendingInOrder();
    void refusalInThePipelineKeepsTheOrder_data();
    void refusalInThePipelineKeepsTheOrder();
    void refusalForNowWaitsOutTheBackoff();
    void appendsAndSubscriptionsBackOffApart_data();
    void appendsAndSubscriptionsBackOffApart();
    void acknowledgedButNotRemovedWaitsOutTheBackoff();
    void refusedButNotRemovedWaitsOutTheBackoff();
    void refusedServerBacksOffAndOutboxOutlivesTheClient();
    void refusedEventsAreIsolated_data();
    void refusedEventsAreIsolated();
    void closedSessionsBacklogIsDroppedInOneAnswer_data();
    void closedSessionsBacklogIsDroppedInOneAnswer();
    void transientErrorsAreRetried();
    void framesStayUnderTheLimit();
    void eventsWaitForAServerThatTakesThem();
    void subscribeReplaysLiveAndFiltersDuplicates();
    void resubscribesFromLastSeqAfterReconnect();
    void unsubscribeStopsDelivery();
    void pendingRequestsFailWhenTheConnectionDrops();
    void repliesAreMatchedByReq();
    void requestsWhileOfflineOrConnecting();
    void heartbeatKeepsTheConnection();
    void serverHeartbeatIsHonoured();
    void silenceTriggersReconnect();
    void stopDoesNotReconnect();
    void pushesAreForwarded();
    void badServerAndBadOutbox();
    void cacheKeepsEveryDeliveredEvent();
    void restartedClientResumesFromTheCache();
    void cachedEventsWorkOffline();
    void cacheOfAnotherChainRaisesCacheError();
    void serverBehindTheCacheRaisesCacheError();
    void badPushKeepsTheGoodPartInTheCache();
    void unusableCacheIsReportedAndIgnored();

private:
    std::unique_ptr<SyncClient> makeClient(const QUrl &url, const QString &outbox = {});
    QString outboxPath() const { return m_dir->filePath(QStringLiteral("outbox.db")); }
    QString cachePath() const { return m_dir->filePath(QStringLiteral("cache.db")); }
    // Subscribes a cached client to `session` and waits until it has delivered up to `head`.
    void fillCache(MockSyncServer &server, const QString &session, qint64 head);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_SyncClient::initTestCase()
{
    // As the agent does: past a file size limit a write fails instead of killing the process.
    std::signal(SIGXFSZ, SIG_IGN);
}

void tst_SyncClient::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

std::unique_ptr<SyncClient> tst_SyncClient::makeClient(const QUrl &url, const QString &outbox)
{
    auto client = std::make_unique<SyncClient>();
    client->setServer(url);
    client->setToken(QStringLiteral("cf_good"));
    client->setClientName(QStringLiteral("tst_SyncClient/1"));
    // The lowest draw every time: delays are exactly 20, 40, 80 … ms, capped at 200.
    Backoff backoff([] { return 0.0; });
    backoff.setBase(40);
    backoff.setCap(400);
    client->setBackoff(backoff);
    if (!outbox.isEmpty())
        client->setOutboxPath(outbox);
    return client;
}

void tst_SyncClient::helloAndWelcome()
{
    MockSyncServer server;
    QVERIFY(server.isListening());
    auto client = makeClient(server.url());
    Recorder rec(*client);
    QCOMPARE(client->state(), SyncClient::State::Offline);
    QCOMPARE(client->server().path(), QStringLiteral("/ws"));

    client->start();
    QTRY_COMPARE(client->state(), SyncClient::State::Online);
    QCOMPARE(rec.states,
             (QList<SyncClient::State>{SyncClient::State::Connecting, SyncClient::State::Online}));
    QCOMPARE(rec.welcomes, QList<QJsonObject>{server.principal});
    QCOMPARE(client->principal(), server.principal);
    QCOMPARE(server.paths, QStringList{QStringLiteral("/ws")});
    QCOMPARE(server.hellos.size(), 1);
    const QJsonObject hello = server.hellos.first();
    QCOMPARE(hello.value(QStringLiteral("token")).toString(), QStringLiteral("cf_good"));
    QCOMPARE(hello.value(QStringLiteral("client")).toString(), QStringLiteral("tst_SyncClient/1"));
    QCOMPARE(hello.value(QStringLiteral("protocol")).toInt(), 1);
    QVERIFY(!hello.contains(QStringLiteral("req")));

    // http:// is taken for ws://, and an explicit path is kept.
    client->setServer(QUrl(QStringLiteral("https://example.org:8443/casefile/ws")));
    QCOMPARE(client->server(), QUrl(QStringLiteral("wss://example.org:8443/casefile/ws")));
}

void tst_SyncClient::unauthorizedStopsRetrying()
{
    MockSyncServer server;
    auto client = makeClient(server.url());
    client->setToken(QStringLiteral("cf_revoked"));
    Recorder rec(*client);
    client->start();
    QTRY_COMPARE(rec.fatals.size(), 1);
    QCOMPARE(rec.fatals.first().first, QStringLiteral("unauthorized"));
    QCOMPARE(rec.fatals.first().second, QStringLiteral("unknown token"));
    QCOMPARE(client->state(), SyncClient::State::Offline);
    // Several backoff periods later: no second attempt, no countdown.
    QTest::qWait(600);
    QCOMPARE(server.connections, 1);
    QCOMPARE(rec.fatals.size(), 1);
    QVERIFY(rec.reconnectDelays.isEmpty());
    QCOMPARE(rec.count(SyncClient::State::Online), 0);
    QCOMPARE(rec.count(SyncClient::State::Reconnecting), 0);

    // A new token and an explicit start() work again.
    client->setToken(QStringLiteral("cf_good"));
    client->start();
    QTRY_COMPARE(client->state(), SyncClient::State::Online);
    QCOMPARE(server.connections, 2);
}

void tst_SyncClient::binaryFramesOnceWelcomedWithThem()
{
    MockSyncServer server;
    server.binaryFrames = true;
    auto client = makeClient(server.url(), outboxPath());
    Recorder rec(*client);
    const QString session = Event::newId();
    const Event pushed =
        server.addEvent(TestEvents::note(session, QStringLiteral("from the server")));
    client->start();
    QTRY_COMPARE(rec.welcomes.size(), 1);
    QVERIFY(server.hellos.last().value(QStringLiteral("binaryFrames")).toBool());
    const Event mine = TestEvents::note(session, QStringLiteral("after the welcome"));
    QVERIFY(client->append({mine}));
    client->subscribe(session, 0);
    QTRY_COMPARE(rec.acks.size(), 1);
    QTRY_VERIFY(!rec.events.isEmpty());
    QCOMPARE(rec.events.first().id, pushed.id); // came in a binary frame
    QVERIFY(server.binaryMessages >= 2);        // the append and the subscribe
    QCOMPARE(server.textMessagesAfterBinary, 0);

    // A new connection starts on text again: its hello is text (the mock ignores a binary one
    // before the welcome, so the client would never be welcomed).
    server.dropAll();
    QTRY_COMPARE_WITH_TIMEOUT(rec.welcomes.size(), 2, 15000);
    const Event again = TestEvents::note(session, QStringLiteral("after the reconnect"));
    const int before = server.binaryMessages;
    QVERIFY(client->append({again}));
    QTRY_COMPARE(rec.acks.size(), 2);
    QVERIFY(server.binaryMessages > before);
    QCOMPARE(server.textMessagesAfterBinary, 0);
}

void tst_SyncClient::appendIsAcknowledgedAndLeavesTheOutbox()
{
    MockSyncServer server;
    auto client = makeClient(server.url(), outboxPath());
    Recorder rec(*client);
    const QString session = Event::newId();
    QList<Event> first;
    for (int i = 0; i < 3; ++i)
        first.append(TestEvents::note(session, QStringLiteral("before start %1").arg(i)));
    // Queued while offline: durable before anything is sent.
    QVERIFY2(client->append(first), qPrintable(client->errorString()));
    QCOMPARE(client->pendingCount(), 3);
    {
        Outbox peek;
        QVERIFY(peek.open(outboxPath()));
        QCOMPARE(idsOf(*peek.pending()), idsOf(first));
    }

    client->start();
    QTRY_COMPARE(rec.acks.size(), 3);
    QCOMPARE(server.committedIds, idsOf(first));
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(rec.acks[i].id, first[i].id);
        QCOMPARE(rec.acks[i].session, session);
        QCOMPARE(rec.acks[i].seq, i + 1);
        QCOMPARE(rec.acks[i].hash, server.records[session][i].hash);
        QVERIFY(!rec.acks[i].duplicate);
    }
    QCOMPARE(client->pendingCount(), 0);

    // While online: sent right away; two appends in one pass of the event loop share a frame.
    const Event a = TestEvents::note(session, QStringLiteral("online a"));
    const Event b = TestEvents::note(session, QStringLiteral("online b"));
    QVERIFY(client->append({a}));
    QVERIFY(client->append({b}));
    QTRY_COMPARE(rec.acks.size(), 5);
    QCOMPARE(rec.acks[3].seq, 4);
    QCOMPARE(rec.acks[4].seq, 5);
    QCOMPARE(server.appendRequests, 2);
    QCOMPARE(client->pendingCount(), 0);
    Outbox peek;
    QVERIFY(peek.open(outboxPath()));
    QCOMPARE(peek.count(), 0);
}

void tst_SyncClient::refusalInThePipelineKeepsTheOrder_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("abortedFirst");
    QTest::newRow("for now") << QStringLiteral("unavailable") << false;
    QTest::newRow("rate limited") << QStringLiteral("rate_limited") << false;
    // The refusal's own answer comes after the `aborted` of the append behind it: the client
    // must still wait for it before it sends anything under the next number.
    QTest::newRow("aborted answered first") << QStringLiteral("unavailable") << true;
}

// Several appends go out at once (PROTOCOL.md 6.8). When the second is refused for now, the
// server voids the ones behind it; the client sends them again under a new pipeline number,
// and the record keeps the order the events were written in.
void tst_SyncClient::refusalInThePipelineKeepsTheOrder()
{
    QFETCH(QString, code);
    QFETCH(bool, abortedFirst);
    MockSyncServer server;
    server.eventsPerAppend = 10;
    server.errorAtAppend = 2;
    server.errorCode = code;
    server.errorAfterAborted = abortedFirst;
    auto client = makeClient(server.url(), outboxPath());
    Recorder rec(*client);
    const QString session = Event::newId();
    QList<Event> drafts;
    for (int i = 0; i < 45; ++i)
        drafts.append(TestEvents::note(session, QStringLiteral("event %1").arg(i)));
    QVERIFY(client->append(drafts));
    client->start();

    QTRY_COMPARE_WITH_TIMEOUT(rec.acks.size(), 45, 10000);
    QCOMPARE(server.committedIds, idsOf(drafts));
    QCOMPARE(rec.ackedIds(), idsOf(drafts));
    // Appends 3 and 4 were in flight behind the refused one, and void (and any sent before
    // the client heard of the refusal).
    QVERIFY2(server.abortedAppends >= 2, qPrintable(QString::number(server.abortedAppends)));
    QCOMPARE(server.duplicates, 0);
    QCOMPARE(client->pendingCount(), 0);
}

// rate_limited asks the client to slow down: what it sends again goes after the backoff, also
// when new events are written meanwhile (a command's output keeps coming every 50 ms).
void tst_SyncClient::refusalForNowWaitsOutTheBackoff()
{
    MockSyncServer server;
    server.eventsPerAppend = 10;
    server.errorAtAppend = 2;
    server.errorCode = QStringLiteral("rate_limited");
    auto client = makeClient(server.url(), outboxPath());
    Backoff backoff([] { return 0.0; });
    backoff.setBase(1000); // the lowest draw: the first retry comes after 500 ms
    client->setBackoff(backoff);
    Recorder rec(*client);
    const QString session = Event::newId();
    QList<Event> drafts;
    for (int i = 0; i < 30; ++i)
        drafts.append(TestEvents::note(session, QStringLiteral("event %1").arg(i)));
    QVERIFY(client->append(drafts));
    client->start();

    const auto refusal = [&server]() -> const MockSyncServer::AppendArrival * {
        for (const MockSyncServer::AppendArrival &a : std::as_const(server.arrivals)) {
            if (a.refusedWith == QLatin1String("rate_limited"))
                return &a;
        }
        return nullptr;
    };
    QTRY_VERIFY(refusal());
    const MockSyncServer::AppendArrival refused = *refusal();
    QTest::qWait(50); // the client has the refusal
    QList<Event> later;
    for (int i = 0; i < 5; ++i)
        later.append(TestEvents::note(session, QStringLiteral("later %1").arg(i)));
    QVERIFY(client->append(later));

    QTRY_COMPARE_WITH_TIMEOUT(rec.acks.size(), 35, 10000);
    QCOMPARE(server.committedIds, idsOf(drafts + later));
    const auto resend = std::find_if(
        server.arrivals.cbegin(), server.arrivals.cend(),
        [&](const MockSyncServer::AppendArrival &a) { return a.pipeline > refused.pipeline; });
    QVERIFY(resend != server.arrivals.cend());
    // 500 ms, less what a coarse timer may fire early (5%).
    QVERIFY2(resend->ms - refused.ms >= 450,
             qPrintable(QStringLiteral("resent after %1 ms").arg(resend->ms - refused.ms)));
    QCOMPARE(server.duplicates, 0);
}

void tst_SyncClient::appendsAndSubscriptionsBackOffApart_data()
{
    QTest::addColumn<bool>("appendsMeanwhile");
    // Succeeding appends must not keep the failing subscription at the shortest delay.
    QTest::newRow("subscription retried while appends go through") << true;
    // Failed subscribes must not make a refused append wait longer.
    QTest::newRow("append refused after the subscription's retries") << false;
}

void tst_SyncClient::appendsAndSubscriptionsBackOffApart()
{
    // Three subscribes refused for now: retried after 500, 1000 and 2000 ms at the lowest draw,
    // whatever the appends do meanwhile. An append refused for now afterwards waits the first
    // step of its own backoff (500 ms), not the fourth of the subscriptions' (4000 ms).
    QFETCH(bool, appendsMeanwhile);
    MockSyncServer server;
    server.subscribeErrors = {QStringLiteral("unavailable"), QStringLiteral("unavailable"),
                              QStringLiteral("unavailable")};
    auto client = makeClient(server.url(), outboxPath());
    Backoff backoff([] { return 0.0; });
    backoff.setBase(1000);
    client->setBackoff(backoff);
    Recorder rec(*client);
    const QString session = Event::newId();
    QSignalSpy subscribed(client.get(), &SyncClient::subscribed);
    client->subscribe(session, 0);
    client->start();
    QTimer appender;
    int appended = 0;
    connect(&appender, &QTimer::timeout, client.get(), [&] {
        appended += client->append({TestEvents::note(session, QStringLiteral("meanwhile"))});
    });
    if (appendsMeanwhile)
        appender.start(100);
    QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 1, 10000);
    appender.stop();
    QCOMPARE(server.subscribeMs.size(), 4);
    const qint64 third = server.subscribeMs.at(3) - server.subscribeMs.at(2);
    QVERIFY2(third >= 1900, qPrintable(QStringLiteral("third retry after %1 ms").arg(third)));
    if (appendsMeanwhile) {
        QVERIFY(appended > 20); // they did go through meanwhile
        QTRY_COMPARE(qsizetype(rec.acks.size()), qsizetype(appended));
        return;
    }

    server.appendErrors = {QStringLiteral("unavailable")};
    QVERIFY(client->append({TestEvents::note(session, QStringLiteral("after the retries"))}));
    QTRY_COMPARE_WITH_TIMEOUT(rec.acks.size(), 1, 10000);
    QCOMPARE(server.arrivals.size(), 2);
    QCOMPARE(server.arrivals.at(0).refusedWith, QStringLiteral("unavailable"));
    const qint64 waited = server.arrivals.at(1).ms - server.arrivals.at(0).ms;
    QVERIFY2(waited >= 450 && waited < 2000,
             qPrintable(QStringLiteral("resent after %1 ms").arg(waited)));
}

void tst_SyncClient::acknowledgedButNotRemovedWaitsOutTheBackoff()
{
    // The outbox cannot delete what the server acknowledged (a full disk): the events go out
    // again, come back as duplicates, and must not go round as fast as the server answers.
    MockSyncServer server;
    auto client = makeClient(server.url(), outboxPath());
    Backoff backoff([] { return 0.0; });
    backoff.setBase(1000); // the lowest draw: resent after 500 ms, then 1000 ms
    client->setBackoff(backoff);
    Recorder rec(*client);
    const QString session = Event::newId();
    QList<Event> drafts;
    for (int i = 0; i < 5; ++i)
        drafts.append(TestEvents::note(session, QStringLiteral("event %1").arg(i)));
    QVERIFY(client->append(drafts));
    QCOMPARE(client->pendingCount(), 5);
    {
        DiskFull full(::getpid());
        QVERIFY(full.isOk());
        client->start();
        QTRY_VERIFY(!rec.acks.isEmpty());
        QTest::qWait(1200);
        QVERIFY(full.end());
    }
    // Sent, then resent after 500 ms (and perhaps once more): without the hold, hundreds.
    QVERIFY2(server.arrivals.size() >= 2 && server.arrivals.size() <= 4,
             qPrintable(QStringLiteral("%1 appends").arg(server.arrivals.size())));
    QVERIFY(server.duplicates >= 5);
    // With room again, the next resend's acknowledgement empties the outbox.
    QTRY_COMPARE_WITH_TIMEOUT(client->pendingCount(), 0, 10000);
    QCOMPARE(server.committedIds, idsOf(drafts));
}

void tst_SyncClient::refusedButNotRemovedWaitsOutTheBackoff()
{
    // The same for events the server refuses for good: kept (the outbox cannot delete them),
    // offered again after the backoff, and reported refused once, when they are gone.
    MockSyncServer server;
    server.nameRefusedEvents = true;
    const QString session = Event::newId();
    server.closedSessions.insert(session);
    auto client = makeClient(server.url(), outboxPath());
    Backoff backoff([] { return 0.0; });
    backoff.setBase(1000);
    client->setBackoff(backoff);
    Recorder rec(*client);
    QList<Event> drafts;
    for (int i = 0; i < 5; ++i)
        drafts.append(TestEvents::note(session, QStringLiteral("event %1").arg(i)));
    QVERIFY(client->append(drafts));
    {
        DiskFull full(::getpid());
        QVERIFY(full.isOk());
        client->start();
        QTRY_VERIFY(!server.arrivals.isEmpty());
        QTest::qWait(1200);
        QVERIFY2(rec.refusedIds.isEmpty(), qPrintable(rec.refusedIds.join(u' ')));
        QVERIFY(full.end());
    }
    QVERIFY2(server.arrivals.size() >= 2 && server.arrivals.size() <= 4,
             qPrintable(QStringLiteral("%1 appends").arg(server.arrivals.size())));
    QTRY_COMPARE_WITH_TIMEOUT(client->pendingCount(), 0, 10000);
    QCOMPARE(rec.refusedIds, idsOf(drafts));
    QCOMPARE(rec.refusedCodes, QStringList{QStringLiteral("conflict")});
    QVERIFY(server.committedIds.isEmpty());
}

void tst_SyncClient::reconnectResendsPendingInOrder_data()
{
    QTest::addColumn<bool>("committed");
    QTest::newRow("reply lost after commit") << true;
    QTest::newRow("append lost before commit") << false;
}

void tst_SyncClient::reconnectResendsPendingInOrder()
{
    QFETCH(bool, committed);
    MockSyncServer server;
    server.eventsPerAppend = 10;
    if (committed)
        server.dropAfterCommitOfAppend = 2;
    else
        server.dropBeforeCommitOfAppend = 2;
    auto client = makeClient(server.url(), outboxPath());
    Recorder rec(*client);

    // Two sessions interleaved: order is kept across sessions, not only within one.
    const QString s1 = Event::newId();
    const QString s2 = Event::newId();
    QList<Event> drafts;
    for (int i = 0; i < 45; ++i)
        drafts.append(TestEvents::note(i % 3 ? s1 : s2, QStringLiteral("event %1").arg(i)));
    QVERIFY(client->append(drafts));
    client->start();

    QTRY_COMPARE_WITH_TIMEOUT(client->pendingCount(), 0, 10000);
    QTRY_COMPARE(rec.acks.size(), 45);
    // Nothing lost, nothing doubled, in the order written.
    QCOMPARE(server.committedIds, idsOf(drafts));
    QCOMPARE(QSet<QString>(server.committedIds.cbegin(), server.committedIds.cend()).size(), 45);
    QCOMPARE(rec.ackedIds(), idsOf(drafts));
    QCOMPARE(server.largestAppend, 10);
    // The second batch was sent twice; the server recognised it the second time if it had
    // committed it the first. With appends in flight behind it, the others unanswered at the
    // drop (the first's answer may be lost with the connection) went again too, and were
    // recognised as well when they had been stored.
    QVERIFY2(server.eventsReceived >= 45 + 10, qPrintable(QString::number(server.eventsReceived)));
    QVERIFY2(server.duplicates >= (committed ? 10 : 0),
             qPrintable(QString::number(server.duplicates)));
    QCOMPARE(server.duplicates % 10, 0);
    int duplicateAcks = 0;
    for (const AppendAck &ack : std::as_const(rec.acks)) {
        duplicateAcks += ack.duplicate;
        const auto &record = server.records[ack.session];
        QCOMPARE(record.at(ack.seq - 1).id, ack.id);
    }
    QCOMPARE(duplicateAcks, server.duplicates);

    // One reconnect, after the first backoff delay, through the expected states.
    QCOMPARE(server.connections, 2);
    QCOMPARE(rec.reconnectDelays, QList<int>{20});
    using S = SyncClient::State;
    QCOMPARE(rec.states,
             (QList<S>{S::Connecting, S::Online, S::Reconnecting, S::Connecting, S::Online}));
}

void tst_SyncClient::refusedServerBacksOffAndOutboxOutlivesTheClient()
{
    // A port nobody listens on.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();

    const QString session = Event::newId();
    QList<Event> drafts;
    for (int i = 0; i < 3; ++i)
        drafts.append(TestEvents::note(session, QStringLiteral("written offline %1").arg(i)));
    {
        auto client = makeClient(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port)), outboxPath());
        Recorder rec(*client);
        client->start();
        QVERIFY(client->append(drafts));
        QTRY_VERIFY(rec.reconnectDelays.size() >= 4);
        // Exponential and capped; never online.
        QCOMPARE(rec.reconnectDelays.mid(0, 4), (QList<int>{20, 40, 80, 160}));
        QCOMPARE(rec.count(SyncClient::State::Online), 0);
        QVERIFY(rec.count(SyncClient::State::Reconnecting) >= 4);
        QCOMPARE(client->pendingCount(), 3);
    } // the process that wrote them is gone

    MockSyncServer server;
    auto client = makeClient(server.url(), outboxPath());
    Recorder rec(*client);
    client->start();
    QTRY_COMPARE(server.committedIds, idsOf(drafts));
    QTRY_COMPARE(client->pendingCount(), 0);
    QCOMPARE(rec.ackedIds(), idsOf(drafts));
}

void tst_SyncClient::refusedEventsAreIsolated_data()
{
    QTest::addColumn<bool>("named");
    QTest::addColumn<int>("appends"); // how many it takes, at most
    // A server older than the refusal's index: the client finds the events by halving.
    QTest::newRow("found by halving") << false << 20;
    // casefiled names the refused event: one append per refusal, and the one that goes through.
    QTest::newRow("named by the server") << true << 3;
}

void tst_SyncClient::refusedEventsAreIsolated()
{
    QFETCH(bool, named);
    QFETCH(int, appends);
    MockSyncServer server;
    server.refuseMarker = QStringLiteral("FORBIDDEN");
    server.nameRefusedEvents = named;
    auto client = makeClient(server.url());
    Recorder rec(*client);
    const QString session = Event::newId();
    QList<Event> drafts;
    QStringList good, bad;
    for (int i = 0; i < 20; ++i) {
        const bool refused = i == 6 || i == 13;
        drafts.append(TestEvents::note(session, refused ? server.refuseMarker
                                                        : QStringLiteral("fine %1").arg(i)));
        (refused ? bad : good).append(drafts.last().id);
    }
    QVERIFY(client->append(drafts));
    client->start();
    QTRY_COMPARE(rec.refusedIds.size() + rec.acks.size(), 20);
    QTRY_COMPARE(client->pendingCount(), 0);
    // Only the two refused events are dropped; the good ones around them all arrive, in order.
    QCOMPARE(rec.refusedIds, bad);
    QCOMPARE(rec.refusedCodes,
             (QStringList{QStringLiteral("forbidden"), QStringLiteral("forbidden")}));
    QCOMPARE(server.committedIds, good);
    QCOMPARE(rec.ackedIds(), good);
    QCOMPARE(server.connections, 1);
    QVERIFY2(server.appendRequests <= appends, qPrintable(QString::number(server.appendRequests)));

    // The queue is not stuck afterwards.
    const Event later = TestEvents::note(session, QStringLiteral("later"));
    QVERIFY(client->append({later}));
    QTRY_COMPARE(server.committedIds.size(), 19);
    QCOMPARE(server.committedIds.last(), later.id);
}

// A session closed while its events waited in the outbox (an agent offline with a command's
// output, a technician's chat): the server refuses each of them alike, and says so, so the
// client drops them all in one answer instead of offering them one by one — thousands of round
// trips behind which every other session's events waited.
void tst_SyncClient::closedSessionsBacklogIsDroppedInOneAnswer_data()
{
    QTest::addColumn<int>("eventsPerAppend");
    QTest::addColumn<int>("appends"); // how many it takes, at most
    QTest::newRow("one append") << 1000 << 2;
    // 12 appends, 4 in flight: those behind the refused one are void (aborted), and sent again.
    QTest::newRow("several in flight") << 50 << 12;
}

void tst_SyncClient::closedSessionsBacklogIsDroppedInOneAnswer()
{
    QFETCH(int, eventsPerAppend);
    QFETCH(int, appends);
    MockSyncServer server;
    server.nameRefusedEvents = true;
    server.eventsPerAppend = eventsPerAppend;
    const QString closed = Event::newId();
    const QString open = Event::newId();
    auto client = makeClient(server.url());
    Recorder rec(*client);
    QList<Event> drafts;
    QStringList good, bad;
    for (int i = 0; i < 600; ++i) {
        const bool refused = i % 3 != 0;
        drafts.append(TestEvents::note(refused ? closed : open, QStringLiteral("note %1").arg(i)));
        (refused ? bad : good).append(drafts.last().id);
    }
    // The first of the closed session's events reached the server before the close (its
    // acknowledgement was lost): it is acknowledged, not refused with the rest.
    server.addEvent(drafts.at(1));
    server.closedSessions.insert(closed);
    good.insert(1, bad.takeFirst());
    QVERIFY(client->append(drafts));
    client->start();
    QTRY_COMPARE(rec.refusedIds.size() + rec.acks.size(), 600);
    QTRY_COMPARE(client->pendingCount(), 0);
    QCOMPARE(rec.refusedIds, bad);
    QCOMPARE(rec.refusedCodes, QStringList{QStringLiteral("conflict")});
    QCOMPARE(rec.ackedIds(), good);
    QStringList committed = good; // the early one first
    committed.swapItemsAt(0, 1);
    QCOMPARE(server.committedIds, committed);
    QVERIFY2(server.appendRequests <= appends, qPrintable(QString::number(server.appendRequests)));

    // Later events of that session are refused the same way; the rest go on.
    const Event late = TestEvents::note(closed, QStringLiteral("late"));
    const Event fine = TestEvents::note(open, QStringLiteral("fine"));
    QVERIFY(client->append({late, fine}));
    QTRY_COMPARE(server.committedIds.size(), good.size() + 1);
    QCOMPARE(server.committedIds.last(), fine.id);
    QCOMPARE(rec.refusedIds.last(), late.id);
}

void tst_SyncClient::transientErrorsAreRetried()
{
    MockSyncServer server;
    server.appendErrors = {QStringLiteral("unavailable"), QStringLiteral("rate_limited"),
                           QStringLiteral("internal")};
    auto client = makeClient(server.url());
    Recorder rec(*client);
    const QString session = Event::newId();
    QList<Event> drafts;
    for (int i = 0; i < 5; ++i)
        drafts.append(TestEvents::note(session, QStringLiteral("retry %1").arg(i)));
    QVERIFY(client->append(drafts));
    client->start();
    QTRY_COMPARE(server.committedIds, idsOf(drafts));
    QCOMPARE(server.appendRequests, 4);
    QVERIFY(rec.refusedIds.isEmpty());
    QCOMPARE(server.connections, 1); // retried on the same connection
    QTRY_COMPARE(client->pendingCount(), 0);
}

void tst_SyncClient::framesStayUnderTheLimit()
{
    MockSyncServer server;
    auto client = makeClient(server.url());
    Recorder rec(*client);
    const QString session = Event::newId();
    const QString command = Event::newId();
    QList<Event> drafts;
    for (int i = 0; i < 7; ++i)
        drafts.append(
            TestEvents::output(session, command, i, QString(300000, QLatin1Char('a' + i))));
    QVERIFY(client->append(drafts));

    // One event that can never fit in a message is refused at once, and nothing is queued.
    const Event huge = TestEvents::output(session, command, 99, QString(1100000, QLatin1Char('x')));
    QVERIFY(!client->append({drafts.first(), huge}));
    QVERIFY2(client->errorString().contains(huge.id), qPrintable(client->errorString()));
    QCOMPARE(client->pendingCount(), 7);

    client->start();
    QTRY_COMPARE_WITH_TIMEOUT(server.committedIds, idsOf(drafts), 10000);
    // 2.1 MB cannot go in fewer than three messages of at most 1 MiB, each in one frame.
    QVERIFY2(server.appendRequests >= 3, qPrintable(QString::number(server.appendRequests)));
    QVERIFY(server.largestMessage <= 1024 * 1024);
    QVERIFY(server.largestMessage > 600000); // batched, not one event per message
    QCOMPARE(server.fragmentedMessages, 0);
    QCOMPARE(server.connections, 1); // never closed for an oversized message
    QCOMPARE(server.records[session].at(3).body, drafts.at(3).body);
}

// A server that announces a smaller frame limit than the protocol's cannot take some queued
// events. They were recorded and queued as durable: they wait, in order, instead of being
// dropped one after another (a welcome saying 100 bytes used to empty the outbox).
void tst_SyncClient::eventsWaitForAServerThatTakesThem()
{
    MockSyncServer server;
    server.frameBytes = 2000;
    auto client = makeClient(server.url());
    Recorder rec(*client);
    const QString session = Event::newId();
    const QString command = Event::newId();
    const QList<Event> drafts{
        TestEvents::output(session, command, 0, QStringLiteral("small")),
        TestEvents::output(session, command, 1, QString(5000, QLatin1Char('b'))),
        TestEvents::output(session, command, 2, QStringLiteral("after it"))};
    QVERIFY(client->append(drafts));
    client->start();
    QTRY_COMPARE_WITH_TIMEOUT(server.committedIds, QStringList{drafts.at(0).id}, 10000);
    QTest::qWait(1500);
    QCOMPARE(server.committedIds, QStringList{drafts.at(0).id}); // the rest waits, in order
    QVERIFY(rec.refusedIds.isEmpty());
    QCOMPARE(client->pendingCount(), 2);

    // A server that takes them (upgraded, or another one): delivered, in order, once.
    server.frameBytes = 1024 * 1024;
    server.dropAll();
    QTRY_COMPARE_WITH_TIMEOUT(server.committedIds, idsOf(drafts), 15000);
    QCOMPARE(client->pendingCount(), 0);
    QVERIFY(rec.refusedIds.isEmpty());
}

void tst_SyncClient::subscribeReplaysLiveAndFiltersDuplicates()
{
    MockSyncServer server;
    server.replayFromStart = true; // replays more than asked for
    const QString session = Event::newId();
    for (int i = 0; i < 5; ++i)
        server.addEvent(TestEvents::note(session, QStringLiteral("stored %1").arg(i)));

    auto client = makeClient(server.url());
    Recorder rec(*client);
    client->subscribe(session, 2); // remembered until online
    QCOMPARE(client->lastSeq(session), 2);
    client->start();
    QTRY_COMPARE(rec.eventSeqs(), range(3, 5));
    QCOMPARE(rec.heads, QList<qint64>{5});
    QCOMPARE(server.subscribes.size(), 1);
    QCOMPARE(server.subscribes.first().value(QStringLiteral("after")).toInteger(), 2);
    for (const Event &e : std::as_const(rec.events)) {
        QCOMPARE(e.id, server.records[session].at(e.seq - 1).id);
        QCOMPARE(e.hash, server.records[session].at(e.seq - 1).hash);
        QCOMPARE(e.session, session);
    }

    // Live events, mixed with a repeated push of seqs already delivered.
    server.push(session, server.records[session].mid(2, 3));
    server.addEvent(TestEvents::note(session, QStringLiteral("live 6")));
    server.push(session, server.records[session].mid(4, 2));
    server.addEvent(TestEvents::note(session, QStringLiteral("live 7")));
    QTRY_COMPARE(rec.eventSeqs(), range(3, 7));
    QTest::qWait(50);
    QCOMPARE(rec.eventSeqs(), range(3, 7));
    QCOMPARE(client->lastSeq(session), 7);

    // Pushes for sessions nobody subscribed to are not delivered.
    const QString other = Event::newId();
    server.addEvent(TestEvents::note(other, QStringLiteral("elsewhere")));
    server.push(other, server.records[other]);
    QTest::qWait(50);
    QCOMPARE(rec.events.size(), 5);
}

void tst_SyncClient::resubscribesFromLastSeqAfterReconnect()
{
    MockSyncServer server;
    const QString session = Event::newId();
    for (int i = 0; i < 3; ++i)
        server.addEvent(TestEvents::note(session, QStringLiteral("before %1").arg(i)));
    auto client = makeClient(server.url());
    Recorder rec(*client);
    client->start();
    QTRY_COMPARE(client->state(), SyncClient::State::Online);
    client->subscribe(session);
    QTRY_COMPARE(rec.eventSeqs(), range(1, 3));

    server.dropAll();
    // Written while the client was away.
    server.addEvent(TestEvents::note(session, QStringLiteral("missed 4")));
    server.addEvent(TestEvents::note(session, QStringLiteral("missed 5")));
    QTRY_COMPARE(rec.eventSeqs(), range(1, 5));
    QCOMPARE(server.connections, 2);
    QCOMPARE(server.subscribes.size(), 2);
    QCOMPARE(server.subscribes.last().value(QStringLiteral("after")).toInteger(), 3);

    // And once more with a server that replays everything: still each event once.
    server.replayFromStart = true;
    server.dropAll();
    server.addEvent(TestEvents::note(session, QStringLiteral("missed 6")));
    QTRY_COMPARE(rec.eventSeqs(), range(1, 6));
    QCOMPARE(server.subscribes.last().value(QStringLiteral("after")).toInteger(), 5);
    QTest::qWait(50);
    QCOMPARE(rec.eventSeqs(), range(1, 6));
}

void tst_SyncClient::unsubscribeStopsDelivery()
{
    MockSyncServer server;
    server.keepPushingAfterUnsubscribe = true; // the client must not rely on the server alone
    const QString session = Event::newId();
    server.addEvent(TestEvents::note(session, QStringLiteral("one")));
    auto client = makeClient(server.url());
    Recorder rec(*client);
    client->subscribe(session);
    client->start();
    QTRY_COMPARE(rec.events.size(), 1);
    client->unsubscribe(session);
    QVERIFY(client->subscriptions().isEmpty());
    QCOMPARE(client->lastSeq(session), -1);
    QTRY_COMPARE(server.unsubscribed, QStringList{session});
    server.addEvent(TestEvents::note(session, QStringLiteral("two")));
    QTest::qWait(100);
    QCOMPARE(rec.events.size(), 1);
    // Not renewed after a reconnect either.
    server.dropAll();
    QTRY_COMPARE(server.connections, 2);
    QTRY_COMPARE(client->state(), SyncClient::State::Online);
    QTest::qWait(100);
    QCOMPARE(server.subscribes.size(), 1);
}

void tst_SyncClient::pendingRequestsFailWhenTheConnectionDrops()
{
    MockSyncServer server;
    server.unansweredOps = {QStringLiteral("sessions")};
    auto client = makeClient(server.url());
    client->start();
    QTRY_COMPARE(client->state(), SyncClient::State::Online);

    QStringList codes;
    const auto record = [&codes](const QJsonObject &, const QString &code, const QString &) {
        codes.append(code);
    };
    const qint64 a = client->request(QStringLiteral("sessions"), {}, record);
    const qint64 b =
        client->request(QStringLiteral("sessions"), {{QStringLiteral("live"), true}}, record);
    QVERIFY(a > 0 && b > a);
    QTest::qWait(100);
    QVERIFY(codes.isEmpty());

    server.dropAll();
    QTRY_COMPARE(codes,
                 (QStringList{QStringLiteral("unavailable"), QStringLiteral("unavailable")}));
    // Never a second call, not even after the reconnect.
    QTRY_COMPARE(client->state(), SyncClient::State::Online);
    QTest::qWait(100);
    QCOMPARE(codes.size(), 2);

    // stop() fails what is pending the same way.
    client->request(QStringLiteral("sessions"), {}, record);
    QTest::qWait(50);
    client->stop();
    QCOMPARE(codes.size(), 3);
    QCOMPARE(codes.last(), QStringLiteral("unavailable"));
}

void tst_SyncClient::repliesAreMatchedByReq()
{
    MockSyncServer server;
    auto client = makeClient(server.url());
    client->start();
    QTRY_COMPARE(client->state(), SyncClient::State::Online);
    QStringList order;
    QHash<QString, QString> echoes;
    for (const auto &[name, delay] : {std::pair{"slow", 150}, {"medium", 75}, {"fast", 0}}) {
        const QString n = QString::fromLatin1(name);
        client->request(QStringLiteral("echo"),
                        {{QStringLiteral("value"), n}, {QStringLiteral("delay"), delay}},
                        [&, n](const QJsonObject &result, const QString &code, const QString &) {
                            QVERIFY(code.isEmpty());
                            order.append(n);
                            echoes.insert(n, result.value(QStringLiteral("echo")).toString());
                            QVERIFY(!result.contains(QStringLiteral("req")));
                        });
    }
    QTRY_COMPARE(order.size(), 3);
    QCOMPARE(order, (QStringList{QStringLiteral("fast"), QStringLiteral("medium"),
                                 QStringLiteral("slow")}));
    for (auto it = echoes.cbegin(); it != echoes.cend(); ++it)
        QCOMPARE(it.value(), it.key());

    // An error reply carries the server's code and message.
    QString code, message;
    client->request(QStringLiteral("no_such_op"), {},
                    [&](const QJsonObject &, const QString &c, const QString &m) {
                        code = c;
                        message = m;
                    });
    QTRY_COMPARE(code, QStringLiteral("bad_request"));
    QCOMPARE(message, QStringLiteral("unknown op"));
}

void tst_SyncClient::requestsWhileOfflineOrConnecting()
{
    MockSyncServer server;
    auto client = makeClient(server.url());
    int calls = 0;
    QString code;
    const qint64 id = client->request(QStringLiteral("ping"), {},
                                      [&](const QJsonObject &, const QString &c, const QString &) {
                                          ++calls;
                                          code = c;
                                      });
    QVERIFY(id > 0);
    QCOMPARE(calls, 0); // never before request() has returned
    QTRY_COMPARE(calls, 1);
    QCOMPARE(code, QStringLiteral("unavailable"));
    QTest::qWait(50);
    QCOMPARE(calls, 1);

    // Made while connecting: held and sent after welcome.
    client->start();
    QCOMPARE(client->state(), SyncClient::State::Connecting);
    QString echo;
    client->request(QStringLiteral("echo"), {{QStringLiteral("value"), QStringLiteral("held")}},
                    [&](const QJsonObject &result, const QString &, const QString &) {
                        echo = result.value(QStringLiteral("echo")).toString();
                    });
    QTRY_COMPARE(echo, QStringLiteral("held"));

    // A request too big for one frame is refused without sending it (the server would close
    // the connection with 1009).
    QString tooLarge;
    client->request(QStringLiteral("echo"),
                    {{QStringLiteral("value"), QString(1100000, QLatin1Char('z'))}},
                    [&](const QJsonObject &, const QString &c, const QString &) { tooLarge = c; });
    QTRY_COMPARE(tooLarge, QStringLiteral("too_large"));
    QCOMPARE(server.connections, 1);
    QCOMPARE(client->state(), SyncClient::State::Online);
}

void tst_SyncClient::heartbeatKeepsTheConnection()
{
    MockSyncServer server;
    auto client = makeClient(server.url());
    client->setHeartbeatInterval(50);
    client->setSilenceTimeout(400);
    client->start();
    QTRY_COMPARE(client->state(), SyncClient::State::Online);
    QTest::qWait(1200);
    // About 24 pings; answered pings keep a connection that is otherwise silent for 3× the
    // silence timeout alive.
    QVERIFY2(server.pings >= 8, qPrintable(QString::number(server.pings)));
    QCOMPARE(server.connections, 1);
    QCOMPARE(client->state(), SyncClient::State::Online);
}

void tst_SyncClient::serverHeartbeatIsHonoured()
{
    MockSyncServer server;
    server.heartbeatMs = 60; // shorter than the client's own 15 s
    auto client = makeClient(server.url());
    client->start();
    QTRY_COMPARE(client->state(), SyncClient::State::Online);
    QTest::qWait(500);
    QVERIFY2(server.pings >= 3, qPrintable(QString::number(server.pings)));
}

void tst_SyncClient::silenceTriggersReconnect()
{
    MockSyncServer server;
    server.silentAfterWelcome = true;
    auto client = makeClient(server.url());
    client->setHeartbeatInterval(50);
    client->setSilenceTimeout(250);
    Recorder rec(*client);
    qint64 silentFor = -1;
    connect(client.get(), &SyncClient::reconnectIn, this, [&] {
        if (silentFor < 0)
            silentFor = rec.sinceWelcome.elapsed();
    });
    client->start();
    QTRY_COMPARE_WITH_TIMEOUT(server.connections, 2, 5000);
    QVERIFY(server.pings >= 2); // it did ask
    QVERIFY2(silentFor >= 200, qPrintable(QString::number(silentFor)));
    QVERIFY(rec.count(SyncClient::State::Reconnecting) >= 1);
    QTRY_COMPARE(rec.welcomes.size(), 2);
}

void tst_SyncClient::stopDoesNotReconnect()
{
    MockSyncServer server;
    auto client = makeClient(server.url());
    Recorder rec(*client);
    client->start();
    QTRY_COMPARE(client->state(), SyncClient::State::Online);
    client->stop();
    QCOMPARE(client->state(), SyncClient::State::Offline);
    QTRY_COMPARE(server.disconnects, 1);
    QTest::qWait(300);
    QCOMPARE(server.connections, 1);
    QVERIFY(rec.reconnectDelays.isEmpty());

    // Appends while stopped wait in the outbox and go out after the next start().
    const Event e = TestEvents::note(Event::newId(), QStringLiteral("while stopped"));
    QVERIFY(client->append({e}));
    QTest::qWait(50);
    QVERIFY(server.committedIds.isEmpty());
    client->start();
    QTRY_COMPARE(server.committedIds, QStringList{e.id});
    QCOMPARE(server.connections, 2);
}

void tst_SyncClient::pushesAreForwarded()
{
    MockSyncServer server;
    auto client = makeClient(server.url());
    Recorder rec(*client);
    client->start();
    QTRY_COMPARE(client->state(), SyncClient::State::Online);
    const QJsonObject cancel{{QStringLiteral("type"), QStringLiteral("cancel")},
                             {QStringLiteral("session"), Event::newId()},
                             {QStringLiteral("command"), Event::newId()},
                             {QStringLiteral("by"), Event::newId()}};
    const QJsonObject session{
        {QStringLiteral("type"), QStringLiteral("session")},
        {QStringLiteral("session"), QJsonObject{{QStringLiteral("id"), Event::newId()}}}};
    server.broadcast(cancel);
    server.broadcast(session);
    QTRY_COMPARE(rec.pushes.size(), 2);
    QCOMPARE(rec.pushes[0].first, QStringLiteral("cancel"));
    QCOMPARE(rec.pushes[0].second, cancel);
    QCOMPARE(rec.pushes[1].first, QStringLiteral("session"));
    QCOMPARE(rec.pushes[1].second, session);
    // An error without a req that is not about credentials does not end anything.
    server.broadcast(
        {{QStringLiteral("type"), QStringLiteral("error")},
         {QStringLiteral("code"), QStringLiteral("bad_request")},
         {QStringLiteral("message"), QStringLiteral("binary frames are not supported")}});
    QTest::qWait(50);
    QCOMPARE(client->state(), SyncClient::State::Online);
    QVERIFY(rec.fatals.isEmpty());
    // A revoked token while online does.
    server.broadcast({{QStringLiteral("type"), QStringLiteral("error")},
                      {QStringLiteral("code"), QStringLiteral("unauthorized")},
                      {QStringLiteral("message"), QStringLiteral("token revoked")}});
    QTRY_COMPARE(rec.fatals.size(), 1);
    QCOMPARE(rec.fatals.first().first, QStringLiteral("unauthorized"));
    QCOMPARE(client->state(), SyncClient::State::Offline);
}

void tst_SyncClient::badServerAndBadOutbox()
{
    auto client = makeClient(QUrl(QStringLiteral("ftp://example.org/")));
    Recorder rec(*client);
    client->start();
    QCOMPARE(rec.fatals.size(), 1);
    QCOMPARE(rec.fatals.first().first, QStringLiteral("bad_url"));
    QCOMPARE(client->state(), SyncClient::State::Offline);

    const QString notAnOutbox = m_dir->filePath(QStringLiteral("notes.txt"));
    {
        QFile f(notAnOutbox);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("shopping list\n");
    }
    MockSyncServer server;
    auto other = makeClient(server.url(), notAnOutbox);
    Recorder otherRec(*other);
    QVERIFY(!other->append({TestEvents::note(Event::newId(), QStringLiteral("x"))}));
    QVERIFY2(other->errorString().contains(QStringLiteral("not an SQLite database")),
             qPrintable(other->errorString()));
    QCOMPARE(other->pendingCount(), -1);
    other->start();
    QCOMPARE(otherRec.fatals.size(), 1);
    QCOMPARE(otherRec.fatals.first().first, QStringLiteral("outbox"));
    QTest::qWait(50);
    QCOMPARE(server.connections, 0);
}

void tst_SyncClient::fillCache(MockSyncServer &server, const QString &session, qint64 head)
{
    auto client = makeClient(server.url());
    client->setCachePath(cachePath());
    Recorder rec(*client);
    client->subscribe(session, SyncClient::fromCache);
    client->start();
    QTRY_COMPARE(client->lastSeq(session), head);
    QCOMPARE(client->cachedEvents(session)->size(), head);
}

void tst_SyncClient::cacheKeepsEveryDeliveredEvent()
{
    MockSyncServer server;
    const QString session = openSession(server, 3, QStringLiteral("Printer offline"));
    auto client = makeClient(server.url());
    client->setCachePath(cachePath());
    QCOMPARE(client->cachePath(), cachePath());
    Recorder rec(*client);
    QStringList cacheErrors;
    connect(client.get(), &SyncClient::cacheError, this, [&](const QString &s, const QString &m) {
        cacheErrors.append(s + QStringLiteral(": ") + m);
    });
    // Whoever hears of an event finds it in the cache already.
    int deliveries = 0;
    bool cachedBeforeDelivery = true;
    connect(client.get(), &SyncClient::eventsReceived, this,
            [&](const QString &s, const QList<Event> &events) {
                if (s != session)
                    return;
                ++deliveries;
                const auto cached =
                    client->cachedEvents(s, events.first().seq - 1, int(events.size()));
                cachedBeforeDelivery =
                    cachedBeforeDelivery && cached && docsOf(*cached) == docsOf(events);
            });

    client->subscribe(session, SyncClient::fromCache); // an empty cache: from the start
    QCOMPARE(client->lastSeq(session), 0);
    client->start();
    QTRY_COMPARE(rec.eventSeqs(), range(1, 4));
    QCOMPARE(server.subscribes.last().value(QStringLiteral("after")).toInteger(), 0);
    server.addEvent(TestEvents::note(session, QStringLiteral("live 5")));
    server.addEvent(TestEvents::closed(session));
    QTRY_COMPARE(rec.eventSeqs(), range(1, 6));
    QVERIFY(deliveries >= 2);
    QVERIFY(cachedBeforeDelivery);

    // A subscription that starts beyond the cache's head would leave a gap: not cached, no error.
    const QString tail = openSession(server, 4, QStringLiteral("VPN drops"));
    client->subscribe(tail, 3);
    QTRY_COMPARE(client->lastSeq(tail), 5);
    QVERIFY2(cacheErrors.isEmpty(), qPrintable(cacheErrors.join(QLatin1Char('\n'))));

    // The cache file holds the server's record byte for byte, with its sessions index.
    client->flushCache(); // written on the cache's thread: wait for it before reading the file
    EventStore cache;
    QVERIFY2(cache.open(cachePath()), qPrintable(cache.errorString()));
    QCOMPARE(*cache.readRaw(session), docsOf(server.records[session]));
    QVERIFY(cache.verify(session).ok);
    const auto info = cache.session(session);
    QVERIFY(info);
    QCOMPARE(info->title, QStringLiteral("Printer offline"));
    QCOMPARE(info->lastSeq, 6);
    QVERIFY(!info->isOpen());
    QVERIFY(!cache.session(tail));
    const auto sessions = client->cachedSessions();
    QVERIFY(sessions);
    QCOMPARE(sessions->size(), 1);
    QCOMPARE(sessions->first().id, session);
    QCOMPARE(sessions->first().closedAt, server.records[session].last().at);
}

void tst_SyncClient::restartedClientResumesFromTheCache()
{
    MockSyncServer server;
    const QString session = openSession(server, 4);
    fillCache(server, session, 5);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(server.subscribes.last().value(QStringLiteral("after")).toInteger(), 0);
    // Written while no client was running.
    server.addEvent(TestEvents::note(session, QStringLiteral("missed 6")));
    server.addEvent(TestEvents::note(session, QStringLiteral("missed 7")));

    auto client = makeClient(server.url());
    client->setCachePath(cachePath());
    Recorder rec(*client);
    client->subscribe(session, SyncClient::fromCache);
    QCOMPARE(client->lastSeq(session), 5); // known before any server is asked
    client->start();
    QTRY_COMPARE(rec.eventSeqs(), range(6, 7)); // not a replay from 0
    QCOMPARE(server.subscribes.last().value(QStringLiteral("after")).toInteger(), 5);
    QCOMPARE(rec.heads, QList<qint64>{7});

    // After a reconnect it goes on from the last seq, and the cache keeps up.
    server.dropAll();
    server.addEvent(TestEvents::note(session, QStringLiteral("missed 8")));
    QTRY_COMPARE(rec.eventSeqs(), range(6, 8));
    QCOMPARE(server.subscribes.last().value(QStringLiteral("after")).toInteger(), 7);
    QTRY_COMPARE(client->cachedEvents(session)->size(), 8);
    QCOMPARE(docsOf(*client->cachedEvents(session)), docsOf(server.records[session]));

    // An explicit `after` below the cached head replays; the cache takes the overlap as duplicates.
    auto again = makeClient(server.url());
    again->setCachePath(cachePath());
    Recorder againRec(*again);
    QStringList errors;
    connect(again.get(), &SyncClient::cacheError, this,
            [&](const QString &, const QString &m) { errors.append(m); });
    again->subscribe(session, 0);
    again->start();
    QTRY_COMPARE(againRec.eventSeqs(), range(1, 8));
    server.addEvent(TestEvents::note(session, QStringLiteral("live 9")));
    QTRY_COMPARE(again->cachedEvents(session)->size(), 9);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
    EventStore cache;
    QVERIFY(cache.open(cachePath()));
    QVERIFY(cache.verify(session).ok);
}

void tst_SyncClient::cachedEventsWorkOffline()
{
    QString session;
    QList<Event> record;
    {
        MockSyncServer server;
        session = openSession(server, 5, QStringLiteral("Disk full on C:"));
        record = server.records[session];
        fillCache(server, session, 6);
        if (QTest::currentTestFailed())
            return;
    } // the server is gone

    QTcpServer probe; // a port nobody listens on
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    auto client = makeClient(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port)));
    client->setCachePath(cachePath());
    Recorder rec(*client);
    client->start();

    const auto all = client->cachedEvents(session);
    QVERIFY2(all, qPrintable(client->errorString()));
    QCOMPARE(docsOf(*all), docsOf(record));
    QCOMPARE(all->at(3).body, record.at(3).body);
    const auto page = client->cachedEvents(session, 2, 2);
    QCOMPARE(page->size(), 2);
    QCOMPARE(page->first().seq, 3);
    QCOMPARE(page->last().seq, 4);
    QCOMPARE(client->cachedEvents(Event::newId())->size(), 0);
    const auto sessions = client->cachedSessions();
    QVERIFY(sessions);
    QCOMPARE(sessions->size(), 1);
    QCOMPARE(sessions->first().id, session);
    QCOMPARE(sessions->first().title, QStringLiteral("Disk full on C:"));
    QCOMPARE(sessions->first().lastSeq, 6);
    QCOMPARE(rec.count(SyncClient::State::Online), 0);

    // Without a cache there is nothing to read, and it says so.
    auto bare = makeClient(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port)));
    QVERIFY(!bare->cachedEvents(session));
    QVERIFY2(bare->errorString().contains(QStringLiteral("no cache")),
             qPrintable(bare->errorString()));
    QVERIFY(!bare->cachedSessions());
}

void tst_SyncClient::cacheOfAnotherChainRaisesCacheError()
{
    const QString session = Event::newId();
    QList<Event> cachedRecord;
    {
        MockSyncServer first;
        openSession(first, 2, QStringLiteral("first server"), session);
        cachedRecord = first.records[session];
        fillCache(first, session, 3);
        if (QTest::currentTestFailed())
            return;
    }
    // Another server with its own record under the same session id.
    MockSyncServer other;
    openSession(other, 4, QStringLiteral("other server"), session);
    const QString fine = openSession(other, 1, QStringLiteral("unrelated"));

    auto client = makeClient(other.url());
    client->setCachePath(cachePath());
    Recorder rec(*client);
    QList<QPair<QString, QString>> errors;
    connect(client.get(), &SyncClient::cacheError, this, [&](const QString &s, const QString &m) {
        errors.append({s, m});
    });
    client->subscribe(session, SyncClient::fromCache);
    client->subscribe(fine, SyncClient::fromCache);
    client->start();
    QTRY_COMPARE(rec.eventSeqs().size(), 2 + 2); // seqs 4, 5 of `session`, 1, 2 of `fine`
    // Subscriptions are renewed in no particular order; find this session's.
    qint64 after = -1;
    for (const QJsonObject &sub : std::as_const(other.subscribes))
        if (sub.value(QStringLiteral("session")).toString() == session)
            after = sub.value(QStringLiteral("after")).toInteger();
    QCOMPARE(after, 3);

    // Reported once, naming the session and the seq; the events still reach the caller.
    QTRY_COMPARE(errors.size(), 1);
    QCOMPARE(errors.first().first, session);
    QVERIFY2(errors.first().second.contains(QStringLiteral("seq 4")),
             qPrintable(errors.first().second));
    QVERIFY2(errors.first().second.contains(QStringLiteral("no longer cached")),
             qPrintable(errors.first().second));
    QList<Event> delivered;
    for (const Event &e : std::as_const(rec.events))
        if (e.session == session)
            delivered.append(e);
    QCOMPARE(docsOf(delivered), docsOf(other.records[session].mid(3)));

    // The session is not cached any more: later events are delivered, not mixed into the cache.
    other.addEvent(TestEvents::note(session, QStringLiteral("later")));
    QTRY_COMPARE(client->lastSeq(session), 6);
    QCOMPARE(docsOf(*client->cachedEvents(session)), docsOf(cachedRecord));
    QCOMPARE(errors.size(), 1);
    EventStore cache;
    QVERIFY(cache.open(cachePath()));
    QVERIFY(cache.verify(session).ok);
    // Other sessions are cached as usual.
    QCOMPARE(docsOf(*client->cachedEvents(fine)), docsOf(other.records[fine]));
}

void tst_SyncClient::serverBehindTheCacheRaisesCacheError()
{
    const QString session = Event::newId();
    {
        MockSyncServer first;
        openSession(first, 4, QStringLiteral("first server"), session);
        fillCache(first, session, 5);
        if (QTest::currentTestFailed())
            return;
    }
    // A server whose record of the session is shorter: nothing it would push can be checked
    // against the cache, so the head alone must give it away.
    MockSyncServer other;
    openSession(other, 1, QStringLiteral("other server"), session);
    auto client = makeClient(other.url());
    client->setCachePath(cachePath());
    Recorder rec(*client);
    QList<QPair<QString, QString>> errors;
    connect(client.get(), &SyncClient::cacheError, this, [&](const QString &s, const QString &m) {
        errors.append({s, m});
    });
    client->subscribe(session, SyncClient::fromCache);
    client->start();
    QTRY_COMPARE(errors.size(), 1);
    QCOMPARE(errors.first().first, session);
    QVERIFY2(errors.first().second.contains(QStringLiteral("ends at seq 2")),
             qPrintable(errors.first().second));
    QVERIFY2(errors.first().second.contains(QStringLiteral("at seq 5")),
             qPrintable(errors.first().second));
    QTRY_COMPARE(rec.heads, QList<qint64>{2}); // the subscription itself stands

    // What the documentation tells the caller to do: read the server's record from the start.
    client->unsubscribe(session);
    client->subscribe(session, 0);
    QTRY_COMPARE(rec.eventSeqs(), range(1, 2));
    QCOMPARE(docsOf(rec.events), docsOf(other.records[session]));
    QTest::qWait(50);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(client->cachedEvents(session)->size(), 5); // still the first server's record
    QCOMPARE(client->cachedEvents(session)->first().body.value(QStringLiteral("title")).toString(),
             QStringLiteral("first server"));
}

void tst_SyncClient::badPushKeepsTheGoodPartInTheCache()
{
    MockSyncServer server;
    const QString session = openSession(server, 2);
    auto client = makeClient(server.url());
    client->setCachePath(cachePath());
    Recorder rec(*client);
    QStringList errors;
    connect(client.get(), &SyncClient::cacheError, this,
            [&](const QString &, const QString &m) { errors.append(m); });
    client->subscribe(session, SyncClient::fromCache);
    client->start();
    QTRY_COMPARE(rec.eventSeqs(), range(1, 3));

    // One push: a good seq 4, then a seq 5 whose body was changed after sealing.
    Event good = TestEvents::note(session, QStringLiteral("good 4"));
    HashChain::seal(good, 4, server.records[session].last().hash);
    Event bad = TestEvents::note(session, QStringLiteral("bad 5"));
    HashChain::seal(bad, 5, good.hash);
    bad.body.insert(QStringLiteral("text"), QStringLiteral("changed after sealing"));
    server.push(session, {good, bad});
    QTRY_COMPARE(rec.eventSeqs(), range(1, 5)); // delivered all the same
    QTRY_COMPARE(errors.size(), 1); // from the cache's thread
    QVERIFY2(errors.first().contains(QStringLiteral("seq 5")), qPrintable(errors.first()));
    QVERIFY2(errors.first().contains(QStringLiteral("does not match its hash")),
             qPrintable(errors.first()));
    const auto cached = client->cachedEvents(session);
    QCOMPARE(cached->size(), 4);
    QCOMPARE(cached->last().hash, good.hash);
}

void tst_SyncClient::unusableCacheIsReportedAndIgnored()
{
    const QString notACache = m_dir->filePath(QStringLiteral("notes.txt"));
    {
        QFile f(notACache);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("shopping list\n");
    }
    MockSyncServer server;
    const QString session = openSession(server, 1);
    auto client = makeClient(server.url());
    client->setCachePath(notACache);
    Recorder rec(*client);
    QList<QPair<QString, QString>> errors;
    connect(client.get(), &SyncClient::cacheError, this, [&](const QString &s, const QString &m) {
        errors.append({s, m});
    });
    client->subscribe(session, SyncClient::fromCache);
    client->start();
    QTRY_COMPARE(rec.eventSeqs(), range(1, 2)); // works on without a cache
    QCOMPARE(errors.size(), 1);                 // reported once, for the cache as a whole
    QVERIFY(errors.first().first.isEmpty());
    QVERIFY2(errors.first().second.contains(QStringLiteral("not an SQLite database")),
             qPrintable(errors.first().second));
    QVERIFY(!client->cachedEvents(session));
    QVERIFY2(client->errorString().contains(QStringLiteral("not an SQLite database")),
             qPrintable(client->errorString()));
    QCOMPARE(errors.size(), 1);
    QFile f(notACache);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("shopping list\n")); // left as it was
}

QTEST_GUILESS_MAIN(tst_SyncClient)
#include "tst_SyncClient.moc"
