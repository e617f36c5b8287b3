// The console through the real stack: casefiled and casefile-agent processes on loopback, the
// main window on the offscreen platform, driven the way a technician would drive it.
#include "ApprovalsPane.h"
#include "ChatPane.h"
#include "CommandBar.h"
#include "ConnectionStatus.h"
#include "HypothesesPane.h"
#include "MainWindow.h"
#include "OutputPane.h"
#include "OutputView.h"
#include "ServerFixture.h"
#include "SessionController.h"
#include "SessionDocument.h"
#include "SessionFilterProxy.h"
#include "SessionsPane.h"

#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace casefile;

class tst_ConsoleLive : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void runCommandShowsLastLineInViewer();
    void searchFindsOutputInTheSessionsBrowser();
    void ruleOutHypothesisWithSelectedLines();
    void cliEvidenceLinesMatchTheConsole();
    void changeWaitsForApprovalThenRuns();
    void statusBarFollowsServerRestartAndQueuedChatArrives();

private:
    QString statusOf(const QString &command) const;

    ServerFixture m_server;
    ServerFixture::Org m_org;
    QProcess *m_agent = nullptr;
    QString m_session;
    QTemporaryDir m_data;
    std::unique_ptr<SessionController> m_controller;
    std::unique_ptr<MainWindow> m_window;
};

void tst_ConsoleLive::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings and keychain-free paths of the test
    QVERIFY(m_server.start());
    m_org = m_server.createOrg(QStringLiteral("Console MSP"));
    m_agent = m_server.startAgent(m_org, QStringLiteral("stdin"), {QStringLiteral("--consent-timeout"), QStringLiteral("60")});
    QVERIFY(m_agent);
    const auto opened = m_server.cli(m_org.technicianToken, {QStringLiteral("open"), QStringLiteral("--endpoint"),
                                                             m_server.agentEndpoint(), QStringLiteral("--title"),
                                                             QStringLiteral("Console test")});
    QCOMPARE(opened.code, 0);
    m_session = QString::fromUtf8(opened.out.trimmed());

    m_controller = std::make_unique<SessionController>(m_data.path());
    Backoff fast([] { return 0.0; });
    fast.setBase(200);
    fast.setCap(1000);
    m_controller->sync()->setBackoff(fast);
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_controller->connectToServer(QUrl(m_server.wsUrl()), m_org.technicianToken);
    m_window->show();
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->sync()->state(), SyncClient::State::Online, 10000);
    QTRY_VERIFY(m_window->connectionStatus()->stateText().contains(QStringLiteral("Online")));
    m_window->openSession(m_session);
    QVERIFY(m_window->document());
    // The agent's machine context arrives with the session.
    QTRY_VERIFY_WITH_TIMEOUT(m_window->document()->context()->rowCount() > 0, 10000);
    // A technician may run commands in a live session.
    QTRY_VERIFY(m_window->commandBar()->editor()->isEnabled());
}

void tst_ConsoleLive::cleanupTestCase()
{
    m_window.reset();
    m_controller.reset();
}

QString tst_ConsoleLive::statusOf(const QString &command) const
{
    const QModelIndex row = m_window->document()->timeline()->indexOfCommand(command, TimelineModel::StatusColumn);
    return row.data().toString();
}

void tst_ConsoleLive::runCommandShowsLastLineInViewer()
{
    CommandBar *bar = m_window->commandBar();
    bar->setShell(QStringLiteral("sh"));
    bar->setText(QStringLiteral("seq 1 20000; echo last-line-here"));
    QTest::keyClick(bar->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(bar->text().isEmpty()); // sent, and the history has it
    QCOMPARE(bar->history().last(), QStringLiteral("seq 1 20000; echo last-line-here"));

    // The new command is selected and its output followed to the end.
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->outputPane()->command().isEmpty(), 10000);
    const QString command = m_window->outputPane()->command();
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(command), QStringLiteral("exit 0"), 30000);
    OutputView *view = m_window->outputPane()->view();
    QTRY_COMPARE(view->buffer()->lineCount(), 20001);
    QCOMPARE(view->buffer()->displayText(20000), QStringLiteral("last-line-here"));
    QCOMPARE(view->buffer()->displayText(0), QStringLiteral("1"));
    QTRY_VERIFY(view->firstVisibleLine() + view->visibleLineCount() >= 20001); // within a frame
    QVERIFY(view->isAtBottom());

    // Find from the top lands on the line and selects the match.
    view->scrollToLine(0);
    QVERIFY(view->find(QStringLiteral("19999")));
    QCOMPARE(view->currentMatch()->line, 19998);
    QCOMPARE(view->selectedText(), QStringLiteral("19999"));
    QVERIFY(view->firstVisibleLine() <= 19998 && 19998 < view->firstVisibleLine() + view->visibleLineCount());
}

