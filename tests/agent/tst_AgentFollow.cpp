#include "MockSyncServer.h"
#include "TestEvents.h"
#include "events/Event.h"

#include <QJsonDocument>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace casefile;

// The real casefile-agent against MockSyncServer: after every welcome it follows all live
// sessions of its endpoint, however many there are, and a list the server could not give it
// is asked for again while the connection lasts, as is a session the server would not let it
// follow.
class tst_AgentFollow : public QObject
{
    Q_OBJECT

private slots:
    void followsEveryLiveSessionAfterAFailedList();
    void followsASessionAgainAfterARefusedSubscription();
    void refusedSubscriptionsBackOffTogether();
    void closedSessionsRequestsAreNotActedOn();
    void cancelMustNameTheCommandsSession();
};

namespace {

Event request(const QString &session, const QString &text)
{
    Event e = Event::makeDraft(session, EventKind::CommandRequested,
                               Actor{QStringLiteral("user"), Event::newId()});
    e.body = {{QStringLiteral("command"), Event::newId()},
              {QStringLiteral("shell"), QStringLiteral("sh")},
              {QStringLiteral("text"), text},
              {QStringLiteral("change"), false}};
    return e;
}

bool hasKind(const QList<Event> &record, EventKind kind)
{
    return std::any_of(record.cbegin(), record.cend(),
                       [kind](const Event &e) { return e.kind == kind; });
}

// casefile-agent run with a state directory enrolled at `server`, its output collected in
// `log`; terminated when it goes.
class AgentRun
{
public:
    explicit AgentRun(const MockSyncServer &server)
    {
        if (!m_state.isValid())
            return;
        // What `casefile-agent enroll` writes (agent/AgentState.cpp).
        QFile file(m_state.filePath(QStringLiteral("state.json")));
        if (!file.open(QIODevice::WriteOnly))
            return;
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write(QJsonDocument(QJsonObject{{QStringLiteral("server"), server.url().toString()},
                                             {QStringLiteral("endpoint"), Event::newId()},
                                             {QStringLiteral("token"), server.token},
                                             {QStringLiteral("org"), Event::newId()},
                                             {QStringLiteral("clientGroup"), Event::newId()}})
                       .toJson());
        file.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        QObject::connect(&m_process, &QProcess::readyRead, [this] { log += m_process.readAll(); });
        m_process.start(QStringLiteral(CASEFILE_AGENT),
                        {QStringLiteral("run"), QStringLiteral("--state"), m_state.path(),
                         QStringLiteral("--consent"), QStringLiteral("deny")});
        m_started = m_process.waitForStarted(10000);
    }
    ~AgentRun()
    {
        if (!m_started)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(10000))
            m_process.kill();
    }
    bool isRunning() const { return m_started; }

    QByteArray log;

private:
    QTemporaryDir m_state;
    QProcess m_process;
    bool m_started = false;
};

// How many times the agent asked `server` to follow `session`.
qsizetype subscribesTo(const MockSyncServer &server, const QString &session)
{
    return std::count_if(server.subscribes.cbegin(), server.subscribes.cend(),
                         [&session](const QJsonObject &s) {
                             return s.value(QStringLiteral("session")).toString() == session;
                         });
}
} // namespace

