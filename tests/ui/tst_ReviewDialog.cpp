// The review-and-publish dialog against a real casefiled and casefile-agent: a command whose
// output holds an address, a user's profile path and a password is reviewed by a reviewer,
// every finding decided through the keyboard, the publish gate follows undo and redo, and the
// published link serves a page without any of the raw values.
#include "FindingsModel.h"
#include "MainWindow.h"
#include "OutputView.h"
#include "ReviewDialog.h"
#include "ServerFixture.h"
#include "SessionController.h"

#include <QAccessible>
#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace casefile;

class tst_ReviewDialog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void opensOnTheCurrentSessionAndShowsFindings();
    void redactingTextShowsInThePreview();
    void decideAllThenUndoRedoGatesPublish();
    void publishShowsAndCopiesTheLink();

private:
    QModelIndex typeRow(Finding::Type type) const;

    ServerFixture m_server;
    ServerFixture::Org m_org;
    QString m_reviewerToken;
    QString m_session;
    QTemporaryDir m_data;
    std::unique_ptr<SessionController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    QPointer<ReviewDialog> m_dialog;
};

void tst_ReviewDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_server.start());
    m_org = m_server.createOrg(QStringLiteral("Review MSP"));
    QVERIFY(m_server.startAgent(m_org, QStringLiteral("stdin")));
    const QJsonObject user = m_server.admin({QStringLiteral("create-user"), QStringLiteral("--org"), m_org.id,
                                             QStringLiteral("--name"), QStringLiteral("Rita Reviewer"),
                                             QStringLiteral("--role"), QStringLiteral("reviewer")});
    QVERIFY(!user.value(QStringLiteral("user")).toString().isEmpty());
    const QJsonObject token = m_server.admin({QStringLiteral("issue-token"), QStringLiteral("--user"),
                                              user.value(QStringLiteral("user")).toString()});
    m_reviewerToken = token.value(QStringLiteral("token")).toString();
    QVERIFY(!m_reviewerToken.isEmpty());

    const auto opened = m_server.cli(m_org.technicianToken, {QStringLiteral("open"), QStringLiteral("--endpoint"),
                                                             m_server.agentEndpoint(), QStringLiteral("--title"),
                                                             QStringLiteral("VPN drops every hour")});
    QCOMPARE(opened.code, 0);
    m_session = QString::fromUtf8(opened.out.trimmed());
    const auto run = m_server.cli(
        m_org.technicianToken,
        {QStringLiteral("run"), QStringLiteral("--session"), m_session, QStringLiteral("--"),
         QStringLiteral("printf 'Windows IP Configuration\\n   IPv4 Address : 10.20.30.40\\n"
                        "Profile C:\\\\Users\\\\jsmith\\\\Desktop\\nmapped with -Password Hunter2Secret\\nlast line\\n'")});
    QCOMPARE(run.code, 0);
    QVERIFY2(run.out.contains("10.20.30.40") && run.out.contains("C:\\Users\\jsmith"), run.out.constData());

    m_controller = std::make_unique<SessionController>(m_data.path());
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_controller->connectToServer(QUrl(m_server.wsUrl()), m_reviewerToken);
    m_window->show();
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->sync()->state(), SyncClient::State::Online, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->sessions()->indexOfSession(m_session).isValid(), 10000);
    m_window->openSession(m_session);
}

void tst_ReviewDialog::cleanupTestCase()
{
    delete m_dialog;
    m_window.reset();
    m_controller.reset();
}

QModelIndex tst_ReviewDialog::typeRow(Finding::Type type) const
{
    FindingsModel *m = m_dialog->review()->findings();
    for (int r = 0; r < m->rowCount(); ++r) {
        if (m->index(r, 0).data(FindingsModel::FindingTypeRole).toInt() == int(type))
            return m->index(r, 0);
    }
    return {};
}

