// Opening a published snapshot in the console against a real casefiled and casefile-agent: a
// technician's session with a ruled-out hypothesis is published by a reviewer (org audience,
// so the link needs the signed-in user's token), opened by its link read-only with the handoff
// summary, the evidence link shows those output lines, a changed byte in a file is refused and
// the exports are written.
#include "HandoffPane.h"
#include "MainWindow.h"
#include "OutputPane.h"
#include "OutputView.h"
#include "ServerFixture.h"
#include "SessionController.h"
#include "CommandBar.h"

#include <QAccessible>
#include <QComboBox>
#include <QProgressDialog>
#include <QTimer>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QRegularExpression>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>

using namespace casefile;

class tst_SnapshotViewer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void opensByLinkReadOnlyWithTheSummary();
    void evidenceLinkShowsTheLines();
    void screenshotWhenAsked();
    void copiedEntryLinkOpensThatEntry();
    void changedByteIsRefused();
    void exportsEveryFormat();
    void severalSessionsHaveASelector();

private:
    ServerFixture m_server;
    ServerFixture::Org m_org;
    QString m_session;
    QString m_command;
    QString m_link;
    QString m_reviewerToken;
    QTemporaryDir m_data;
    QTemporaryDir m_files;
    std::unique_ptr<SessionController> m_controller;
    std::unique_ptr<MainWindow> m_window;
};

void tst_SnapshotViewer::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_server.start());
    m_org = m_server.createOrg(QStringLiteral("Handoff MSP"));
    QVERIFY(m_server.startAgent(m_org, QStringLiteral("stdin")));
    const QJsonObject user = m_server.admin({QStringLiteral("create-user"), QStringLiteral("--org"), m_org.id,
                                             QStringLiteral("--name"), QStringLiteral("Rita Reviewer"),
                                             QStringLiteral("--role"), QStringLiteral("reviewer")});
    const QString reviewerToken = m_reviewerToken = m_server.admin({QStringLiteral("issue-token"), QStringLiteral("--user"),
                                                  user.value(QStringLiteral("user")).toString()})
                                      .value(QStringLiteral("token"))
                                      .toString();
    QVERIFY(!reviewerToken.isEmpty());

    m_controller = std::make_unique<SessionController>(m_data.path());
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_controller->connectToServer(QUrl(m_server.wsUrl()), m_org.technicianToken);
    m_window->show();
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->sync()->state(), SyncClient::State::Online, 10000);

    // The technician's session: 200 lines of output, one hypothesis of each state.
    bool opened = false;
    m_controller->openNewSession(m_server.agentEndpoint(), QStringLiteral("Outlook keeps asking for a password"), {}, {},
                                 [&](const QString &session, const QString &) {
                                     m_session = session;
                                     opened = true;
                                 });
    QTRY_VERIFY_WITH_TIMEOUT(opened, 10000);
    QVERIFY(!m_session.isEmpty());
    m_window->openSession(m_session);
    SessionDocument *doc = m_window->document();
    QVERIFY(m_controller->runCommand(m_session, QStringLiteral("sh"),
                                     QStringLiteral("i=1; while [ $i -le 200 ]; do echo \"probe line $i\"; i=$((i+1)); done"),
                                     false, &m_command));
    QTRY_VERIFY_WITH_TIMEOUT(doc->command(m_command) && doc->command(m_command)->finished, 20000);
    QCOMPARE(doc->output(m_command)->lineCount(), 200);
    QString ruledOut, confirmed, open;
    QVERIFY(m_controller->addHypothesis(m_session, QStringLiteral("Credential manager holds a stale password"), &ruledOut));
    QVERIFY(m_controller->addHypothesis(m_session, QStringLiteral("Modern authentication is off"), &confirmed));
    QVERIFY(m_controller->addHypothesis(m_session, QStringLiteral("The profile is damaged"), &open));
    QVERIFY(m_controller->updateHypothesis(m_session, ruledOut, QStringLiteral("ruled_out"), {{m_command, 149, 150}},
                                           QStringLiteral("no stored entry")));
    QVERIFY(m_controller->updateHypothesis(m_session, confirmed, QStringLiteral("confirmed"), {{m_command, 10, 10}}));
    QTRY_COMPARE_WITH_TIMEOUT(doc->hypotheses()->rowCount(), 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(doc->hypotheses()->openCount(), 1, 10000);

    const auto published = m_server.cli(reviewerToken, {QStringLiteral("publish"), QStringLiteral("--session"), m_session,
                                                        QStringLiteral("--title"), QStringLiteral("Handoff: Outlook password"),
                                                        QStringLiteral("--audience"), QStringLiteral("org"),
                                                        QStringLiteral("--accept-all-findings")});
    QVERIFY2(published.code == 0, published.err.constData());
    m_link = QString::fromUtf8(published.out.trimmed());
    QVERIFY2(m_link.contains(QStringLiteral("/s/cfs_")), qPrintable(m_link));
}

void tst_SnapshotViewer::cleanupTestCase()
{
    m_window.reset();
    m_controller.reset();
}

