#include "MockSyncServer.h"
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

private:
    // Starts casefile-agent run with a state directory enrolled at `server`.
    QProcess *startAgent(const MockSyncServer &server, const QTemporaryDir &state);
};

QProcess *tst_AgentFollow::startAgent(const MockSyncServer &server, const QTemporaryDir &state)
{
    // What `casefile-agent enroll` writes (agent/AgentState.cpp).
    QFile file(state.filePath(QStringLiteral("state.json")));
    if (!file.open(QIODevice::WriteOnly))
        return nullptr;
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("server"), server.url().toString()},
                                         {QStringLiteral("endpoint"), Event::newId()},
                                         {QStringLiteral("token"), server.token},
                                         {QStringLiteral("org"), Event::newId()},
                                         {QStringLiteral("clientGroup"), Event::newId()}})
                   .toJson());
    file.close();
    auto *agent = new QProcess(this);
    agent->setProcessChannelMode(QProcess::MergedChannels);
    agent->start(QStringLiteral(CASEFILE_AGENT),
                 {QStringLiteral("run"), QStringLiteral("--state"), state.path(),
                  QStringLiteral("--consent"), QStringLiteral("deny")});
    return agent->waitForStarted(10000) ? agent : nullptr;
}

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
    QTemporaryDir state;
    QVERIFY(state.isValid());
    QProcess *agent = startAgent(server, state);
    QVERIFY(agent);
    QByteArray log;
    connect(agent, &QProcess::readyRead, this, [agent, &log] { log += agent->readAll(); });
    const auto cleanup = qScopeGuard([this, agent] {
        agent->disconnect(this); // `log` goes with this function
        agent->terminate();
        if (!agent->waitForFinished(10000))
            agent->kill();
    });

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
    QTemporaryDir state;
    QVERIFY(state.isValid());
    QProcess *agent = startAgent(server, state);
    QVERIFY(agent);
    QByteArray log;
    connect(agent, &QProcess::readyRead, this, [agent, &log] { log += agent->readAll(); });
    const auto cleanup = qScopeGuard([this, agent] {
        agent->disconnect(this);
        agent->terminate();
        if (!agent->waitForFinished(10000))
            agent->kill();
    });

    const auto subscribes = [&server, &session] {
        return std::count_if(server.subscribes.cbegin(), server.subscribes.cend(),
                             [&session](const QJsonObject &s) {
                                 return s.value(QStringLiteral("session")).toString() == session;
                             });
    };
    // Refused twice, then taken: three subscribes, the backoff between them (0.25–0.5 s, then
    // 0.5–1 s), over the one connection.
    QTRY_VERIFY2_WITH_TIMEOUT(subscribes() == 3,
                              qPrintable(QStringLiteral("%1 subscribes; the agent said: %2")
                                             .arg(subscribes())
                                             .arg(QString::fromUtf8(log.right(2000)))),
                              10000);
    QCOMPARE(server.connections, 1);
    QVERIFY(server.subscribeMs.at(1) - server.subscribeMs.at(0) >= 200);
    QVERIFY(server.subscribeMs.at(2) - server.subscribeMs.at(1) >= 450);
    QVERIFY2(log.contains("refused to let this agent follow session"), log.right(2000).constData());

    // Followed now: the agent acts on the session's requests (this one refused by `--consent
    // deny`'s policy or run; either way its end is recorded), and asks no more.
    Event request = Event::makeDraft(session, EventKind::CommandRequested,
                                     Actor{QStringLiteral("user"), Event::newId()});
    request.body = {{QStringLiteral("command"), Event::newId()},
                    {QStringLiteral("shell"), QStringLiteral("sh")},
                    {QStringLiteral("text"), QStringLiteral("true")},
                    {QStringLiteral("change"), false}};
    server.addEvent(request);
    const auto finished = [&server, &session] {
        const QList<Event> record = server.records.value(session);
        return std::any_of(record.cbegin(), record.cend(),
                           [](const Event &e) { return e.kind == EventKind::CommandFinished; });
    };
    QTRY_VERIFY2_WITH_TIMEOUT(finished(), log.right(2000).constData(), 10000);
    QCOMPARE(subscribes(), 3);
}

QTEST_GUILESS_MAIN(tst_AgentFollow)
#include "tst_AgentFollow.moc"
