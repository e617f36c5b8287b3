// End-to-end benchmark with real processes on loopback: casefiled, an enrolled casefile-agent
// (--consent auto-approve) and the technician played by this program (a bare WebSocket client
// of the protocol). The technician asks the agent to print N lines and receives them live;
// the figures are the time from the command.requested ack to command.finished at the
// subscriber, lines/s and MB/s, and how old each output chunk is when it arrives. The store is
// checked afterwards. In the same run the same bytes, in the same chunks, go through a bare
// QtWebSockets relay (producer thread → relay thread → consumer) as the baseline; the target
// (DESIGN.md) is casefile ≥ 50% of the relay's throughput. A second relay run is fed by the
// command itself, so the command's own time is in both sides of that ratio. A third is the
// floor: the same relay, but the producer and the relay each commit every frame to SQLite
// before passing it on, which is what persisting on both sides costs with nothing else done.
// With --from-file the command is `cat` of a file holding the same lines, written beforehand:
// awk alone takes longer than the bare relay, and cat leaves the pipeline's own cost.
// Usage: bench_e2e [--lines N] [--timeout SECONDS] [--from-file]
#include "BareRelay.h"
#include "BenchCluster.h"
#include "BenchUtil.h"
#include "BenchWsClient.h"
#include "RelayProducer.h"
#include "events/Event.h"
#include "events/EventCodec.h"
#include "events/JsonParser.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/CommandRequestedBody.h"
#include "store/EventStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <cstdio>
#include <cstdlib>
#include <utility>

using namespace casefile;
using BenchUtil::perSecond;
using BenchUtil::waitUntil;

