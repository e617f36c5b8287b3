// `casefile-cli redact`: the real program, text on stdin.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class tst_CliRedact : public QObject
{
    Q_OBJECT
private slots:
    void scrubsText();
    void listsFindingsAsJson();
    void refusesUnknownOptions();
    void dictionaryAddsClientNames();
    void badDictionaryIsAnError();

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
    std::unique_ptr<QProcess> p(run({QStringLiteral("--dictionary")}, "x")); // no file named
    QCOMPARE(p->exitCode(), 2);
    QVERIFY(p->readAllStandardError().contains("usage"));
    QVERIFY(p->readAllStandardOutput().isEmpty());
}

void tst_CliRedact::dictionaryAddsClientNames()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(QStringLiteral("client.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# Contoso's terms\nContoso Ltd\nhost: FRONTDESK-PRINTER\n\nHarbour Street\n");
    file.close();
    std::unique_ptr<QProcess> p(run({QStringLiteral("--dictionary"), file.fileName()},
                                    "Ticket from Contoso Ltd, 12 Harbour Street: frontdesk-printer offline at 10.1.2.3\n"));
    QCOMPARE(p->exitCode(), 0);
    QCOMPARE(p->readAllStandardOutput(),
             QByteArray("Ticket from <NAME_1>, 12 <NAME_2>: <HOST_1> offline at <IP_1>\n"));

    // With --json: the dictionary's findings merged into the detectors', in order.
    std::unique_ptr<QProcess> j(run({QStringLiteral("--json"), QStringLiteral("--dictionary"), file.fileName()},
                                    "CONTOSO\\jsmith at Contoso Ltd"));
    QCOMPARE(j->exitCode(), 0);
    const QJsonArray findings = QJsonDocument::fromJson(j->readAllStandardOutput()).object().value(QStringLiteral("findings")).toArray();
    QStringList got;
    for (const auto &f : findings)
        got << f.toObject().value(QStringLiteral("type")).toString() + QLatin1Char(':') + f.toObject().value(QStringLiteral("value")).toString();
    QCOMPARE(got, (QStringList{QStringLiteral("domain:CONTOSO"), QStringLiteral("user:jsmith"), QStringLiteral("name:Contoso Ltd")}));
}

void tst_CliRedact::badDictionaryIsAnError()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Missing file.
    std::unique_ptr<QProcess> missing(run({QStringLiteral("--dictionary"), dir.filePath(QStringLiteral("none.txt"))}, "x"));
    QCOMPARE(missing->exitCode(), 2);
    QVERIFY(missing->readAllStandardError().contains("cannot read dictionary"));
    QVERIFY(missing->readAllStandardOutput().isEmpty());
    // A term of one character: RedactionDictionary::fromText refuses it.
    QFile invalid(dir.filePath(QStringLiteral("bad.txt")));
    QVERIFY(invalid.open(QIODevice::WriteOnly));
    invalid.write("Contoso\nx\n");
    invalid.close();
    std::unique_ptr<QProcess> bad(run({QStringLiteral("--dictionary"), invalid.fileName()}, "Contoso"));
    QCOMPARE(bad->exitCode(), 2);
    QVERIFY(bad->readAllStandardError().contains("line 2"));
    QVERIFY(bad->readAllStandardOutput().isEmpty());
    // Not text.
    QFile binary(dir.filePath(QStringLiteral("bin.txt")));
    QVERIFY(binary.open(QIODevice::WriteOnly));
    binary.write("Contoso\n\xff\xfe\x00\n");
    binary.close();
    std::unique_ptr<QProcess> bin(run({QStringLiteral("--dictionary"), binary.fileName()}, "Contoso"));
    QCOMPARE(bin->exitCode(), 2);
    QVERIFY(bin->readAllStandardError().contains("UTF-8"));
}

QTEST_GUILESS_MAIN(tst_CliRedact)
#include "tst_CliRedact.moc"
