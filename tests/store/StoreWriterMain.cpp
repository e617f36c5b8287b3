// Test helper for tst_StoreCrash: appends batches of output events to one session as fast as
// it can and prints "ack SEQ ID" for every event only after its append has returned, until it
// is killed. Usage: casefile-test-store-writer DB SESSION [--open]
#include "TestEvents.h"
#include "store/EventStore.h"

#include <QCoreApplication>
#include <QRandomGenerator>

#include <cstdio>

using namespace casefile;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3) {
        std::fprintf(stderr, "usage: %s DB SESSION [--open]\n", argv[0]);
        return 2;
    }
    EventStore store;
    if (!store.open(args.at(1))) {
        std::fprintf(stderr, "open: %s\n", qPrintable(store.errorString()));
        return 1;
    }
    const QString session = args.at(2);
    if (args.contains(QStringLiteral("--open"))) {
        const AppendResult r = store.append({TestEvents::opened(session, {})});
        if (!r.ok) {
            std::fprintf(stderr, "open session: %s\n", qPrintable(r.error));
            return 1;
        }
        std::printf("ack %lld %s\n", r.events.first().seq, qPrintable(r.events.first().id));
        std::fflush(stdout);
    }
    const QString command = Event::newId();
    auto *rng = QRandomGenerator::global();
    for (qint64 chunk = 0;; ++chunk) {
        QList<Event> batch;
        const int size = rng->bounded(1, 40);
        for (int i = 0; i < size; ++i) {
            batch.append(TestEvents::output(session, command, chunk * 100 + i,
                                            QStringLiteral("%1 %2\n").arg(chunk).arg(QString(rng->bounded(20, 400), QLatin1Char('o')))));
        }
        const AppendResult r = store.append(batch);
        if (!r.ok) {
            std::fprintf(stderr, "append: %s\n", qPrintable(r.error));
            return 1;
        }
        for (const Event &e : r.events)
            std::printf("ack %lld %s\n", e.seq, qPrintable(e.id));
        std::fflush(stdout);
    }
}
