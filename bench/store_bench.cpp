// Store benchmark: appends per second (one event per transaction and group commit), reads per
// second, and full-text query times over N output lines (default 1,000,000).
// Usage: bench_store [--events N] [--single N] [--batch N] [--dir DIR]
#include "TestEvents.h"
#include "store/EventStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace casefile;

namespace {

QString outputLine(qint64 i)
{
    // Realistic transcript lines: event log rows, ipconfig, service states, paths.
    static const char *templates[] = {
        "%1-05-24 14:%2:00 Information Service Control Manager 7036 The Print Spooler service entered the running state.",
        "   IPv4 Address. . . . . . . . . . . : 10.20.%2.%1(Preferred)",
        "C:\\Windows\\System32\\spool\\drivers\\x64\\3\\PCL6%1.dll  version 10.0.22621.%2",
        "Get-WinEvent : No events were found that match the specified selection criteria. (%1/%2)",
        "KB50%1%2 Security Update installed on 5/%2/2026 by NT AUTHORITY\\SYSTEM",
        "TCP    0.0.0.0:%1           0.0.0.0:0              LISTENING       %2",
    };
    QString line = QString::fromLatin1(templates[i % 6]).arg(i % 9973).arg(i % 60);
    if (i % 100000 == 4242)
        line += QStringLiteral(" error 0xDEADC0DE while flushing");
    return line + QLatin1Char('\n');
}

double rate(qint64 count, qint64 ns)
{
    return ns > 0 ? double(count) * 1e9 / double(ns) : 0.0;
}

struct QueryFigure
{
    const char *label;
    QString text;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto option = [&](const char *name, qint64 fallback) {
        const qsizetype i = args.indexOf(QLatin1String(name));
        return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toLongLong() : fallback;
    };
    const qint64 events = option("--events", 1000000);
    const qint64 singles = option("--single", 2000);
    const qint64 batch = option("--batch", 1000);
    QTemporaryDir tmp;
    const qsizetype dirIndex = args.indexOf(QStringLiteral("--dir"));
    const QString dir = dirIndex >= 0 ? args.at(dirIndex + 1) : tmp.path();

    std::printf("store benchmark: %lld output lines, batches of %lld, %lld single appends\n",
                events, batch, singles);

    // 1. One event per transaction: every append is its own fsync'd commit.
    for (const auto durability : {StoreOptions::Durability::Full, StoreOptions::Durability::Normal}) {
        EventStore store;
        StoreOptions options;
        options.durability = durability;
        const QString path = dir + (durability == StoreOptions::Durability::Full ? QStringLiteral("/single-full.db") : QStringLiteral("/single-normal.db"));
        if (!store.open(path, options)) {
            std::fprintf(stderr, "%s\n", qPrintable(store.errorString()));
            return 1;
        }
        const QString session = Event::newId();
        const QString command = Event::newId();
        store.append({TestEvents::opened(session, {})});
        QElapsedTimer t;
        t.start();
        for (qint64 i = 0; i < singles; ++i) {
            if (!store.append({TestEvents::output(session, command, i, outputLine(i))}).ok)
                return 1;
        }
        std::printf("append, 1 event per transaction, synchronous=%s: %.0f events/s\n",
                    durability == StoreOptions::Durability::Full ? "FULL" : "NORMAL",
                    rate(singles, t.nsecsElapsed()));
    }

    // 2. Group commit: `batch` events per transaction, the way the server writes.
    EventStore store;
    if (!store.open(dir + QStringLiteral("/bulk.db"))) {
        std::fprintf(stderr, "%s\n", qPrintable(store.errorString()));
        return 1;
    }
    TestEvents::SessionSpec spec;
    const QString session = Event::newId();
    const QString command = Event::newId();
    store.append({TestEvents::opened(session, spec)});
    QElapsedTimer t;
    t.start();
    qint64 appendNs = 0;
    for (qint64 done = 0; done < events;) {
        QList<Event> drafts;
        const qint64 n = std::min(batch, events - done);
        drafts.reserve(n);
        for (qint64 i = 0; i < n; ++i)
            drafts.append(TestEvents::output(session, command, done + i, outputLine(done + i)));
        QElapsedTimer a;
        a.start();
        const AppendResult r = store.append(drafts);
        appendNs += a.nsecsElapsed();
        if (!r.ok) {
            std::fprintf(stderr, "%s\n", qPrintable(r.error));
            return 1;
        }
        done += n;
    }
    std::printf("append, %lld events per transaction, synchronous=FULL: %.0f events/s "
                "(%.1f s for %lld; building the drafts not counted)\n",
                batch, rate(events, appendNs), appendNs / 1e9, events);

    // 3. Reads: canonical JSON straight from the store, and decoded into events.
    t.restart();
    qint64 read = 0;
    for (qint64 after = 0;;) {
        const auto page = store.readRaw(session, after, 5000);
        if (!page || page->isEmpty())
            break;
        read += page->size();
        after += page->size();
    }
    std::printf("read raw (pages of 5000): %.0f events/s\n", rate(read, t.nsecsElapsed()));
    t.restart();
    read = 0;
    for (qint64 after = 0;;) {
        const auto page = store.read(session, after, 5000);
        if (!page || page->isEmpty())
            break;
        read += page->size();
        after += page->size();
    }
    std::printf("read decoded (pages of 5000): %.0f events/s\n", rate(read, t.nsecsElapsed()));

    // 4. Full-text queries: median of 7 runs each, first 50 hits, newest first.
    const QueryFigure queries[] = {
        {"rare word (10 hits)", QStringLiteral("0xDEADC0DE")},
        {"common word (1/6 of lines)", QStringLiteral("spooler")},
        {"two words", QStringLiteral("security update")},
        {"phrase", QStringLiteral("\"entered the running state\"")},
        {"prefix", QStringLiteral("LISTEN*")},
        {"no hit", QStringLiteral("nosuchwordanywhere")},
    };
    for (const bool byOrg : {false, true}) {
        for (const auto &q : queries) {
            SearchQuery query;
            query.text = q.text;
            query.limit = 50;
            if (byOrg)
                query.org = spec.org;
            QList<qint64> times;
            qsizetype hits = 0;
            for (int run = 0; run < 7; ++run) {
                QElapsedTimer s;
                s.start();
                const auto result = store.search(query);
                times.append(s.nsecsElapsed());
                hits = result ? result->size() : -1;
            }
            std::sort(times.begin(), times.end());
            std::printf("search %-28s %s: %7.2f ms median, %7.2f ms max (%lld hits returned)\n",
                        q.label, byOrg ? "in org" : "      ", times.at(3) / 1e6, times.last() / 1e6,
                        qint64(hits));
        }
    }
    const ChainReport report = store.verify(session);
    t.restart();
    store.verify(session);
    std::printf("verify chain of %lld events: %.0f events/s (%s)\n", report.eventsChecked,
                rate(report.eventsChecked, t.nsecsElapsed()), report.ok ? "ok" : "BROKEN");
    return report.ok ? 0 : 1;
}