void tst_SnapshotViewer::opensByLinkReadOnlyWithTheSummary()
{
    QVERIFY(m_window->commandBar()->isEnabled());
    m_window->openLink(m_link);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->snapshot(), 10000);
    QVERIFY(m_window->snapshotBanner()->isVisible());
    QVERIFY2(m_window->snapshotBanner()->text().contains(QStringLiteral("read-only")), qPrintable(m_window->snapshotBanner()->text()));
    QVERIFY(m_window->snapshotBanner()->text().contains(QStringLiteral("Handoff: Outlook password")));
    QVERIFY(!m_window->snapshotSessions()->isVisible()); // one session: no selector
    // Read-only: nothing can be run, added or exported as an action on the record.
    QVERIFY(!m_window->commandBar()->isEnabled());
    QVERIFY(m_window->document());
    QCOMPARE(m_window->document()->session(), m_session);
    QCOMPARE(m_window->document()->hypotheses()->rowCount(), 3);
    QVERIFY(m_window->windowTitle().contains(QStringLiteral("read-only")));

    HandoffPane *pane = m_window->handoffPane();
    QVERIFY(pane->isVisible());
    const QString text = pane->browser()->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("Credential manager holds a stale password")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("probe line 150")));
    QVERIFY(text.contains(QStringLiteral("probe line 151")));
    QVERIFY(!text.contains(QStringLiteral("probe line 152")));
    QVERIFY(text.contains(QStringLiteral("no stored entry")));
    QCOMPARE(pane->summary().ruledOut.size(), 1);
    QCOMPARE(pane->summary().open.size(), 1);
    // Every control a keyboard reaches in the snapshot view has a name for screen readers.
    QStringList unnamed;
    for (QWidget *w : m_window->findChildren<QWidget *>()) {
        if (!w->isVisibleTo(m_window.get()) || w->focusPolicy() == Qt::NoFocus || w->objectName().startsWith(QLatin1String("qt_")))
            continue;
        if (QAccessible::queryAccessibleInterface(w)->text(QAccessible::Name).trimmed().isEmpty())
            unnamed << QString::fromLatin1(w->metaObject()->className());
    }
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
}

void tst_SnapshotViewer::evidenceLinkShowsTheLines()
{
    // Start away from the evidence.
    OutputView *view = m_window->outputPane()->view();
    m_window->showCommandOutput(m_command);
    view->refreshNow();
    view->scrollToLine(0);
    QCOMPARE(view->firstVisibleLine(), 0);
    const QString html = m_window->handoffPane()->summary().toHtml();
    const auto match = QRegularExpression(QStringLiteral("href=\"(evidence:[^\"]+:149)\"")).match(html);
    QVERIFY2(match.hasMatch(), qPrintable(html));
    emit m_window->handoffPane()->browser()->anchorClicked(QUrl(match.captured(1)));
    QCOMPARE(m_window->outputPane()->command(), m_command);
    const auto lines = view->selectedLines();
    QCOMPARE(lines.first, 149);
    QCOMPARE(lines.second, 150);
    QVERIFY(view->firstVisibleLine() <= 149);
    QVERIFY(view->firstVisibleLine() + view->visibleLineCount() > 150);
    QCOMPARE(view->selectedText(), QStringLiteral("probe line 150\nprobe line 151"));
    // The command is the one selected in the timeline.
    QCOMPARE(m_window->timelineView()->currentIndex().data(TimelineModel::CommandIdRole).toString(), m_command);
}

void tst_SnapshotViewer::screenshotWhenAsked()
{
    // docs/screenshots/snapshot-view.png when CASEFILE_SCREENSHOTS names that folder, as the
    // review dialog's test does for scripts/screenshot.
    const QString shots = qEnvironmentVariable("CASEFILE_SCREENSHOTS");
    if (shots.isEmpty())
        QSKIP("CASEFILE_SCREENSHOTS not set");
    const QString path = shots + QStringLiteral("/snapshot-view.png");
    m_window->resize(1500, 950);
    m_window->handoffPane()->browser()->verticalScrollBar()->setValue(0);
    QTest::qWait(300);
    QVERIFY(m_window->grab().save(path));
}

void tst_SnapshotViewer::copiedEntryLinkOpensThatEntry()
{
    // A link to the command's row points at the snapshot, and opening it selects that row.
    const QModelIndex row = m_window->document()->timeline()->indexOfCommand(m_command);
    const QUrl link = m_window->linkToEntry(row);
    QCOMPARE(link.scheme(), QStringLiteral("casefile"));
    QCOMPARE(link.host(), QStringLiteral("snapshot"));
    const auto parsed = DeepLink::parse(link.toString());
    QVERIFY(parsed);
    QCOMPARE(parsed->seq, row.data(TimelineModel::SeqRole).toLongLong());
    m_window->timelineView()->setCurrentIndex(m_window->document()->timeline()->index(0, 0));
    const OpenSnapshot *before = m_window->snapshot();
    m_window->openLink(link.toString());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->snapshot() && m_window->snapshot() != before, 10000);
    QTRY_COMPARE(m_window->timelineView()->currentIndex().data(TimelineModel::CommandIdRole).toString(), m_command);
}

