#include "DiskFull.h"
#include "ProcessProbe.h"
#include "ServerFixture.h"
#include "events/EventCodec.h"
#include "store/EventStore.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <algorithm>
#include <csignal>

using namespace casefile;

// The server dies while a command streams: every acknowledged event survives exactly once, the
// chain verifies, and agent and cli carry on by themselves once the server is back.
class tst_Resilience : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void serverKilledMidStream();
    void serverGoneForTenSeconds();
    void serverDiskFull();
    void agentDiskFull();
    void commandRequestedWhileTheAgentDiskIsFull_data();
    void commandRequestedWhileTheAgentDiskIsFull();
    void agentDiedBeforeItsJournalSaidFinished_data();
    void agentDiedBeforeItsJournalSaidFinished();
    void contextIsRecordedOncePerSession();
    void ctrlCBeforeTheServerHasTheRequest();
    void agentKilledMidCommandLeavesNothingRunning();
    void secondAgentOnTheSameStateIsRefused();
    void agentWithABrokenOutboxExits();

private:
    // Runs a paced command printing 1..lines through the cli, calls `outage` once the cli has
    // seen `killAfterLine`, and checks everything afterwards. `dropsConnections`: the outage
    // ends the connections, and the cli must say it is reconnecting.
    void streamThrough(int lines, int killAfterLine, bool dropsConnections,
                       const std::function<void()> &outage);
    // The session's record as the cli prints it with --json, decoded.
    QList<Event> record();
    // The first column of the first row `sql` gives in one of the agent's SQLite files (WAL:
    // safe beside the running agent), or an invalid QVariant; `affected`: the rows it changed.
    QVariant agentSql(const QString &file, const QString &sql, const QVariantList &binds = {},
                      int *affected = nullptr);
    // Event::derivedId of `name` in the agent's namespace (its journal's), empty without one.
    QString agentDerivedId(const QString &name);

    std::unique_ptr<ServerFixture> m_server;
    ServerFixture::Org m_org;
    QString m_session;
    QProcess *m_agent = nullptr;
};

void tst_Resilience::init()
{
    m_server = std::make_unique<ServerFixture>();
    m_org = m_server->createOrg(QStringLiteral("Contoso"));
    QVERIFY(m_server->start());
    // agentDiskFull: a quarter MiB of output held in memory, then the command is paused.
    const bool smallHold = QByteArray(QTest::currentTestFunction()) == "agentDiskFull";
    m_agent = m_server->startAgent(
        m_org, QStringLiteral("auto-approve"),
        smallHold ? QStringList{QStringLiteral("--max-held-mb"), QStringLiteral("0.25")}
                  : QStringList{});
    QVERIFY(m_agent);
    const auto opened = m_server->cli(m_org.technicianToken, {QStringLiteral("open"), QStringLiteral("--endpoint"),
                                                              m_server->agentEndpoint(), QStringLiteral("--title"),
                                                              QStringLiteral("Resilience")});
    QCOMPARE(opened.code, 0);
    m_session = QString::fromUtf8(opened.out.trimmed());
}

void tst_Resilience::cleanup()
{
    m_server.reset();
}

