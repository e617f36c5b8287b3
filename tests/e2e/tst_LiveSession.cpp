#include "ProcessProbe.h"
#include "ServerFixture.h"
#include "WsTestClient.h"
#include "events/EventCodec.h"
#include "events/bodies/CommandRequestedBody.h"
#include "protocol/ProtocolLimits.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QtTest>

#include <csignal>

using namespace casefile;

// The whole product on loopback: casefiled, an enrolled casefile-agent running real commands,
// and casefile-cli as the technician.
class tst_LiveSession : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void outputArrivesCompleteAndInOrder();
    void exitCodesStderrAndDuration();
    void approvedChangeRuns();
    void deniedChangeNeverRuns();
    void unansweredChangeTimesOutAndNeverRuns();
    void consentQuestionTooLargeToRecordIsNotAsked();
    void localPolicyAsksEvenWithoutTheChangeFlag();
    void cancelKillsTheCommand();
    void restartedAgentNeverRunsACommandTwice();
    void eventsCommandPrintsTheRecord();
    void eventsFollowEndsWhenTheSessionCloses();
    void cliArgumentsAreCheckedAndNoTokenIsEchoed();
    void closingTheSessionWithdrawsAndStopsItsCommands();
    void approvalCrossingTheCloseRunsNothing();
    void badOptionsAreRefused_data();
    void badOptionsAreRefused();

private:
    QList<Event> record(const QString &session = {});
    QList<Event> eventsOf(const QString &command, const QString &session = {});
    QString commandIdOf(const QString &text);
    // A new session on the agent's endpoint; its id, or empty.
    QString openSession(const QString &title);
    bool waitForPrompt(int timeoutMs = 15000);
    void answer(const QByteArray &line);

    ServerFixture m_server;
    ServerFixture::Org m_org;
    QProcess *m_agent = nullptr;
    QString m_session;
    QTemporaryDir m_scratch;
    QByteArray m_agentErr;
};

void tst_LiveSession::initTestCase()
{
    m_org = m_server.createOrg(QStringLiteral("Contoso"));
    QVERIFY2(m_server.start(), qPrintable(m_server.serverLog()));
    m_agent = m_server.startAgent(m_org, QStringLiteral("stdin"), {QStringLiteral("--consent-timeout"), QStringLiteral("3")});
    QVERIFY(m_agent);
    QVERIFY(JsonReader::isUuid(m_server.agentEndpoint()));
    const auto opened = m_server.cli(m_org.technicianToken, {QStringLiteral("open"), QStringLiteral("--endpoint"),
                                                             m_server.agentEndpoint(), QStringLiteral("--title"),
                                                             QStringLiteral("End-to-end"), QStringLiteral("--tag"), QStringLiteral("e2e")});
    QCOMPARE(opened.code, 0);
    m_session = QString::fromUtf8(opened.out.trimmed());
    QVERIFY2(JsonReader::isUuid(m_session), opened.err.constData());
}

QList<Event> tst_LiveSession::record(const QString &session)
{
    return m_server.events(m_org.technicianToken, session.isEmpty() ? m_session : session);
}

QString tst_LiveSession::openSession(const QString &title)
{
    const auto opened = m_server.cli(m_org.technicianToken,
                                     {QStringLiteral("open"), QStringLiteral("--endpoint"),
                                      m_server.agentEndpoint(), QStringLiteral("--title"), title});
    return opened.code == 0 ? QString::fromUtf8(opened.out.trimmed()) : QString();
}

QString tst_LiveSession::commandIdOf(const QString &text)
{
    for (const Event &e : record()) {
        if (e.kind == EventKind::CommandRequested && e.body.value(QStringLiteral("text")).toString() == text)
            return e.body.value(QStringLiteral("command")).toString();
    }
    return {};
}

