// Searching all sessions of the org on a real casefiled: hits shown with their session's title,
// the matches in bold, a page at a time ("More results" asks for the next page only), and
// opening a hit selects its entry in the timeline (an output hit shows the output at the word).
// A copied link to a timeline entry opens that entry again; a link to another server says so.
#include "MainWindow.h"
#include "OutputPane.h"
#include "OutputView.h"
#include "ServerFixture.h"
#include "SessionController.h"
#include "TeamSearchDialog.h"

#include <QAbstractItemModelTester>
#include <QAccessible>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace casefile;

class tst_TeamSearch : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void hitsArePagedAndShownWithTheirTitle();
    void openingANoteHitSelectsItsEntry();
    void openingAnOutputHitFindsTheWord();
    void copiedLinkOpensTheEntry();
    void linkToAnotherServerSaysSo();

private:
    QString openSession(const QString &title);
    void search(const QString &text);

    ServerFixture m_server;
    ServerFixture::Org m_org;
    QString m_notes;   // a session with 25 notes about a kangaroo
    QString m_outputs; // a session with one command whose output mentions a quokka
    QString m_command;
    QTemporaryDir m_data;
    std::unique_ptr<SessionController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    QPointer<TeamSearchDialog> m_dialog;
};

QString tst_TeamSearch::openSession(const QString &title)
{
    QString id;
    bool done = false;
    m_controller->openNewSession(m_server.agentEndpoint(), title, {}, {}, [&](const QString &session, const QString &) {
        id = session;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        return {};
    return id;
}

void tst_TeamSearch::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_server.start());
    m_org = m_server.createOrg(QStringLiteral("Search MSP"));
    QVERIFY(m_server.startAgent(m_org, QStringLiteral("stdin")));
    m_controller = std::make_unique<SessionController>(m_data.path());
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_controller->connectToServer(QUrl(m_server.wsUrl()), m_org.technicianToken);
    m_window->show();
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->sync()->state(), SyncClient::State::Online, 10000);

    m_notes = openSession(QStringLiteral("Wallaby printer queue"));
    QVERIFY(!m_notes.isEmpty());
    for (int i = 1; i <= 25; ++i)
        QVERIFY(m_controller->addNote(m_notes, QStringLiteral("kangaroo observation %1").arg(i)));
    m_outputs = openSession(QStringLiteral("Quokka file share"));
    QVERIFY(!m_outputs.isEmpty());
    m_window->openSession(m_outputs);
    QVERIFY(m_controller->runCommand(m_outputs, QStringLiteral("sh"),
                                     QStringLiteral("i=1; while [ $i -le 80 ]; do echo filler $i; i=$((i+1)); done; echo share quokkas found; "
                                                    "echo done"),
                                     false, &m_command));
    SessionDocument *doc = m_window->document();
    QTRY_VERIFY_WITH_TIMEOUT(doc->command(m_command) && doc->command(m_command)->finished, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->pendingCount(), 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->sessions()->indexOfSession(m_notes).isValid(), 10000);
    // A third session is what the window shows before any hit is opened.
    m_window->openSession(m_notes);
}

void tst_TeamSearch::cleanupTestCase()
{
    delete m_dialog;
    m_window.reset();
    m_controller.reset();
}

