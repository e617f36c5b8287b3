// Offline: a session seen once opens from the local cache with the server down; actions taken
// offline wait in the durable outbox, survive closing the console, and arrive in order later.
#include "MainWindow.h"
#include "OutputPane.h"
#include "OutputView.h"
#include "ServerFixture.h"
#include "SessionController.h"
#include "SessionDocument.h"

#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace casefile;

class tst_ConsoleOffline : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void opensFromCacheAndQueuesWhileServerIsDown();

private:
    std::unique_ptr<SessionController> makeController();

    ServerFixture m_server;
    ServerFixture::Org m_org;
    QString m_session;
    QTemporaryDir m_data;
};

std::unique_ptr<SessionController> tst_ConsoleOffline::makeController()
{
    auto c = std::make_unique<SessionController>(m_data.path());
    Backoff fast([] { return 0.0; });
    fast.setBase(200);
    fast.setCap(1000);
    c->sync()->setBackoff(fast);
    return c;
}

void tst_ConsoleOffline::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_server.start());
    m_org = m_server.createOrg(QStringLiteral("Offline MSP"));
    QVERIFY(m_server.startAgent(m_org, QStringLiteral("auto-approve")));
    const auto opened = m_server.cli(m_org.technicianToken, {QStringLiteral("open"), QStringLiteral("--endpoint"),
                                                             m_server.agentEndpoint(), QStringLiteral("--title"),
                                                             QStringLiteral("Offline test")});
    QCOMPARE(opened.code, 0);
    m_session = QString::fromUtf8(opened.out.trimmed());
    const auto run = m_server.cli(m_org.technicianToken,
                                  {QStringLiteral("run"), QStringLiteral("--session"), m_session, QStringLiteral("--"),
                                   QStringLiteral("seq 1 3000; sleep 0.3; echo 'disk \"C:\\\\\" is full' >&2; sleep 0.3; printf 'tail-no-newline'")});
    QCOMPARE(run.code, 0);
    QCOMPARE(m_server.cli(m_org.technicianToken, {QStringLiteral("hypothesis"), QStringLiteral("--session"), m_session,
                                                  QStringLiteral("add"), QStringLiteral("Disk is full")})
                 .code,
             0);
}

void tst_ConsoleOffline::opensFromCacheAndQueuesWhileServerIsDown()
{
    QJsonObject principal;
    int timelineRows = 0;
    {
        // Online once: the session is seen, and so cached.
        auto controller = makeController();
        MainWindow window(controller.get());
        controller->connectToServer(QUrl(m_server.wsUrl()), m_org.technicianToken);
        window.openSession(m_session);
        QTRY_VERIFY_WITH_TIMEOUT(window.document()->hypotheses()->rowCount() == 1, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!window.document()->lastCommand().isEmpty()
                                     && window.document()->command(window.document()->lastCommand())->finished,
                                 15000);
        principal = controller->identity();
        timelineRows = window.document()->timeline()->rowCount();
        QVERIFY(principal.value(QStringLiteral("id")).toString().size() > 0);
    }

    m_server.kill();
    {
        // Offline: the record is all there, from the cache, before any connection.
        auto controller = makeController();
        controller->setIdentity(principal);
        MainWindow window(controller.get());
        window.show();
        controller->connectToServer(QUrl(m_server.wsUrl()), m_org.technicianToken);
        window.openSession(m_session);
        SessionDocument *doc = window.document();
        QCOMPARE(doc->timeline()->rowCount(), timelineRows);
        QCOMPARE(doc->hypotheses()->rowCount(), 1);
        const auto *command = doc->command(doc->lastCommand());
        QVERIFY(command && command->finished);
        const OutputBuffer *out = command->output.get();
        QCOMPARE(out->lineCount(), 3002);
        QCOMPARE(out->displayText(0), QStringLiteral("1"));
        QCOMPARE(out->displayText(2999), QStringLiteral("3000"));
        QVERIFY(out->lineHasStderr(3000));
        QVERIFY(!out->lineHasStderr(2999));
        // The shell's single quotes keep both backslashes.
        QCOMPARE(out->displayText(3000), QStringLiteral("disk \"C:\\\\\" is full"));
        QCOMPARE(out->displayText(3001), QStringLiteral("tail-no-newline"));
        // It opens on the last command, as online.
        QCOMPARE(window.outputPane()->command(), doc->lastCommand());
        // Sessions browser from the cache too.
        QTRY_VERIFY(controller->sessions()->indexOfSession(m_session).isValid());

        // Work done offline is queued, in order, and nothing is lost when the console closes.
        QVERIFY(controller->sync()->state() != SyncClient::State::Online);
        QVERIFY(controller->sendChat(m_session, QStringLiteral("first, typed offline")));
        QString hypothesis;
        QVERIFY(controller->addHypothesis(m_session, QStringLiteral("second, typed offline"), &hypothesis));
        QCOMPARE(controller->pendingCount(), 2);
        window.close();
    }

    QVERIFY(m_server.start(m_server.port()));
    {
        auto controller = makeController();
        controller->setIdentity(principal);
        controller->connectToServer(QUrl(m_server.wsUrl()), m_org.technicianToken);
        QTRY_COMPARE_WITH_TIMEOUT(controller->pendingCount(), 0, 20000);
    }
    const auto events = m_server.cli(m_org.technicianToken,
                                     {QStringLiteral("events"), QStringLiteral("--session"), m_session, QStringLiteral("--json")});
    QCOMPARE(events.code, 0);
    const qsizetype chat = events.out.indexOf("first, typed offline");
    const qsizetype added = events.out.indexOf("second, typed offline");
    QVERIFY(chat > 0);
    QVERIFY(added > chat); // in the order they were made
    QCOMPARE(events.out.count("first, typed offline"), 1); // once
}

QTEST_MAIN(tst_ConsoleOffline)
#include "tst_ConsoleOffline.moc"