void tst_Resilience::streamThrough(int lines, int killAfterLine, bool dropsConnections,
                                   const std::function<void()> &outage)
{
    // Paced so the stream is still running when the server goes: about 50 ms per 2000 lines.
    const QString text = QStringLiteral("seq 1 %1 | awk '{print} NR % 2000 == 0 {fflush(); system(\"sleep 0.05\")}'")
                             .arg(lines);
    QProcess *cli = m_server->startCli(m_org.technicianToken, {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                                               QStringLiteral("--"), text});
    QByteArray out;
    QElapsedTimer t;
    t.start();
    const QByteArray marker = QByteArray('\n' + QByteArray::number(killAfterLine) + '\n');
    while (!out.contains(marker) && t.elapsed() < 60000 && cli->state() == QProcess::Running) {
        cli->waitForReadyRead(100);
        out += cli->readAllStandardOutput();
    }
    QVERIFY2(out.contains(marker), cli->readAllStandardError().constData());
    QVERIFY2(!out.endsWith(QByteArray('\n' + QByteArray::number(lines) + '\n')), "the stream finished before the outage");

    outage();
    if (QTest::currentTestFailed())
        return;

    while (cli->state() == QProcess::Running && t.elapsed() < 180000) {
        cli->waitForReadyRead(200);
        out += cli->readAllStandardOutput();
    }
    out += cli->readAllStandardOutput();
    const QByteArray err = cli->readAllStandardError();
    QCOMPARE(cli->exitStatus(), QProcess::NormalExit);
    QVERIFY2(cli->exitCode() == 0, err.constData());
    if (dropsConnections)
        QVERIFY2(err.contains("reconnecting"), "the cli never noticed the outage");

    // Every line exactly once, in order.
    const QList<QByteArray> got = out.split('\n');
    QCOMPARE(got.size(), lines + 1);
    for (int i = 0; i < lines; ++i) {
        if (got.at(i).toInt() != i + 1)
            QFAIL(qPrintable(QStringLiteral("line %1 is '%2'").arg(i + 1).arg(QString::fromUtf8(got.at(i)))));
    }

    // And in the server's record: chunks 0..n-1 once each, the same bytes, a verified chain.
    m_server->terminate();
    EventStore store;
    QVERIFY(store.open(m_server->dataDir() + QStringLiteral("/casefile.db")));
    const ChainReport report = store.verify(m_session);
    QVERIFY2(report.ok, qPrintable(report.toString()));
    const auto events = store.read(m_session, 0, 1000000);
    QVERIFY(events);
    qint64 chunk = 0;
    QByteArray stored;
    QSet<QString> ids;
    for (const Event &e : *events) {
        QVERIFY(!ids.contains(e.id));
        ids.insert(e.id);
        if (e.kind != EventKind::CommandOutput)
            continue;
        QCOMPARE(e.body.value(QStringLiteral("chunk")).toInteger(), chunk++);
        stored += e.body.value(QStringLiteral("data")).toString().toUtf8();
    }
    QCOMPARE(stored, out);
    QCOMPARE(events->last().kind, EventKind::CommandFinished);
    qInfo("%lld output chunks, %lld events, all once, chain verified", chunk, qint64(events->size()));
}

void tst_Resilience::serverKilledMidStream()
{
    streamThrough(200000, 40000, true, [this] {
        const quint16 port = m_server->port();
        m_server->kill(); // SIGKILL, mid-stream
        QTest::qWait(500);
        QVERIFY(m_server->start(port));
    });
}

void tst_Resilience::serverGoneForTenSeconds()
{
    streamThrough(100000, 20000, true, [this] {
        const quint16 port = m_server->port();
        m_server->kill();
        // The command keeps producing output meanwhile; the agent's outbox holds it.
        QTest::qWait(10000);
        QVERIFY(m_server->start(port));
    });
}

namespace {

// The pid of the newest process (not a casefile-cli) whose command line contains `marker`, or 0.
qint64 processWith(const QByteArray &marker)
{
    qint64 found = 0;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid || pid == QCoreApplication::applicationPid())
            continue;
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (!cmdline.open(QIODevice::ReadOnly))
            continue;
        // The cli that asked for the command carries its text too; only the command counts.
        const QByteArray line = cmdline.readAll();
        if (line.contains(marker) && !line.contains("casefile-cli"))
            found = std::max(found, pid);
    }
    return found;
}

} // namespace

// The server's disk stops taking writes mid-stream: it answers `unavailable`, keeps serving
// reads, and stores everything once there is room again; the agent keeps its output meanwhile.
// A file size limit on the running server stands in for the full disk: every write at an
// offset past it fails (EFBIG) as writes to a full disk fail (ENOSPC).
void tst_Resilience::serverDiskFull()
{
    const qint64 pid = m_server->serverPid();
    streamThrough(100000, 20000, false, [this, pid] {
        DiskFull full(pid);
        QVERIFY(full.isOk());
        QTest::qWait(3000);
        // Still serving: what needs no write works, and the server is the same process.
        const auto events = m_server->cli(m_org.technicianToken,
                                          {QStringLiteral("events"), QStringLiteral("--session"),
                                           m_session, QStringLiteral("--after"),
                                           QStringLiteral("0"), QStringLiteral("--json")});
        QVERIFY2(events.code == 0, events.err.constData());
        QVERIFY(events.out.contains("command.output"));
        QVERIFY(m_server->isRunning());
        QCOMPARE(m_server->serverPid(), pid);
        QVERIFY(full.end());
    });
    QVERIFY2(m_server->serverLog().contains(QStringLiteral("append failed in the store")),
             qPrintable(m_server->serverLog().right(2000)));
}

