#include "ConsoleApp.h"
#include "Theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

using namespace casefile;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Casefile"));
    QApplication::setApplicationName(QStringLiteral("casefile"));
    QApplication::setApplicationDisplayName(QStringLiteral("Casefile"));
    QApplication::setApplicationVersion(QStringLiteral(CASEFILE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.casefile.Casefile"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/casefile.svg")));

    // Translations by the user's locale: Qt's own and ours (compiled in by lrelease).
    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("casefile"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Casefile technician console"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption serverOption(QStringLiteral("server"),
                                    QApplication::translate("main", "Server address (default: CASEFILE_SERVER or the last one)."),
                                    QStringLiteral("url"));
    QCommandLineOption tokenOption(QStringLiteral("token"),
                                   QApplication::translate("main", "Access token (default: CASEFILE_TOKEN or the keychain)."),
                                   QStringLiteral("token"));
    // Not "--session": QGuiApplication takes -session/--session for X11 session management.
    QCommandLineOption sessionOption(QStringLiteral("open"), QApplication::translate("main", "Session to open."),
                                     QStringLiteral("session-id"));
    parser.addOptions({serverOption, tokenOption, sessionOption});
    parser.addPositionalArgument(QStringLiteral("link"), QApplication::translate("main", "A casefile:// link or a snapshot link to open."),
                                 QStringLiteral("[link]"));
    parser.process(app);

    Theme::apply(Theme::fromString(QSettings().value(QStringLiteral("theme")).toString()));

    const QString server = parser.isSet(serverOption) ? parser.value(serverOption) : qEnvironmentVariable("CASEFILE_SERVER");
    const QString token = parser.isSet(tokenOption) ? parser.value(tokenOption) : qEnvironmentVariable("CASEFILE_TOKEN");
    ConsoleApp console;
    console.start(server, token, parser.value(sessionOption), parser.positionalArguments().value(0));
    return app.exec();
}
