#pragma once

#include <QObject>

#include <initializer_list>

class QSocketNotifier;

namespace casefile {

// Quits the application's event loop on SIGINT/SIGTERM (or the signals given), the way a
// signal handler may: the handler only writes a byte to a pipe (async-signal-safe) and the event
// loop, reading it, calls QCoreApplication::quit(). Calling quit() in the handler itself can
// deadlock: the signal may interrupt malloc or a lock held by Qt's event queue. A second signal
// after the first ends the process at once (exit code 128 + signal), for a program whose event
// loop or shutdown is stuck.
class QuitOnSignals : public QObject
{
    Q_OBJECT

public:
    // One per process. False (errno set) when the pipe or a handler cannot be set up.
    static bool install(QObject *parent, std::initializer_list<int> which);

    // The signal that asked to quit, 0 if none did.
    static int received();

private:
    using QObject::QObject;
    void drain();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace casefile
