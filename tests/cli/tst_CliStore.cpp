#include "TestEvents.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

// Drives the real casefile-cli binary against a real store in a temporary directory.
class tst_CliStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void importListReadSearchVerify();
    void verifyReportsTampering();
    void refusesATamperedRecord();
    void refusesMalformedInput();
    void brokenStoreFileIsAClearError();
    void usageErrors();

private:
    struct Run
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };
    Run cli(const QStringList &args);
    QString fixture(const QString &name) const { return QStringLiteral(CASEFILE_TEST_DATA "/") + name; }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_CliStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

tst_CliStore::Run tst_CliStore::cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(CASEFILE_CLI), args);
    Run run;
    if (!p.waitForFinished(30000)) {
        p.kill();
        return run;
    }
    run.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

void tst_CliStore::importListReadSearchVerify()
{
    const QString data = m_dir->path();
    const QString session = QStringLiteral("5668629e-213b-52f1-a2c4-75829d5d2608");
    Run r = cli({QStringLiteral("store"), QStringLiteral("import"), QStringLiteral("--data"), data,
                 fixture(QStringLiteral("chains/printer-session.jsonl"))});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("15 events appended, 0 already stored"), r.out.constData());
    r = cli({QStringLiteral("store"), QStringLiteral("--data"), data, QStringLiteral("import"),
             fixture(QStringLiteral("chains/printer-session.jsonl"))});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("0 events appended, 15 already stored"), r.out.constData());

    r = cli({QStringLiteral("store"), QStringLiteral("sessions"), QStringLiteral("--data"), data, QStringLiteral("--json")});
    QCOMPARE(r.code, 0);
    const QJsonObject s = QJsonDocument::fromJson(r.out.trimmed()).object();
    QCOMPARE(s.value(QStringLiteral("id")).toString(), session);
    QCOMPARE(s.value(QStringLiteral("head")).toInt(), 15);
    QCOMPARE(s.value(QStringLiteral("title")).toString(), QStringLiteral("Printer queue stuck on FRONTDESK-03"));

    // --json gives back the stored canonical record byte for byte.
    r = cli({QStringLiteral("store"), QStringLiteral("events"), QStringLiteral("--data"), data,
             QStringLiteral("--session"), session, QStringLiteral("--json")});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out.trimmed().split('\n'), TestEvents::printerSessionLines());
    r = cli({QStringLiteral("store"), QStringLiteral("events"), QStringLiteral("--data"), data,
             QStringLiteral("--session"), session, QStringLiteral("--after"), QStringLiteral("13"), QStringLiteral("--json")});
    QCOMPARE(r.out.trimmed().split('\n').size(), 2);

    // For people: escape sequences from the transcript are shown, not sent to the terminal.
    r = cli({QStringLiteral("store"), QStringLiteral("events"), QStringLiteral("--data"), data,
             QStringLiteral("--session"), session});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("^[[33mcached^[[0m"));
    QVERIFY(!r.out.contains('\x1b'));
    QVERIFY(r.out.contains("pid 8812 as NT AUTHORITY\\SYSTEM"));

    r = cli({QStringLiteral("store"), QStringLiteral("search"), QStringLiteral("--data"), data,
             QStringLiteral("spooler"), QStringLiteral("--json")});
    QCOMPARE(r.code, 0);
    QList<int> seqs;
    for (const QByteArray &line : r.out.trimmed().split('\n'))
        seqs.append(QJsonDocument::fromJson(line).object().value(QStringLiteral("seq")).toInt());
    QCOMPARE(seqs, (QList<int>{10, 9, 6, 4, 3}));

    r = cli({QStringLiteral("store"), QStringLiteral("verify"), QStringLiteral("--data"), data});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("chain verified: 15 events"));
}

void tst_CliStore::verifyReportsTampering()
{
    const QString data = m_dir->path();
    QCOMPARE(cli({QStringLiteral("store"), QStringLiteral("import"), QStringLiteral("--data"), data,
                  fixture(QStringLiteral("chains/printer-session.jsonl"))}).code, 0);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("t"));
        db.setDatabaseName(m_dir->filePath(QStringLiteral("casefile.db")));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("UPDATE events SET doc = replace(doc, '3 jobs', '9 jobs') WHERE seq = 14")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("t"));
    const Run r = cli({QStringLiteral("store"), QStringLiteral("verify"), QStringLiteral("--data"), data, QStringLiteral("--json")});
    QCOMPARE(r.code, 1);
    const QJsonObject report = QJsonDocument::fromJson(r.out.trimmed()).object();
    QCOMPARE(report.value(QStringLiteral("ok")).toBool(), false);
    QCOMPARE(report.value(QStringLiteral("firstBadSeq")).toInt(), 14);
}

void tst_CliStore::refusesATamperedRecord()
{
    const QString data = m_dir->path();
    const Run r = cli({QStringLiteral("store"), QStringLiteral("import"), QStringLiteral("--data"), data,
                       fixture(QStringLiteral("chains/printer-session-tampered-seq6.jsonl"))});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("chain broken at seq 6"), r.err.constData());
    QVERIFY(r.err.contains("nothing imported"));
    const Run list = cli({QStringLiteral("store"), QStringLiteral("sessions"), QStringLiteral("--data"), data});
    QCOMPARE(list.code, 1); // the store was never even created
    QVERIFY(list.err.contains("does not exist"));
}

void tst_CliStore::refusesMalformedInput()
{
    const Run r = cli({QStringLiteral("store"), QStringLiteral("import"), QStringLiteral("--data"), m_dir->path(),
                       fixture(QStringLiteral("events/broken/exitcode-string.json"))});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("exitcode-string.json:1: body.exitCode: expected an integer, found a string"),
             r.err.constData());
}

void tst_CliStore::brokenStoreFileIsAClearError()
{
    QVERIFY(QFile::copy(fixture(QStringLiteral("store/not-a-database.db")), m_dir->filePath(QStringLiteral("casefile.db"))));
    const Run r = cli({QStringLiteral("store"), QStringLiteral("sessions"), QStringLiteral("--data"), m_dir->path()});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("is not a Casefile store: it is not an SQLite database"), r.err.constData());
}

void tst_CliStore::usageErrors()
{
    QCOMPARE(cli({}).code, 2);
    QCOMPARE(cli({QStringLiteral("frobnicate")}).code, 2);
    Run r = cli({QStringLiteral("store"), QStringLiteral("events"), QStringLiteral("--data"), m_dir->path()});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("--session"));
    r = cli({QStringLiteral("--version")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith("casefile-cli "));
}

QTEST_GUILESS_MAIN(tst_CliStore)
#include "tst_CliStore.moc"
