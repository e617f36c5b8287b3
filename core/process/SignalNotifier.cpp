#include "SignalNotifier.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace casefile {

namespace {

int s_pipe[2] = {-1, -1};
volatile std::sig_atomic_t s_count = 0;
volatile std::sig_atomic_t s_exitAt = 0;
volatile std::sig_atomic_t s_received = 0;

void onSignal(int signal)
{
    // write(2) and _exit(2) only: both are async-signal-safe.
    const int savedErrno = errno;
    s_received = signal;
    if (++s_count >= s_exitAt)
        ::_exit(128 + signal);
    const char byte = char(signal);
    [[maybe_unused]] const ssize_t written = ::write(s_pipe[1], &byte, 1);
    errno = savedErrno;
}

bool nonBlockingCloseOnExec(int fd)
{
    return ::fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 &&
           ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK) == 0;
}

} // namespace

bool SignalNotifier::install(QObject *parent, std::initializer_list<int> which, int exitAt,
                             std::function<void(int)> handler)
{
    if (s_pipe[0] < 0) {
        if (::pipe(s_pipe) != 0 || !nonBlockingCloseOnExec(s_pipe[0]) ||
            !nonBlockingCloseOnExec(s_pipe[1]))
            return false;
    }
    s_exitAt = exitAt;
    auto *self = new SignalNotifier(parent);
    self->m_handler = std::move(handler);
    auto *notifier = new QSocketNotifier(s_pipe[0], QSocketNotifier::Read, self);
    connect(notifier, &QSocketNotifier::activated, self, &SignalNotifier::drain);
    for (const int signal : which) {
        struct sigaction action = {};
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        if (::sigaction(signal, &action, nullptr) != 0)
            return false;
    }
    return true;
}

bool SignalNotifier::quitOnSignals(QObject *parent)
{
    return install(parent, {SIGINT, SIGTERM}, 2, [](int) { QCoreApplication::quit(); });
}

int SignalNotifier::received()
{
    return s_received;
}

void SignalNotifier::drain()
{
    char byte = 0;
    while (::read(s_pipe[0], &byte, 1) > 0)
        m_handler(int(byte));
}

} // namespace casefile
