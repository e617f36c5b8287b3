#include "ProcessProbe.h"
#include "agent/CommandRunner.h"
#include "agent/OsUser.h"
#include "events/JsonParser.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/types.h>

using namespace casefile;

namespace {

struct Chunk
{
    QString stream;
    qint64 index = -1;
    QString data;
    qint64 atMs = 0; // since start()
    QByteArray bytes; // as emitted
};

// Everything one runner emitted, and whether it kept its promises about order.
struct Recording
{
    int startedCount = 0;
    qint64 pid = 0;
    QString user;
    QList<Chunk> chunks;
    int finishedCount = 0;
    QString status;
    std::optional<int> exitCode;
    qint64 durationMs = -1;
    QString error;
    QStringList violations;
    QElapsedTimer clock;

    QString text(const QString &stream) const
    {
        QString all;
        for (const Chunk &c : chunks) {
            if (c.stream == stream)
                all += c.data;
        }
        return all;
    }
    QString out() const { return text(QStringLiteral("stdout")); }
    QString err() const { return text(QStringLiteral("stderr")); }
};

void record(CommandRunner &runner, Recording &rec)
{
    QObject::connect(&runner, &CommandRunner::started, &runner,
                     [&rec](qint64 pid, const QString &user) {
                         if (rec.finishedCount > 0)
                             rec.violations << QStringLiteral("started after finished");
                         ++rec.startedCount;
                         rec.pid = pid;
                         rec.user = user;
                     });
    QObject::connect(
        &runner, &CommandRunner::output, &runner,
        [&rec](const QString &stream, qint64 chunk, const QByteArray &data) {
            if (rec.finishedCount > 0)
                rec.violations << QStringLiteral("output after finished");
            if (rec.startedCount == 0)
                rec.violations << QStringLiteral("output before started");
            if (!JsonParser::isValidUtf8(data))
                rec.violations << QStringLiteral("chunk %1 is not valid UTF-8").arg(chunk);
            // A leading byte order mark is output too (fromUtf8 drops it).
            QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
            rec.chunks.append({stream, chunk, utf8(data), rec.clock.elapsed(), data});
        });
    QObject::connect(&runner, &CommandRunner::finished, &runner,
                     [&rec](const QString &status, std::optional<int> exitCode, qint64 durationMs,
                            const QString &error) {
                         ++rec.finishedCount;
                         rec.status = status;
                         rec.exitCode = exitCode;
                         rec.durationMs = durationMs;
                         rec.error = error;
                     });
}

// Chunk numbers must be 0, 1, 2 … in emission order across both streams, and no chunk may
// exceed the size limit or be empty.
void checkChunks(const Recording &rec)
{
    for (int i = 0; i < rec.chunks.size(); ++i) {
        QCOMPARE(rec.chunks[i].index, qint64(i));
        QVERIFY(!rec.chunks[i].data.isEmpty());
        QVERIFY2(
            rec.chunks[i].bytes.size() <= CommandRunner::maxChunkBytes,
            qPrintable(
                QStringLiteral("chunk %1 has %2 bytes").arg(i).arg(rec.chunks[i].bytes.size())));
        QVERIFY(rec.chunks[i].stream == QLatin1String("stdout") ||
                rec.chunks[i].stream == QLatin1String("stderr"));
    }
}

QList<qint64> pidsAfter(const QString &text, const QString &label)
{
    QList<qint64> pids;
    const QRegularExpression re(QStringLiteral("(?:^|\n)") + label + QStringLiteral(" (\\d+)"));
    for (auto it = re.globalMatch(text); it.hasNext();)
        pids.append(it.next().captured(1).toLongLong());
    return pids;
}

// The runner's shell starts a child shell, which starts `sleep 30`: child and grandchild.
const QString treeCommand =
    QStringLiteral("sh -c 'sleep 30 & echo grandchild $!; wait' & echo child $!; wait");

} // namespace

