// casefile-cli: the scriptable client. Today it works on a local store; the live commands
// (open, run, events --follow …) arrive with casefiled.
#include "RedactCommand.h"
#include "VerifyCommand.h"
#include "RemoteCommands.h"
#include "StoreCommands.h"

#include <QCoreApplication>
#include <QTextStream>

#include <csignal>
#include <cstdio>

namespace {
casefile::RemoteCommands *s_remote = nullptr;
void onInterrupt(int)
{
    // Only queue the work: the handler itself must stay async-signal-safe enough.
    if (s_remote)
        QMetaObject::invokeMethod(s_remote, [] { s_remote->interrupt(); }, Qt::QueuedConnection);
}
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
    if (casefile::RemoteCommands::handles(args.first())) {
        casefile::RemoteCommands remote(out, err);
        const int code = remote.start(app.arguments());
        if (code >= 0)
            return code;
        s_remote = &remote;
        std::signal(SIGINT, onInterrupt);
        return app.exec();
    }
    err << QCoreApplication::translate("main", "unknown command '%1' (try --help)").arg(args.first()) << Qt::endl;
    return 2;
}