void tst_ConsoleLive::searchFindsOutputInTheSessionsBrowser()
{
    // "last-line-here" is only in the output of the command run above, not in any title.
    SessionsPane *pane = m_window->sessionsPane();
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->sessions()->indexOfSession(m_session).isValid(), 10000);
    pane->searchEdit()->setText(QStringLiteral("last-line-here"));
    pane->searchNow();
    const QModelIndex found = pane->proxy()->mapFromSource(m_controller->sessions()->indexOfSession(m_session));
    QVERIFY(found.isValid()); // still listed: the search found it in the output
    QVERIFY(!pane->view()->isColumnHidden(SessionTreeModel::FoundColumn));
    QVERIFY2(found.siblingAtColumn(SessionTreeModel::FoundColumn).data().toString().contains(QStringLiteral("last-line-here")),
             qPrintable(found.siblingAtColumn(SessionTreeModel::FoundColumn).data().toString()));
    pane->searchEdit()->setText(QStringLiteral("no-such-word-anywhere"));
    pane->searchNow();
    QVERIFY(!pane->proxy()->mapFromSource(m_controller->sessions()->indexOfSession(m_session)).isValid());
    QVERIFY(pane->view()->isColumnHidden(SessionTreeModel::FoundColumn));
    pane->searchEdit()->clear();
    pane->searchNow();
    QVERIFY(pane->proxy()->mapFromSource(m_controller->sessions()->indexOfSession(m_session)).isValid());
}

void tst_ConsoleLive::ruleOutHypothesisWithSelectedLines()
{
    SessionDocument *doc = m_window->document();
    QString hypothesis;
    QVERIFY(m_controller->addHypothesis(m_session, QStringLiteral("The counter skips numbers"), &hypothesis));
    QTRY_VERIFY_WITH_TIMEOUT(doc->hypotheses()->indexOf(hypothesis).isValid(), 10000);
    QCOMPARE(doc->hypotheses()->openCount(), 1);

    // The technician selects lines 11–13 of the output (0-based 10–12) as evidence.
    const QString command = m_window->outputPane()->command();
    QVERIFY(!command.isEmpty());
    m_window->outputPane()->view()->selectLines(10, 12);
    const auto evidence = m_window->currentEvidence();
    QCOMPARE(evidence.size(), 1);
    QCOMPARE(evidence.first().command, command);
    QCOMPARE(evidence.first().fromLine, 10);
    QCOMPARE(evidence.first().toLine, 12);
    QVERIFY(m_window->changeHypothesis(hypothesis, QStringLiteral("ruled_out"), QStringLiteral("11, 12, 13 are all there")));

    QTRY_COMPARE_WITH_TIMEOUT(doc->hypotheses()->indexOf(hypothesis).data(HypothesisModel::StatusRole).toString(),
                              QStringLiteral("ruled_out"), 10000);
    QCOMPARE(doc->hypotheses()->openCount(), 0);
    const auto stored = doc->hypotheses()->evidence(hypothesis);
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.first().fromLine, 10);
    QCOMPARE(stored.first().toLine, 12);
    const QModelIndex row = doc->hypotheses()->indexOf(hypothesis);
    QVERIFY(row.siblingAtColumn(HypothesisModel::EvidenceColumn).data().toString().contains(QStringLiteral("lines 11–13")));

    // Still listed (ruled out stays visible), and double-click jumps to the evidence lines.
    m_window->outputPane()->view()->selectLines(0, 0);
    m_window->showEvidence(hypothesis);
    QCOMPARE(m_window->outputPane()->command(), command);
    const auto lines = m_window->outputPane()->view()->selectedLines();
    QCOMPARE(lines.first, 10);
    QCOMPARE(lines.second, 12);
    QCOMPARE(m_window->outputPane()->view()->selectedText(), QStringLiteral("11\n12\n13"));
}