class tst_CommandRunner : public QObject
{
    Q_OBJECT

private slots:
    void hundredThousandLinesArriveCompleteAndInOrder();
    void outputIsCoalescedAndFlushedOnTime();
    void stderrIsKeptSeparate();
    void exitCodes_data();
    void exitCodes();
    void durationIsPlausible();
    void multiByteCharacterSplitAcrossWrites_data();
    void multiByteCharacterSplitAcrossWrites();
    void chunkLimitNeverSplitsACharacter();
    void invalidBytesBecomeReplacementCharacters();
    void startedReportsPidUserAndOwnSession();
    void stdinIsClosed();
    void commandPrintsAheadWhileTheAgentIsBusy();
    void signalsTheAgentIgnoresAreDefaultInCommands();
    void workingDirectory();
    void crashIsReported();
    void timeoutKillsTheWholeTree_data();
    void timeoutKillsTheWholeTree();
    void cancelKillsTheWholeTree();
    void childInItsOwnProcessGroupIsKilledToo();
    void cancelBeforeStartedIsCarriedOut();
    void cancelAfterFinishedChangesNothing();
    void destroyingARunnerKillsItsTree();
    void missingOrUnknownShellFails_data();
    void missingOrUnknownShellFails();

private:
    // Runs to the end and checks the promises every run must keep.
    void runToEnd(CommandRunner &runner, Recording &rec, const QString &shell, const QString &text,
                  std::optional<qint64> timeoutMs = std::nullopt, int waitMs = 30000);
};

void tst_CommandRunner::runToEnd(CommandRunner &runner, Recording &rec, const QString &shell,
                                 const QString &text, std::optional<qint64> timeoutMs, int waitMs)
{
    record(runner, rec);
    rec.clock.start();
    runner.start(QStringLiteral("0b8e4f27-c61a-4d93-9e52-f7a3b1d6c084"), shell, text, timeoutMs);
    QCOMPARE(rec.finishedCount, 0); // never from inside start()
    QTRY_VERIFY_WITH_TIMEOUT(rec.finishedCount > 0, waitMs);
    QTest::qWait(150); // anything late would show up now
    QCOMPARE(rec.finishedCount, 1);
    QVERIFY2(rec.violations.isEmpty(), qPrintable(rec.violations.join(QLatin1String(", "))));
    QVERIFY(!runner.isActive());
    checkChunks(rec);
}

void tst_CommandRunner::hundredThousandLinesArriveCompleteAndInOrder()
{
    CommandRunner runner;
    Recording rec;
    runToEnd(runner, rec, QStringLiteral("sh"), QStringLiteral("seq -f 'line %.0f' 0 99999"));
    QCOMPARE(rec.status, QStringLiteral("exited"));
    QCOMPARE(rec.exitCode, std::optional<int>(0));
    QVERIFY(rec.err().isEmpty());

    const QString out = rec.out();
    QVERIFY(out.endsWith(QLatin1Char('\n')));
    const QStringList lines = out.left(out.size() - 1).split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 100000);
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i] != QStringLiteral("line %1").arg(i))
            QFAIL(qPrintable(QStringLiteral("line %1 is \"%2\"").arg(i).arg(lines[i])));
    }
    // About 1.1 MB: more than one chunk, none above the limit (checkChunks), and full chunks
    // where the output came faster than it was sent.
    QVERIFY(rec.chunks.size() >= out.toUtf8().size() / CommandRunner::maxChunkBytes);
    QVERIFY(rec.chunks.size() > 1);
}

void tst_CommandRunner::outputIsCoalescedAndFlushedOnTime()
{
    // Twenty writes 10 ms apart. A chunk goes out 50 ms after its first byte, and the next one
    // starts collecting only then, so two chunks are never closer than that, however fast or
    // slow the machine is; only the last one, flushed at exit, may come sooner.
    {
        CommandRunner runner;
        Recording rec;
        runToEnd(runner, rec, QStringLiteral("sh"),
                 QStringLiteral("for i in $(seq 1 20); do echo $i; sleep 0.01; done"));
        QCOMPARE(rec.out().count(QLatin1Char('\n')), 20);
        QVERIFY(rec.chunks.size() >= 2);
        for (int i = 1; i < rec.chunks.size() - 1; ++i) {
            const qint64 gap = rec.chunks[i].atMs - rec.chunks[i - 1].atMs;
            QVERIFY2(gap >= CommandRunner::flushIntervalMs - 5,
                     qPrintable(QStringLiteral("chunks %1 and %2 only %3 ms apart")
                                    .arg(i - 1)
                                    .arg(i)
                                    .arg(gap)));
        }
        QVERIFY2(rec.chunks.size() < 20, qPrintable(QString::number(rec.chunks.size())));
    }
    // A pause longer than the flush interval: the first chunk goes out while the command is
    // still running, not at its end.
    {
        CommandRunner runner;
        Recording rec;
        runToEnd(runner, rec, QStringLiteral("sh"), QStringLiteral("echo a; sleep 1; echo b"));
        QCOMPARE(rec.chunks.size(), 2);
        QCOMPARE(rec.chunks[0].data, QStringLiteral("a\n"));
        QCOMPARE(rec.chunks[1].data, QStringLiteral("b\n"));
        QVERIFY2(
            rec.chunks[0].atMs < rec.chunks[1].atMs - 500,
            qPrintable(
                QStringLiteral("%1 ms, %2 ms").arg(rec.chunks[0].atMs).arg(rec.chunks[1].atMs)));
    }
}