// The endpoint's disk stops taking writes while a command streams: the agent cannot put the
// output in its outbox, keeps it in memory, pauses the command once a quarter MiB waits
// (--max-held-mb 0.25, init()), and queues everything in order once there is room.
void tst_Resilience::agentDiskFull()
{
    const qint64 pid = m_agent->processId();
    streamThrough(200000, 20000, false, [this, pid] {
        DiskFull full(pid);
        QVERIFY(full.isOk());
        // The paced awk of streamThrough makes ~250 KB/s: paused within a few seconds.
        const qint64 awk = processWith("NR % 2000");
        QVERIFY(awk > 0);
        // Paused: awk stopped; or, when the stop came while awk was starting the `sleep` of its
        // system(), awk waiting (D) for that child, which is stopped itself.
        const auto paused = [awk] {
            const char state = ProcessProbe::state(awk);
            if (state == 'T')
                return true;
            if (state != 'D')
                return false;
            const QList<qint64> children = ProcessProbe::children(awk);
            return std::any_of(children.begin(), children.end(),
                               [](qint64 child) { return ProcessProbe::state(child) == 'T'; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(paused(), 15000);
        QCOMPARE(m_agent->state(), QProcess::Running);
        QVERIFY(full.end());
        // Room again: the held output goes into the outbox and the command goes on.
        QTRY_VERIFY_WITH_TIMEOUT(!paused(), 15000);
    });
    const QByteArray log = m_agent->readAllStandardError() + m_agent->readAllStandardOutput();
    QVERIFY2(log.contains("cannot write the outbox"), log.right(2000).constData());
    QVERIFY2(log.contains("pausing 1 running command"), log.right(2000).constData());
}

// A command asked for while the endpoint's disk takes no writes: the agent cannot mark it as
// claimed in its journal, so it does not run it yet (a restart could run it a second time);
// once the disk has room it runs, once.
void tst_Resilience::commandRequestedWhileTheAgentDiskIsFull_data()
{
    QTest::addColumn<bool>("cancel");
    QTest::newRow("runs once there is room") << false;
    QTest::newRow("cancelled meanwhile, never runs") << true;
}

void tst_Resilience::commandRequestedWhileTheAgentDiskIsFull()
{
    QFETCH(bool, cancel);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString marker = dir.filePath(QStringLiteral("ran"));
    // The agent is up and follows the session (it has written its context) before its disk fills.
    const auto contextSeen = [this] {
        return m_server
            ->cli(m_org.technicianToken, {QStringLiteral("events"), QStringLiteral("--session"),
                                          m_session, QStringLiteral("--json")})
            .out.contains("context.captured");
    };
    QTRY_VERIFY_WITH_TIMEOUT(contextSeen(), 30000);
    QByteArray agentLog;
    const auto agentSaid = [this, &agentLog](const char *what) {
        agentLog += m_agent->readAllStandardError() + m_agent->readAllStandardOutput();
        return agentLog.contains(what);
    };
    QProcess *cli = nullptr;
    {
        DiskFull full(m_agent->processId());
        QVERIFY(full.isOk());
        cli = m_server->startCli(m_org.technicianToken,
                                 {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                  QStringLiteral("--"),
                                  QStringLiteral("echo ran >> '%1'; echo done").arg(marker)});
        QTRY_VERIFY2_WITH_TIMEOUT(agentSaid("cannot claim command"),
                                  agentLog.right(2000).constData(), 30000);
        QVERIFY2(!QFile::exists(marker), "the command ran without a claim in the journal");
        QCOMPARE(cli->state(), QProcess::Running);
        if (cancel) {
            // `run` names the command on stderr; the technician cancels it from elsewhere.
            static const QRegularExpression named(QStringLiteral("command ([0-9a-f-]{36})"));
            QByteArray cliErr;
            QRegularExpressionMatch match;
            QTRY_VERIFY_WITH_TIMEOUT((cliErr += cli->readAllStandardError(),
                                      match = named.match(QString::fromUtf8(cliErr)),
                                      match.hasMatch()),
                                     10000);
            const auto sent = m_server->cli(
                m_org.technicianToken, {QStringLiteral("cancel"), QStringLiteral("--session"),
                                        m_session, QStringLiteral("--command"), match.captured(1)});
            QCOMPARE(sent.code, 0);
            QTRY_VERIFY2_WITH_TIMEOUT(agentSaid("is cancelled; it will not run"),
                                      agentLog.right(2000).constData(), 10000);
        }
        QVERIFY(full.end());
    }
    // Asked for once there is room, most likely before the agent tries its claim again: it
    // waits behind the first (so they start in the order asked for) and is not lost there.
    QProcess *second =
        cancel ? nullptr
               : m_server->startCli(m_org.technicianToken,
                                    {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                     QStringLiteral("--"), QStringLiteral("echo second")});
    QVERIFY(cli->waitForFinished(30000));
    if (second) {
        QVERIFY(second->waitForFinished(30000));
        QCOMPARE(second->exitCode(), 0);
        QCOMPARE(second->readAllStandardOutput(), QByteArray("second\n"));
    }
    if (cancel) {
        QCOMPARE(cli->exitCode(), 130); // RemoteCommands::Cancelled
        QVERIFY2(!QFile::exists(marker), "a cancelled command ran");
        const auto record = m_server->cli(m_org.technicianToken,
                                          {QStringLiteral("events"), QStringLiteral("--session"),
                                           m_session, QStringLiteral("--json")});
        QVERIFY(record.out.contains("\"status\":\"cancelled\""));
        QVERIFY(!record.out.contains("command.started"));
        return;
    }
    QCOMPARE(cli->exitCode(), 0);
    QCOMPARE(cli->readAllStandardOutput(), QByteArray("done\n"));
    QFile ran(marker);
    QVERIFY(ran.open(QIODevice::ReadOnly));
    QCOMPARE(ran.readAll(), QByteArray("ran\n")); // once
}

// Ctrl+C while `run` cannot reach the server, before its request is on the record: the cancel
// is sent once the server has the request, and again until the agent (reconnecting itself,
// and not yet aware of the command) acts on it. The command never completes its side effect.
void tst_Resilience::ctrlCBeforeTheServerHasTheRequest()
{
    const QString marker = QDir(m_server->dataDir()).filePath(QStringLiteral("ran"));
    const QString text = QStringLiteral("sleep 4; echo ran > '%1'").arg(marker);
    const quint16 port = m_server->port();
    m_server->kill();
    QProcess *cli = m_server->startCli(m_org.technicianToken,
                                       {QStringLiteral("run"), QStringLiteral("--session"),
                                        m_session, QStringLiteral("--"), text});
    QVERIFY(cli);
    // Connecting, in vain: said from the event loop, so its Ctrl+C handler is in place.
    QByteArray said;
    QTRY_VERIFY2_WITH_TIMEOUT((said += cli->readAllStandardError()).contains("reconnecting"),
                              said.constData(), 15000);
    ::kill(pid_t(cli->processId()), SIGINT);
    QTRY_VERIFY2_WITH_TIMEOUT((said += cli->readAllStandardError()).contains("cancelling"),
                              said.constData(), 5000);
    QVERIFY(m_server->start(port));
    QTRY_COMPARE_WITH_TIMEOUT(cli->state(), QProcess::NotRunning, 60000);
    QCOMPARE(cli->exitStatus(), QProcess::NormalExit);
    QCOMPARE(cli->exitCode(), 130); // RunExit::Cancelled: the command's end says cancelled
    const QList<Event> events = record();
    const auto end = std::find_if(events.cbegin(), events.cend(), [](const Event &e) {
        return e.kind == EventKind::CommandFinished;
    });
    QVERIFY(end != events.cend());
    QCOMPARE(end->body.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
    QTest::qWait(4500); // past the sleep: a command that still ran would have written it
    QVERIFY(!QFile::exists(marker));
}

QList<Event> tst_Resilience::record()
{
    return m_server->events(m_org.technicianToken, m_session);
}

// The agent recorded a command's end but died before its journal said "finished" (it was
// still retrying that write, or was killed between the two): the next start records an end
// once more. The record still shows one end, the real one, whether the first had reached the
// server already or was still waiting in the outbox.
void tst_Resilience::agentDiedBeforeItsJournalSaidFinished_data()
{
    QTest::addColumn<bool>("serverAway");
    QTest::newRow("the end had reached the server") << false;
    QTest::newRow("the end was still in the outbox") << true;
}

void tst_Resilience::agentDiedBeforeItsJournalSaidFinished()
{
    QFETCH(bool, serverAway);
    const QString text = QStringLiteral("sleep 3; echo ran");
    QProcess *cli = m_server->startCli(m_org.technicianToken,
                                       {QStringLiteral("run"), QStringLiteral("--session"),
                                        m_session, QStringLiteral("--"), text});
    QString command;
    const auto started = [this, &command, &text] {
        for (const Event &e : record()) {
            if (e.kind == EventKind::CommandRequested &&
                e.body.value(QStringLiteral("text")).toString() == text)
                command = e.body.value(QStringLiteral("command")).toString();
            else if (e.kind == EventKind::CommandStarted && !command.isEmpty() &&
                     e.body.value(QStringLiteral("command")).toString() == command)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(started(), 30000);
    const quint16 port = m_server->port();
    if (serverAway)
        m_server->kill(); // the end can only go into the outbox

    const QString endId = agentDerivedId(m_session + u'/' + command + u"/command.finished");
    QVERIFY(!endId.isEmpty());
    const auto finishedInJournal = [this, &command] {
        return !agentSql(QStringLiteral("agent.db"),
                         QStringLiteral("SELECT finished_at FROM commands WHERE command = ?"),
                         {command})
                    .toString()
                    .isEmpty();
    };
    const auto queued = [this](const QString &id) {
        return agentSql(QStringLiteral("outbox.db"),
                        QStringLiteral("SELECT COUNT(*) FROM outbox WHERE id = ?"), {id})
            .toInt();
    };
    // The end is in the outbox before the journal says "finished" (Agent::recordEnd).
    QTRY_VERIFY_WITH_TIMEOUT(finishedInJournal(), 30000);
    if (serverAway) {
        QCOMPARE(queued(endId), 1);
    } else {
        // Not waitForFinished(): the QTRY above may have seen the cli end already.
        QTRY_COMPARE_WITH_TIMEOUT(cli->state(), QProcess::NotRunning, 30000);
        QCOMPARE(cli->exitCode(), 0);
        // Acknowledged and gone from the outbox: the restart's end meets the server's copy.
        QTRY_COMPARE_WITH_TIMEOUT(queued(endId), 0, 10000);
    }
    m_agent->kill();
    QVERIFY(m_agent->waitForFinished(10000));
    int unfinished = -1;
    agentSql(QStringLiteral("agent.db"),
             QStringLiteral("UPDATE commands SET finished_at = '' WHERE command = ?"), {command},
             &unfinished);
    QCOMPARE(unfinished, 1); // the journal as a crash before its "finished" leaves it
    if (serverAway)
        QVERIFY(m_server->start(port));
    m_agent = m_server->restartAgent(QStringLiteral("auto-approve"));
    QVERIFY(m_agent);
    // Queued after whatever the restart recorded: once this one has finished, a second end of
    // the first command would be in the record or refused.
    const auto after = m_server->cli(m_org.technicianToken,
                                     {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                      QStringLiteral("--"), QStringLiteral("echo after")});
    QVERIFY2(after.code == 0, after.err.constData());
    QCOMPARE(after.out, QByteArray("after\n"));
    if (serverAway) {
        QTRY_COMPARE_WITH_TIMEOUT(cli->state(), QProcess::NotRunning, 60000);
        QCOMPARE(cli->exitCode(), 0);
    }
    QCOMPARE(cli->readAllStandardOutput(), QByteArray("ran\n"));

    QList<Event> ends;
    for (const Event &e : record()) {
        if (e.kind == EventKind::CommandFinished &&
            e.body.value(QStringLiteral("command")).toString() == command)
            ends.append(e);
    }
    QCOMPARE(ends.size(), 1);
    QCOMPARE(ends.first().id, endId);
    QCOMPARE(ends.first().body.value(QStringLiteral("status")).toString(),
             QStringLiteral("exited"));
    QCOMPARE(ends.first().body.value(QStringLiteral("exitCode")).toInt(), 0);
    // The restart marked it finished, so a later start does not try again.
    QVERIFY(finishedInJournal());
    if (!serverAway) {
        // The server had the first end: it refused the second as a conflict.
        QByteArray log;
        QTRY_VERIFY2_WITH_TIMEOUT(
            (log += m_agent->readAllStandardError() + m_agent->readAllStandardOutput(),
             log.contains("conflict")),
            log.right(2000).constData(), 10000);
    }
}

// The journal lost its note that the session's context was sent (it could not write it, or the
// agent died before it did): the next start captures the context again, and the record still
// holds one context.captured from this endpoint.
void tst_Resilience::contextIsRecordedOncePerSession()
{
    const auto contexts = [this] {
        QList<Event> found;
        for (const Event &e : record()) {
            if (e.kind == EventKind::ContextCaptured)
                found.append(e);
        }
        return found;
    };
    QTRY_COMPARE_WITH_TIMEOUT(contexts().size(), 1, 30000);
    const QString contextId = agentDerivedId(m_session + QStringLiteral("/context.captured"));
    QVERIFY(!contextId.isEmpty());
    QCOMPARE(contexts().constFirst().id, contextId);
    // Acknowledged and gone from the outbox: the restart's context meets the server's copy.
    QTRY_COMPARE_WITH_TIMEOUT(
        agentSql(QStringLiteral("outbox.db"), QStringLiteral("SELECT COUNT(*) FROM outbox"))
            .toInt(),
        0, 10000);
    m_agent->kill();
    QVERIFY(m_agent->waitForFinished(10000));
    int forgotten = -1;
    agentSql(QStringLiteral("agent.db"), QStringLiteral("DELETE FROM contexts WHERE session = ?"),
             {m_session}, &forgotten);
    QCOMPARE(forgotten, 1);
    m_agent = m_server->restartAgent(QStringLiteral("auto-approve"));
    QVERIFY(m_agent);
    // Queued after the second context: once this has run, that one is stored or refused.
    const auto after = m_server->cli(m_org.technicianToken,
                                     {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                      QStringLiteral("--"), QStringLiteral("echo after")});
    QVERIFY2(after.code == 0, after.err.constData());
    QCOMPARE(contexts().size(), 1);
    QByteArray log;
    QTRY_VERIFY2_WITH_TIMEOUT(
        (log += m_agent->readAllStandardError() + m_agent->readAllStandardOutput(),
         log.contains("conflict")),
        log.right(2000).constData(), 10000);
    // Noted as sent this time, once it was in the outbox.
    QTRY_COMPARE_WITH_TIMEOUT(
        agentSql(QStringLiteral("agent.db"),
                 QStringLiteral("SELECT COUNT(*) FROM contexts WHERE session = ?"), {m_session})
            .toInt(),
        1, 10000);
}

QString tst_Resilience::agentDerivedId(const QString &name)
{
    const QUuid ns(
        agentSql(QStringLiteral("agent.db"),
                 QStringLiteral("SELECT value FROM settings WHERE name = 'id-namespace'"))
            .toString());
    return ns.isNull() ? QString() : Event::derivedId(ns, name);
}

QVariant tst_Resilience::agentSql(const QString &file, const QString &sql,
                                  const QVariantList &binds, int *affected)
{
    const QString connection = QStringLiteral("agent-file");
    QVariant value;
    if (affected)
        *affected = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(m_server->agentStateDir() + u'/' + file);
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(sql);
            for (const QVariant &bind : binds)
                q.addBindValue(bind);
            if (q.exec()) {
                if (affected)
                    *affected = q.numRowsAffected();
                if (q.next())
                    value = q.value(0);
            } else {
                qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
            }
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return value;
}

// The agent is killed (kill -9) while a command runs. The record will say the command ended
// with the agent; so nothing of it may go on changing the machine: the shell dies with the
// agent, and what it left running is stopped when the agent starts again.
void tst_Resilience::agentKilledMidCommandLeavesNothingRunning()
{
    QTemporaryDir scratch;
    const QString marker = scratch.filePath(QStringLiteral("changed"));
    const QString text = QStringLiteral("(sleep 3; touch %1) & sleep 60").arg(marker);
    QProcess *cli = m_server->startCli(m_org.technicianToken,
                                       {QStringLiteral("run"), QStringLiteral("--session"),
                                        m_session, QStringLiteral("--"), text});
    QVERIFY(cli);
    qint64 leader = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const Event &e : record()) {
                if (e.kind == EventKind::CommandStarted)
                    leader = e.body.value(QStringLiteral("pid")).toInteger();
            }
            return leader > 0;
        }(),
        20000);
    m_agent->kill();
    QVERIFY(m_agent->waitForFinished(10000));
    m_agent = m_server->restartAgent(QStringLiteral("auto-approve"));
    QVERIFY(m_agent);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const Event &e : record()) {
                if (e.kind == EventKind::CommandFinished)
                    return true;
            }
            return false;
        }(),
        20000);
    QTest::qWait(4000); // past the background part's sleep
    QVERIFY2(!QFile::exists(marker), "a command the record calls ended changed the machine");
    // Nothing of its session is left (ps -s SID lists a session's processes).
    QProcess ps;
    ps.start(QStringLiteral("ps"), {QStringLiteral("-o"), QStringLiteral("pid=,args="),
                                    QStringLiteral("-s"), QString::number(leader)});
    QVERIFY(ps.waitForFinished(10000));
    const QByteArray left = ps.readAllStandardOutput().trimmed();
    QVERIFY2(left.isEmpty(), left.constData());
    Event end;
    for (const Event &e : record()) {
        if (e.kind == EventKind::CommandFinished)
            end = e;
    }
    QCOMPARE(end.body.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    QVERIFY2(
        end.body.value(QStringLiteral("error")).toString().contains(QStringLiteral("were stopped")),
        qPrintable(end.body.value(QStringLiteral("error")).toString()));
    cli->kill();
}

// Two agents on one state directory would take each other's running commands for leftovers
// of a crash: the second one is refused, and the first goes on.
void tst_Resilience::secondAgentOnTheSameStateIsRefused()
{
    QProcess second;
    second.start(QStringLiteral(CASEFILE_AGENT),
                 {QStringLiteral("run"), QStringLiteral("--state"), m_server->agentStateDir(),
                  QStringLiteral("--consent"), QStringLiteral("deny")});
    QVERIFY(second.waitForFinished(10000));
    QCOMPARE(second.exitCode(), 1);
    const QByteArray said = second.readAllStandardError();
    QVERIFY2(said.contains("another casefile-agent"), said.constData());
    const auto ran = m_server->cli(m_org.technicianToken,
                                   {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                    QStringLiteral("--"), QStringLiteral("echo still here")});
    QCOMPARE(ran.code, 0);
    QVERIFY(ran.out.contains("still here"));
    // Once the first is gone (even killed), the directory is free again.
    m_agent->kill();
    QVERIFY(m_agent->waitForFinished(10000));
    m_agent = m_server->restartAgent(QStringLiteral("auto-approve"));
    QVERIFY(m_agent);
    QVERIFY(!m_agent->waitForFinished(2000)); // still running
}

// An outbox that cannot be opened is fatal; found while starting, before the event loop ran, it
// left the agent running idle for ever instead of exiting for its supervisor to see.
void tst_Resilience::agentWithABrokenOutboxExits()
{
    m_agent->kill();
    QVERIFY(m_agent->waitForFinished(10000));
    const QDir state(m_server->agentStateDir());
    for (const QString &name : {QStringLiteral("outbox.db-wal"), QStringLiteral("outbox.db-shm")})
        QFile::remove(state.filePath(name));
    QFile outbox(state.filePath(QStringLiteral("outbox.db")));
    QVERIFY(outbox.open(QIODevice::WriteOnly | QIODevice::Truncate));
    outbox.write(QByteArray(8192, 'x'));
    outbox.close();
    m_agent = m_server->restartAgent(QStringLiteral("auto-approve"));
    QVERIFY(m_agent);
    QVERIFY(m_agent->waitForFinished(15000));
    QCOMPARE(m_agent->exitCode(), 1);
    const QByteArray said = m_agent->readAllStandardError();
    QVERIFY2(said.contains("outbox"), said.constData());
}

QTEST_GUILESS_MAIN(tst_Resilience)
#include "tst_Resilience.moc"
