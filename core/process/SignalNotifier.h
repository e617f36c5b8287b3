#pragma once

#include <QObject>

#include <functional>
#include <initializer_list>

namespace casefile {

// Hands POSIX signals (SIGINT, SIGTERM) to the event loop, the way a signal handler may: the
// handler only writes the signal's number to a pipe (async-signal-safe) and the event loop,
// reading it, calls `handler` once per signal. Doing the work in the handler itself can
// deadlock: the signal may interrupt malloc or a lock held by Qt's event queue. The
// `exitAt`-th signal ends the process at once (exit code 128 + signal), for a program whose
// event loop or shutdown is stuck.
class SignalNotifier : public QObject
{
    Q_OBJECT

public:
    // One per process. False (errno set) when the pipe or a handler cannot be set up.
    static bool install(QObject *parent, std::initializer_list<int> which, int exitAt,
                        std::function<void(int signal)> handler);
    // SIGINT and SIGTERM quit the application's event loop; a second one exits at once.
    static bool quitOnSignals(QObject *parent);

    // The last signal received, 0 if none was.
    static int received();

private:
    using QObject::QObject;
    void drain();

    std::function<void(int)> m_handler;
};

} // namespace casefile
