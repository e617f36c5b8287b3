#include "TestEvents.h"
#include "snapshot/SnapshotDocument.h"
#include "snapshot/SnapshotPackage.h"

#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace casefile;

// The real casefile-cli verify on snapshot files made with the server's own code: what it
// prints, and that a changed byte anywhere fails it.
class tst_CliVerify : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void verifiesAndSaysWhatItCovers();
    void keyOptions();
    void anyChangedByteFails();
    void saysWhereTheChangeIs();
    void usage();

private:
    struct Run
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };
    Run cli(const QStringList &args);
    QString write(const QString &name, const QByteArray &bytes);

    QTemporaryDir m_dir;
    SnapshotSigner m_signer = SnapshotSigner::generate();
    QByteArray m_bytes;
    QString m_file;
};

tst_CliVerify::Run tst_CliVerify::cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(CASEFILE_CLI), args);
    Run r;
    if (!p.waitForFinished(30000))
        return r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString tst_CliVerify::write(const QString &name, const QByteArray &bytes)
{
    QFile f(m_dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return f.fileName();
}

void tst_CliVerify::initTestCase()
{
    // The printer session of tests/data, sealed, redacted with every finding accepted.
    const QList<Event> events = TestEvents::printerSession();
    QVERIFY(events.size() > 5);
    SnapshotPackage package;
    package.addSession(events);
    RedactionPlan plan;
    plan.setAcceptAll(true);
    QVERIFY(package.scan(plan));
    const auto result = package.apply(plan);
    SnapshotDocument::Meta meta;
    meta.id = Event::newId();
    meta.org = Event::newId();
    meta.title = QStringLiteral("Printer handoff");
    meta.summary = QStringLiteral("Spooler restarted; queue drains.");
    meta.audience = QStringLiteral("link");
    meta.publishedAt = QStringLiteral("2026-11-22T06:00:00.000Z");
    meta.expiresAt = QStringLiteral("2099-01-01T00:00:00.000Z");
    meta.publisher = {{QStringLiteral("id"), Event::newId()}, {QStringLiteral("name"), QStringLiteral("Rita Reviewer")}};
    m_bytes = SnapshotDocument::encode(SnapshotDocument::sign(SnapshotDocument::build(meta, {events}, result), m_signer));
    m_file = write(QStringLiteral("printer.casefile"), m_bytes);
    QVERIFY(!m_file.isEmpty());
}

void tst_CliVerify::verifiesAndSaysWhatItCovers()
{
    const Run r = cli({QStringLiteral("verify"), m_file});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY(r.out.startsWith("verified: "));
    QVERIFY(r.out.contains("\"Printer handoff\""));
    QVERIFY(r.out.contains("by Rita Reviewer"));
    QVERIFY(r.out.contains("2099-01-01"));
    QVERIFY(r.out.contains("audience   link"));
    const QJsonObject snapshot = QJsonDocument::fromJson(m_bytes).object().value(QStringLiteral("snapshot")).toObject();
    const int events = int(snapshot.value(QStringLiteral("sessions")).toArray().at(0).toObject().value(QStringLiteral("events")).toArray().size());
    QVERIFY(r.out.contains(QStringLiteral("sessions   1 with %1 events").arg(events).toUtf8()));

    // Without --key it says plainly that who signed was not checked, and with which key.
    const QString named = QJsonDocument::fromJson(m_bytes)
                              .object()
                              .value(QStringLiteral("signature"))
                              .toObject()
                              .value(QStringLiteral("publicKey"))
                              .toString();
    QVERIFY(r.out.contains(QStringLiteral("key        %1 — named by the file itself, NOT checked")
                               .arg(named)
                               .toUtf8()));

    const Run json = cli({QStringLiteral("verify"), m_file, QStringLiteral("--json")});
    QCOMPARE(json.code, 0);
    const QJsonObject o = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(o.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(o.value(QStringLiteral("keyChecked")).toBool(true), false);
    QCOMPARE(o.value(QStringLiteral("publicKey")).toString(), named);
    QCOMPARE(o.value(QStringLiteral("events")).toInt(), events);
    QCOMPARE(o.value(QStringLiteral("expired")).toBool(), false);
    QCOMPARE(o.value(QStringLiteral("redaction")).toObject().value(QStringLiteral("redacted")),
             snapshot.value(QStringLiteral("redaction")).toObject().value(QStringLiteral("redacted")));
}

void tst_CliVerify::keyOptions()
{
    const QString good = QString::fromLatin1(m_signer.publicKey().toBase64());
    const Run checked = cli({QStringLiteral("verify"), m_file, QStringLiteral("--key"), good});
    QCOMPARE(checked.code, 0);
    QVERIFY(checked.out.contains(
        QStringLiteral("key        %1 (the one given with --key)").arg(good).toUtf8()));
    QVERIFY(!checked.out.contains("NOT checked"));
    const Run checkedJson = cli({QStringLiteral("verify"), m_file, QStringLiteral("--key"), good,
                                 QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(checkedJson.out)
                 .object()
                 .value(QStringLiteral("keyChecked"))
                 .toBool(),
             true);
    // The /.well-known JSON saved to a file works too.
    const QString wellKnown = write(QStringLiteral("key.json"),
                                    QJsonDocument(QJsonObject{{QStringLiteral("alg"), QStringLiteral("Ed25519")},
                                                              {QStringLiteral("publicKey"), good}})
                                        .toJson());
    QCOMPARE(cli({QStringLiteral("verify"), m_file, QStringLiteral("--key"), wellKnown}).code, 0);
    // Another key: the file names its own signer, which is not the one expected.
    const QString other = QString::fromLatin1(SnapshotSigner::generate().publicKey().toBase64());
    const Run r = cli({QStringLiteral("verify"), m_file, QStringLiteral("--key"), other});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("another key"));
    QCOMPARE(cli({QStringLiteral("verify"), m_file, QStringLiteral("--key"), QStringLiteral("not-base64!")}).code, 2);
}

void tst_CliVerify::anyChangedByteFails()
{
    // Not every byte (a full sweep takes minutes of process starts): a random sample, plus the
    // first and last byte, each changed to another value — every one must fail.
    const quint32 seed = QRandomGenerator::global()->generate();
    QRandomGenerator rng(seed);
    QList<qsizetype> positions{0, m_bytes.size() - 1};
    for (int i = 0; i < 60; ++i)
        positions.append(qsizetype(rng.bounded(quint32(m_bytes.size()))));
    for (const qsizetype at : std::as_const(positions)) {
        QByteArray changed = m_bytes;
        char c = changed.at(at);
        do
            c = char(rng.bounded(32, 127));
        while (c == changed.at(at));
        changed[at] = c;
        const Run r = cli({QStringLiteral("verify"), write(QStringLiteral("changed.casefile"), changed)});
        QVERIFY2(r.code == 1, qPrintable(QStringLiteral("seed %1: byte %2 changed to '%3' still verifies")
                                             .arg(seed)
                                             .arg(at)
                                             .arg(QLatin1Char(c))));
        QVERIFY(r.err.contains("NOT verified"));
    }
    // A byte added or removed.
    QCOMPARE(cli({QStringLiteral("verify"), write(QStringLiteral("longer.casefile"), m_bytes + ' ')}).code, 1);
    QCOMPARE(cli({QStringLiteral("verify"), write(QStringLiteral("shorter.casefile"), m_bytes.chopped(1))}).code, 1);
}

void tst_CliVerify::saysWhereTheChangeIs()
{
    QByteArray title = m_bytes;
    title.replace("\"title\":\"Printer handoff\"", "\"title\":\"Printer handofF\"");
    Run r = cli({QStringLiteral("verify"), write(QStringLiteral("title.casefile"), title)});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("changed after signing: title"), r.err.constData());

    // An output byte: the part, and the event whose hash no longer fits.
    QByteArray output = m_bytes;
    const qsizetype data = output.indexOf("\"data\":\"") + 9;
    output[data] = output.at(data) == 'x' ? 'y' : 'x';
    r = cli({QStringLiteral("verify"), write(QStringLiteral("output.casefile"), output)});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("sessions[0]"), r.err.constData());
    QVERIFY2(r.err.contains("chain broken at seq"), r.err.constData());

    // Same values, other bytes: the offset of the first difference.
    QByteArray spaced = m_bytes;
    const qsizetype comma = spaced.indexOf(",\"format\"");
    spaced.insert(comma + 1, ' ');
    r = cli({QStringLiteral("verify"), write(QStringLiteral("spaced.casefile"), spaced)});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("byte %1:").arg(comma + 1).toUtf8()), r.err.constData());

    r = cli({QStringLiteral("verify"), write(QStringLiteral("text.casefile"), "hello")});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("not a snapshot"));
}

void tst_CliVerify::usage()
{
    QCOMPARE(cli({QStringLiteral("verify")}).code, 2);
    QCOMPARE(cli({QStringLiteral("verify"), m_dir.filePath(QStringLiteral("missing"))}).code, 2);
}

QTEST_MAIN(tst_CliVerify)
#include "tst_CliVerify.moc"
