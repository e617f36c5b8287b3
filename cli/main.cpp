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
void onInterrupt(int)
{
    // Only write(2), which is async-signal-safe: the handler may interrupt malloc or a lock
    // held by Qt's event queue. The event loop reads the byte and does the work.
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(s_interruptPipe[1], &byte, 1);
}

// Ctrl+C reaches `remote` through the event loop.
bool routeInterrupts(casefile::RemoteCommands *remote)
{
    if (::pipe2(s_interruptPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    auto *notifier = new QSocketNotifier(s_interruptPipe[0], QSocketNotifier::Read, remote);
    QObject::connect(notifier, &QSocketNotifier::activated, remote, [remote] {
        char bytes[16];
        while (::read(s_interruptPipe[0], bytes, sizeof bytes) > 0) {
        }
        remote->interrupt();
    });
    struct sigaction action = {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0;
}
#else
casefile::RemoteCommands *s_remote = nullptr;
void onInterrupt(int)
{
    // Windows runs the handler on a thread of its own: queueing the work is safe there.
    if (s_remote)
        QMetaObject::invokeMethod(s_remote, [] { s_remote->interrupt(); }, Qt::QueuedConnection);
}

bool routeInterrupts(casefile::RemoteCommands *remote)
{
    s_remote = remote;
    return std::signal(SIGINT, onInterrupt) != SIG_ERR;
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

    QStringList args = app.arguments().mid(1);
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("help")) {
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
        return args.isEmpty() ? 2 : 0;
    }
    if (args.first() == QLatin1String("--version")) {
        out << QCoreApplication::applicationName() << ' ' << QCoreApplication::applicationVersion() << Qt::endl;
        return 0;
    }
    if (args.first() == QLatin1String("redact"))
        return casefile::RedactCommand::run(args.mid(1), out, err);
    if (args.first() == QLatin1String("verify"))
        return casefile::VerifyCommand::run(args.mid(1), out, err);
    if (args.first() == QLatin1String("store")) {
        casefile::StoreCommands commands(out, err);
        return commands.run(args.mid(1));
    }
    // The connection options may come before the command; a token is never echoed back.
    const QString command = casefile::RemoteCommands::commandOf(args);
    if (casefile::RemoteCommands::handles(command)) {
        casefile::RemoteCommands remote(out, err);
        const int code = remote.start(app.arguments());
        if (code >= 0)
            return code;
        if (!routeInterrupts(&remote))
            err << QCoreApplication::translate("main", "(Ctrl+C cannot cancel: %1)")
                       .arg(QString::fromLocal8Bit(std::strerror(errno)))
                << Qt::endl;
        return app.exec();
    }
    if (command.isEmpty())
        err << QCoreApplication::translate("main", "no command (try --help)") << Qt::endl;
    else
        err << QCoreApplication::translate("main", "unknown command '%1' (try --help)")
                   .arg(command.left(64))
            << Qt::endl;
    return 2;
}