void tst_CommandRunner::stderrIsKeptSeparate()
{
    CommandRunner runner;
    Recording rec;
    runToEnd(runner, rec, QStringLiteral("sh"),
             QStringLiteral("echo out1; echo err1 >&2; sleep 0.2; echo out2; echo err2 >&2"));
    QCOMPARE(rec.out(), QStringLiteral("out1\nout2\n"));
    QCOMPARE(rec.err(), QStringLiteral("err1\nerr2\n"));
    QSet<QString> streams;
    for (const Chunk &c : rec.chunks)
        streams.insert(c.stream);
    QCOMPARE(streams.size(), 2);
    QVERIFY(rec.chunks.size() >= 4); // the pause separates the two pairs of chunks
}

void tst_CommandRunner::exitCodes_data()
{
    QTest::addColumn<QString>("shell");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("sh 0") << QStringLiteral("sh") << QStringLiteral("true") << 0;
    QTest::newRow("sh 3") << QStringLiteral("sh") << QStringLiteral("exit 3") << 3;
    QTest::newRow("sh false") << QStringLiteral("sh") << QStringLiteral("false") << 1;
    QTest::newRow("bash 3") << QStringLiteral("bash") << QStringLiteral("(exit 3)") << 3;
    QTest::newRow("text starting with a dash")
        << QStringLiteral("sh") << QStringLiteral("-x") << 127;
}

void tst_CommandRunner::exitCodes()
{
    QFETCH(QString, shell);
    QFETCH(QString, text);
    QFETCH(int, exitCode);
    CommandRunner runner;
    Recording rec;
    runToEnd(runner, rec, shell, text);
    QCOMPARE(rec.status, QStringLiteral("exited"));
    QCOMPARE(rec.exitCode, std::optional<int>(exitCode));
    QVERIFY(rec.error.isEmpty());
}

void tst_CommandRunner::durationIsPlausible()
{
    CommandRunner runner;
    Recording rec;
    runToEnd(runner, rec, QStringLiteral("sh"), QStringLiteral("sleep 0.4"));
    QVERIFY2(rec.durationMs >= 380 && rec.durationMs < 5000,
             qPrintable(QString::number(rec.durationMs)));
    QVERIFY(rec.durationMs <= rec.clock.elapsed());
}

void tst_CommandRunner::multiByteCharacterSplitAcrossWrites_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    // The pause is longer than the flush interval, so a chunk is sent between the two halves.
    QTest::newRow("euro 2+1") << QStringLiteral(
                                     "printf 'x\\342\\202'; sleep 0.3; printf '\\254 y\\n'")
                              << QStringLiteral("x\u20ac y\n");
    QTest::newRow("emoji 1+3") << QStringLiteral(
                                      "printf '\\360'; sleep 0.3; printf '\\237\\230\\200!'")
                               << QString::fromUtf8("\xf0\x9f\x98\x80!");
    // A byte order mark is output like any other character, also at the start of a read.
    QTest::newRow("BOM kept")
        << QStringLiteral("printf '\\357\\273\\277a'; sleep 0.3; printf '\\357\\273\\277b'")
        << QStringLiteral("\ufeffa\ufeffb");
    QTest::newRow("stderr 1+1") << QStringLiteral(
                                       "printf '\\303' >&2; sleep 0.3; printf '\\251' >&2")
                                << QStringLiteral("\u00e9");
}