void tst_ConsoleLive::cliEvidenceLinesMatchTheConsole()
{
    // casefile-cli takes lines as the console shows them (from 1); the record counts from 0.
    SessionDocument *doc = m_window->document();
    const QString command = m_window->outputPane()->command();
    QString hypothesis;
    QVERIFY(m_controller->addHypothesis(m_session, QStringLiteral("Lines via the cli"), &hypothesis));
    QTRY_VERIFY_WITH_TIMEOUT(doc->hypotheses()->indexOf(hypothesis).isValid(), 10000);
    const auto bad = m_server.cli(m_org.technicianToken, {QStringLiteral("hypothesis"), QStringLiteral("--session"), m_session,
                                                          QStringLiteral("confirm"), hypothesis, QStringLiteral("--evidence"),
                                                          command, QStringLiteral("--lines"), QStringLiteral("0-3")});
    QVERIFY(bad.code != 0);
    QVERIFY2(bad.err.contains("counting from 1"), bad.err.constData());
    const auto ok = m_server.cli(m_org.technicianToken, {QStringLiteral("hypothesis"), QStringLiteral("--session"), m_session,
                                                         QStringLiteral("confirm"), hypothesis, QStringLiteral("--evidence"),
                                                         command, QStringLiteral("--lines"), QStringLiteral("5-6")});
    QCOMPARE(ok.code, 0);
    QTRY_COMPARE_WITH_TIMEOUT(doc->hypotheses()->indexOf(hypothesis).data(HypothesisModel::StatusRole).toString(),
                              QStringLiteral("confirmed"), 10000);
    const auto evidence = doc->hypotheses()->evidence(hypothesis);
    QCOMPARE(evidence.size(), 1);
    QCOMPARE(evidence.first().fromLine, 4);
    QCOMPARE(evidence.first().toLine, 5);
    m_window->showEvidence(hypothesis);
    QCOMPARE(m_window->outputPane()->view()->selectedText(), QStringLiteral("5\n6")); // lines 5 and 6 of `seq`
}

void tst_ConsoleLive::changeWaitsForApprovalThenRuns()
{
    SessionDocument *doc = m_window->document();
    const QString marker = m_data.filePath(QStringLiteral("approved-marker"));
    CommandBar *bar = m_window->commandBar();
    bar->setChange(true);
    bar->setText(QStringLiteral("touch '%1'").arg(marker));
    bar->submit();
    QVERIFY(!bar->isChange()); // asked once, not for the next command

    QTRY_COMPARE_WITH_TIMEOUT(doc->approvals()->pendingCount(), 1, 15000);
    const QString pending = m_window->approvalsPane()->pendingText();
    QVERIFY2(pending.contains(QStringLiteral("waiting")), qPrintable(pending));
    const QString command = doc->approvals()->index(0, 0).data(ApprovalModel::CommandIdRole).toString();
    QCOMPARE(statusOf(command), QStringLiteral("awaiting approval"));
    QVERIFY(doc->approvals()->index(0, ApprovalModel::DecidedAtColumn).data().toString().startsWith(QStringLiteral("waiting")));
    QVERIFY(!QFile::exists(marker)); // nothing runs before the end user agrees

    // The person at the endpoint agrees.
    m_agent->write("y\n");
    QVERIFY(m_agent->waitForBytesWritten(2000));
    QTRY_COMPARE_WITH_TIMEOUT(doc->approvals()->index(0, ApprovalModel::DecisionColumn).data().toString(),
                              QStringLiteral("Approved"), 15000);
    QVERIFY(!doc->approvals()->index(0, ApprovalModel::DecidedByColumn).data().toString().isEmpty());
    QCOMPARE(doc->approvals()->pendingCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(command), QStringLiteral("exit 0"), 15000);
    QVERIFY(QFile::exists(marker));
    QCOMPARE(m_window->approvalsPane()->pendingText(), QStringLiteral("No request waiting"));
}

void tst_ConsoleLive::statusBarFollowsServerRestartAndQueuedChatArrives()
{
    SessionDocument *doc = m_window->document();
    const quint16 port = m_server.port();
    const int chatBefore = doc->chat()->rowCount();
    m_server.kill();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->connectionStatus()->stateText().contains(QStringLiteral("Online")), 10000);

    // Typed while the server is down: queued in the durable outbox, shown as waiting.
    ChatPane *chat = m_window->chatPane();
    chat->input()->setText(QStringLiteral("Sorry, one moment — the server restarts"));
    QTest::keyClick(chat->input(), Qt::Key_Return);
    QTRY_VERIFY(m_window->connectionStatus()->pendingText().contains(QStringLiteral("1 action")));
    QCOMPARE(doc->chat()->rowCount(), chatBefore);

    QVERIFY(m_server.start(port));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->connectionStatus()->stateText().contains(QStringLiteral("Online")), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(doc->chat()->rowCount(), chatBefore + 1, 15000);
    QCOMPARE(doc->chat()->index(chatBefore).data(ChatModel::TextRole).toString(),
             QStringLiteral("Sorry, one moment — the server restarts"));
    QTRY_VERIFY(m_window->connectionStatus()->pendingText().isEmpty());
}

QTEST_MAIN(tst_ConsoleLive)
#include "tst_ConsoleLive.moc"
