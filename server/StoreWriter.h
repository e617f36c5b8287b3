#pragma once

#include "events/EnvelopeParts.h"
#include "events/Event.h"
#include "store/AppendResult.h"
#include "store/SearchHit.h"
#include "store/SearchQuery.h"

#include <QAtomicInt>
#include <QList>
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>

#include <functional>
#include <optional>

namespace casefile {

class EventStore;

// The server's appends, stored on a thread of their own with a connection of their own: sealing
// and the SQLite transaction (two thirds of an append's cost) run beside reading, decoding and
// answering on the event loop, so the two cores share the work. One batch at a time, results in
// the order the batches were given. Everything else the server does with the store (reads, a
// session's first event) stays on the event loop's own connection; SQLite serialises the writers.
//
// The full-text index trails the appends (StoreOptions::deferSearchIndex). Indexing output costs
// about twice what storing it does, so while appends keep coming the writer leaves it to the
// first pause (quietMs without a batch), in slices it sizes to take about 20 ms: a stream is
// stored and pushed at the pace of storing alone. Under a stream that never pauses the index
// still follows, at most maxLagBytes of appended events behind. Searches run here too, after the
// index is complete: they find every event acknowledged before them.
class StoreWriter
{
public:
    using Done = std::function<void(const QList<AppendResult> &results)>;
    using SearchDone =
        std::function<void(const std::optional<QList<SearchHit>> &hits, const QString &error)>;

    // A pause in the appends this long lets the index catch up.
    static constexpr int quietMs = 100;
    // How far the index may trail a stream that never pauses: at ~60 MB/s of indexing, a search
    // right after such a stream waits about two seconds for it.
    static constexpr qint64 maxLagBytes = 128 * 1024 * 1024;

    StoreWriter();
    ~StoreWriter();
    StoreWriter(const StoreWriter &) = delete;
    StoreWriter &operator=(const StoreWriter &) = delete;

    // How long the appends must pause before the index catches up, and how far it may trail a
    // stream that never pauses (the defaults above; tests shorten them). Before the first write.
    void setIndexPacing(int quietMs, qint64 maxLagBytes);
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
    // Completes the full-text index and searches it, after the batches given before; calls
    // `done` on `receiver`'s thread with the hits, or nullopt and why.
    void search(const SearchQuery &query, QObject *receiver, SearchDone done);

private:
    QList<AppendResult> store(const QList<QList<Event>> &appends,
                              const QList<QList<EnvelopeParts>> &parts);
    // After a batch of `events` events, `bytes` long, is stored: index now if the index is too
    // far behind, else once the appends pause.
    void afterBatch(qint64 events, qint64 bytes);
    // Queues indexSlice() behind whatever is queued now, once.
    void scheduleIndexing();
    void indexSlice();
    // Books `covered` events (-1: failed) indexed by a slice of at most `slice` events; true
    // when the slice was full, so more may wait behind it.
    bool indexed(qint64 covered, qint64 slice);
    void searchStep(const SearchQuery &query, QObject *receiver, const SearchDone &done);

    QThread m_thread;
    QAtomicInt m_queuedBatches;    // given to write() and not yet started
    bool m_indexScheduled = false; // m_thread only, like the rest below
    qint64 m_sliceEvents = 64;     // how many events an index slice takes; adapts to ~20 ms
    qint64 m_unindexedEvents = 0;  // stored since the index was last complete, and their bytes
    qint64 m_unindexedBytes = 0;
    qint64 m_maxLagBytes = maxLagBytes;
    QObject *m_context = nullptr;  // lives on m_thread: where the work is queued
    QTimer *m_quiet = nullptr;     // on m_thread: restarted by every batch, indexes when it fires
    EventStore *m_store = nullptr; // made, used and deleted on m_thread only
};

} // namespace casefile