QList<Event> tst_LiveSession::eventsOf(const QString &command, const QString &session)
{
    QList<Event> list;
    for (const Event &e : record(session)) {
        if (e.body.value(QStringLiteral("command")).toString() == command)
            list.append(e);
    }
    return list;
}

bool tst_LiveSession::waitForPrompt(int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        m_agent->waitForReadyRead(100);
        m_agentErr += m_agent->readAllStandardError();
        // The question itself: "Approved." after the last answer must not pass for the next
        // question, or the answer is typed before it is asked and discarded with the rest.
        static const QByteArray question = "Approve? [y/N]";
        const qsizetype at = m_agentErr.indexOf(question);
        if (at >= 0) {
            m_agentErr.remove(0, at + question.size());
            return true;
        }
    }
    return false;
}

void tst_LiveSession::answer(const QByteArray &line)
{
    m_agent->write(line);
    m_agent->waitForBytesWritten(1000);
}

void tst_LiveSession::outputArrivesCompleteAndInOrder()
{
    const auto r = m_server.cli(m_org.technicianToken, {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                                        QStringLiteral("--"), QStringLiteral("seq 1 100000")});
    QCOMPARE(r.code, 0);
    const QList<QByteArray> lines = r.out.split('\n');
    QCOMPARE(lines.size(), 100001); // the last is empty after the final newline
    for (int i = 0; i < 100000; ++i) {
        if (lines.at(i).toInt() != i + 1)
            QFAIL(qPrintable(QStringLiteral("line %1 is '%2'").arg(i + 1).arg(QString::fromUtf8(lines.at(i)))));
    }
    // In the record: chunks numbered without gaps, no chunk twice.
    const QList<Event> events = eventsOf(commandIdOf(QStringLiteral("seq 1 100000")));
    qint64 expected = 0;
    QByteArray joined;
    for (const Event &e : events) {
        if (e.kind != EventKind::CommandOutput)
            continue;
        QCOMPARE(e.body.value(QStringLiteral("chunk")).toInteger(), expected++);
        joined += e.body.value(QStringLiteral("data")).toString().toUtf8();
    }
    QCOMPARE(joined, r.out);
}

void tst_LiveSession::exitCodesStderrAndDuration()
{
    QElapsedTimer wall;
    wall.start();
    const QString text = QStringLiteral("echo out; echo err >&2; sleep 0.3; exit 7");
    const auto r = m_server.cli(m_org.technicianToken, {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                                        QStringLiteral("--shell"), QStringLiteral("sh"), QStringLiteral("--"), text});
    const qint64 elapsed = wall.elapsed();
    QCOMPARE(r.code, 7);
    QCOMPARE(r.out, QByteArray("out\n"));
    QVERIFY(r.err.contains("err\n"));
    const QList<Event> events = eventsOf(commandIdOf(text));
    QVERIFY(!events.isEmpty());
    const Event &finished = events.last();
    QCOMPARE(finished.kind, EventKind::CommandFinished);
    QCOMPARE(finished.body.value(QStringLiteral("exitCode")).toInt(), 7);
    const qint64 duration = finished.body.value(QStringLiteral("durationMs")).toInteger();
    QVERIFY2(duration >= 300 && duration <= elapsed, qPrintable(QString::number(duration)));
    bool sawStderr = false, sawStarted = false;
    for (const Event &e : events) {
        sawStderr |= e.kind == EventKind::CommandOutput && e.body.value(QStringLiteral("stream")).toString() == QLatin1String("stderr");
        if (e.kind == EventKind::CommandStarted) {
            sawStarted = true;
            QVERIFY(e.body.value(QStringLiteral("pid")).toInteger() > 0);
            QVERIFY(!e.body.value(QStringLiteral("user")).toString().isEmpty());
        }
    }
    QVERIFY(sawStderr && sawStarted);
}

