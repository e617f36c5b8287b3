#include "MockSyncServer.h"
#include "events/Event.h"
#include "events/JsonReader.h"

#include <QProcess>
#include <QtTest>

using namespace casefile;

// The real casefile-cli against MockSyncServer: a request whose answer is lost with the
// connection is sent again once the cli is connected again, and `open` names its session, so
// asking twice cannot open two.
class tst_CliRetries : public QObject
{
    Q_OBJECT

private slots:
    void requestsOutliveALostConnection_data();
    void requestsOutliveALostConnection();
    void aServerThatCannotAnswerIsAskedThreeTimesMore_data();
    void aServerThatCannotAnswerIsAskedThreeTimesMore();
};

void tst_CliRetries::requestsOutliveALostConnection_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("op");
    QTest::newRow("open") << QStringList{QStringLiteral("open"), QStringLiteral("--endpoint"),
                                         Event::newId(), QStringLiteral("--title"),
                                         QStringLiteral("Printer offline")}
                          << QStringLiteral("open");
    QTest::newRow("endpoints") << QStringList{QStringLiteral("endpoints"), QStringLiteral("--json")}
                               << QStringLiteral("endpoints");
}

void tst_CliRetries::requestsOutliveALostConnection()
{
    QFETCH(QStringList, args);
    QFETCH(QString, op);
    MockSyncServer server;
    QVERIFY(server.isListening());
    server.unansweredOps.insert(op); // the first one gets no answer
    QProcess cli;
    cli.start(QStringLiteral(CASEFILE_CLI),
              QStringList{QStringLiteral("--server"), server.url().toString(),
                          QStringLiteral("--token"), server.token} +
                  args);
    QVERIFY(cli.waitForStarted(10000));
    const auto asked = [&server, &op] {
        QList<QJsonObject> found;
        for (const QJsonObject &r : std::as_const(server.requests)) {
            if (r.value(QStringLiteral("type")).toString() == op)
                found.append(r);
        }
        return found;
    };
    QTRY_COMPARE_WITH_TIMEOUT(asked().size(), 1, 15000);
    // The connection goes before the answer: a server restarting, a cable pulled.
    server.unansweredOps.clear();
    server.dropAll();
    QTRY_COMPARE_WITH_TIMEOUT(cli.state(), QProcess::NotRunning, 30000);
    const QByteArray err = cli.readAllStandardError();
    QVERIFY2(cli.exitStatus() == QProcess::NormalExit && cli.exitCode() == 0, err.constData());
    QCOMPARE(server.connections, 2);
    const QList<QJsonObject> requests = asked();
    QCOMPARE(requests.size(), 2);
    if (op == QLatin1String("open")) {
        // Both name the same session, and that is the one printed.
        const QString session = requests.at(0).value(QStringLiteral("session")).toString();
        QVERIFY(JsonReader::isUuid(session));
        QCOMPARE(requests.at(1).value(QStringLiteral("session")).toString(), session);
        QCOMPARE(QString::fromUtf8(cli.readAllStandardOutput().trimmed()), session);
    }
}

void tst_CliRetries::aServerThatCannotAnswerIsAskedThreeTimesMore_data()
{
    QTest::addColumn<int>("refusals");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("answered on the third try") << 2 << 0;
    // After 1, 2 and 4 s: given up with the server's reason, not waited on for ever.
    QTest::newRow("never answered") << 4 << 1;
}

void tst_CliRetries::aServerThatCannotAnswerIsAskedThreeTimesMore()
{
    QFETCH(int, refusals);
    QFETCH(int, exitCode);
    MockSyncServer server;
    QVERIFY(server.isListening());
    for (int i = 0; i < refusals; ++i)
        server.openErrors.append(QStringLiteral("unavailable"));
    QProcess cli;
    cli.start(QStringLiteral(CASEFILE_CLI),
              {QStringLiteral("--server"), server.url().toString(), QStringLiteral("--token"),
               server.token, QStringLiteral("open"), QStringLiteral("--endpoint"), Event::newId()});
    QVERIFY(cli.waitForStarted(10000));
    QTRY_COMPARE_WITH_TIMEOUT(cli.state(), QProcess::NotRunning, 30000);
    const QByteArray err = cli.readAllStandardError();
    QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
    QVERIFY2(cli.exitCode() == exitCode, err.constData());
    QCOMPARE(server.requests.size(), std::min(refusals + 1, 4));
    QCOMPARE(server.connections, 1);
    // Each wait said, with the server's reason.
    QCOMPARE(int(err.count("the server cannot answer now: refused by the test")),
             std::min(refusals, 3));
}

QTEST_GUILESS_MAIN(tst_CliRetries)
#include "tst_CliRetries.moc"