void tst_SnapshotViewer::changedByteIsRefused()
{
    const QByteArray good = m_window->snapshot()->bytes();
    const QString path = m_files.filePath(QStringLiteral("changed.casefile"));
    QByteArray bad = good;
    const qsizetype at = bad.indexOf("Outlook password");
    QVERIFY(at > 0);
    bad[at] = 'o';
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bad);
    file.close();
    const OpenSnapshot *shown = m_window->snapshot();
    QVERIFY(!m_window->openSnapshotFile(path));
    QCOMPARE(m_window->snapshot(), shown); // nothing of it shown
    QMessageBox *notice = nullptr;
    QTRY_VERIFY((notice = m_window->findChild<QMessageBox *>(QStringLiteral("notice"))) && notice->isVisible());
    QVERIFY2(notice->text().contains(QStringLiteral("does not verify")), qPrintable(notice->text()));
    QVERIFY2(notice->text().contains(QStringLiteral("title")), qPrintable(notice->text())); // where it failed
    notice->accept();

    // The unchanged file opens, and is read-only too.
    const QString goodPath = m_files.filePath(QStringLiteral("good.casefile"));
    QFile goodFile(goodPath);
    QVERIFY(goodFile.open(QIODevice::WriteOnly));
    goodFile.write(good);
    goodFile.close();
    QVERIFY(m_window->openSnapshotFile(goodPath));
    QVERIFY(m_window->snapshot() != shown);
    QVERIFY(!m_window->commandBar()->isEnabled());
    // Opened from a file, an entry has no link.
    QVERIFY(m_window->linkToEntry(m_window->document()->timeline()->indexOfCommand(m_command)).isEmpty());
}

void tst_SnapshotViewer::exportsEveryFormat()
{
    for (const char *suffix : {"casefile", "html", "pdf"}) {
        const QString path = m_files.filePath(QStringLiteral("export.") + QLatin1String(suffix));
        QVERIFY2(m_window->exportSnapshot(path), suffix);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY2(bytes.size() > 500, suffix);
        if (qstrcmp(suffix, "casefile") == 0)
            QCOMPARE(bytes, m_window->snapshot()->bytes());
        else if (qstrcmp(suffix, "html") == 0)
            QVERIFY(bytes.contains("Credential manager holds a stale password"));
        else
            QVERIFY(bytes.startsWith("%PDF"));
    }
    // Cancel in the PDF's progress dialog: nothing is left behind.
    const QString cancelled = m_files.filePath(QStringLiteral("cancelled.pdf"));
    QTimer::singleShot(0, m_window.get(), [this] {
        if (auto *progress = m_window->findChild<QProgressDialog *>())
            progress->cancel();
    });
    QVERIFY(!m_window->exportSnapshot(cancelled));
    QVERIFY(!QFile::exists(cancelled));
    QVERIFY(!QFile::exists(cancelled + QStringLiteral(".part")));
}

void tst_SnapshotViewer::severalSessionsHaveASelector()
{
    QString second;
    bool opened = false;
    m_controller->openNewSession(m_server.agentEndpoint(), QStringLiteral("Second look at the mailbox"), {}, {},
                                 [&](const QString &session, const QString &) {
                                     second = session;
                                     opened = true;
                                 });
    QTRY_VERIFY_WITH_TIMEOUT(opened, 10000);
    QString hypothesis;
    QVERIFY(m_controller->addHypothesis(second, QStringLiteral("The mailbox is full"), &hypothesis));
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->pendingCount(), 0, 10000);
    const auto published = m_server.cli(m_reviewerToken, {QStringLiteral("publish"), QStringLiteral("--session"), m_session,
                                                          QStringLiteral("--session"), second, QStringLiteral("--title"),
                                                          QStringLiteral("Two sessions"), QStringLiteral("--accept-all-findings")});
    QVERIFY2(published.code == 0, published.err.constData());
    const OpenSnapshot *before = m_window->snapshot();
    m_window->openLink(QString::fromUtf8(published.out.trimmed()));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->snapshot() && m_window->snapshot() != before, 10000);
    QComboBox *selector = m_window->snapshotSessions();
    QVERIFY(selector->isVisible());
    QCOMPARE(selector->count(), 2);
    const int other = m_window->snapshot()->sessionId(0) == second ? 1 : 0;
    const int index = 1 - other;
    QCOMPARE(m_window->snapshot()->sessionId(index), second);
    selector->setCurrentIndex(index);
    QCOMPARE(m_window->document()->session(), second);
    QCOMPARE(m_window->handoffPane()->summary().session, second);
    QCOMPARE(m_window->handoffPane()->summary().open.value(0).text, QStringLiteral("The mailbox is full"));
    QVERIFY(!m_window->commandBar()->isEnabled());
    selector->setCurrentIndex(other);
    QCOMPARE(m_window->document()->session(), m_session);
}

QTEST_MAIN(tst_SnapshotViewer)
#include "tst_SnapshotViewer.moc"