void tst_CommandRunner::multiByteCharacterSplitAcrossWrites()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    CommandRunner runner;
    Recording rec;
    runToEnd(runner, rec, QStringLiteral("sh"), text);
    QCOMPARE(rec.out() + rec.err(), expected);
    for (const Chunk &c : rec.chunks) {
        QVERIFY(!c.data.contains(QChar::ReplacementCharacter));
        QVERIFY(!c.data.back().isHighSurrogate());
    }
}

void tst_CommandRunner::chunkLimitNeverSplitsACharacter()
{
    // 30,000 three-byte characters in one burst: 64 KiB is not a multiple of 3, so the size
    // limit has to cut before a character, never inside it.
    CommandRunner runner;
    Recording rec;
    runToEnd(runner, rec, QStringLiteral("sh"),
             QStringLiteral("yes '\u20ac' | head -n 30000 | tr -d '\\n'; yes '\U0001F600' | head "
                            "-n 20000 | tr -d '\\n'"));
    const QString expected =
        QString(30000, QChar(0x20ac)) + QString::fromUtf8("\xf0\x9f\x98\x80").repeated(20000);
    QCOMPARE(rec.out().size(), expected.size());
    QVERIFY(rec.out() == expected);
    QVERIFY(rec.chunks.size() >= 3);
    for (const Chunk &c : rec.chunks) {
        QVERIFY(!c.data.contains(QChar::ReplacementCharacter));
        QVERIFY(!c.data.front().isLowSurrogate());
        QVERIFY(!c.data.back().isHighSurrogate());
    }
}

void tst_CommandRunner::invalidBytesBecomeReplacementCharacters()
{
    CommandRunner runner;
    Recording rec;
    // An invalid byte in the middle, and a character cut off by the end of the output.
    runToEnd(runner, rec, QStringLiteral("sh"),
             QStringLiteral("printf 'a\\377b\\n'; printf 'x\\342\\202'"));
    const QString out = rec.out();
    QVERIFY2(out.startsWith(QStringLiteral("a\ufffdb\nx\ufffd")), qPrintable(out));
    QVERIFY(out.mid(5).count(QChar::ReplacementCharacter) == out.size() - 5);

    // The start of a character, then (in a later read) bytes that do not continue it: the
    // start is invalid, and what follows must survive.
    CommandRunner second;
    Recording rec2;
    runToEnd(second, rec2, QStringLiteral("sh"),
             QStringLiteral("printf 'x\\342\\202'; sleep 0.3; printf 'AB\\n'"));
    QVERIFY2(rec2.out().startsWith(QStringLiteral("x\ufffd")), qPrintable(rec2.out()));
    QVERIFY2(rec2.out().endsWith(QStringLiteral("\ufffdAB\n")), qPrintable(rec2.out()));

    // What looks like UTF-8 and is not: an overlong '/', a surrogate, a code point past
    // U+10FFFF. Kept as bytes, any of them would make casefiled refuse the chunk.
    CommandRunner third;
    Recording rec3;
    runToEnd(third, rec3, QStringLiteral("sh"),
             QStringLiteral("printf '1\\300\\2572\\355\\240\\2003\\364\\220\\200\\2004\\n'"));
    QVERIFY2(rec3.violations.isEmpty(), qPrintable(rec3.violations.join(QLatin1Char('\n'))));
    QVERIFY2(rec3.out().startsWith(QStringLiteral("1\ufffd")), qPrintable(rec3.out()));
    QVERIFY2(rec3.out().endsWith(QStringLiteral("\ufffd4\n")), qPrintable(rec3.out()));
    QVERIFY(!rec3.out().contains(QLatin1Char('/')));
    for (const Chunk &c : rec3.chunks)
        QVERIFY(JsonParser::isValidUtf8(c.bytes));
}

void tst_CommandRunner::startedReportsPidUserAndOwnSession()
{
    CommandRunner runner;
    Recording rec;
    runToEnd(runner, rec, QStringLiteral("sh"),
             QStringLiteral("echo $$; id -un; cat /proc/$$/stat"));
    QCOMPARE(rec.startedCount, 1);
    const QStringList lines = rec.out().split(QLatin1Char('\n'));
    QVERIFY(lines.size() >= 3);
    QCOMPARE(lines[0].toLongLong(), rec.pid);
    QCOMPARE(rec.user, lines[1]);
    QCOMPARE(rec.user, OsUser::effectiveName());
    QCOMPARE(runner.pid(), rec.pid);
    // "pid (comm) state ppid pgrp session": the shell leads its own group and session.
    const QStringList fields =
        lines[2].mid(lines[2].lastIndexOf(QLatin1Char(')')) + 2).split(QLatin1Char(' '));
    QCOMPARE(fields.value(2).toLongLong(), rec.pid);
    QCOMPARE(fields.value(3).toLongLong(), rec.pid);
}

