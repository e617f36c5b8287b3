// SessionDocument and the models it feeds (timeline, hypotheses, approvals, chat, context), each
// watched by QAbstractItemModelTester while events stream in.
#include "DisplayFormat.h"
#include "SessionDocument.h"
#include "events/bodies/ApprovalDecidedBody.h"
#include "events/bodies/ApprovalRequestedBody.h"
#include "events/bodies/ChatMessageBody.h"
#include "events/bodies/CommandFinishedBody.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/CommandRequestedBody.h"
#include "events/bodies/CommandStartedBody.h"
#include "events/bodies/ContextCapturedBody.h"
#include "events/bodies/HypothesisAddedBody.h"
#include "events/bodies/HypothesisUpdatedBody.h"
#include "events/bodies/SessionClosedBody.h"
#include "events/bodies/SessionOpenedBody.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace casefile;

namespace {

const Actor tech{QStringLiteral("user"), QStringLiteral("11111111-1111-4111-8111-111111111111")};
const Actor agent{QStringLiteral("endpoint"),
                  QStringLiteral("22222222-2222-4222-8222-222222222222")};

// Sealed-looking events in order: the document only needs seq to be ascending.
class Record
{
public:
    explicit Record(const QString &session) : m_session(session) {}
    template<typename Body> Event add(const Actor &actor, const Body &body)
    {
        Event e = Event::make(m_session, actor, body);
        e.seq = ++m_seq;
        return e;
    }
    Event opened()
    {
        SessionOpenedBody b;
        b.org = Event::newId();
        b.clientGroup = Event::newId();
        b.endpoint = agent.id;
        b.technician = tech.id;
        b.title = QStringLiteral("Printer offline");
        b.ticket = QStringLiteral("T-42");
        return add(tech, b);
    }
    Event requested(const QString &command, const QString &text, bool change = false)
    {
        CommandRequestedBody b;
        b.command = command;
        b.shell = QStringLiteral("sh");
        b.text = text;
        b.change = change;
        return add(tech, b);
    }
    Event started(const QString &command)
    {
        CommandStartedBody b;
        b.command = command;
        b.pid = 4242;
        b.user = QStringLiteral("svc-agent");
        return add(agent, b);
    }
    Event output(const QString &command, const QString &data,
                 const QString &stream = QStringLiteral("stdout"))
    {
        CommandOutputBody b;
        b.command = command;
        b.stream = stream;
        b.chunk = m_chunk++;
        b.data = data;
        return add(agent, b);
    }
    Event finished(const QString &command, const QString &status, std::optional<qint64> exitCode,
                   qint64 ms)
    {
        CommandFinishedBody b;
        b.command = command;
        b.status = status;
        b.exitCode = exitCode;
        b.durationMs = ms;
        return add(agent, b);
    }
    Event approvalRequested(const QString &command)
    {
        ApprovalRequestedBody b;
        b.command = command;
        b.prompt = QStringLiteral(
            "A technician asks to run this command on this computer:\n\nsystemctl restart cups");
        return add(agent, b);
    }
    Event approvalDecided(const QString &command, const QString &decision)
    {
        ApprovalDecidedBody b;
        b.command = command;
        b.decision = decision;
        b.decidedBy = QStringLiteral("alice");
        b.decidedAt = Event::nowTimestamp();
        return add(agent, b);
    }
    Event hypothesis(const QString &id, const QString &text)
    {
        HypothesisAddedBody b;
        b.hypothesis = id;
        b.text = text;
        return add(tech, b);
    }
    Event hypothesisUpdated(const QString &id, const QString &status,
                            const QString &evidenceCommand = {}, qint64 from = -1, qint64 to = -1)
    {
        HypothesisUpdatedBody b;
        b.hypothesis = id;
        b.status = status;
        if (!evidenceCommand.isEmpty()) {
            HypothesisUpdatedBody::Evidence ev;
            ev.command = evidenceCommand;
            if (from >= 0) {
                ev.fromLine = from;
                ev.toLine = to;
            }
            b.evidence.append(ev);
        }
        return add(tech, b);
    }
    Event chat(const Actor &actor, const QString &text)
    {
        ChatMessageBody b;
        b.text = text;
        return add(actor, b);
    }
    Event context()
    {
        ContextCapturedBody b;
        b.hostname = QStringLiteral("PC-FRONTDESK");
        b.os = QStringLiteral("Debian GNU/Linux");
        b.osVersion = QStringLiteral("12");
        b.user = QStringLiteral("alice");
        b.uptimeSeconds = 90061;
        b.memoryBytes = 8LL * 1024 * 1024 * 1024;
        b.updates = QStringList{QStringLiteral("KB5034441"), QStringLiteral("KB5034122")};
        return add(agent, b);
    }
    Event closed()
    {
        SessionClosedBody b;
        b.summary = QStringLiteral("fixed");
        return add(tech, b);
    }

private:
    QString m_session;
    qint64 m_seq = 0;
    qint64 m_chunk = 0;
};

QString statusOf(TimelineModel *m, const QModelIndex &row)
{
    return m->index(row.row(), TimelineModel::StatusColumn).data().toString();
}

} // namespace

