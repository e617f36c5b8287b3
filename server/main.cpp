// casefiled: the Casefile server. `casefiled [--listen HOST:PORT] [--data DIR]` serves;
// `casefiled admin …` manages the directory (see AdminCommands).
#include "AdminCommands.h"
#include "Server.h"
#include "process/SignalNotifier.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QStandardPaths>
#include <QTextStream>

#include <csignal>
#include <cstring>

using namespace casefile;

namespace {
QString defaultDataDir()
{
    const QString env = qEnvironmentVariable("CASEFILE_DATA");
    return env.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
            + QStringLiteral("/casefile")
                         : env;
}

} // namespace

int main(int argc, char **argv)
{
#ifdef SIGXFSZ
    // Before any file is written: past a file size limit (ulimit -f) a write fails with EFBIG,
    // like on a full disk, and the store answers `unavailable` until there is room; the
    // default action would end the server.
    std::signal(SIGXFSZ, SIG_IGN);
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("casefiled"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CASEFILE_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);

    const QStringList args = app.arguments();
    if (args.size() > 1 && args.at(1) == QLatin1String("admin")) {
        AdminCommands admin(out, err);
        return admin.run(args.mid(2), defaultDataDir());
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("main", "Casefile server"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({{QStringLiteral("listen"), QCoreApplication::translate("main", "Address and port."),
                        QStringLiteral("host:port"), QStringLiteral("127.0.0.1:8470")},
                       {QStringLiteral("data"), QCoreApplication::translate("main", "Data directory."),
                        QStringLiteral("dir"), defaultDataDir()},
                       {QStringLiteral("tls-cert"), QCoreApplication::translate("main", "PEM certificate (https/wss)."),
                        QStringLiteral("file")},
                       {QStringLiteral("tls-key"), QCoreApplication::translate("main", "PEM private key."),
                        QStringLiteral("file")},
                       {QStringLiteral("public-url"),
                        QCoreApplication::translate("main", "Base URL of snapshot links (default: the listening address)."),
                        QStringLiteral("url")}});
    parser.process(app);

    ServerConfig config;
    const QString listen = parser.value(QStringLiteral("listen"));
    const qsizetype colon = listen.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const uint port = colon > 0 ? listen.mid(colon + 1).toUInt(&portOk) : 0;
    config.address = QHostAddress(listen.left(colon).remove(QLatin1Char('[')).remove(QLatin1Char(']')));
    if (!portOk || port > 65535 || config.address.isNull()) {
        err << QCoreApplication::translate("main", "--listen: expected HOST:PORT, e.g. 127.0.0.1:8470") << Qt::endl;
        return 2;
    }
    config.port = quint16(port);
    config.dataDir = parser.value(QStringLiteral("data"));
    config.tlsCert = parser.value(QStringLiteral("tls-cert"));
    config.tlsKey = parser.value(QStringLiteral("tls-key"));
    if (parser.isSet(QStringLiteral("public-url"))) {
        config.publicUrl = QUrl(parser.value(QStringLiteral("public-url")), QUrl::StrictMode);
        if (!config.publicUrl.isValid() || !config.publicUrl.scheme().startsWith(QLatin1String("http"))) {
            err << QCoreApplication::translate("main", "--public-url: expected an http(s) URL") << Qt::endl;
            return 2;
        }
    }

    Server server;
    QString error;
    if (!server.start(config, &error)) {
        err << QCoreApplication::translate("main", "casefiled: %1").arg(error) << Qt::endl;
        return 1;
    }
    // Every acknowledged append is already committed; quitting only closes sockets cleanly.
    if (!SignalNotifier::quitOnSignals(&app))
        qWarning("cannot handle SIGTERM: %s", std::strerror(errno));
    // Tests and scripts read this line to learn the port (with --listen …:0).
    out << QCoreApplication::translate("main", "casefiled listening on %1://%2:%3 (data: %4)")
               .arg(server.isTls() ? QStringLiteral("https") : QStringLiteral("http"),
                    config.address.toString())
               .arg(server.port())
               .arg(config.dataDir)
        << Qt::endl;
    return app.exec();
}