void tst_CommandRunner::stdinIsClosed()
{
    CommandRunner runner;
    Recording rec;
    // cat would wait forever on an open stdin.
    runToEnd(runner, rec, QStringLiteral("sh"), QStringLiteral("cat; echo done $?"), 10000);
    QCOMPARE(rec.status, QStringLiteral("exited"));
    QCOMPARE(rec.out(), QStringLiteral("done 0\n"));
}

void tst_CommandRunner::commandPrintsAheadWhileTheAgentIsBusy()
{
    QFile limit(QStringLiteral("/proc/sys/fs/pipe-max-size"));
    if (!limit.open(QIODevice::ReadOnly) ||
        limit.readAll().trimmed().toLongLong() < CommandRunner::pipeBytes)
        QSKIP("this system does not allow pipes of 1 MiB");
    QTemporaryDir dir;
    const QString printed = dir.filePath(QStringLiteral("printed"));
    CommandRunner runner;
    Recording rec;
    record(runner, rec);
    // 512 KiB of output, then a mark that it was all written.
    runner.start(QStringLiteral("0b8e4f27-c61a-4d93-9e52-f7a3b1d6c084"), QStringLiteral("sh"),
                 QStringLiteral("head -c 524288 /dev/zero | tr '\\0' x; touch ") + printed);
    // The agent's event loop is busy (recording, sending) and reads nothing meanwhile: the
    // command prints on into its pipe instead of waiting at every 64 KiB.
    QElapsedTimer busy;
    busy.start();
    while (!QFile::exists(printed) && busy.elapsed() < 10000)
        QThread::msleep(50);
    QVERIFY2(QFile::exists(printed), "the command waited for the agent to read its output");
    QTRY_VERIFY_WITH_TIMEOUT(rec.finishedCount > 0, 15000);
    QCOMPARE(rec.status, QStringLiteral("exited"));
    QCOMPARE(rec.out(), QString(524288, QLatin1Char('x')));
}

// The agent ignores SIGPIPE and SIGXFSZ for itself; an ignored signal would stay ignored in
// every command it starts (`yes | head` would end with "Broken pipe" errors).
void tst_CommandRunner::signalsTheAgentIgnoresAreDefaultInCommands()
{
    const auto previousPipe = std::signal(SIGPIPE, SIG_IGN);
    const auto previousFsize = std::signal(SIGXFSZ, SIG_IGN);
    CommandRunner runner;
    Recording rec;
    // The mask of ignored signals of the process reading its own status: bit n-1 is signal n.
    runToEnd(runner, rec, QStringLiteral("sh"),
             QStringLiteral("grep SigIgn /proc/self/status; yes | head -n 1"), 10000);
    std::signal(SIGPIPE, previousPipe);
    std::signal(SIGXFSZ, previousFsize);
    QCOMPARE(rec.status, QStringLiteral("exited"));
    const QStringList lines = rec.out().split(QLatin1Char('\n'));
    QVERIFY2(lines.size() >= 2 && lines.at(0).startsWith(QLatin1String("SigIgn:")),
             qPrintable(rec.out()));
    bool ok = false;
    const quint64 ignored = lines.at(0).mid(7).trimmed().toULongLong(&ok, 16);
    QVERIFY(ok);
    QCOMPARE(ignored & (quint64(1) << (SIGPIPE - 1)), quint64(0));
    QCOMPARE(ignored & (quint64(1) << (SIGXFSZ - 1)), quint64(0));
    QCOMPARE(lines.at(1), QStringLiteral("y"));
    QCOMPARE(rec.err(), QString()); // no "yes: standard output: Broken pipe"
}