void tst_ReviewDialog::opensOnTheCurrentSessionAndShowsFindings()
{
    // Ctrl+Shift+P is in the Session menu.
    QAction *open = nullptr;
    for (QAction *a : m_window->findChildren<QAction *>()) {
        if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P))
            open = a;
    }
    QVERIFY(open);
    open->trigger();
    m_dialog = m_window->reviewDialog();
    QVERIFY(m_dialog);
    QVERIFY(m_dialog->isVisible());
    QVERIFY(!m_dialog->isModal());
    QCOMPARE(m_dialog->page(), ReviewDialog::ChoosePage);
    QCOMPARE(m_dialog->chosenSessions(), QStringList{m_session});

    auto *next = m_dialog->findChild<QPushButton *>(QString(), Qt::FindChildrenRecursively);
    for (QPushButton *b : m_dialog->findChildren<QPushButton *>()) {
        if (b->accessibleName() == QLatin1String("Next"))
            next = b;
    }
    QTest::mouseClick(next, Qt::LeftButton);
    QCOMPARE(m_dialog->page(), ReviewDialog::ReviewPage);
    QVERIFY(m_dialog->review());
    QTRY_COMPARE_WITH_TIMEOUT(m_dialog->review()->state(), ReviewSession::State::Ready, 30000);
    QVERIFY(!m_dialog->progressBar()->isVisible());

    FindingsModel *m = m_dialog->review()->findings();
    QVERIFY(m->indexOfValue(Finding::Type::Ipv4, QStringLiteral("10.20.30.40")).isValid());
    QVERIFY(m->indexOfValue(Finding::Type::User, QStringLiteral("jsmith")).isValid());
    QVERIFY(typeRow(Finding::Type::Secret).isValid());
    QVERIFY(m_dialog->review()->undecidedCount() > 0);
    // The first undecided value is selected and its text shown, the finding selected in it.
    QVERIFY(m_dialog->findingsView()->currentIndex().isValid());
    QVERIFY(m_dialog->shownText() >= 0);
    QVERIFY(m_dialog->originalView()->hasSelection());
    QVERIFY(!m_dialog->publishButton()->isEnabled());
    // Every control a keyboard reaches on the page has a name for screen readers.
    QStringList unnamed;
    for (QWidget *w : m_dialog->findChildren<QWidget *>()) {
        if (!w->isVisibleTo(m_dialog) || w->focusPolicy() == Qt::NoFocus || w->objectName().startsWith(QLatin1String("qt_")))
            continue;
        if (QAccessible::queryAccessibleInterface(w)->text(QAccessible::Name).trimmed().isEmpty())
            unnamed << QString::fromLatin1(w->metaObject()->className());
    }
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
    // For looking at it (scripts/screenshot sets this): the review page as it stands.
    const QString shots = qEnvironmentVariable("CASEFILE_SCREENSHOTS");
    if (!shots.isEmpty()) {
        m_dialog->resize(1400, 860);
        QTest::qWait(200);
        QVERIFY(m_dialog->grab().save(shots + QStringLiteral("/review-dialog.png")));
    }
}

void tst_ReviewDialog::redactingTextShowsInThePreview()
{
    // Open the output through its IP finding, select "last" on line 5 and redact it by hand.
    FindingsModel *m = m_dialog->review()->findings();
    const QModelIndex ip = m->indexOfValue(Finding::Type::Ipv4, QStringLiteral("10.20.30.40"));
    QModelIndex inOutput;
    for (int r = 0; r < m->rowCount(ip); ++r) {
        const QModelIndex o = m->index(r, 0, ip);
        if (m_dialog->review()->package().texts().at(o.data(FindingsModel::TextIndexRole).toLongLong()).kind
            == EventKind::CommandOutput)
            inOutput = o;
    }
    QVERIFY(inOutput.isValid());
    m_dialog->findingsView()->setCurrentIndex(inOutput);
    OutputView *original = m_dialog->originalView();
    QCOMPARE(original->buffer()->displayText(4), QStringLiteral("last line"));
    original->select({4, 0}, {4, 4});
    const int steps = m_dialog->review()->undoStack()->count();
    m_dialog->redactSelection();
    QCOMPARE(m_dialog->review()->undoStack()->count(), steps + 1);
    QTRY_COMPARE(m_dialog->previewView()->buffer()->displayText(4), QStringLiteral("<REDACTED> line"));
    QCOMPARE(m_dialog->previewView()->buffer()->lineCount(), original->buffer()->lineCount());
    // Undo gives the word back.
    m_dialog->undoAction()->trigger();
    QTRY_COMPARE(m_dialog->previewView()->buffer()->displayText(4), QStringLiteral("last line"));
}