void tst_LiveSession::approvedChangeRuns()
{
    const QString file = m_scratch.filePath(QStringLiteral("approved"));
    const QString text = QStringLiteral("touch ") + file;
    QProcess *cli = m_server.startCli(m_org.technicianToken, {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                                              QStringLiteral("--change"), QStringLiteral("--"), text});
    QVERIFY(waitForPrompt());
    QVERIFY(!QFile::exists(file)); // nothing runs before the answer
    answer("y\n");
    QVERIFY(cli->waitForFinished(20000));
    QCOMPARE(cli->exitCode(), 0);
    QVERIFY(QFile::exists(file));
    const QList<Event> events = eventsOf(commandIdOf(text));
    QCOMPARE(events.at(1).kind, EventKind::ApprovalRequested);
    QVERIFY(events.at(1).body.value(QStringLiteral("prompt")).toString().contains(text));
    QCOMPARE(events.at(2).kind, EventKind::ApprovalDecided);
    QCOMPARE(events.at(2).body.value(QStringLiteral("decision")).toString(), QStringLiteral("approved"));
    QVERIFY(!events.at(2).body.value(QStringLiteral("decidedBy")).toString().startsWith(QStringLiteral("policy:")));
    QCOMPARE(events.at(2).actor.type, QStringLiteral("endpoint"));
    QCOMPARE(events.at(3).kind, EventKind::CommandStarted);
}

void tst_LiveSession::deniedChangeNeverRuns()
{
    const QString file = m_scratch.filePath(QStringLiteral("denied"));
    const QString text = QStringLiteral("touch ") + file;
    QProcess *cli = m_server.startCli(m_org.technicianToken, {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                                              QStringLiteral("--change"), QStringLiteral("--"), text});
    QVERIFY(waitForPrompt());
    answer("n\n");
    QVERIFY(cli->waitForFinished(20000));
    QCOMPARE(cli->exitCode(), 77);
    QVERIFY(!QFile::exists(file));
    const QList<Event> events = eventsOf(commandIdOf(text));
    QStringList kinds;
    for (const Event &e : events)
        kinds.append(eventKindName(e.kind));
    QCOMPARE(kinds, (QStringList{QStringLiteral("command.requested"), QStringLiteral("approval.requested"),
                                 QStringLiteral("approval.decided"), QStringLiteral("command.finished")}));
    QCOMPARE(events.at(2).body.value(QStringLiteral("decision")).toString(), QStringLiteral("denied"));
    QCOMPARE(events.at(3).body.value(QStringLiteral("status")).toString(), QStringLiteral("denied"));
    QVERIFY(events.at(3).body.value(QStringLiteral("error")).toString().contains(QStringLiteral("denied")));
}

void tst_LiveSession::unansweredChangeTimesOutAndNeverRuns()
{
    const QString file = m_scratch.filePath(QStringLiteral("timed-out"));
    const QString text = QStringLiteral("touch ") + file;
    QElapsedTimer t;
    t.start();
    const auto r = m_server.cli(m_org.technicianToken, {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                                        QStringLiteral("--change"), QStringLiteral("--"), text});
    QCOMPARE(r.code, 77);
    QVERIFY(t.elapsed() >= 2900); // the agent waited its 3 s
    QVERIFY(!QFile::exists(file));
    QVERIFY(r.err.contains("timed_out"));
    const QList<Event> events = eventsOf(commandIdOf(text));
    QCOMPARE(events.at(2).body.value(QStringLiteral("decision")).toString(), QStringLiteral("timed_out"));
    for (const Event &e : events)
        QVERIFY(e.kind != EventKind::CommandStarted);
    waitForPrompt(100); // consume the prompt text
}

