#pragma once

#include <QtGlobal>

namespace casefile {

// The numbers both sides of the wire protocol agree on (docs/PROTOCOL.md, section 6).
struct ProtocolLimits
{
    static constexpr int version = 1;
    static constexpr qint64 frameBytes = 1024 * 1024;
    static constexpr int eventsPerAppend = 1000;
    static constexpr int requestsPerSecond = 2000;
    static constexpr int requestBurst = 4000;
    static constexpr int helloTimeoutMs = 10000;
    static constexpr int heartbeatMs = 15000;
    static constexpr int idleTimeoutMs = 45000;
    // A subscriber with more than this waiting to be written is taken off live delivery.
    static constexpr qint64 slowSubscriberBytes = 4 * 1024 * 1024;
    // A connection with more than this of its replies unread is dropped: replies, unlike
    // pushes, cannot wait for the store, and a client that asks without reading would have
    // the server hold them all.
    static constexpr qint64 unreadBytes = 64 * 1024 * 1024;
    // Events pushed per frame are batched up to about this many bytes.
    static constexpr qint64 pushBatchBytes = 64 * 1024;
};

} // namespace casefile
