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
#include "process/SignalNotifier.h"
#endif

namespace {
#ifdef Q_OS_UNIX
// Ctrl+C reaches `remote` through the event loop, once per press; a third ends the process at
// once, should the event loop be stuck (a full pipe).
bool routeInterrupts(casefile::RemoteCommands *remote)
{
    return casefile::SignalNotifier::install(remote, {SIGINT}, 3,
                                             [remote](int) { remote->interrupt(); });
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
