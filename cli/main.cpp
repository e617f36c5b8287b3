// casefile-cli: the scriptable client. Today it works on a local store; the live commands
// (open, run, events --follow …) arrive with casefiled.
#include "StoreCommands.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

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
                                           "  store …     work with a local Casefile store (store --help)\n"
                                           "  --version   print the version\n");
        err.flush();
        return args.isEmpty() ? 2 : 0;
    }
    if (args.first() == QLatin1String("--version")) {
        out << QCoreApplication::applicationName() << ' ' << QCoreApplication::applicationVersion() << Qt::endl;
        return 0;
    }
    if (args.first() == QLatin1String("store")) {
        casefile::StoreCommands commands(out, err);
        return commands.run(args.mid(1));
    }
    err << QCoreApplication::translate("main", "unknown command '%1' (try --help)").arg(args.first()) << Qt::endl;
    return 2;
}
