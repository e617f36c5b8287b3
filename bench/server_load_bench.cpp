// Server load benchmark against a real casefiled on 127.0.0.1:
// (a) N concurrent WebSocket connections (default 1,000), each authenticated with hello as the
//     technician, held, and each checked to still answer a ping; connect time and the server's
//     RSS with all of them held;
// (b) acknowledged events per second with many writers: K connections (default 50), each
//     appending batches of note.added events to its own session with a few appends in flight,
//     for D seconds; acked events/s and ack latency. The server group-commits whatever arrives
//     in one event-loop iteration into one SQLite transaction (synchronous=FULL).
// Targets (DESIGN.md): 1,000 concurrent connections; ≥ 50k acknowledged events/s.
// Usage: bench_server_load [--connections N] [--parallel P] [--writers K] [--batch B]
//                          [--inflight F] [--seconds D]
#include "BenchCluster.h"
#include "BenchUtil.h"
#include "BenchWsClient.h"
#include "events/Event.h"

#include <QCoreApplication>
#include <QDir>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>
#include <QWebSocket>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

using namespace casefile;
using BenchUtil::perSecond;
using BenchUtil::steadyNs;
using BenchUtil::waitUntil;

namespace {

QByteArray helloFrame(const QString &token)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                                     {QStringLiteral("token"), token},
                                     {QStringLiteral("client"), QStringLiteral("casefile-bench/0.1.0")},
                                     {QStringLiteral("protocol"), 1}})
        .toJson(QJsonDocument::Compact);
}

struct Connection
{
    QWebSocket *socket = nullptr;
    qint64 startNs = 0;
    qint64 welcomeNs = 0;
    bool failed = false;
    bool ponged = false;
};

// Part (a). Returns false when the run could not be completed at all.
bool runConnections(BenchCluster &cluster, int count, int parallel)
{
    const qint64 serverPid = cluster.serverPid();
    const qint64 rssBefore = BenchUtil::rssKiB(serverPid);
    QObject holder;
    std::vector<Connection> connections(size_t(count), Connection{});
    int next = 0;
    int welcomed = 0;
    int failed = 0;
    int ponged = 0;
    bool pinging = false;
    const QString url = cluster.wsUrl();
    const QString hello = QString::fromUtf8(helloFrame(cluster.technicianToken()));

    // At most `parallel` handshakes at a time: casefiled's listen backlog is Qt's default (50),
    // and a SYN dropped on a full backlog costs a 1 s retransmit that would measure the kernel.
    std::function<void()> startNext = [&] {
        if (next >= count)
            return;
        Connection &c = connections[size_t(next++)];
        c.socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, &holder);
        QWebSocket *socket = c.socket;
        QObject::connect(socket, &QWebSocket::connected, socket, [socket, &hello] { socket->sendTextMessage(hello); });
        QObject::connect(socket, &QWebSocket::textMessageReceived, socket, [&, socket, ci = &c](const QString &text) {
            const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
            const QString type = m.value(QStringLiteral("type")).toString();
            if (ci->welcomeNs == 0 && !ci->failed) {
                if (type == QLatin1String("welcome")) {
                    ci->welcomeNs = steadyNs();
                    ++welcomed;
                } else {
                    ci->failed = true;
                    ++failed;
                }
                startNext();
            } else if (pinging && !ci->ponged && type == QLatin1String("result")) {
                ci->ponged = true;
                ++ponged;
            }
        });
        QObject::connect(socket, &QWebSocket::disconnected, socket, [&, ci = &c] {
            if (ci->welcomeNs == 0 && !ci->failed) {
                ci->failed = true;
                ++failed;
                startNext();
            }
        });
        c.startNs = steadyNs();
        socket->open(QUrl(url));
    };

    const qint64 t0 = steadyNs();
    for (int i = 0; i < parallel; ++i)
        startNext();
    waitUntil([&] { return welcomed + failed == count; }, 60000);
    const qint64 connectNs = steadyNs() - t0;
    QList<qint64> handshakeNs;
    for (const Connection &c : connections) {
        if (c.welcomeNs)
            handshakeNs.append(c.welcomeNs - c.startNs);
    }

    // Held for a moment with nothing to do, then every one must still answer.
    waitUntil([] { return false; }, 2000);
    int open = 0;
    for (const Connection &c : connections)
        open += c.socket && c.socket->state() == QAbstractSocket::ConnectedState && c.welcomeNs ? 1 : 0;
    const qint64 rssHeld = BenchUtil::rssKiB(serverPid);
    const qint64 serverFds = BenchUtil::openFds(serverPid);
    pinging = true;
    const qint64 p0 = steadyNs();
    const QString ping = QStringLiteral("{\"type\":\"ping\",\"req\":1}");
    for (const Connection &c : connections) {
        if (c.welcomeNs)
            c.socket->sendTextMessage(ping);
    }
    waitUntil([&] { return ponged == welcomed; }, 20000);
    const qint64 pingNs = steadyNs() - p0;

    std::printf("(a) %d connections (at most %d handshakes at a time): %d welcomed, %d failed, in %.2f s "
                "(%.0f connections/s); TCP + upgrade + hello → welcome per connection: p50 %.1f ms, p99 %.1f ms\n",
                count, parallel, welcomed, failed, connectNs / 1e9, perSecond(welcomed, connectNs),
                BenchUtil::percentile(handshakeNs, 50) / 1e6, BenchUtil::percentile(handshakeNs, 99) / 1e6);
    std::printf("(a) held %d open for 2 s, then pinged all: %d of %d answered in %.1f ms\n", open, ponged, welcomed,
                pingNs / 1e6);
    std::printf("(a) casefiled VmRSS: %.1f MiB idle before, %.1f MiB with %d held (%.1f KiB per connection); "
                "%lld open fds\n",
                rssBefore / 1024.0, rssHeld / 1024.0, open, open ? double(rssHeld - rssBefore) / open : 0.0,
                serverFds);

    for (Connection &c : connections) {
        if (c.socket)
            c.socket->abort();
    }
    return welcomed == count && ponged == count;
}