void tst_CommandRunner::workingDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    CommandRunner runner;
    runner.setWorkingDirectory(dir.path());
    QCOMPARE(runner.workingDirectory(), QDir(dir.path()).absolutePath());
    Recording rec;
    runToEnd(runner, rec, QStringLiteral("sh"), QStringLiteral("pwd -P"));
    QCOMPARE(rec.out().trimmed(), QDir(dir.path()).canonicalPath());

    CommandRunner defaultRunner;
    QCOMPARE(defaultRunner.workingDirectory(), QDir::currentPath());
}

void tst_CommandRunner::crashIsReported()
{
    CommandRunner runner;
    Recording rec;
    runToEnd(runner, rec, QStringLiteral("sh"), QStringLiteral("echo before; kill -SEGV $$"));
    QCOMPARE(rec.status, QStringLiteral("crashed"));
    QCOMPARE(rec.exitCode, std::nullopt);
    QVERIFY2(rec.error.contains(QStringLiteral("signal %1").arg(SIGSEGV)), qPrintable(rec.error));
    QCOMPARE(rec.out(), QStringLiteral("before\n"));
}

void tst_CommandRunner::timeoutKillsTheWholeTree_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<int>("minimumMs");
    QTest::newRow("SIGTERM is enough") << QString() << 1000;
    // Every process ignores SIGTERM (an ignored signal stays ignored across fork and exec), so
    // only the SIGKILL after the grace period ends them.
    QTest::newRow("SIGTERM ignored") << QStringLiteral("trap '' TERM; ") << 1000 + 500;
}