class tst_SessionDocument : public QObject
{
    Q_OBJECT
private slots:
    void commandLifecycleUpdatesOneRow();
    void outputStreamsIntoBufferAndChildRow();
    void streamingManyBatchesStaysConsistent();
    void approvalPendingThenDecided();
    void deniedCommandNeverRuns();
    void hypothesesWithEvidence();
    void chatAndContext();
    void duplicatesAndOtherSessionsIgnored();
    void closedSession();
    void closingEndsWhatIsStillOpen();
};

void tst_SessionDocument::commandLifecycleUpdatesOneRow()
{
    const QString session = Event::newId();
    SessionDocument doc(session);
    QAbstractItemModelTester tester(doc.timeline(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    Record r(session);
    const QString cmd = Event::newId();
    doc.addEvents({r.opened(), r.requested(cmd, QStringLiteral("lpstat -p"))});
    QCOMPARE(doc.timeline()->rowCount(), 2);
    const QModelIndex row = doc.timeline()->indexOfCommand(cmd);
    QVERIFY(row.isValid());
    QCOMPARE(statusOf(doc.timeline(), row), QStringLiteral("queued"));
    QVERIFY(row.data(TimelineModel::RunningRole).toBool());
    QCOMPARE(doc.timeline()->runningCount(), 1);

    doc.addEvents({r.started(cmd)});
    QCOMPARE(statusOf(doc.timeline(), row), QStringLiteral("running"));
    QVERIFY(doc.timeline()
                ->index(row.row(), TimelineModel::ActorColumn)
                .data()
                .toString()
                .contains(QStringLiteral("svc-agent")));

    doc.addEvents({r.finished(cmd, QStringLiteral("exited"), 3, 1500)});
    QCOMPARE(doc.timeline()->rowCount(), 2); // updates, no new rows
    QCOMPARE(statusOf(doc.timeline(), row), QStringLiteral("exit 3"));
    QVERIFY(row.data(TimelineModel::ProblemRole).toBool());
    QVERIFY(!row.data(TimelineModel::RunningRole).toBool());
    QCOMPARE(doc.timeline()->index(row.row(), TimelineModel::DurationColumn).data().toString(),
             DisplayFormat::duration(1500));
    QCOMPARE(doc.timeline()->runningCount(), 0);
}

void tst_SessionDocument::outputStreamsIntoBufferAndChildRow()
{
    const QString session = Event::newId();
    SessionDocument doc(session);
    QAbstractItemModelTester tester(doc.timeline(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy appended(&doc, &SessionDocument::outputAppended);
    Record r(session);
    const QString cmd = Event::newId();
    doc.addEvents({r.opened(), r.requested(cmd, QStringLiteral("ip addr")), r.started(cmd)});
    const QModelIndex row = doc.timeline()->indexOfCommand(cmd);
    QCOMPARE(doc.timeline()->rowCount(row), 0);

    doc.addEvents(
        {r.output(cmd, QStringLiteral("1: lo: <LOOPBACK,UP>\n    inet 127.0.0.1/8\n2: eth0"))});
    QCOMPARE(doc.timeline()->rowCount(row), 1);
    QCOMPARE(appended.count(), 1);
    QCOMPARE(doc.output(cmd)->lineCount(), 3);
    doc.addEvents({r.output(cmd, QStringLiteral(": <BROADCAST>\n"), QStringLiteral("stderr"))});
    QCOMPARE(doc.output(cmd)->lineCount(), 3);
    QCOMPARE(doc.output(cmd)->displayText(2), QStringLiteral("2: eth0: <BROADCAST>"));
    QVERIFY(doc.output(cmd)->lineHasStderr(2));
    QCOMPARE(appended.last().at(1).value<qsizetype>(), 2); // the line that grew
    const QModelIndex child = doc.timeline()->index(0, TimelineModel::SummaryColumn, row);
    QVERIFY(child.data().toString().contains(QStringLiteral("2: eth0: <BROADCAST>")));
    QCOMPARE(child.data(TimelineModel::CommandIdRole).toString(), cmd);
    QCOMPARE(child.parent(), doc.timeline()->index(row.row(), 0));
}

void tst_SessionDocument::streamingManyBatchesStaysConsistent()
{
    const QString session = Event::newId();
    SessionDocument doc(session);
    QAbstractItemModelTester timelineTester(doc.timeline(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester chatTester(doc.chat(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    Record r(session);
    doc.addEvents({r.opened()});
    QStringList commands;
    qsizetype expectedLines = 0;
    for (int batch = 0; batch < 40; ++batch) {
        QList<Event> events;
        const QString cmd = Event::newId();
        commands << cmd;
        events << r.requested(cmd, QStringLiteral("echo %1").arg(batch)) << r.started(cmd);
        for (int chunk = 0; chunk < 5; ++chunk)
            events << r.output(cmd,
                               QStringLiteral("line %1.%2\n").arg(batch).arg(chunk).repeated(10));
        if (batch % 3 == 0)
            events << r.chat(agent, QStringLiteral("still waiting %1").arg(batch));
        if (batch % 2 == 0)
            events << r.finished(cmd, QStringLiteral("exited"), 0, 10);
        expectedLines += 50;
        doc.addEvents(events);
    }
    QCOMPARE(doc.commandIds(), commands);
    qsizetype lines = 0;
    for (const QString &c : commands)
        lines += doc.output(c)->lineCount();
    QCOMPARE(lines, expectedLines);
    QCOMPARE(doc.timeline()->runningCount(), 20);
    QCOMPARE(doc.chat()->rowCount(), 14);
    QCOMPARE(doc.timeline()->rowCount(), 1 + 40 + 14);
}

void tst_SessionDocument::approvalPendingThenDecided()
{
    const QString session = Event::newId();
    SessionDocument doc(session);
    QAbstractItemModelTester tester(doc.approvals(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy pending(doc.approvals(), &ApprovalModel::pendingCountChanged);
    Record r(session);
    const QString cmd = Event::newId();
    doc.addEvents({r.opened(), r.requested(cmd, QStringLiteral("systemctl restart cups"), true),
                   r.approvalRequested(cmd)});
    QCOMPARE(doc.approvals()->rowCount(), 1);
    QCOMPARE(doc.approvals()->pendingCount(), 1);
    const QModelIndex a = doc.approvals()->index(0, ApprovalModel::DecisionColumn);
    QCOMPARE(a.data().toString(), QStringLiteral("Pending"));
    QVERIFY(a.data(ApprovalModel::PendingRole).toBool());
    QVERIFY(doc.approvals()
                ->index(0, ApprovalModel::DecidedAtColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("waiting")));
    QVERIFY(a.data(ApprovalModel::PromptRole)
                .toString()
                .endsWith(QStringLiteral("systemctl restart cups")));
    QCOMPARE(doc.approvals()->index(0, ApprovalModel::CommandColumn).data().toString(),
             QStringLiteral("systemctl restart cups"));
    const QModelIndex cmdRow = doc.timeline()->indexOfCommand(cmd);
    QCOMPARE(statusOf(doc.timeline(), cmdRow), QStringLiteral("awaiting approval"));

    doc.addEvents({r.approvalDecided(cmd, QStringLiteral("approved")), r.started(cmd)});
    QCOMPARE(doc.approvals()->pendingCount(), 0);
    QCOMPARE(a.data().toString(), QStringLiteral("Approved"));
    QCOMPARE(doc.approvals()->index(0, ApprovalModel::DecidedByColumn).data().toString(),
             QStringLiteral("alice"));
    QCOMPARE(pending.count(), 2);
    QCOMPARE(statusOf(doc.timeline(), cmdRow), QStringLiteral("running"));
}

void tst_SessionDocument::deniedCommandNeverRuns()
{
    const QString session = Event::newId();
    SessionDocument doc(session);
    Record r(session);
    const QString denied = Event::newId();
    const QString withdrawn = Event::newId();
    doc.addEvents({r.opened(), r.requested(denied, QStringLiteral("rm -rf /tmp/x"), true),
                   r.approvalRequested(denied), r.approvalDecided(denied, QStringLiteral("denied")),
                   r.finished(denied, QStringLiteral("denied"), std::nullopt, 0),
                   r.requested(withdrawn, QStringLiteral("reboot"), true),
                   r.approvalRequested(withdrawn),
                   r.finished(withdrawn, QStringLiteral("cancelled"), std::nullopt, 0)});
    QCOMPARE(statusOf(doc.timeline(), doc.timeline()->indexOfCommand(denied)),
             QStringLiteral("denied"));
    QCOMPARE(statusOf(doc.timeline(), doc.timeline()->indexOfCommand(withdrawn)),
             QStringLiteral("cancelled"));
    QCOMPARE(doc.approvals()->index(0, ApprovalModel::DecisionColumn).data().toString(),
             QStringLiteral("Denied"));
    QCOMPARE(doc.approvals()->index(1, ApprovalModel::DecisionColumn).data().toString(),
             QStringLiteral("Withdrawn"));
    QCOMPARE(doc.approvals()->pendingCount(), 0);
    // Approval rows in the timeline carry the decision too.
    int approvalRows = 0;
    for (int i = 0; i < doc.timeline()->rowCount(); ++i) {
        const QModelIndex idx = doc.timeline()->index(i, 0);
        if (idx.data(TimelineModel::EntryTypeRole).value<TimelineModel::EntryType>() ==
            TimelineModel::EntryType::Approval) {
            ++approvalRows;
            QVERIFY(!idx.data(TimelineModel::RunningRole).toBool());
        }
    }
    QCOMPARE(approvalRows, 2);
}

void tst_SessionDocument::hypothesesWithEvidence()
{
    const QString session = Event::newId();
    SessionDocument doc(session);
    QAbstractItemModelTester tester(doc.hypotheses(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy open(doc.hypotheses(), &HypothesisModel::openCountChanged);
    Record r(session);
    const QString cmd = Event::newId();
    const QString h1 = Event::newId();
    const QString h2 = Event::newId();
    doc.addEvents({r.opened(), r.requested(cmd, QStringLiteral("lpstat -p")),
                   r.hypothesis(h1, QStringLiteral("Spooler hung")),
                   r.hypothesis(h2, QStringLiteral("Driver missing"))});
    QCOMPARE(doc.hypotheses()->openCount(), 2);
    doc.addEvents({r.hypothesisUpdated(h1, QStringLiteral("ruled_out"), cmd, 3, 4)});
    QCOMPARE(doc.hypotheses()->openCount(), 1);
    QCOMPARE(open.count(), 2);
    const QModelIndex row = doc.hypotheses()->indexOf(h1);
    QCOMPARE(row.siblingAtColumn(HypothesisModel::StatusColumn).data().toString(),
             QStringLiteral("Ruled out"));
    QCOMPARE(row.siblingAtColumn(HypothesisModel::EvidenceColumn).data().toString(),
             QStringLiteral("lpstat -p, lines 4–5"));
    const auto evidence = doc.hypotheses()->evidence(h1);
    QCOMPARE(evidence.size(), 1);
    QCOMPARE(evidence.first().fromLine, 3);
    QCOMPARE(evidence.first().toLine, 4);
    // Reopened without new evidence: what was found stays visible.
    doc.addEvents({r.hypothesisUpdated(h1, QStringLiteral("open"))});
    QCOMPARE(doc.hypotheses()->openCount(), 2);
    QCOMPARE(doc.hypotheses()->evidence(h1).size(), 1);
    // The timeline shows each change as its own row, named by the hypothesis's text.
    const int rows = doc.timeline()->rowCount();
    QCOMPARE(doc.timeline()->index(rows - 1, TimelineModel::SummaryColumn).data().toString(),
             QStringLiteral("Spooler hung"));
    QCOMPARE(doc.timeline()->index(rows - 1, TimelineModel::StatusColumn).data().toString(),
             QStringLiteral("reopened"));
}

void tst_SessionDocument::chatAndContext()
{
    const QString session = Event::newId();
    SessionDocument doc(session);
    QAbstractItemModelTester contextTester(doc.context(),
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
    Record r(session);
    doc.addEvents({r.opened(), r.context(),
                   r.chat(tech, QStringLiteral("Can you print a test page?")),
                   r.chat(agent, QStringLiteral("Done, nothing came out"))});
    QCOMPARE(doc.chat()->rowCount(), 2);
    QVERIFY(!doc.chat()->index(0).data(ChatModel::FromEndUserRole).toBool());
    QVERIFY(doc.chat()->index(1).data(ChatModel::FromEndUserRole).toBool());
    // The endpoint is named by the hostname it reported.
    QCOMPARE(doc.chat()->index(1).data(ChatModel::AuthorRole).toString(),
             QStringLiteral("End user at PC-FRONTDESK"));
    QCOMPARE(doc.context()->value(QStringLiteral("Host name")), QStringLiteral("PC-FRONTDESK"));
    QCOMPARE(doc.context()->value(QStringLiteral("Uptime")), ContextModel::formatUptime(90061));
    QVERIFY(doc.context()->value(QStringLiteral("Uptime")).contains(QStringLiteral("1 h 1 min")));
    const auto updates = doc.context()->findItems(QStringLiteral("Installed updates"));
    QCOMPARE(updates.size(), 1);
    QCOMPARE(updates.first()->rowCount(), 2);
    QCOMPARE(updates.first()->child(0)->text(), QStringLiteral("KB5034441"));
}

void tst_SessionDocument::duplicatesAndOtherSessionsIgnored()
{
    const QString session = Event::newId();
    SessionDocument doc(session);
    Record r(session);
    const QList<Event> first{r.opened(), r.chat(tech, QStringLiteral("hello"))};
    doc.addEvents(first);
    doc.addEvents(first); // a replay overlap
    Record other(Event::newId());
    doc.addEvents({other.opened(), other.chat(tech, QStringLiteral("elsewhere"))});
    QCOMPARE(doc.chat()->rowCount(), 1);
    QCOMPARE(doc.timeline()->rowCount(), 2);
    QCOMPARE(doc.lastSeq(), 2);
    QCOMPARE(doc.title(), QStringLiteral("Printer offline"));
}

void tst_SessionDocument::closedSession()
{
    const QString session = Event::newId();
    SessionDocument doc(session);
    QSignalSpy closed(&doc, &SessionDocument::closedChanged);
    Record r(session);
    doc.addEvents({r.opened()});
    QVERIFY(!doc.isClosed());
    doc.addEvents({r.closed()});
    QVERIFY(doc.isClosed());
    QCOMPARE(closed.count(), 1);
    QVERIFY(doc.timeline()
                ->index(1, TimelineModel::SummaryColumn)
                .data()
                .toString()
                .contains(QStringLiteral("fixed")));
}

void tst_SessionDocument::closingEndsWhatIsStillOpen()
{
    const QString session = Event::newId();
    SessionDocument doc(session);
    QAbstractItemModelTester timelineTester(doc.timeline(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester approvalsTester(doc.approvals(),
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&doc, &SessionDocument::commandFinished);
    Record r(session);
    const QString running = Event::newId();
    const QString asking = Event::newId();
    const QString done = Event::newId();
    doc.addEvents({r.opened(), r.requested(done, QStringLiteral("hostname")), r.started(done),
                   r.finished(done, QStringLiteral("exited"), 0, 20),
                   r.requested(running, QStringLiteral("ping -c 100 printer")), r.started(running),
                   r.requested(asking, QStringLiteral("systemctl restart cups"), true),
                   r.approvalRequested(asking)});
    QCOMPARE(doc.timeline()->runningCount(), 2);
    QCOMPARE(doc.approvals()->pendingCount(), 1);
    finished.clear();

    doc.addEvents({r.closed()});
    // Their ends can never be recorded after the close: they end with it, not tick on.
    QCOMPARE(doc.timeline()->runningCount(), 0);
    for (const QString &command : {running, asking}) {
        const QModelIndex row = doc.timeline()->indexOfCommand(command);
        QCOMPARE(statusOf(doc.timeline(), row), QStringLiteral("ended with the session"));
        QVERIFY(row.data(TimelineModel::ProblemRole).toBool());
        QVERIFY(!row.data(TimelineModel::RunningRole).toBool());
    }
    QVERIFY(!doc.timeline()
                 ->index(doc.timeline()->indexOfCommand(running).row(), TimelineModel::DurationColumn)
                 .data()
                 .toString()
                 .isEmpty());
    QCOMPARE(statusOf(doc.timeline(), doc.timeline()->indexOfCommand(done)), QStringLiteral("exit 0"));
    QCOMPARE(doc.approvals()->pendingCount(), 0);
    QCOMPARE(doc.approvals()->index(0, ApprovalModel::DecisionColumn).data().toString(),
             QStringLiteral("Withdrawn"));
    QStringList ended;
    for (const QList<QVariant> &args : std::as_const(finished))
        ended.append(args.at(0).toString());
    ended.sort();
    QStringList expected{running, asking};
    expected.sort();
    QCOMPARE(ended, expected);
}

QTEST_MAIN(tst_SessionDocument)
#include "tst_SessionDocument.moc"
