// `casefile-cli redact`: the real program, text on stdin.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

class tst_CliRedact : public QObject
{
    Q_OBJECT
private slots:
    void scrubsText();
    void listsFindingsAsJson();
    void refusesUnknownOptions();

private:
    static QProcess *run(const QStringList &args, const QByteArray &input);
};

QProcess *tst_CliRedact::run(const QStringList &args, const QByteArray &input)
{
    auto *p = new QProcess;
    p->start(QStringLiteral(CASEFILE_CLI), QStringList{QStringLiteral("redact")} + args);
    p->write(input);
    p->closeWriteChannel();
    p->waitForFinished(30000);
    return p;
}

void tst_CliRedact::scrubsText()
{
    std::unique_ptr<QProcess> p(run({}, "User: CONTOSO\\jsmith at 10.1.2.3\r\n"
                                        "profile C:\\Users\\jsmith\\Desktop, Version 10.0.19045.3693, KB5034441\n"
                                        "Gr\xc3\xbc\xc3\x9f" "e\n"));
    QCOMPARE(p->exitCode(), 0);
    const QByteArray out = p->readAllStandardOutput();
    QCOMPARE(out, QByteArray("User: <DOMAIN_1>\\<USER_1> at <IP_1>\r\n"
                             "profile C:\\Users\\<USER_1>\\Desktop, Version 10.0.19045.3693, KB5034441\n"
                             "Gr\xc3\xbc\xc3\x9f" "e\n")); // the rest byte for byte
}

void tst_CliRedact::listsFindingsAsJson()
{
    std::unique_ptr<QProcess> p(run({QStringLiteral("--json")}, "mail jsmith@contoso.com 00-15-5D-0A-1B-2C"));
    QCOMPARE(p->exitCode(), 0);
    const QJsonArray findings = QJsonDocument::fromJson(p->readAllStandardOutput()).object().value(QStringLiteral("findings")).toArray();
    QCOMPARE(findings.size(), 3);
    QCOMPARE(findings[0].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("user"));
    QCOMPARE(findings[0].toObject().value(QStringLiteral("value")).toString(), QStringLiteral("jsmith"));
    QCOMPARE(findings[0].toObject().value(QStringLiteral("start")).toInt(), 5);
    QCOMPARE(findings[1].toObject().value(QStringLiteral("placeholder")).toString(), QStringLiteral("<DOMAIN_1>"));
    QCOMPARE(findings[2].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("mac"));
}

void tst_CliRedact::refusesUnknownOptions()
{
    std::unique_ptr<QProcess> p(run({QStringLiteral("--dictionary")}, "x"));
    QCOMPARE(p->exitCode(), 2);
    QVERIFY(p->readAllStandardError().contains("usage"));
    QVERIFY(p->readAllStandardOutput().isEmpty());
}

QTEST_GUILESS_MAIN(tst_CliRedact)
#include "tst_CliRedact.moc"