namespace {

// What the technician's subscription saw of the benchmark command.
struct Received
{
    QString command;
    qint64 appendReq = 0;
    qint64 ackNs = 0;
    qint64 ackSeq = 0;
    QString ackError;
    qint64 startedNs = 0;
    qint64 finishedNs = 0;
    QString status;
    int exitCode = -1;
    bool contextSeen = false;
    qint64 lastSeq = 0;
    qint64 pushes = 0;
    qint64 outputEvents = 0;
    qint64 nextChunk = 0;
    qint64 bytes = 0; // UTF-8 bytes of command.output data
    qint64 lines = 0;
    QList<qint64> latencyUs;   // arrival − at, per output event
    qint64 firstAtMs = 0;      // `at` of the first and the last output event
    qint64 lastAtMs = 0;
    qint64 firstOutputNs = 0;  // arrival of the first output event
    QStringList problems;
};

// The command's output: ~60-byte lines, like a verbose tool or a log being dumped.
const char lineSuffix[] = " line of output with some realistic padding text 0123456789\n";

qint64 expectedBytes(qint64 lines)
{
    qint64 total = 0;
    for (qint64 i = 1; i <= lines; ++i)
        total += QByteArray::number(i).size() + qsizetype(sizeof lineSuffix - 1);
    return total;
}

void onMessage(Received &r, const QByteArray &message, qint64 steadyNs, qint64 wallUs)
{
    // The product's parser, as casefile's own clients (SyncClient) read pushes.
    const QJsonObject m = JsonParser::parse(message).value_or(QJsonValue()).toObject();
    const QString type = m.value(QStringLiteral("type")).toString();
    if (r.appendReq && m.value(QStringLiteral("req")).toInteger() == r.appendReq) {
        r.ackNs = steadyNs;
        if (type == QLatin1String("result"))
            r.ackSeq = m.value(QStringLiteral("acks")).toArray().at(0).toObject().value(QStringLiteral("seq")).toInteger();
        else
            r.ackError = QString::fromUtf8(message);
        return;
    }
    if (type != QLatin1String("events"))
        return;
    ++r.pushes;
    const QJsonArray events = m.value(QStringLiteral("events")).toArray();
    for (const QJsonValue &value : events) {
        const QJsonObject e = value.toObject();
        const qint64 seq = e.value(QStringLiteral("seq")).toInteger();
        if (seq != r.lastSeq + 1)
            r.problems.append(QStringLiteral("seq %1 after %2").arg(seq).arg(r.lastSeq));
        r.lastSeq = seq;
        const QString kind = e.value(QStringLiteral("kind")).toString();
        if (kind == QLatin1String("context.captured"))
            r.contextSeen = true;
        const QJsonObject body = e.value(QStringLiteral("body")).toObject();
        if (r.command.isEmpty() || body.value(QStringLiteral("command")).toString() != r.command)
            continue;
        if (kind == QLatin1String("command.output")) {
            const QString data = body.value(QStringLiteral("data")).toString();
            if (body.value(QStringLiteral("chunk")).toInteger() != r.nextChunk++)
                r.problems.append(QStringLiteral("chunk %1 out of order").arg(r.nextChunk - 1));
            ++r.outputEvents;
            r.bytes += data.toUtf8().size();
            r.lines += data.count(QLatin1Char('\n'));
            const qint64 atMs = BenchUtil::timestampMs(e.value(QStringLiteral("at")).toString());
            r.latencyUs.append(wallUs - atMs * 1000);
            if (r.firstAtMs == 0) {
                r.firstAtMs = atMs;
                r.firstOutputNs = steadyNs;
            }
            r.lastAtMs = atMs;
        } else if (kind == QLatin1String("command.started")) {
            r.startedNs = steadyNs;
        } else if (kind == QLatin1String("command.finished")) {
            r.finishedNs = steadyNs;
            r.status = body.value(QStringLiteral("status")).toString();
            r.exitCode = body.value(QStringLiteral("exitCode")).toInt(-1);
        }
    }
}

struct Baseline
{
    qint64 ns = 0;
    qint64 frames = 0;
    qint64 bytes = 0; // UTF-8 bytes received
    qint64 lines = 0;
    QString error;
};

// Bytes through BareRelay in binary frames: producer thread → relay thread → consumer (this
// thread), until `lines` lines have arrived. The producer sends `chunks`, or runs `shellText`
// when it is set. With `storeDir` the producer and the relay each commit every frame to a
// SQLite file there before they pass it on (the floor).
Baseline runBaseline(const QList<QByteArray> &chunks, const QString &shellText, qint64 lines,
                     int timeoutMs, const QString &storeDir = {})
{
    Baseline b;
    QThread relayThread;
    QThread producerThread;
    const auto storePath = [&storeDir](const char *name) {
        return storeDir.isEmpty() ? QString() : QDir(storeDir).filePath(QLatin1String(name));
    };
    auto *relay = new BareRelay(storePath("relay.db"));
    relay->moveToThread(&relayThread);
    QObject::connect(&relayThread, &QThread::finished, relay, &QObject::deleteLater);
    relayThread.start();
    quint16 port = 0;
    QMetaObject::invokeMethod(relay, [&] { port = relay->listen(); }, Qt::BlockingQueuedConnection);
    const auto stopThreads = [&] {
        producerThread.quit();
        producerThread.wait();
        relayThread.quit();
        relayThread.wait();
    };
    if (port == 0) {
        b.error = QStringLiteral("the relay cannot listen: %1").arg(relay->error());
        stopThreads();
        return b;
    }

    QWebSocket consumer;
    consumer.setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
    bool ready = false;
    qint64 endNs = 0;
    QObject::connect(&consumer, &QWebSocket::textMessageReceived, &consumer,
                     [&](const QString &frame) { ready = frame == QLatin1String("ready"); });
    QObject::connect(&consumer, &QWebSocket::binaryMessageReceived, &consumer,
                     [&](const QByteArray &frame) {
                         ++b.frames;
                         b.bytes += frame.size();
                         b.lines += frame.count('\n');
                         if (b.lines == lines)
                             endNs = BenchUtil::steadyNs();
                     });
    consumer.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/consume").arg(port)));
    if (!waitUntil([&] { return ready; }, 10000)) {
        b.error = QStringLiteral("the consumer could not connect to the relay");
        stopThreads();
        return b;
    }

    auto *producer = shellText.isEmpty() ? new RelayProducer(chunks, storePath("producer.db"))
                                         : new RelayProducer(shellText);
    producer->moveToThread(&producerThread);
    QObject::connect(&producerThread, &QThread::finished, producer, &QObject::deleteLater);
    producerThread.start();
    const QString url = QStringLiteral("ws://127.0.0.1:%1/produce").arg(port);
    bool started = false;
    QMetaObject::invokeMethod(
        producer, [&] { started = producer->start(url); }, Qt::BlockingQueuedConnection);
    if (!started)
        b.error = QStringLiteral("the producer cannot start: %1").arg(producer->error());
    else if (!waitUntil([&] { return endNs != 0; }, timeoutMs))
        b.error =
            QStringLiteral("the relay delivered %1 of %2 lines in time").arg(b.lines).arg(lines);
    b.ns = endNs - producer->startedNs();
    consumer.close();
    stopThreads();
    return b;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // figures appear as they are measured, also in a pipe
    const QStringList args = app.arguments();
    const qint64 lines = BenchUtil::option(args, "--lines", 1000000);
    const int timeoutS = int(BenchUtil::option(args, "--timeout", 600));
    const bool fromFile = args.contains(QStringLiteral("--from-file"));
    BenchUtil::raiseFileLimit(4096);

    BenchCluster cluster;
    // Whatever hangs, the children go and the benchmark ends.
    QTimer::singleShot(timeoutS * 1000, &app, [&] {
        std::fprintf(stderr, "bench_e2e: gave up after %d s\n", timeoutS);
        cluster.killAll();
        QDir(cluster.dataDir()).removeRecursively();
        std::exit(2);
    });
    const auto fail = [&](const QString &why) {
        std::fprintf(stderr, "bench_e2e: %s\n--- casefiled ---\n%s\n--- casefile-agent ---\n%s\n", qPrintable(why),
                     qPrintable(cluster.serverLog().right(4000)), qPrintable(cluster.agentLog().right(4000)));
        cluster.killAll();
        return 1;
    };

    const auto progress = [](const char *step) { std::fprintf(stderr, "bench_e2e: %s\n", step); };
    progress("starting casefiled and casefile-agent");
    if (!cluster.createOrg() || !cluster.startServer() || !cluster.enrollAgent() || !cluster.startAgent())
        return fail(cluster.error());

    BenchWsClient tech;
    if (!tech.open(cluster.wsUrl()) || tech.hello(cluster.technicianToken()).isEmpty())
        return fail(QStringLiteral("the technician cannot connect"));
    const auto agentOnline = [&] {
        const QJsonArray endpoints = tech.request(QStringLiteral("endpoints")).value(QStringLiteral("endpoints")).toArray();
        for (const QJsonValue &e : endpoints) {
            if (e.toObject().value(QStringLiteral("id")).toString() == cluster.endpoint())
                return e.toObject().value(QStringLiteral("online")).toBool();
        }
        return false;
    };
    bool online = false;
    for (int attempt = 0; attempt < 300 && !(online = agentOnline()); ++attempt) {
        QEventLoop pause;
        QTimer::singleShot(100, &pause, &QEventLoop::quit);
        pause.exec();
    }
    if (!online)
        return fail(QStringLiteral("the agent did not come online"));
    progress("agent online; opening a session");

    const QJsonObject opened = tech.request(QStringLiteral("open"), {{QStringLiteral("endpoint"), cluster.endpoint()},
                                                                     {QStringLiteral("title"), QStringLiteral("bench e2e")}});
    const QString session = opened.value(QStringLiteral("session")).toString();
    if (session.isEmpty())
        return fail(QStringLiteral("open failed: %1").arg(QString::fromUtf8(QJsonDocument(opened).toJson())));

    // Subscribed before the command, like a console showing the session; the agent follows
    // the session once it has sent context.captured.
    Received r;
    tech.onMessage = [&r](const QByteArray &message, qint64 steadyNs, qint64 wallUs) {
        onMessage(r, message, steadyNs, wallUs);
    };
    if (tech.request(QStringLiteral("subscribe"), {{QStringLiteral("session"), session}, {QStringLiteral("after"), 0}})
            .value(QStringLiteral("type")) != QLatin1String("result"))
        return fail(QStringLiteral("subscribe failed"));
    if (!waitUntil([&] { return r.contextSeen; }, 60000))
        return fail(QStringLiteral("the agent did not follow the session"));

    progress("agent follows the session; running the command");
    CommandRequestedBody body;
    body.command = Event::newId();
    body.shell = QStringLiteral("sh");
    body.text = QStringLiteral("awk 'BEGIN{for(i=1;i<=%1;i++){printf \"%d%2\", i}}'")
                    .arg(lines)
                    .arg(QString::fromLatin1(lineSuffix).replace(QLatin1Char('\n'), QStringLiteral("\\n")));
    if (fromFile) {
        const QString path = QDir(cluster.dataDir()).filePath(QStringLiteral("lines.txt"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return fail(QStringLiteral("cannot write %1").arg(path));
        QByteArray text;
        for (qint64 i = 1; i <= lines; ++i) {
            text += QByteArray::number(i);
            text += lineSuffix;
            if (text.size() >= 1 << 20 || i == lines) {
                if (file.write(text) != text.size())
                    return fail(QStringLiteral("cannot write %1").arg(path));
                text.clear();
            }
        }
        file.close();
        body.text = QStringLiteral("cat '%1'").arg(path);
    }
    const Event requested = Event::make(session, Actor{QStringLiteral("user"), cluster.technician()}, body);
    r.command = body.command;
    r.appendReq = tech.nextReq();

    const double serverCpu0 = BenchUtil::cpuSeconds(cluster.serverPid());
    const qint64 serverWritten0 = BenchUtil::storageWriteBytes(cluster.serverPid());
    const qint64 agentWritten0 = BenchUtil::storageWriteBytes(cluster.agentPid());
    const double agentCpu0 = BenchUtil::cpuSeconds(cluster.agentPid());
    const double selfCpu0 = BenchUtil::cpuSeconds(QCoreApplication::applicationPid());
    const qint64 sentNs = BenchUtil::steadyNs();
    tech.sendFrame("{\"type\":\"append\",\"req\":" + QByteArray::number(r.appendReq) + ",\"events\":["
                   + EventCodec::encode(requested, false) + "]}");
    if (!waitUntil([&] { return r.finishedNs != 0 || !r.ackError.isEmpty(); }, timeoutS * 1000))
        return fail(QStringLiteral("no command.finished; %1 output events so far").arg(r.outputEvents));
    if (!r.ackError.isEmpty())
        return fail(QStringLiteral("command.requested refused: %1").arg(r.ackError));
    const double serverCpu = BenchUtil::cpuSeconds(cluster.serverPid()) - serverCpu0;
    const qint64 serverWritten = BenchUtil::storageWriteBytes(cluster.serverPid()) - serverWritten0;
    const qint64 agentWritten = BenchUtil::storageWriteBytes(cluster.agentPid()) - agentWritten0;
    const double agentCpu = BenchUtil::cpuSeconds(cluster.agentPid()) - agentCpu0;
    const double selfCpu = BenchUtil::cpuSeconds(QCoreApplication::applicationPid()) - selfCpu0;
    const qint64 runNs = r.finishedNs - r.ackNs;

    // casefiled's search index trails the output (it is built between appends); a search
    // completes it first. How long until the next-to-last line can be found (its number is in
    // one output chunk and nowhere else: the last one's is also in the command), counted from
    // the end of the run above and not in it:
    const qint64 searchSentNs = BenchUtil::steadyNs();
    const QJsonObject found = tech.request(QStringLiteral("search"),
                                           {{QStringLiteral("text"), QString::number(lines - 1)},
                                            {QStringLiteral("session"), session}},
                                           120000);
    const qint64 searchNs = BenchUtil::steadyNs() - searchSentNs;
    const qint64 searchHits = found.value(QStringLiteral("hits")).toArray().size();

    progress("checking the store");
    // The record on the server: stop both processes cleanly, then read the store file.
    cluster.stopAgent();
    if (!cluster.stopServer())
        return fail(cluster.error());
    EventStore store;
    StoreOptions readOnly;
    readOnly.readOnly = true;
    if (!store.open(cluster.storePath(), readOnly))
        return fail(store.errorString());
    qint64 storedBytes = 0;
    qint64 storedOutputs = 0;
    QList<QByteArray> chunks; // the data of every chunk as stored, for the baseline
    for (qint64 after = 0;;) {
        const auto page = store.read(session, after, 5000);
        if (!page)
            return fail(store.errorString());
        if (page->isEmpty())
            break;
        for (const Event &e : *page) {
            if (e.kind != EventKind::CommandOutput)
                continue;
            const auto output = e.bodyAs<CommandOutputBody>();
            if (output.command != r.command)
                continue;
            ++storedOutputs;
            chunks.append(output.data.toUtf8());
            storedBytes += chunks.constLast().size();
        }
        after += page->size();
    }
    const ChainReport chain = store.verify(session);

    progress("running the bare relay");
    const Baseline bare = runBaseline(chunks, {}, lines, 120000);
    progress("running the bare relay fed by the command");
    const Baseline fed = runBaseline({}, body.text, lines, 120000);
    progress("running the floor: the relay storing every frame on both sides");
    QTemporaryDir floorDir;
    if (!floorDir.isValid())
        return fail(
            QStringLiteral("no temporary directory for the floor: %1").arg(floorDir.errorString()));
    const Baseline floor = runBaseline(chunks, {}, lines, 120000, floorDir.path());

    const qint64 expected = expectedBytes(lines);
    std::printf(
        "end-to-end benchmark: %lld lines (%.1f MB) of `%s` output, casefile-agent → casefiled → "
        "subscriber on 127.0.0.1\n",
        lines, double(expected) / 1e6, fromFile ? "cat" : "awk");
    std::printf("casefile: command.requested (seq %lld) ack → command.finished at the subscriber: %.2f s "
                "(request → ack %.1f ms, ack → command.started %.1f ms)\n",
                r.ackSeq, runNs / 1e9, (r.ackNs - sentNs) / 1e6, (r.startedNs - r.ackNs) / 1e6);
    std::printf("casefile: %.0f lines/s, %.1f MB/s (%lld output events, %.1f KiB per chunk on average, "
                "%lld push frames, status %s exit %d)\n",
                perSecond(double(r.lines), runNs), perSecond(double(r.bytes), runNs) / 1e6, r.outputEvents,
                r.outputEvents ? double(r.bytes) / double(r.outputEvents) / 1024.0 : 0.0, r.pushes,
                qPrintable(r.status), r.exitCode);
    QList<qint64> latency = r.latencyUs;
    const qint64 p50 = BenchUtil::percentile(latency, 50);
    const qint64 p99 = BenchUtil::percentile(latency, 99);
    std::printf("casefile: latency at (agent made the event) → arrival at the subscriber, over %lld output "
                "events: p50 %.1f ms, p99 %.1f ms, max %.1f ms (at has ms resolution: +0..1 ms)\n",
                qint64(latency.size()), p50 / 1e3, p99 / 1e3, latency.isEmpty() ? 0.0 : latency.last() / 1e3);
    std::printf("casefile: the agent made the output events over %.2f s (first → last `at`); they arrived "
                "over %.2f s (ack → first output %.0f ms)\n",
                (r.lastAtMs - r.firstAtMs) / 1e3, (r.finishedNs - r.firstOutputNs) / 1e9,
                (r.firstOutputNs - r.ackNs) / 1e6);
    std::printf("casefile: CPU during the run: casefiled %.2f s, casefile-agent %.2f s, subscriber (this "
                "process) %.2f s, over %.2f s of wall time\n",
                serverCpu, agentCpu, selfCpu, (r.finishedNs - sentNs) / 1e9);
    std::printf("casefile: written to storage during the run: casefiled %.1f MB, casefile-agent %.1f MB "
                "(its outbox)\n",
                serverWritten / 1e6, agentWritten / 1e6);
    std::printf("casefile: a search for the next-to-last line, sent when command.finished arrived, "
                "answered after "
                "%.0f ms with %lld hit(s) (it first completes the search index)\n",
                searchNs / 1e6, searchHits);
    const bool bytesOk = searchHits == 1 && r.bytes == expected && storedBytes == r.bytes &&
                         r.lines == lines && r.problems.isEmpty();
    std::printf("check: subscriber got %lld lines, %lld bytes (expected %lld); store holds %lld output events, "
                "%lld bytes: %s; chain of %lld events %s\n",
                r.lines, r.bytes, expected, storedOutputs, storedBytes, bytesOk ? "match" : "MISMATCH",
                chain.eventsChecked, chain.ok ? "verified" : qPrintable(QStringLiteral("BROKEN: ") + chain.message));
    for (const QString &problem : std::as_const(r.problems).mid(0, 5))
        std::printf("check: %s\n", qPrintable(problem));

    for (const auto &[name, b] :
         {std::pair{"bare relay", &bare}, std::pair{"bare relay fed by the command", &fed},
          std::pair{"floor", &floor}}) {
        if (!b->error.isEmpty()) {
            std::printf("%s: %s\n", name, qPrintable(b->error));
            return 1;
        }
    }
    std::printf(
        "bare relay (producer thread → QWebSocketServer thread → consumer, binary frames, same "
        "%lld chunks): %.2f s, %.0f lines/s, %.1f MB/s%s\n",
        qint64(chunks.size()), bare.ns / 1e9, perSecond(double(bare.lines), bare.ns),
        perSecond(double(r.bytes), bare.ns) / 1e6,
        bare.bytes == fed.bytes && bare.bytes == floor.bytes && bare.bytes == r.bytes
            ? ""
            : " (SIZE DIFFERS)");
    std::printf(
        "bare relay fed by the command (the producer runs the same `sh -c` and sends its stdout on "
        "in 64 KiB frames, %lld of them): %.2f s, %.0f lines/s, %.1f MB/s\n",
        fed.frames, fed.ns / 1e9, perSecond(double(fed.lines), fed.ns),
        perSecond(double(r.bytes), fed.ns) / 1e6);
    std::printf(
        "floor (the bare relay, but the producer and the relay each commit every frame to SQLite "
        "in a store thread — WAL, synchronous = FULL, group commit — before passing it on): "
        "%.2f s, %.0f lines/s, %.1f MB/s; floor/bare: %.2f\n",
        floor.ns / 1e9, perSecond(double(floor.lines), floor.ns),
        perSecond(double(r.bytes), floor.ns) / 1e6, double(bare.ns) / double(floor.ns));
    const double ratio = double(bare.ns) / double(runNs);
    std::printf("ratio casefile/bare: %.2f (target ≥ 0.50: %s)\n", ratio, ratio >= 0.5 ? "met" : "MISSED");
    // The command's own time is in casefile's run and not in the bare relay's: with awk alone
    // slower than half the relay, no pipeline that runs the command could meet the target.
    std::printf(
        "ratio casefile/bare relay fed by the command: %.2f (the command's own time in both; the "
        "best any pipeline running it could reach against the bare relay: %.2f)\n",
        double(fed.ns) / double(runNs), double(bare.ns) / double(fed.ns));
    return bytesOk && chain.ok ? 0 : 1;
}