void tst_AgentFollow::followsEveryLiveSessionAfterAFailedList()
{
    MockSyncServer server;
    QVERIFY(server.isListening());
    // More than one page of the server's list (1000 at most), and the first two lists refused.
    QSet<QString> live;
    for (int i = 0; i < 1050; ++i) {
        server.liveSessions.append(Event::newId());
        live.insert(server.liveSessions.constLast());
    }
    server.sessionsErrors = {QStringLiteral("internal"), QStringLiteral("rate_limited")};
    AgentRun agent(server);
    QVERIFY(agent.isRunning());
    const QByteArray &log = agent.log;

    const auto followed = [&server] {
        QSet<QString> sessions;
        for (const QJsonObject &s : std::as_const(server.subscribes))
            sessions.insert(s.value(QStringLiteral("session")).toString());
        return sessions;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(
        followed() == live,
        qPrintable(QStringLiteral("%1 of %2 sessions followed; the agent said: %3")
                       .arg(followed().size())
                       .arg(live.size())
                       .arg(QString::fromUtf8(log.right(2000)))),
        30000);
    // Over the one connection: the refused lists were asked for again, not left to a reconnect.
    QCOMPARE(server.connections, 1);
    QVERIFY(server.sessionsRequests.size() >= 4);
    for (const QJsonObject &request : std::as_const(server.sessionsRequests)) {
        QCOMPARE(request.value(QStringLiteral("live")).toBool(), true);
        QCOMPARE(request.value(QStringLiteral("limit")).toInt(), 1000);
    }
    QCOMPARE(server.sessionsRequests.at(2).value(QStringLiteral("offset")).toInt(), 0);
    // The next page overlaps the first, so a session closed meanwhile cannot hide another.
    const int second = server.sessionsRequests.at(3).value(QStringLiteral("offset")).toInt();
    QVERIFY2(second > 0 && second < 1000, qPrintable(QString::number(second)));
    QVERIFY2(log.contains("cannot list sessions"), log.right(2000).constData());
}

void tst_AgentFollow::followsASessionAgainAfterARefusedSubscription()
{
    MockSyncServer server;
    QVERIFY(server.isListening());
    const QString session = Event::newId();
    server.liveSessions = {session};
    // Codes SyncClient takes as final: it forgets the subscription, the agent must not.
    server.subscribeErrors = {QStringLiteral("not_found"), QStringLiteral("forbidden")};
    AgentRun agent(server);
    QVERIFY(agent.isRunning());
    const QByteArray &log = agent.log;

    // Refused twice, then taken: three subscribes, the backoff between them (0.25–0.5 s, then
    // 0.5–1 s), over the one connection.
    QTRY_VERIFY2_WITH_TIMEOUT(subscribesTo(server, session) == 3,
                              qPrintable(QStringLiteral("%1 subscribes; the agent said: %2")
                                             .arg(subscribesTo(server, session))
                                             .arg(QString::fromUtf8(log.right(2000)))),
                              10000);
    QCOMPARE(server.connections, 1);
    QVERIFY(server.subscribeMs.at(1) - server.subscribeMs.at(0) >= 200);
    QVERIFY(server.subscribeMs.at(2) - server.subscribeMs.at(1) >= 450);
    QVERIFY2(log.contains("refused to let this agent follow session"), log.right(2000).constData());

    // Followed now: the agent acts on the session's requests (this one refused by `--consent
    // deny`'s policy or run; either way its end is recorded), and asks no more.
    server.addEvent(request(session, QStringLiteral("true")));
    QTRY_VERIFY2_WITH_TIMEOUT(hasKind(server.records.value(session), EventKind::CommandFinished),
                              log.right(2000).constData(), 10000);
    QCOMPARE(subscribesTo(server, session), 3);
}

// Sessions refused together are asked for again together, one backoff step for all; once every
// refused session is followed, the next refusal starts from the shortest delay again.
void tst_AgentFollow::refusedSubscriptionsBackOffTogether()
{
    MockSyncServer server;
    QVERIFY(server.isListening());
    const QStringList together = {Event::newId(), Event::newId(), Event::newId()};
    server.liveSessions = together;
    server.subscribeErrors = {QStringLiteral("not_found"), QStringLiteral("not_found"),
                              QStringLiteral("not_found")};
    AgentRun agent(server);
    QVERIFY(agent.isRunning());
    const QByteArray &log = agent.log;
    // The delay each refusal announced, by session, in order.
    const auto delays = [&log](const QString &session) {
        static const QRegularExpression said(QStringLiteral(
            "follow session \"([0-9a-f-]+)\".*trying again with the retry set to (\\d+) ms"));
        QList<int> ms;
        for (const QString &line : QString::fromUtf8(log).split(u'\n')) {
            const QRegularExpressionMatch m = said.match(line);
            if (m.hasMatch() && m.captured(1) == session)
                ms.append(m.captured(2).toInt());
        }
        return ms;
    };
    for (const QString &session : together)
        QTRY_VERIFY2_WITH_TIMEOUT(subscribesTo(server, session) == 2, log.right(2000).constData(),
                                  10000);
    for (const QString &session : together) {
        const QList<int> ms = delays(session);
        QCOMPARE(ms.size(), 1);
        // The first step (250–500 ms) for each, not the first, second and third.
        QVERIFY2(ms.first() <= 500, qPrintable(QString::number(ms.first())));
    }

    // One session refused three times in a row climbs the steps (the third waits 1–2 s) ...
    const QString climbing = Event::newId();
    server.subscribeErrors = {QStringLiteral("forbidden"), QStringLiteral("forbidden"),
                              QStringLiteral("forbidden")};
    server.broadcast({{QStringLiteral("type"), QStringLiteral("session")},
                      {QStringLiteral("session"), QJsonObject{{QStringLiteral("id"), climbing}}}});
    QTRY_VERIFY2_WITH_TIMEOUT(subscribesTo(server, climbing) == 4, log.right(2000).constData(),
                              10000);
    QVERIFY2(delays(climbing).value(2) >= 900,
             qPrintable(QString::number(delays(climbing).value(2))));
    // ... and once it is followed, the next session refused starts at the first step again.
    const QString next = Event::newId();
    server.subscribeErrors = {QStringLiteral("not_found")};
    server.broadcast({{QStringLiteral("type"), QStringLiteral("session")},
                      {QStringLiteral("session"), QJsonObject{{QStringLiteral("id"), next}}}});
    QTRY_VERIFY2_WITH_TIMEOUT(subscribesTo(server, next) == 2, log.right(2000).constData(), 10000);
    QCOMPARE(delays(next).size(), 1);
    QVERIFY2(delays(next).first() <= 500, qPrintable(QString::number(delays(next).first())));
    QCOMPARE(server.connections, 1);
}

// A session closed between the list of live sessions and the subscription, whose replay comes
// in parts (a server pushes a long one in pages): the subscription's answer says it is closed,
// so none of its requests runs — not even those of the parts before the close.
void tst_AgentFollow::closedSessionsRequestsAreNotActedOn()
{
    MockSyncServer server;
    QVERIFY(server.isListening());
    const QString closed = Event::newId();
    for (int i = 0; i < 15; ++i)
        server.addEvent(request(closed, QStringLiteral("true")));
    const Event close = server.addEvent(TestEvents::closed(closed));
    server.closedAt.insert(closed, close.at);
    server.replayPage = 10; // the close comes in the second part
    // A live session after it, listed later: once its request has run, the closed one's
    // replay has long been handled.
    const QString live = Event::newId();
    server.addEvent(request(live, QStringLiteral("true")));
    server.liveSessions = {closed, live};
    AgentRun agent(server);
    QVERIFY(agent.isRunning());
    const QByteArray &log = agent.log;
    QTRY_VERIFY2_WITH_TIMEOUT(hasKind(server.records.value(live), EventKind::CommandFinished),
                              log.right(2000).constData(), 20000);
    const QList<Event> record = server.records.value(closed);
    QVERIFY2(!hasKind(record, EventKind::CommandStarted) &&
                 !hasKind(record, EventKind::CommandFinished),
             log.right(2000).constData());
    // Nothing at all is recorded there: the context of a closed session would be refused.
    QCOMPARE(record.constLast().kind, EventKind::SessionClosed);
    QVERIFY(hasKind(server.records.value(live), EventKind::ContextCaptured));
    QVERIFY(server.unsubscribed.contains(closed));
}

// The server lets a technician cancel in a session they can see; the agent makes sure the
// command is of that session, or anyone of the org could stop any command on the endpoint.
void tst_AgentFollow::cancelMustNameTheCommandsSession()
{
    MockSyncServer server;
    QVERIFY(server.isListening());
    const QString mine = Event::newId();
    const QString other = Event::newId();
    const Event sleeper = server.addEvent(request(mine, QStringLiteral("sleep 30")));
    const QString command = sleeper.body.value(QStringLiteral("command")).toString();
    server.liveSessions = {mine, other};
    AgentRun agent(server);
    QVERIFY(agent.isRunning());
    const QByteArray &log = agent.log;
    QTRY_VERIFY2_WITH_TIMEOUT(hasKind(server.records.value(mine), EventKind::CommandStarted),
                              log.right(2000).constData(), 20000);
    const auto cancel = [&](const QString &session) {
        server.broadcast({{QStringLiteral("type"), QStringLiteral("cancel")},
                          {QStringLiteral("session"), session},
                          {QStringLiteral("command"), command}});
    };
    cancel(other);
    QTRY_VERIFY2_WITH_TIMEOUT(log.contains("ignoring a cancel"), log.right(2000).constData(), 5000);
    QTest::qWait(500);
    QVERIFY(!hasKind(server.records.value(mine), EventKind::CommandFinished));
    cancel(mine);
    QTRY_VERIFY2_WITH_TIMEOUT(hasKind(server.records.value(mine), EventKind::CommandFinished),
                              log.right(2000).constData(), 10000);
    const QList<Event> record = server.records.value(mine);
    QCOMPARE(record.constLast().kind, EventKind::CommandFinished);
    QCOMPARE(record.constLast().body.value(QStringLiteral("status")).toString(),
             QStringLiteral("cancelled"));
}

QTEST_GUILESS_MAIN(tst_AgentFollow)
#include "tst_AgentFollow.moc"