// A change whose request just fits in one message: the question about it (its text and some
// wording) does not, so it could not be on the record before it is asked. The agent does not
// ask, and the command ends failed without running.
void tst_LiveSession::consentQuestionTooLargeToRecordIsNotAsked()
{
    const QString file = m_scratch.filePath(QStringLiteral("too-large"));
    CommandRequestedBody body;
    body.command = Event::newId();
    body.shell = QStringLiteral("sh");
    body.change = true;
    const auto frameOf = [&](qsizetype padding) -> QByteArray {
        body.text = QStringLiteral("touch %1 # %2").arg(file, QString(padding, QLatin1Char('x')));
        const Event e =
            Event::make(m_session, Actor{QStringLiteral("user"), m_org.technician}, body);
        return "{\"type\":\"append\",\"req\":1,\"events\":[" + EventCodec::encode(e, false) + "]}";
    };
    // The largest request the server takes, less a few bytes.
    const qsizetype padding = ProtocolLimits::frameBytes - 16 - frameOf(0).size();
    const QByteArray frame = frameOf(padding);
    QVERIFY(frame.size() <= ProtocolLimits::frameBytes &&
            frame.size() > ProtocolLimits::frameBytes - 32);

    WsTestClient tech;
    QVERIFY(tech.open(m_server.wsUrl()));
    QCOMPARE(tech.hello(m_org.technicianToken).value(QStringLiteral("type")).toString(),
             QStringLiteral("welcome"));
    tech.sendText(frame);
    const QJsonObject acked = tech.waitFor(QStringLiteral("result"), 20000);
    QVERIFY2(acked.contains(QStringLiteral("acks")), QJsonDocument(acked).toJson().constData());

    QList<Event> events;
    // The request is over 1 MiB once sealed, and still read back (EventCodec::maxSealedEventBytes).
    QTRY_VERIFY_WITH_TIMEOUT((events = eventsOf(body.command)).size() >= 2, 30000);
    QStringList kinds;
    for (const Event &e : std::as_const(events))
        kinds.append(eventKindName(e.kind));
    QCOMPARE(kinds, (QStringList{QStringLiteral("command.requested"),
                                 QStringLiteral("command.finished")}));
    QCOMPARE(events.at(1).body.value(QStringLiteral("status")).toString(),
             QStringLiteral("failed"));
    QVERIFY2(events.at(1)
                 .body.value(QStringLiteral("error"))
                 .toString()
                 .contains(QStringLiteral("consent question cannot be recorded")),
             qPrintable(events.at(1).body.value(QStringLiteral("error")).toString()));
    QVERIFY(!QFile::exists(file));
    QVERIFY2(!waitForPrompt(1000), "the end user was asked");
}

void tst_LiveSession::localPolicyAsksEvenWithoutTheChangeFlag()
{
    const QString dir = m_scratch.filePath(QStringLiteral("keep-me"));
    QVERIFY(QDir().mkpath(dir));
    const QString text = QStringLiteral("rm -rf ") + dir;
    QProcess *cli = m_server.startCli(m_org.technicianToken, {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                                              QStringLiteral("--"), text});
    QVERIFY2(waitForPrompt(), "the default policy did not ask about rm -rf");
    answer("no\n");
    QVERIFY(cli->waitForFinished(20000));
    QCOMPARE(cli->exitCode(), 77);
    QVERIFY(QDir(dir).exists());
}

void tst_LiveSession::cancelKillsTheCommand()
{
    const QString text = QStringLiteral("echo begin; sleep 30; echo never");
    QProcess *cli = m_server.startCli(m_org.technicianToken, {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                                              QStringLiteral("--"), text});
    QByteArray seen;
    QTRY_VERIFY2_WITH_TIMEOUT((seen += cli->readAllStandardOutput()).contains("begin"),
                              QByteArray(seen + cli->readAllStandardError()).constData(), 15000);
    QElapsedTimer t;
    t.start();
    ::kill(cli->processId(), SIGINT);
    QVERIFY(cli->waitForFinished(15000));
    QCOMPARE(cli->exitCode(), 130);
    QVERIFY(t.elapsed() < 10000);
    const QList<Event> events = eventsOf(commandIdOf(text));
    QCOMPARE(events.last().body.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
}

void tst_LiveSession::restartedAgentNeverRunsACommandTwice()
{
    const QString counter = m_scratch.filePath(QStringLiteral("counter"));
    const QString text = QStringLiteral("echo ran >> ") + counter;
    QCOMPARE(m_server.cli(m_org.technicianToken, {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                                  QStringLiteral("--"), text}).code, 0);
    // Restart the agent: it replays the session and must recognise the command as done.
    m_agent->kill();
    m_agent->waitForFinished(5000);
    m_agent = m_server.restartAgent(QStringLiteral("stdin"), {QStringLiteral("--consent-timeout"), QStringLiteral("3")});
    QVERIFY(m_agent);
    // Something new runs, so the agent has certainly caught up with the replay.
    QCOMPARE(m_server.cli(m_org.technicianToken, {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                                  QStringLiteral("--"), QStringLiteral("true")}).code, 0);
    QFile f(counter);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("ran\n"));
}