void tst_ReviewDialog::decideAllThenUndoRedoGatesPublish()
{
    ReviewSession *review = m_dialog->review();
    QTreeView *view = m_dialog->findingsView();
    view->setFocus();
    // R on a type row redacts every value of the type; decide them all by keyboard.
    for (int guard = 0; review->undecidedCount() > 0 && guard < 50; ++guard) {
        const QModelIndex next = review->findings()->nextUndecided(QModelIndex());
        view->setCurrentIndex(next.parent());
        QTest::keyClick(view, Qt::Key_R);
    }
    QCOMPARE(review->undecidedCount(), 0);
    m_dialog->showPage(ReviewDialog::PublishPage);
    QVERIFY(!m_dialog->titleEdit()->text().isEmpty()); // the session's title to start from
    QVERIFY(m_dialog->publishButton()->isEnabled());

    m_dialog->undoAction()->trigger();
    QVERIFY(review->undecidedCount() > 0);
    QVERIFY(!m_dialog->publishButton()->isEnabled());
    QVERIFY2(m_dialog->publishStatus()->text().contains(QStringLiteral("undecided")), qPrintable(m_dialog->publishStatus()->text()));
    m_dialog->redoAction()->trigger();
    QCOMPARE(review->undecidedCount(), 0);
    QVERIFY(m_dialog->publishButton()->isEnabled());
    // No title, no publishing.
    const QString title = m_dialog->titleEdit()->text();
    m_dialog->titleEdit()->clear();
    QVERIFY(!m_dialog->publishButton()->isEnabled());
    m_dialog->titleEdit()->setText(title);
    QVERIFY(m_dialog->publishButton()->isEnabled());
}

void tst_ReviewDialog::publishShowsAndCopiesTheLink()
{
    for (QRadioButton *b : m_dialog->findChildren<QRadioButton *>()) {
        if (b->accessibleName().contains(QStringLiteral("anyone")))
            b->setChecked(true);
    }
    QTest::mouseClick(m_dialog->publishButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_dialog->linkEdit()->text().isEmpty() || m_dialog->publishStatus()->text().contains(QStringLiteral("failed")),
                             20000);
    const QString link = m_dialog->linkEdit()->text();
    QVERIFY2(link.contains(QStringLiteral("/s/")), qPrintable(m_dialog->publishStatus()->text()));
    QCOMPARE(QGuiApplication::clipboard()->text(), link);
    QVERIFY(!m_dialog->publishButton()->isEnabled()); // once

    // The page, fetched like anyone with the link, holds none of the raw values.
    QNetworkAccessManager network;
    const QUrl url(m_server.httpUrl() + QUrl(link).path());
    QNetworkReply *reply = network.get(QNetworkRequest(url));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    const QByteArray page = reply->readAll();
    reply->deleteLater();
    QVERIFY(page.contains("IPv4 Address"));
    for (const char *raw : {"10.20.30.40", "jsmith", "Hunter2Secret"})
        QVERIFY2(!page.contains(raw), raw);
}

QTEST_MAIN(tst_ReviewDialog)
#include "tst_ReviewDialog.moc"