void tst_CommandRunner::timeoutKillsTheWholeTree()
{
    QFETCH(QString, prefix);
    QFETCH(int, minimumMs);
    CommandRunner runner;
    runner.setKillGracePeriod(500);
    Recording rec;
    runToEnd(runner, rec, QStringLiteral("sh"), prefix + treeCommand, 1000);
    QCOMPARE(rec.status, QStringLiteral("timed_out"));
    QVERIFY2(rec.durationMs >= minimumMs - 20 && rec.durationMs < 10000,
             qPrintable(QString::number(rec.durationMs)));
    QVERIFY(rec.error.contains(QLatin1String("1000 ms")));
    const QList<qint64> children = pidsAfter(rec.out(), QStringLiteral("child"));
    const QList<qint64> grandchildren = pidsAfter(rec.out(), QStringLiteral("grandchild"));
    QCOMPARE(children.size(), 1);
    QCOMPARE(grandchildren.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(ProcessProbe::gone(rec.pid), 2000);
    QTRY_VERIFY_WITH_TIMEOUT(ProcessProbe::gone(children[0]), 2000);
    QTRY_VERIFY_WITH_TIMEOUT(ProcessProbe::gone(grandchildren[0]), 2000);
}

void tst_CommandRunner::cancelKillsTheWholeTree()
{
    CommandRunner runner;
    Recording rec;
    // Queued: runs after the recording slot has seen the chunk, from the event loop.
    QObject::connect(
        &runner, &CommandRunner::output, &runner,
        [&] {
            if (pidsAfter(rec.out(), QStringLiteral("grandchild")).size() == 1 &&
                pidsAfter(rec.out(), QStringLiteral("child")).size() == 1)
                runner.cancel();
        },
        Qt::QueuedConnection);
    runToEnd(runner, rec, QStringLiteral("sh"), treeCommand);
    QCOMPARE(rec.status, QStringLiteral("cancelled"));
    QVERIFY(rec.durationMs < 10000);
    const QList<qint64> grandchildren = pidsAfter(rec.out(), QStringLiteral("grandchild"));
    const QList<qint64> children = pidsAfter(rec.out(), QStringLiteral("child"));
    QCOMPARE(grandchildren.size(), 1);
    QCOMPARE(children.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(ProcessProbe::gone(children[0]), 2000);
    QTRY_VERIFY_WITH_TIMEOUT(ProcessProbe::gone(grandchildren[0]), 2000);
}

void tst_CommandRunner::childInItsOwnProcessGroupIsKilledToo()
{
    // A child that leaves the process group (as job-control shells do) is still in the
    // command's session, and still ended.
    if (QStandardPaths::findExecutable(QStringLiteral("perl")).isEmpty())
        QSKIP("perl is needed to change the process group");
    CommandRunner runner;
    Recording rec;
    QObject::connect(
        &runner, &CommandRunner::output, &runner,
        [&] {
            if (rec.out().contains(QLatin1String("\n")))
                runner.cancel();
        },
        Qt::QueuedConnection);
    runToEnd(runner, rec, QStringLiteral("sh"),
             QStringLiteral(
                 "perl -e 'setpgrp(0, 0); $| = 1; print \"escaped $$\\n\"; sleep 30' & wait"));
    QCOMPARE(rec.status, QStringLiteral("cancelled"));
    const QList<qint64> escaped = pidsAfter(rec.out(), QStringLiteral("escaped"));
    QCOMPARE(escaped.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(ProcessProbe::gone(escaped[0]), 2000);
}

void tst_CommandRunner::cancelBeforeStartedIsCarriedOut()
{
    CommandRunner runner;
    Recording rec;
    record(runner, rec);
    rec.clock.start();
    runner.start(QStringLiteral("c1"), QStringLiteral("sh"), QStringLiteral("sleep 30"));
    runner.cancel();
    QCOMPARE(rec.finishedCount, 0);
    QTRY_VERIFY_WITH_TIMEOUT(rec.finishedCount > 0, 10000);
    QCOMPARE(rec.status, QStringLiteral("cancelled"));
    QVERIFY(rec.durationMs < 10000);
    QTRY_VERIFY_WITH_TIMEOUT(ProcessProbe::gone(rec.pid), 2000);
}

void tst_CommandRunner::cancelAfterFinishedChangesNothing()
{
    CommandRunner runner;
    Recording rec;
    runToEnd(runner, rec, QStringLiteral("sh"), QStringLiteral("exit 3"));
    runner.cancel();
    QTest::qWait(100);
    QCOMPARE(rec.finishedCount, 1);
    QCOMPARE(rec.status, QStringLiteral("exited"));
}

void tst_CommandRunner::destroyingARunnerKillsItsTree()
{
    auto runner = std::make_unique<CommandRunner>();
    Recording rec;
    record(*runner, rec);
    runner->start(QStringLiteral("c2"), QStringLiteral("sh"), treeCommand);
    QTRY_VERIFY_WITH_TIMEOUT(rec.out().contains(QLatin1String("grandchild")), 10000);
    const QList<qint64> grandchildren = pidsAfter(rec.out(), QStringLiteral("grandchild"));
    QCOMPARE(grandchildren.size(), 1);
    QVERIFY(!ProcessProbe::gone(grandchildren[0]));
    runner.reset();
    QTRY_VERIFY_WITH_TIMEOUT(ProcessProbe::gone(grandchildren[0]), 2000);
    QCOMPARE(rec.finishedCount, 0); // nobody is left to tell
}

void tst_CommandRunner::missingOrUnknownShellFails_data()
{
    QTest::addColumn<QString>("shell");
    QTest::addColumn<bool>("emptyPath");
    QTest::addColumn<QString>("errorPart");
    QTest::newRow("pwsh not installed")
        << QStringLiteral("pwsh") << true << QStringLiteral("PowerShell (pwsh) is not installed");
    QTest::newRow("bash not found")
        << QStringLiteral("bash") << true << QStringLiteral("\"bash\" was not found");
    QTest::newRow("unsupported") << QStringLiteral("cmd") << false
                                 << QStringLiteral("unsupported shell \"cmd\"");
    QTest::newRow("empty") << QString() << false << QStringLiteral("unsupported shell");
}

void tst_CommandRunner::missingOrUnknownShellFails()
{
    QFETCH(QString, shell);
    QFETCH(bool, emptyPath);
    QFETCH(QString, errorPart);
    QTemporaryDir emptyDir;
    const QByteArray savedPath = qgetenv("PATH");
    if (emptyPath)
        qputenv("PATH", QFile::encodeName(emptyDir.path()));
    CommandRunner runner;
    Recording rec;
    runToEnd(runner, rec, shell, QStringLiteral("echo should not run"));
    qputenv("PATH", savedPath);
    QCOMPARE(rec.status, QStringLiteral("failed"));
    QCOMPARE(rec.exitCode, std::nullopt);
    QVERIFY2(rec.error.contains(errorPart), qPrintable(rec.error));
    QCOMPARE(rec.startedCount, 0);
    QVERIFY(rec.chunks.isEmpty());
    QVERIFY(rec.durationMs >= 0);
}

QTEST_GUILESS_MAIN(tst_CommandRunner)
#include "tst_CommandRunner.moc"
