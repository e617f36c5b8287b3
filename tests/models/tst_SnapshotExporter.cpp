#include "SnapshotExporter.h"
#include "TestEvents.h"
#include "events/bodies/ChatMessageBody.h"
#include "events/HashChain.h"
#include "snapshot/SnapshotDocument.h"
#include "snapshot/SnapshotPackage.h"

#include <QImage>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace casefile;

// Exports of a real signed snapshot: the signed JSON verifies (and a changed byte does not),
// the HTML and PDF hold none of the redacted values and render — the PDF turned into PNGs by
// pdftoppm, the HTML in headless Chromium.
class tst_SnapshotExporter : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void signedJsonVerifiesAndTamperingIsCaught();
    void htmlHoldsNoRedactedValueAndRenders();
    void pdfHoldsNoRedactedValueAndRenders();
    void progressAndCancel();
    void refusesWhatDoesNotVerify();

private:
    static QByteArray run(const QString &program, const QStringList &args, int *code = nullptr);

    QTemporaryDir m_dir;
    QByteArray m_signed;
    QStringList m_redacted;
};

QByteArray tst_SnapshotExporter::run(const QString &program, const QStringList &args, int *code)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(120000))
        return {};
    if (code)
        *code = p.exitCode();
    return p.readAllStandardOutput();
}

void tst_SnapshotExporter::initTestCase()
{
    QList<Event> events = TestEvents::printerSession();
    QString prev = events.last().hash;
    // A long chat with personal data and markup, so the export spans several pages.
    const QString session = events.first().session;
    for (int i = 0; i < 120; ++i) {
        Event e = Event::make(session, TestEvents::technician(),
                              ChatMessageBody{QStringLiteral("line %1: jsmith@contoso.com called from 10.20.30.%2 "
                                                             "<script>alert(%1)</script>")
                                                  .arg(i)
                                                  .arg(i % 200),
                                              {}});
        HashChain::seal(e, events.last().seq + 1, prev);
        prev = e.hash;
        events.append(e);
    }
    SnapshotPackage package;
    package.addSession(events);
    RedactionPlan plan;
    plan.setAcceptAll(true);
    QVERIFY(package.scan(plan));
    const auto result = package.apply(plan);
    m_redacted = result.redactedValues;
    QVERIFY(m_redacted.contains(QStringLiteral("jsmith")));
    SnapshotDocument::Meta meta;
    meta.id = Event::newId();
    meta.org = Event::newId();
    meta.title = QStringLiteral("Printer handoff");
    meta.audience = QStringLiteral("link");
    meta.publishedAt = QStringLiteral("2026-11-22T06:00:00.000Z");
    meta.expiresAt = QStringLiteral("2026-11-29T06:00:00.000Z");
    meta.publisher = {{QStringLiteral("id"), Event::newId()}, {QStringLiteral("name"), QStringLiteral("Rita Reviewer")}};
    m_signed = SnapshotDocument::encode(
        SnapshotDocument::sign(SnapshotDocument::build(meta, {events}, result), SnapshotSigner::generate()));
}

