// Test helper for tst_Outbox: queues batches of output events as fast as it can and, now and
// then, acknowledges the oldest ones, until it is killed. It prints
//   "queued ID"          for every event, only after enqueue() has returned;
//   "acking ID ID …"     before acknowledge(), and "acked" after it has returned.
// Usage: casefile-test-outbox-writer OUTBOX SESSION
#include "TestEvents.h"
#include "sync/Outbox.h"

#include <QCoreApplication>
#include <QRandomGenerator>

#include <cstdio>

using namespace casefile;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3) {
        std::fprintf(stderr, "usage: %s OUTBOX SESSION\n", argv[0]);
        return 2;
    }
    Outbox outbox;
    if (!outbox.open(args.at(1))) {
        std::fprintf(stderr, "open: %s\n", qPrintable(outbox.errorString()));
        return 1;
    }
    const QString session = args.at(2);
    const QString command = Event::newId();
    auto *rng = QRandomGenerator::global();
    for (qint64 chunk = 0;; ++chunk) {
        QList<Event> batch;
        const int size = rng->bounded(1, 30);
        for (int i = 0; i < size; ++i) {
            batch.append(TestEvents::output(session, command, chunk * 100 + i,
                                            QString(rng->bounded(20, 400), QLatin1Char('o'))));
        }
        if (!outbox.enqueue(batch)) {
            std::fprintf(stderr, "enqueue: %s\n", qPrintable(outbox.errorString()));
            return 1;
        }
        for (const Event &e : batch)
            std::printf("queued %s\n", qPrintable(e.id));
        std::fflush(stdout);

        if (rng->bounded(3) == 0) {
            const auto oldest = outbox.pending(rng->bounded(1, 20));
            if (!oldest) {
                std::fprintf(stderr, "pending: %s\n", qPrintable(outbox.errorString()));
                return 1;
            }
            QStringList ids;
            for (const Event &e : *oldest)
                ids.append(e.id);
            std::printf("acking %s\n", qPrintable(ids.join(QLatin1Char(' '))));
            std::fflush(stdout);
            if (!outbox.acknowledge(ids)) {
                std::fprintf(stderr, "acknowledge: %s\n", qPrintable(outbox.errorString()));
                return 1;
            }
            std::printf("acked\n");
            std::fflush(stdout);
        }
    }
}
