#pragma once

#include <QtGlobal>

namespace casefile {

// The numbers of docs/PROTOCOL.md section 6 the client needs before the server has told it its
// own (welcome.limits, welcome.heartbeatMs). The server's values win when they are smaller.
namespace SyncLimits {

inline constexpr int protocolVersion = 1;
inline constexpr qint64 frameBytes = 1024 * 1024;
inline constexpr int eventsPerAppend = 1000;
inline constexpr int heartbeatMs = 15000;
// The server closes a connection silent for 45 s; the client gives up on one just as fast.
inline constexpr int silenceTimeoutMs = 45000;

} // namespace SyncLimits

} // namespace casefile