void tst_LiveSession::eventsFollowEndsWhenTheSessionCloses()
{
    const auto opened =
        m_server.cli(m_org.technicianToken, {QStringLiteral("open"), QStringLiteral("--endpoint"),
                                             m_server.agentEndpoint(), QStringLiteral("--title"),
                                             QStringLiteral("Followed to the end")});
    QCOMPARE(opened.code, 0);
    const QString session = QString::fromUtf8(opened.out.trimmed());
    QProcess *follow = m_server.startCli(
        m_org.viewerToken, {QStringLiteral("events"), QStringLiteral("--session"), session,
                            QStringLiteral("--follow"), QStringLiteral("--json")});
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += follow->readAllStandardOutput()).contains("session.opened"),
                             15000);
    QCOMPARE(follow->state(), QProcess::Running); // following: it waits for more
    QCOMPARE(m_server
                 .cli(m_org.technicianToken, {QStringLiteral("close"), QStringLiteral("--session"),
                                              session, QStringLiteral("--json")})
                 .code,
             0);
    // A script following a session until it ends gets the close, then its exit.
    QTRY_COMPARE_WITH_TIMEOUT(follow->state(), QProcess::NotRunning, 15000);
    QCOMPARE(follow->exitStatus(), QProcess::NormalExit);
    QCOMPARE(follow->exitCode(), 0);
    out += follow->readAllStandardOutput();
    const QList<QByteArray> lines = out.trimmed().split('\n');
    const auto last = EventCodec::decode(lines.constLast(), EventCodec::Mode::Sealed);
    QVERIFY2(last.ok(), lines.constLast().constData());
    QCOMPARE(last.event.kind, EventKind::SessionClosed);
    // Following it again from its close on: nothing can come, so it does not wait.
    const auto again = m_server.cli(m_org.viewerToken,
                                    {QStringLiteral("events"), QStringLiteral("--session"), session,
                                     QStringLiteral("--follow"), QStringLiteral("--after"),
                                     QString::number(last.event.seq)},
                                    15000);
    QVERIFY2(again.code == 0, again.err.constData());
    QVERIFY(again.out.isEmpty());
}

