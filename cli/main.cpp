// casefile-cli: the scriptable client. Today it works on a local store; the live commands
// (open, run, events --follow …) arrive with casefiled.
#include "RedactCommand.h"
#include "VerifyCommand.h"
#include "RemoteCommands.h"
#include "StoreCommands.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#ifdef Q_OS_UNIX
#include <QSocketNotifier>

#include <fcntl.h>
#include <unistd.h>
#endif

namespace {
#ifdef Q_OS_UNIX
int s_interruptPipe[2] = {-1, -1};
volatile std::sig_atomic_t s_interrupts = 0;
void onInterrupt(int)
{
    // Only write(2) and _exit(2), which are async-signal-safe: the handler may interrupt malloc
    // or a lock held by Qt's event queue. The event loop reads the byte and does the work; a
    // third Ctrl+C ends the process at once, should the event loop be stuck (a full pipe).
    const int savedErrno = errno;
    if (++s_interrupts >= 3)
        ::_exit(130);
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(s_interruptPipe[1], &byte, 1);
    errno = savedErrno;
}

bool nonBlockingCloseOnExec(int fd)
{
    return ::fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 &&
           ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK) == 0;
}

// Ctrl+C reaches `remote` through the event loop, once per press.
bool routeInterrupts(casefile::RemoteCommands *remote)
{
    if (::pipe(s_interruptPipe) != 0 || !nonBlockingCloseOnExec(s_interruptPipe[0]) ||
        !nonBlockingCloseOnExec(s_interruptPipe[1]))
        return false;
    auto *notifier = new QSocketNotifier(s_interruptPipe[0], QSocketNotifier::Read, remote);
    QObject::connect(notifier, &QSocketNotifier::activated, remote, [remote] {
        char byte = 0;
        while (::read(s_interruptPipe[0], &byte, 1) > 0)
            remote->interrupt();
    });
    struct sigaction action = {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0;
}

void stopRoutingInterrupts()
{
    std::signal(SIGINT, SIG_DFL);
}
#else
casefile::RemoteCommands *s_remote = nullptr;
void onInterrupt(int)
{
    // Windows runs the handler on a thread of its own: queueing the work is safe there.
    if (s_remote)
        QMetaObject::invokeMethod(s_remote, [] { s_remote->interrupt(); }, Qt::QueuedConnection);
    std::signal(SIGINT, onInterrupt); // reset to the default after each signal there
}

bool routeInterrupts(casefile::RemoteCommands *remote)
{
    s_remote = remote;
    return std::signal(SIGINT, onInterrupt) != SIG_ERR;
}

void stopRoutingInterrupts()
{
    std::signal(SIGINT, SIG_DFL);
    s_remote = nullptr;
}
#endif
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("casefile-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CASEFILE_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);

    const QStringList args = app.arguments().mid(1);
    // The connection options may come before the command; a token is never taken for one (and
    // echoed back as unknown). The local commands get what follows theirs, and a --json given
    // before it.
    const QString command = casefile::RemoteCommands::commandOf(args);
    const qsizetype at = args.indexOf(command);
    QStringList local = args.mid(at + 1);
    if (args.mid(0, at).contains(QLatin1String("--json")))
        local.prepend(QStringLiteral("--json"));
    if (command.isEmpty() || command == QLatin1String("--help") ||
        command == QLatin1String("help")) {
        err << QCoreApplication::translate("main",
                                           "usage: casefile-cli COMMAND …\n"
                                           "  endpoints                         list enrolled endpoints\n"
                                           "  open --endpoint ID [--title T] [--ticket R] [--tag T]   open a session, print its id\n"
                                           "  run --session ID [--change] [--shell S] -- COMMAND       run it on the endpoint\n"
                                           "  events --session ID [--after N] [--follow]\n"
                                           "  hypothesis --session ID add TEXT | rule-out HID | confirm HID | reopen HID\n"
                                           "  chat|note --session ID TEXT;  close --session ID;  cancel --session ID --command ID\n"
                                           "  redact [--dictionary FILE] [--json] < FILE   scrub personal data from a text (or list it)\n"
                                           "  publish --session ID… --title T [--expires 7d] [--audience org|link] --accept-all-findings\n"
                                           "  snapshots;  revoke --snapshot ID   list or withdraw published snapshots\n"
                                           "  verify FILE [--key PUBKEY]   check a snapshot's signature and chains; print what it covers\n"
                                           "  store …     work with a local Casefile store (store --help)\n"
                                           "  (--server URL --token TOKEN, or CASEFILE_SERVER / CASEFILE_TOKEN; --json everywhere)\n"
                                           "  --version   print the version\n");
        err.flush();
        return command.isEmpty() ? 2 : 0;
    }
    if (command == QLatin1String("--version")) {
        out << QCoreApplication::applicationName() << ' ' << QCoreApplication::applicationVersion() << Qt::endl;
        return 0;
    }
    if (command == QLatin1String("redact"))
        return casefile::RedactCommand::run(local, out, err);
    if (command == QLatin1String("verify"))
        return casefile::VerifyCommand::run(local, out, err);
    if (command == QLatin1String("store")) {
        casefile::StoreCommands commands(out, err);
        return commands.run(local);
    }
    if (casefile::RemoteCommands::handles(command)) {
        casefile::RemoteCommands remote(out, err);
        const int code = remote.start(app.arguments());
        if (code >= 0)
            return code;
        if (!routeInterrupts(&remote))
            err << QCoreApplication::translate("main", "(Ctrl+C cannot cancel: %1)")
                       .arg(QString::fromLocal8Bit(std::strerror(errno)))
                << Qt::endl;
        const int exitCode = app.exec();
        stopRoutingInterrupts(); // `remote` goes now
        return exitCode;
    }
    err << QCoreApplication::translate("main", "unknown command '%1' (try --help)")
               .arg(command.left(64))
        << Qt::endl;
    return 2;
}