struct Writer
{
    std::unique_ptr<BenchWsClient> client;
    QString session;
    QByteArray eventHead; // the part of every event before its id
    QHash<qint64, qint64> inFlight; // req → steadyNs when sent
    qint64 acked = 0;
    qint64 notes = 0;
};

// Part (b). Returns false when the run could not be completed at all.
bool runWriters(BenchCluster &cluster, int writerCount, int batch, int inflight, int seconds)
{
    std::vector<Writer> writers(static_cast<size_t>(writerCount));
    for (int i = 0; i < writerCount; ++i) {
        Writer &w = writers[size_t(i)];
        w.client = std::make_unique<BenchWsClient>();
        if (!w.client->open(cluster.wsUrl()) || w.client->hello(cluster.technicianToken()).isEmpty()) {
            std::fprintf(stderr, "writer %d cannot connect\n", i);
            return false;
        }
        w.session = w.client->request(QStringLiteral("open"), {{QStringLiteral("endpoint"), cluster.endpoint()},
                                                               {QStringLiteral("title"), QStringLiteral("load %1").arg(i)}})
                        .value(QStringLiteral("session"))
                        .toString();
        if (w.session.isEmpty()) {
            std::fprintf(stderr, "writer %d cannot open a session\n", i);
            return false;
        }
    }

    const QByteArray actor = cluster.technician().toLatin1();
    qint64 ackedInWindow = 0;
    qint64 errors = 0;
    QString firstError;
    QList<qint64> latencyNs;
    latencyNs.reserve(1 << 20);
    qint64 startNs = 0;
    qint64 deadlineNs = 0;
    qint64 lastAckNs = 0;

    // Drafts built by hand (no QJsonObject per event): the benchmark must leave the CPU to
    // the server. A fresh id per event (as every client makes them), one timestamp per append.
    const auto sendAppend = [&](Writer &w) {
        const qint64 req = w.client->nextReq();
        const QByteArray at = Event::nowTimestamp().toLatin1();
        const QByteArray session = w.session.toLatin1();
        QByteArray frame;
        frame.reserve(batch * 260 + 64);
        frame += "{\"type\":\"append\",\"req\":" + QByteArray::number(req) + ",\"events\":[";
        for (int i = 0; i < batch; ++i) {
            if (i)
                frame += ',';
            frame += "{\"id\":\"" + Event::newId().toLatin1() + "\",\"session\":\"" + session
                + "\",\"kind\":\"note.added\",\"at\":\"" + at + "\",\"actor\":{\"type\":\"user\",\"id\":\"" + actor
                + "\"},\"body\":{\"text\":\"Print spooler restarted on PRN-0" + QByteArray::number(w.notes % 97)
                + ", queue cleared, test page OK (note " + QByteArray::number(w.notes) + ")\"}}";
            ++w.notes;
        }
        frame += "]}";
        w.inFlight.insert(req, steadyNs());
        w.client->sendFrame(frame);
    };

    for (Writer &w : writers) {
        Writer *wp = &w;
        w.client->onMessage = [&, wp](const QByteArray &message, qint64 arrivalNs, qint64) {
            const QJsonObject m = QJsonDocument::fromJson(message).object();
            const qint64 req = m.value(QStringLiteral("req")).toInteger();
            const auto it = wp->inFlight.find(req);
            if (it == wp->inFlight.end())
                return;
            latencyNs.append(arrivalNs - it.value());
            wp->inFlight.erase(it);
            if (m.value(QStringLiteral("type")).toString() == QLatin1String("result")) {
                const qint64 n = m.value(QStringLiteral("acks")).toArray().size();
                wp->acked += n;
                if (arrivalNs <= deadlineNs)
                    ackedInWindow += n;
                lastAckNs = arrivalNs;
            } else if (errors++ == 0) {
                firstError = QString::fromUtf8(message.left(300));
            }
            if (arrivalNs < deadlineNs)
                sendAppend(*wp);
        };
    }

    const double serverCpu0 = BenchUtil::cpuSeconds(cluster.serverPid());
    const qint64 written0 = BenchUtil::storageWriteBytes(cluster.serverPid());
    const double selfCpu0 = BenchUtil::cpuSeconds(QCoreApplication::applicationPid());
    startNs = steadyNs();
    deadlineNs = startNs + qint64(seconds) * 1000000000;
    for (int f = 0; f < inflight; ++f) {
        for (Writer &w : writers)
            sendAppend(w);
    }
    const auto drained = [&] {
        if (steadyNs() < deadlineNs)
            return false;
        for (const Writer &w : writers) {
            if (!w.inFlight.isEmpty())
                return false;
        }
        return true;
    };
    const bool complete = waitUntil(drained, (seconds + 30) * 1000);
    const double serverCpu = BenchUtil::cpuSeconds(cluster.serverPid()) - serverCpu0;
    const double selfCpu = BenchUtil::cpuSeconds(QCoreApplication::applicationPid()) - selfCpu0;
    const qint64 written = BenchUtil::storageWriteBytes(cluster.serverPid()) - written0;
    const qint64 elapsedNs = lastAckNs - startNs;

    qint64 acked = 0;
    qint64 headsOk = 0;
    for (Writer &w : writers) {
        acked += w.acked;
        // seq 1 is session.opened; every acked note follows it, nothing else.
        const QJsonObject s = w.client->request(QStringLiteral("session"), {{QStringLiteral("session"), w.session}})
                                  .value(QStringLiteral("session"))
                                  .toObject();
        headsOk += s.value(QStringLiteral("head")).toInteger() == w.acked + 1 ? 1 : 0;
    }
    std::printf("(b) %d writers × %d appends in flight × %d note.added per append, %d s: %lld events acked "
                "in %.2f s%s\n",
                writerCount, inflight, batch, seconds, acked, elapsedNs / 1e9, complete ? "" : " (NOT DRAINED)");
    std::printf("(b) acked events/s: %.0f (until the last ack), %.0f (acks within the %d s window); "
                "appends/s: %.0f\n",
                perSecond(double(acked), elapsedNs), double(ackedInWindow) / seconds, seconds,
                perSecond(double(latencyNs.size()), elapsedNs));
    const qint64 maxNs = latencyNs.isEmpty() ? 0 : *std::max_element(latencyNs.cbegin(), latencyNs.cend());
    std::printf("(b) ack latency (append sent → reply received) over %lld appends: p50 %.1f ms, p99 %.1f ms, "
                "max %.1f ms\n",
                qint64(latencyNs.size()), BenchUtil::percentile(latencyNs, 50) / 1e6,
                BenchUtil::percentile(latencyNs, 99) / 1e6, maxNs / 1e6);
    std::printf("(b) CPU: casefiled %.2f s (%.0f%% of one core), benchmark %.2f s; casefiled wrote %.1f MB to "
                "storage (%.2f KB per event)\n",
                serverCpu, elapsedNs > 0 ? serverCpu * 1e11 / double(elapsedNs) : 0.0, selfCpu, written / 1e6,
                acked ? double(written) / 1e3 / double(acked) : 0.0);
    std::printf("(b) errors: %lld%s%s; session heads match acks: %lld of %d\n", errors, errors ? ", first: " : "",
                qPrintable(firstError), headsOk, writerCount);
    return complete && errors == 0 && headsOk == writerCount;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // figures appear as they are measured, also in a pipe
    const QStringList args = app.arguments();
    const int connections = int(BenchUtil::option(args, "--connections", 1000));
    const int parallel = int(BenchUtil::option(args, "--parallel", 32));
    const int writers = int(BenchUtil::option(args, "--writers", 50));
    const int batch = int(BenchUtil::option(args, "--batch", 100));
    const int inflight = int(BenchUtil::option(args, "--inflight", 4));
    const int seconds = int(BenchUtil::option(args, "--seconds", 10));

    // Each connection is one fd here and one in casefiled, which inherits this limit.
    const qint64 fdLimit = BenchUtil::raiseFileLimit(connections + writers + 1024);
    if (fdLimit < connections + writers + 256) {
        std::fprintf(stderr, "bench_server_load: RLIMIT_NOFILE is %lld, too low for %d connections\n", fdLimit,
                     connections);
        return 1;
    }

    BenchCluster cluster;
    // The whole run is bounded: whatever hangs, the children go and the benchmark ends.
    QTimer::singleShot((seconds + 110) * 1000, &app, [&] {
        std::fprintf(stderr, "bench_server_load: gave up\n--- casefiled ---\n%s\n",
                     qPrintable(cluster.serverLog().right(3000)));
        cluster.killAll();
        QDir(cluster.dataDir()).removeRecursively();
        std::exit(2);
    });
    if (!cluster.createOrg() || !cluster.startServer() || !cluster.enrollAgent()) {
        std::fprintf(stderr, "bench_server_load: %s\n%s\n", qPrintable(cluster.error()), qPrintable(cluster.serverLog()));
        return 1;
    }
    std::printf("server load benchmark: casefiled on 127.0.0.1:%u, RLIMIT_NOFILE %lld\n", cluster.port(), fdLimit);
    const bool connectionsOk = runConnections(cluster, connections, parallel);
    // Let casefiled notice the closed connections before the writers start.
    waitUntil([] { return false; }, 500);
    const bool writersOk = runWriters(cluster, writers, batch, inflight, seconds);
    cluster.killAll();
    if (!connectionsOk || !writersOk)
        std::fprintf(stderr, "bench_server_load: some checks failed\n%s\n", qPrintable(cluster.serverLog().right(3000)));
    return connectionsOk && writersOk ? 0 : 1;
}
