#pragma once

#include <QList>
#include <QStringList>
#include <QtGlobal>

#include <algorithm>
#include <functional>

// Small helpers the benchmarks share: options, clocks, waiting, percentiles and what /proc says
// about a process.
namespace BenchUtil {

// `--name VALUE` from the arguments, or `fallback`.
qint64 option(const QStringList &args, const char *name, qint64 fallback);

// Monotonic nanoseconds, for durations (same clock in every thread of the process).
qint64 steadyNs();
// Wall-clock microseconds since the epoch: the clock an event's `at` is taken from.
qint64 wallUs();
// An event's `at` (YYYY-MM-DDTHH:MM:SS.mmmZ) in milliseconds since the epoch, -1 if malformed.
qint64 timestampMs(const QString &at);

// The p-th percentile (0..100) of `values`, sorting them; 0 when empty.
template<typename T>
T percentile(QList<T> &values, double p)
{
    if (values.isEmpty())
        return T();
    std::sort(values.begin(), values.end());
    const qsizetype index = std::min<qsizetype>(values.size() - 1, qsizetype(p / 100.0 * double(values.size())));
    return values.at(index);
}

double perSecond(double count, qint64 ns);

// Runs the event loop until `done` or `timeoutMs`; whether `done` became true. `done` is polled
// every 5 ms and must not run an event loop itself; the benchmarks take their times where
// messages arrive, so the polling costs no accuracy.
bool waitUntil(const std::function<bool()> &done, int timeoutMs);

// Raises the soft RLIMIT_NOFILE to `wanted` (at most the hard limit); the new soft limit.
qint64 raiseFileLimit(qint64 wanted);
// VmRSS of a process in KiB, -1 when unreadable.
qint64 rssKiB(qint64 pid);
// User + system CPU seconds a process has used so far, -1 when unreadable.
double cpuSeconds(qint64 pid);
// Bytes a process has caused to be written to storage (write_bytes of /proc/PID/io), -1 when
// unreadable.
qint64 storageWriteBytes(qint64 pid);
// Open file descriptors of a process.
qint64 openFds(qint64 pid);

} // namespace BenchUtil
