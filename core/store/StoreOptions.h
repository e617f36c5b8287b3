#pragma once

namespace casefile {

struct StoreOptions
{
    enum class Durability {
        // fsync on every commit: an acknowledged event survives a killed process and a power
        // cut. The default; group commit (many events per append) keeps it fast.
        Full,
        // WAL with synchronous=NORMAL: survives a killed process, a power cut may lose the last
        // commits. For caches that can be refilled from the server.
        Normal,
    };

    Durability durability = Durability::Full;
    bool readOnly = false;
    // Largest size the database may grow to, in bytes; 0 for no limit. An append that would
    // pass it fails like a full disk does: with an error, and nothing of the batch stored.
    qint64 maxBytes = 0;
    // Leave the full-text index behind the appends, for EventStore::indexSearchText() to bring
    // up to date (the server's writer thread does it while no append waits). Indexing a
    // command's output costs about as much as storing it; deferred, it runs in larger batches
    // and off the path of the acknowledgement. A search completes the index first either way.
    bool deferSearchIndex = false;
};

} // namespace casefile