void tst_LiveSession::cliArgumentsAreCheckedAndNoTokenIsEchoed()
{
    // The connection options before the command, as the usage line shows them last.
    QProcess cli;
    cli.start(QStringLiteral(CASEFILE_CLI),
              {QStringLiteral("--server"), m_server.wsUrl(), QStringLiteral("--token"),
               m_org.technicianToken, QStringLiteral("endpoints"), QStringLiteral("--json")});
    QVERIFY(cli.waitForFinished(30000));
    const QByteArray listed = cli.readAllStandardOutput();
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    QVERIFY2(listed.contains(m_server.agentEndpoint().toUtf8()), listed.constData());

    // Before a local command too.
    cli.start(QStringLiteral(CASEFILE_CLI),
              {QStringLiteral("--json"), QStringLiteral("--version")});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    QVERIFY(cli.readAllStandardOutput().startsWith("casefile-cli "));

    // With --json, stderr holds JSON lines too: here the sync layer's log of a server it
    // cannot reach (it keeps trying).
    cli.start(QStringLiteral(CASEFILE_CLI),
              {QStringLiteral("--server"), QStringLiteral("ws://127.0.0.1:9/ws"),
               QStringLiteral("--token"), QStringLiteral("cf_unused"), QStringLiteral("--json"),
               QStringLiteral("endpoints")});
    QVERIFY(!cli.waitForFinished(3000));
    cli.kill();
    cli.waitForFinished(5000);
    const QList<QByteArray> logged = cli.readAllStandardError().trimmed().split('\n');
    QVERIFY(!logged.constFirst().isEmpty());
    for (const QByteArray &line : logged)
        QVERIFY2(QJsonDocument::fromJson(line).isObject(), line.constData());

    // A mistyped command after the token: named, the token not.
    const QString secret = QStringLiteral("cf_not-to-be-printed");
    cli.start(QStringLiteral(CASEFILE_CLI),
              {QStringLiteral("--token=") + secret, QStringLiteral("endpoint")});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 2);
    QByteArray said = cli.readAllStandardOutput() + cli.readAllStandardError();
    QVERIFY2(said.contains("unknown command 'endpoint'"), said.constData());
    QVERIFY2(!said.contains(secret.toUtf8()), said.constData());

    // Values that are not what they must be: usage errors (2) that say what is wrong, before
    // anything is sent.
    const struct
    {
        QStringList args;
        QByteArray says;
    } bad[] = {
        {{QStringLiteral("events"), QStringLiteral("--session"), m_session,
          QStringLiteral("--after"), QStringLiteral("abc")},
         "--after"},
        {{QStringLiteral("events"), QStringLiteral("--session"), m_session,
          QStringLiteral("--after"), QStringLiteral("-3")},
         "--after"},
        {{QStringLiteral("run"), QStringLiteral("--session"), m_session,
          QStringLiteral("--timeout"), QStringLiteral("10s"), QStringLiteral("--"),
          QStringLiteral("true")},
         "--timeout"},
        {{QStringLiteral("run"), QStringLiteral("--session"), m_session,
          QStringLiteral("--timeout"), QStringLiteral("0"), QStringLiteral("--"),
          QStringLiteral("true")},
         "--timeout"},
        {{QStringLiteral("events"), QStringLiteral("--sesion"), m_session}, "sesion"},
        {{QStringLiteral("endpoints"), QStringLiteral("--jsn")}, "--jsn"},
    };
    for (const auto &c : bad) {
        const auto r = m_server.cli(m_org.technicianToken, c.args);
        QVERIFY2(r.code == 2, qPrintable(c.args.join(u' ') + u' ' + QString::fromUtf8(r.err)));
        QVERIFY2(r.err.contains(c.says), r.err.constData());
    }
}

void tst_LiveSession::eventsCommandPrintsTheRecord()
{
    const auto r = m_server.cli(m_org.technicianToken, {QStringLiteral("events"), QStringLiteral("--session"), m_session});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("session.opened"));
    QVERIFY(r.out.contains("context.captured"));
    QVERIFY(r.out.contains("approval.decided"));
    const auto json = m_server.cli(m_org.viewerToken, {QStringLiteral("events"), QStringLiteral("--session"), m_session,
                                                       QStringLiteral("--after"), QStringLiteral("3"), QStringLiteral("--json")});
    QCOMPARE(json.code, 0);
    const auto first = EventCodec::decode(json.out.split('\n').first(), EventCodec::Mode::Sealed);
    QVERIFY(first.ok());
    QCOMPARE(first.event.seq, 4);
    // A viewer cannot run anything.
    const auto refused = m_server.cli(m_org.viewerToken, {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                                          QStringLiteral("--"), QStringLiteral("id")});
    QCOMPARE(refused.code, 1);
    QVERIFY(refused.err.contains("forbidden"));
}