void tst_TeamSearch::search(const QString &text)
{
    m_dialog->textEdit()->setText(text);
    QTest::keyClick(m_dialog->textEdit(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!m_dialog->isBusy(), 10000);
}

void tst_TeamSearch::hitsArePagedAndShownWithTheirTitle()
{
    QAction *open = nullptr;
    for (QAction *a : m_window->findChildren<QAction *>()) {
        if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F))
            open = a;
    }
    QVERIFY(open);
    open->trigger();
    m_dialog = m_window->teamSearchDialog();
    QVERIFY(m_dialog && m_dialog->isVisible());
    QStringList unnamed;
    for (QWidget *w : m_dialog->findChildren<QWidget *>()) {
        if (!w->isVisibleTo(m_dialog) || w->focusPolicy() == Qt::NoFocus || w->objectName().startsWith(QLatin1String("qt_")))
            continue;
        if (QAccessible::queryAccessibleInterface(w)->text(QAccessible::Name).trimmed().isEmpty())
            unnamed << QString::fromLatin1(w->metaObject()->className());
    }
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
    QAbstractItemModelTester tester(m_dialog->results(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_dialog->setPageSize(10);
    search(QStringLiteral("kangaroo"));
    QCOMPARE(m_dialog->results()->rowCount(), 10);
    QVERIFY(m_dialog->moreButton()->isEnabled());
    const QString first = m_dialog->results()->index(0, 0).data().toString();
    QVERIFY2(first.contains(QStringLiteral("Wallaby printer queue")), qPrintable(first));
    QVERIFY2(first.contains(QStringLiteral("<b>kangaroo</b>")), qPrintable(first));
    QVERIFY2(first.contains(QStringLiteral("· note")), qPrintable(first)); // where in the record
    QTest::mouseClick(m_dialog->moreButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_dialog->isBusy(), 10000);
    QCOMPARE(m_dialog->results()->rowCount(), 20); // one more page, not everything
    QTest::mouseClick(m_dialog->moreButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_dialog->isBusy(), 10000);
    QCOMPARE(m_dialog->results()->rowCount(), 25);
    QVERIFY(!m_dialog->moreButton()->isEnabled());
    // Every hit once.
    QSet<qint64> seqs;
    for (int r = 0; r < 25; ++r)
        seqs.insert(m_dialog->results()->index(r, 0).data(TeamSearchDialog::SeqRole).toLongLong());
    QCOMPARE(seqs.size(), 25);
    const QString shots = qEnvironmentVariable("CASEFILE_SCREENSHOTS");
    if (!shots.isEmpty()) {
        QTest::qWait(200);
        QVERIFY(m_dialog->grab().save(shots + QStringLiteral("/team-search.png")));
    }
    search(QStringLiteral("nothing-like-this-anywhere"));
    QCOMPARE(m_dialog->results()->rowCount(), 0);
    QVERIFY(!m_dialog->moreButton()->isEnabled());
}

void tst_TeamSearch::openingANoteHitSelectsItsEntry()
{
    search(QStringLiteral("\"kangaroo observation 7\""));
    QVERIFY(m_dialog->results()->rowCount() >= 1);
    const QModelIndex hit = m_dialog->results()->index(0, 0);
    const qint64 seq = hit.data(TeamSearchDialog::SeqRole).toLongLong();
    m_window->openSession(m_outputs); // somewhere else first
    QListView *view = m_dialog->resultsView();
    view->setCurrentIndex(hit);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Return); // activates, as a double-click does
    QCOMPARE(m_window->document()->session(), m_notes);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->timelineView()->currentIndex().data(TimelineModel::SeqRole).toLongLong(), seq, 10000);
    QVERIFY(m_window->timelineView()->currentIndex().data().isValid());
}

void tst_TeamSearch::openingAnOutputHitFindsTheWord()
{
    search(QStringLiteral("quokkas"));
    QModelIndex outputHit;
    for (int r = 0; r < m_dialog->results()->rowCount(); ++r) {
        const QModelIndex i = m_dialog->results()->index(r, 0);
        if (i.data(TeamSearchDialog::CommandRole).toString() == m_command)
            outputHit = i;
    }
    QVERIFY(outputHit.isValid());
    emit m_dialog->resultsView()->activated(outputHit);
    QCOMPARE(m_window->document()->session(), m_outputs);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->timelineView()->currentIndex().data(TimelineModel::CommandIdRole).toString(), m_command, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->outputPane()->command(), m_command, 10000);
    const auto match = m_window->outputPane()->view()->currentMatch();
    QVERIFY(match.has_value());
    QCOMPARE(match->line, 80); // "share quokkas found", after 80 filler lines
    QVERIFY(m_window->outputPane()->view()->firstVisibleLine() + m_window->outputPane()->view()->visibleLineCount() > 80);
}

void tst_TeamSearch::copiedLinkOpensTheEntry()
{
    // The link of a note row of the notes session, copied from the timeline's menu action.
    m_window->openSession(m_notes);
    TimelineModel *timeline = m_window->document()->timeline();
    QTRY_VERIFY_WITH_TIMEOUT(timeline->rowCount() > 20, 10000);
    const QModelIndex row = timeline->index(12, 0);
    const qint64 seq = row.data(TimelineModel::SeqRole).toLongLong();
    const QUrl link = m_window->linkToEntry(row);
    const auto parsed = DeepLink::parse(link.toString());
    QVERIFY(parsed);
    QCOMPARE(parsed->target, DeepLink::Target::Session);
    QCOMPARE(parsed->id, m_notes);
    QCOMPARE(parsed->seq, seq);
    m_window->openSession(m_outputs);
    m_window->openLink(link.toString());
    QCOMPARE(m_window->document()->session(), m_notes);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->timelineView()->currentIndex().data(TimelineModel::SeqRole).toLongLong(), seq, 10000);
}

void tst_TeamSearch::linkToAnotherServerSaysSo()
{
    DeepLink other;
    other.id = m_outputs;
    other.server = QUrl(QStringLiteral("https://casefile.other-msp.example"));
    other.seq = 2;
    m_window->openLink(other.toUrl().toString());
    QCOMPARE(m_window->document()->session(), m_notes); // nothing opened
    QMessageBox *notice = nullptr;
    QTRY_VERIFY((notice = m_window->findChild<QMessageBox *>(QStringLiteral("notice"))) && notice->isVisible());
    QVERIFY2(notice->text().contains(QStringLiteral("casefile.other-msp.example")), qPrintable(notice->text()));
    QVERIFY(notice->text().contains(QStringLiteral("signed in to")));
    notice->accept();
}

QTEST_MAIN(tst_TeamSearch)
#include "tst_TeamSearch.moc"
