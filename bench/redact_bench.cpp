// Redaction scan throughput: TranscriptScanner::scan on one thread over a ~100 MB transcript
// built from the realistic outputs in tests/data/redact (names, hosts, addresses and keys varied
// so no two blocks are the same), then over adversarial input (1 MB runs of one character or
// one short pattern). MB are 10^6 bytes of UTF-8 input; the UTF-8 → UTF-16 conversion is timed
// on its own and is not part of the scan figure.
#include "redact/TranscriptScanner.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using namespace casefile;

namespace {

// The best of `runs` scans (the machine is shared: the best run is the least disturbed one).
struct Timing
{
    double seconds = 0;
    qsizetype findings = 0;
};

Timing timeScan(const QString &text, int runs)
{
    Timing best{1e300, 0};
    for (int r = 0; r < runs; ++r) {
        QElapsedTimer t;
        t.start();
        const QList<Finding> findings = TranscriptScanner::scan(text);
        best.seconds = std::min(best.seconds, t.nsecsElapsed() / 1e9);
        best.findings = findings.size();
    }
    return best;
}

QByteArray transcript(qsizetype bytes)
{
    QList<QByteArray> templates;
    const QDir dir(QStringLiteral(CASEFILE_REDACT_FIXTURES));
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
        if (name.endsWith(QLatin1String(".expected")))
            continue;
        QFile f(dir.filePath(name));
        if (f.open(QIODevice::ReadOnly))
            templates << f.readAll();
    }
    if (templates.isEmpty())
        qFatal("no fixtures in %s", CASEFILE_REDACT_FIXTURES);
    // Values that vary from block to block, so pseudonyms and the address checks see many.
    QRandomGenerator random(20260311);
    const auto octet = [&random] { return QByteArray::number(random.bounded(1, 255)); };
    QByteArray out;
    out.reserve(bytes + 64 * 1024);
    qsizetype block = 0;
    while (out.size() < bytes) {
        const QByteArray n = QByteArray::number(block);
        QByteArray t = templates[block % templates.size()];
        t.replace("jsmith", QByteArray("u" + n));
        t.replace("PC-FRONTDESK", QByteArray("PC-" + n));
        t.replace("FILESRV01", QByteArray("FS" + n));
        t.replace("contoso", QByteArray("client" + n));
        t.replace("web01", QByteArray("web" + n));
        t.replace("alice", QByteArray("staff" + n));
        t.replace("John Smith", QByteArray("Person " + n));
        t.replace("10.20.30.41", QByteArray("10." + octet() + '.' + octet() + '.' + octet()));
        t.replace("203.0.113.45", QByteArray("203.0." + octet() + '.' + octet()));
        out += t;
        ++block;
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto option = [&args](const char *name, qsizetype fallback) {
        const qsizetype i = args.indexOf(QString::fromLatin1(name));
        return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toLongLong() : fallback;
    };
    const qsizetype megabytes = option("--mb", 100);
    const int runs = int(option("--runs", 3)); // best of
    const bool realisticOnly = args.contains(QStringLiteral("--realistic-only")); // for perf
    QTextStream out(stdout);

    const QByteArray utf8 = transcript(megabytes * 1000 * 1000);
    QElapsedTimer convert;
    convert.start();
    const QString text = QString::fromUtf8(utf8);
    const double convertSeconds = convert.nsecsElapsed() / 1e9;
    const double mb = utf8.size() / 1e6;
    const Timing normal = timeScan(text, runs);
    const double normalRate = mb / normal.seconds;
    out << QStringLiteral("realistic transcript: %1 MB, %2 findings, scan %3 s = %4 MB/s (UTF-8 decode %5 MB/s)\n")
               .arg(mb, 0, 'f', 1)
               .arg(normal.findings)
               .arg(normal.seconds, 0, 'f', 3)
               .arg(normalRate, 0, 'f', 1)
               .arg(mb / convertSeconds, 0, 'f', 0);
    if (realisticOnly)
        return 0;

    const int n = 1000 * 1000;
    const QList<QPair<QString, QString>> adversarial = {
        {QStringLiteral("'a'"), QString(n, u'a')},
        {QStringLiteral("'\\\\'"), QString(n, u'\\')},
        {QStringLiteral("'@'"), QString(n, u'@')},
        {QStringLiteral("'-'"), QString(n, u'-')},
        {QStringLiteral("digits and dots"), QStringLiteral("1.").repeated(n / 2)},
        {QStringLiteral("digits"), QString(n, u'7')},
        {QStringLiteral("hex run"), QStringLiteral("0123456789abcdef").repeated(n / 16)},
        {QStringLiteral("hex pairs"), QStringLiteral("ab-").repeated(n / 3)},
        {QStringLiteral("'+1'"), QStringLiteral("+1").repeated(n / 2)},
        {QStringLiteral("'(555'"), QStringLiteral("(555").repeated(n / 4)},
        {QStringLiteral("'password='"), QStringLiteral("password=;").repeated(n / 10)},
        {QStringLiteral("'Host Name:\\n'"), QStringLiteral("Host Name:\n").repeated(n / 11)},
        {QStringLiteral("'a.'"), QStringLiteral("a.").repeated(n / 2)},
        {QStringLiteral("'a@b.'"), QStringLiteral("a@b.").repeated(n / 4)},
    };
    double worst = 1e300;
    for (const auto &[name, input] : adversarial) {
        const Timing t = timeScan(input, 5);
        const double rate = input.size() / 1e6 / t.seconds; // ASCII: one byte per character
        worst = std::min(worst, rate);
        out << QStringLiteral("adversarial %1: 1 MB, %2 findings, %3 ms = %4 MB/s\n")
                   .arg(name, -18)
                   .arg(t.findings)
                   .arg(t.seconds * 1e3, 0, 'f', 2)
                   .arg(rate, 0, 'f', 1);
    }
    out << QStringLiteral("slowest adversarial / realistic: %1\n").arg(worst / normalRate, 0, 'f', 2);
    return 0;
}