void tst_LiveSession::closingTheSessionWithdrawsAndStopsItsCommands()
{
    // A question that does not time out by itself while the test closes the session.
    m_agent->kill();
    m_agent->waitForFinished(5000);
    m_agent = m_server.restartAgent(QStringLiteral("stdin"),
                                    {QStringLiteral("--consent-timeout"), QStringLiteral("120")});
    QVERIFY(m_agent);
    m_agentErr.clear();
    const QString session = openSession(QStringLiteral("Closed under its commands"));
    QVERIFY(JsonReader::isUuid(session));
    const QString ranOn = m_scratch.filePath(QStringLiteral("ran-on-after-close"));
    const QString approvedLate = m_scratch.filePath(QStringLiteral("approved-after-close"));

    // One command running, one waiting for the end user's answer.
    QProcess *running = m_server.startCli(
        m_org.technicianToken,
        {QStringLiteral("run"), QStringLiteral("--session"), session, QStringLiteral("--"),
         QStringLiteral("sleep 30 & echo sleeper $!; wait; touch ") + ranOn});
    QByteArray seen;
    QTRY_VERIFY2_WITH_TIMEOUT((seen += running->readAllStandardOutput()).contains("\n"),
                              seen.constData(), 15000);
    const qint64 sleeper = seen.trimmed().mid(qsizetype(sizeof "sleeper")).toLongLong();
    QVERIFY2(sleeper > 0, seen.constData());
    QProcess *waiting = m_server.startCli(
        m_org.technicianToken,
        {QStringLiteral("run"), QStringLiteral("--session"), session, QStringLiteral("--change"),
         QStringLiteral("--"), QStringLiteral("touch ") + approvedLate});
    QVERIFY(waitForPrompt());

    QCOMPARE(m_server
                 .cli(m_org.technicianToken,
                      {QStringLiteral("close"), QStringLiteral("--session"), session})
                 .code,
             0);
    // The question goes away before anyone answers it; an answer now approves nothing.
    QTRY_VERIFY_WITH_TIMEOUT((m_agentErr += m_agent->readAllStandardError()).contains("withdrawn"),
                             15000);
    answer("y\n");
    // Both runs end, saying why, instead of waiting for an end that can no longer be recorded.
    for (QProcess *cli : {running, waiting}) {
        QVERIFY(cli->state() == QProcess::NotRunning || cli->waitForFinished(15000));
        const QByteArray err = cli->readAllStandardError();
        QCOMPARE(cli->exitCode(), 1);
        QVERIFY2(err.contains("the session was closed"), err.constData());
    }
    // The running command's processes are ended.
    QTRY_VERIFY_WITH_TIMEOUT(ProcessProbe::gone(sleeper), 15000);
    QVERIFY(!QFile::exists(ranOn));
    // The change never ran, and its record ends without a decision: nothing follows the close.
    QVERIFY(!QFile::exists(approvedLate));
    const QList<Event> events = record(session);
    QCOMPARE(events.last().kind, EventKind::SessionClosed);
    bool asked = false;
    for (const Event &e : events) {
        asked |= e.kind == EventKind::ApprovalRequested;
        QVERIFY(e.kind != EventKind::ApprovalDecided);
    }
    QVERIFY(asked);
    // The agent goes on serving its other sessions.
    const auto after = m_server.cli(m_org.technicianToken,
                                    {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                     QStringLiteral("--"), QStringLiteral("echo still-here")});
    QCOMPARE(after.code, 0);
    QCOMPARE(after.out, QByteArray("still-here\n"));
    QVERIFY(!QFile::exists(approvedLate));
}

