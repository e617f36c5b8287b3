#pragma once

#include "events/EnvelopeParts.h"
#include "events/Event.h"
#include "store/AppendResult.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QThread>

#include <functional>

namespace casefile {

class EventStore;

// The server's appends, stored on a thread of their own with a connection of their own: sealing
// and the SQLite transaction (two thirds of an append's cost) run beside reading, decoding and
// answering on the event loop, so the two cores share the work. One batch at a time, results in
// the order the batches were given. Everything else the server does with the store (reads, a
// session's first event) stays on the event loop's own connection; SQLite serialises the writers.
class StoreWriter
{
public:
    using Done = std::function<void(const QList<AppendResult> &results)>;

    StoreWriter();
    ~StoreWriter();
    StoreWriter(const StoreWriter &) = delete;
    StoreWriter &operator=(const StoreWriter &) = delete;

    // Opens the store at `path` on the writer's thread (and waits for that).
    bool open(const QString &path, QString *error);
    // Finishes the batch in hand, closes the store and ends the thread; `done` of a batch
    // finished meanwhile is not called. Idempotent.
    void stop();

    // Stores each list of drafts (one per append request; each decoded strictly by the caller,
    // with `parts` its envelopes encoded ahead, list for list):
    // all in one transaction when none is refused, else each on its own so one request's
    // problem does not fail the others. Calls `done` on `receiver`'s thread with one result:
    // the whole batch's, its events in the order given, when it was stored in one transaction;
    // otherwise with one result per list. `receiver` must outlive the writer or stop() it first.
    void write(const QList<QList<Event>> &appends, const QList<QList<EnvelopeParts>> &parts,
               QObject *receiver, Done done);

private:
    QList<AppendResult> store(const QList<QList<Event>> &appends,
                              const QList<QList<EnvelopeParts>> &parts);

    QThread m_thread;
    QObject *m_context = nullptr;  // lives on m_thread: where the work is queued
    EventStore *m_store = nullptr; // made, used and deleted on m_thread only
};

} // namespace casefile
