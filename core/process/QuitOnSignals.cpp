#include "QuitOnSignals.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace casefile {

namespace {

int s_pipe[2] = {-1, -1};
volatile std::sig_atomic_t s_pending = 0;
volatile std::sig_atomic_t s_received = 0;

void onSignal(int signal)
{
    // write(2) and _exit(2) only: both are async-signal-safe.
    const int savedErrno = errno;
    if (s_pending)
        ::_exit(128 + signal);
    s_pending = 1;
    s_received = signal;
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

bool QuitOnSignals::install(QObject *parent, std::initializer_list<int> which)
{
    if (s_pipe[0] < 0) {
        if (::pipe(s_pipe) != 0 || !nonBlockingCloseOnExec(s_pipe[0]) ||
            !nonBlockingCloseOnExec(s_pipe[1]))
            return false;
    }
    auto *self = new QuitOnSignals(parent);
    self->m_notifier = new QSocketNotifier(s_pipe[0], QSocketNotifier::Read, self);
    connect(self->m_notifier, &QSocketNotifier::activated, self, &QuitOnSignals::drain);
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

int QuitOnSignals::received()
{
    return s_received;
}

void QuitOnSignals::drain()
{
    char byte = 0;
    while (::read(s_pipe[0], &byte, 1) > 0) {
    }
    QCoreApplication::quit();
}

} // namespace casefile