void tst_LiveSession::approvalCrossingTheCloseRunsNothing()
{
    // Runs after closingTheSessionWithdrawsAndStopsItsCommands: questions do not time out.
    const QString session = openSession(QStringLiteral("Approved as it closed"));
    QVERIFY(JsonReader::isUuid(session));
    const QString changed = m_scratch.filePath(QStringLiteral("approved-as-it-closed"));
    QProcess *waiting = m_server.startCli(
        m_org.technicianToken,
        {QStringLiteral("run"), QStringLiteral("--session"), session, QStringLiteral("--change"),
         QStringLiteral("--"), QStringLiteral("touch ") + changed});
    QVERIFY(waitForPrompt());
    // The end user approves while the server is away: the approval is only in the agent's
    // outbox, not on the record, so the change waits.
    const quint16 port = m_server.port();
    m_server.kill();
    answer("y\n");
    QTest::qWait(1000);
    QVERIFY(!QFile::exists(changed));
    // The technician closes the session before the agent is back: the record of the approval
    // arrives after the close and is refused, so the change never runs.
    QVERIFY(::kill(pid_t(m_agent->processId()), SIGSTOP) == 0);
    QVERIFY(m_server.start(port));
    const auto closed = m_server.cli(
        m_org.technicianToken, {QStringLiteral("close"), QStringLiteral("--session"), session});
    QVERIFY(::kill(pid_t(m_agent->processId()), SIGCONT) == 0);
    QCOMPARE(closed.code, 0);
    // The agent learns of the close from its subscription or from the refusal, whichever
    // comes first; either way it says the command will not run.
    QTRY_VERIFY2_WITH_TIMEOUT(
        (m_agentErr += m_agent->readAllStandardError()).contains("will not run"),
        m_agentErr.right(3000).constData(), 30000);
    QVERIFY(!QFile::exists(changed));
    QVERIFY(waiting->state() == QProcess::NotRunning || waiting->waitForFinished(30000));
    QCOMPARE(waiting->exitCode(), 1);
    const QList<Event> events = record(session);
    QCOMPARE(events.last().kind, EventKind::SessionClosed);
    for (const Event &e : events)
        QVERIFY(e.kind != EventKind::CommandStarted && e.kind != EventKind::ApprovalDecided);
    // Nothing runs later either, once the agent has caught up.
    const auto after = m_server.cli(m_org.technicianToken,
                                    {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                     QStringLiteral("--"), QStringLiteral("true")});
    QCOMPARE(after.code, 0);
    QVERIFY(!QFile::exists(changed));
}

void tst_LiveSession::badOptionsAreRefused_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("error");
    for (const char *v : {"0", "-1", "nan", "inf", "2000000", "lots"})
        QTest::addRow("--max-held-mb %s", v)
            << QStringLiteral("--max-held-mb") << QString::fromLatin1(v)
            << QStringLiteral("--max-held-mb: expected a number");
    // Each of these used to mean "wait for ever" (or overflow) without a word.
    for (const char *v : {"abc", "1.5", "-1", "604801", "2147484"})
        QTest::addRow("--consent-timeout %s", v)
            << QStringLiteral("--consent-timeout") << QString::fromLatin1(v)
            << QStringLiteral("--consent-timeout: expected whole seconds");
}

void tst_LiveSession::badOptionsAreRefused()
{
    QFETCH(QString, option);
    QFETCH(QString, value);
    QFETCH(QString, error);
    // Refused before the agent connects or runs anything: a clear error and exit code 2.
    QProcess agent;
    agent.start(QStringLiteral(CASEFILE_AGENT),
                {QStringLiteral("run"), QStringLiteral("--state"), m_server.agentStateDir(),
                 QStringLiteral("--consent"), QStringLiteral("deny"), option, value});
    QVERIFY(agent.waitForFinished(10000));
    QCOMPARE(agent.exitCode(), 2);
    const QByteArray said = agent.readAllStandardError();
    QVERIFY2(said.contains(error.toUtf8()), said.constData());
}

QTEST_GUILESS_MAIN(tst_LiveSession)
#include "tst_LiveSession.moc"