void tst_SnapshotExporter::signedJsonVerifiesAndTamperingIsCaught()
{
    const QString path = m_dir.filePath(QStringLiteral("handoff.casefile"));
    QCOMPARE(SnapshotExporter::formatFor(path), SnapshotExporter::Format::Signed);
    QString error;
    QVERIFY2(SnapshotExporter::write(m_signed, SnapshotExporter::Format::Signed, path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray bytes = f.readAll();
    QCOMPARE(bytes, m_signed);
    QVERIFY(SnapshotDocument::verify(bytes).ok);
    bytes[bytes.indexOf("Printer handoff")] = 'p';
    const auto v = SnapshotDocument::verify(bytes);
    QVERIFY(!v.ok);
    QVERIFY2(v.error.contains(QStringLiteral("title")), qPrintable(v.error));
}

void tst_SnapshotExporter::htmlHoldsNoRedactedValueAndRenders()
{
    const QString path = m_dir.filePath(QStringLiteral("handoff.html"));
    QString error;
    QVERIFY2(SnapshotExporter::write(m_signed, SnapshotExporter::formatFor(path), path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray html = f.readAll().toLower();
    for (const QString &value : std::as_const(m_redacted))
        QVERIFY2(!html.contains(value.toLower().toUtf8()), qPrintable(value));
    QVERIFY(html.contains("&lt;script&gt;alert(7)&lt;/script&gt;"));

    const QString chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
    if (chromium.isEmpty())
        QSKIP("chromium is not installed (scripts/install-deps installs it)");
    QTemporaryDir profile;
    const QByteArray dom = run(chromium, {QStringLiteral("--headless"), QStringLiteral("--no-sandbox"),
                                          QStringLiteral("--disable-gpu"), QStringLiteral("--user-data-dir=") + profile.path(),
                                          QStringLiteral("--dump-dom"), QUrl::fromLocalFile(path).toString()});
    QVERIFY(dom.contains("<h1>Printer handoff</h1>"));
    QVERIFY(dom.contains("line 119: &lt;USER_1&gt;@"));
    QVERIFY(!dom.toLower().contains("<script"));
}

void tst_SnapshotExporter::pdfHoldsNoRedactedValueAndRenders()
{
    const QString pdftoppm = QStandardPaths::findExecutable(QStringLiteral("pdftoppm"));
    const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
    if (pdftoppm.isEmpty() || pdftotext.isEmpty())
        QSKIP("poppler-utils is not installed (scripts/install-deps installs it)");
    const QString path = m_dir.filePath(QStringLiteral("handoff.pdf"));
    QString error;
    int pagesSeen = 0;
    QVERIFY2(SnapshotExporter::write(m_signed, SnapshotExporter::formatFor(path), path, &error,
                                     [&](int, int total) {
                                         pagesSeen = total;
                                         return true;
                                     }),
             qPrintable(error));
    QVERIFY(pagesSeen >= 2);
    int code = -1;
    // NFKC: pdftotext gives ligatures ("ﬀ") as single characters.
    const QString text = QString::fromUtf8(run(pdftotext, {path, QStringLiteral("-")}, &code)).normalized(QString::NormalizationForm_KC);
    QCOMPARE(code, 0);
    QVERIFY2(text.contains(QStringLiteral("Printer handoff")), qPrintable(text.left(600)));
    QVERIFY(text.contains(QStringLiteral("<USER_1>")));
    QVERIFY(text.contains(QStringLiteral("page %1 of %1").arg(pagesSeen)));
    for (const QString &value : std::as_const(m_redacted))
        QVERIFY2(!text.contains(value, Qt::CaseInsensitive), qPrintable(value));

    const QString prefix = m_dir.filePath(QStringLiteral("page"));
    run(pdftoppm, {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("40"), path, prefix}, &code);
    QCOMPARE(code, 0);
    const QStringList pngs = QDir(m_dir.path()).entryList({QStringLiteral("page-*.png")}, QDir::Files, QDir::Name);
    QCOMPARE(pngs.size(), pagesSeen);
    const QImage first(m_dir.filePath(pngs.first()));
    QVERIFY(!first.isNull());
    QVERIFY(first.height() > first.width()); // A4, portrait
    int dark = 0;
    for (int y = 0; y < first.height(); y += 2)
        for (int x = 0; x < first.width(); x += 2)
            dark += qGray(first.pixel(x, y)) < 128;
    QVERIFY2(dark > 100, "the first page has text on it");
}

void tst_SnapshotExporter::progressAndCancel()
{
    const QString path = m_dir.filePath(QStringLiteral("cancelled.pdf"));
    QString error;
    int calls = 0;
    QVERIFY(!SnapshotExporter::write(m_signed, SnapshotExporter::Format::Pdf, path, &error, [&](int done, int) {
        ++calls;
        return done < 1; // cancel on the second page
    }));
    QCOMPARE(calls, 2);
    QVERIFY(error.contains(QStringLiteral("cancelled")));
    QVERIFY(!QFile::exists(path));
    QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
}

void tst_SnapshotExporter::refusesWhatDoesNotVerify()
{
    QByteArray changed = m_signed;
    changed.replace("Rita Reviewer", "Rita Reviewed");
    for (const auto format : {SnapshotExporter::Format::Signed, SnapshotExporter::Format::Html, SnapshotExporter::Format::Pdf}) {
        const QString path = m_dir.filePath(QStringLiteral("bad.") + SnapshotExporter::suffix(format));
        QString error;
        QVERIFY(!SnapshotExporter::write(changed, format, path, &error));
        QVERIFY2(error.contains(QStringLiteral("does not verify")), qPrintable(error));
        QVERIFY(!QFile::exists(path));
    }
}

QTEST_MAIN(tst_SnapshotExporter)
#include "tst_SnapshotExporter.moc"
