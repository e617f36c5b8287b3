// casefile-agent: enrolls an endpoint (`enroll`) and runs as its agent (`run`).
#include "Agent.h"
#include "AgentState.h"
#include "AutoConsentPrompt.h"
#include "DialogConsentPrompt.h"
#include "TtyConsentPrompt.h"
#include "process/SignalNotifier.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTextStream>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

using namespace casefile;

namespace {

QString defaultStateDir()
{
    const QString env = qEnvironmentVariable("CASEFILE_AGENT_STATE");
    return env.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
            + QStringLiteral("/casefile-agent")
                         : env;
}

// ws://host:port/ws for the agent's connection, http://host:port for enrollment.
QUrl toScheme(QUrl url, bool websocket)
{
    const QString scheme = url.scheme();
    const bool secure = scheme == QLatin1String("https") || scheme == QLatin1String("wss");
    url.setScheme(websocket ? (secure ? QStringLiteral("wss") : QStringLiteral("ws"))
                            : (secure ? QStringLiteral("https") : QStringLiteral("http")));
    url.setPath(websocket ? QStringLiteral("/ws") : QString());
    return url;
}

int enroll(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions({{QStringLiteral("server"), QCoreApplication::translate("main", "Server URL."), QStringLiteral("url")},
                       {QStringLiteral("code"), QCoreApplication::translate("main", "One-time enrollment code."), QStringLiteral("code")},
                       {QStringLiteral("state"), QCoreApplication::translate("main", "State directory."), QStringLiteral("dir"), defaultStateDir()}});
    if (!parser.parse(args) || !parser.isSet(QStringLiteral("server")) || !parser.isSet(QStringLiteral("code"))) {
        err << QCoreApplication::translate("main", "usage: casefile-agent enroll --server URL --code CODE [--state DIR]") << Qt::endl;
        return 2;
    }
    const QUrl server(parser.value(QStringLiteral("server")));
    QNetworkAccessManager manager;
    QNetworkRequest request(toScheme(server, false).resolved(QUrl(QStringLiteral("/api/enroll"))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(30000);
    const QJsonObject body{{QStringLiteral("code"), parser.value(QStringLiteral("code"))},
                           {QStringLiteral("hostname"), QSysInfo::machineHostName()},
                           {QStringLiteral("os"), QSysInfo::prettyProductName()}};
    std::unique_ptr<QNetworkReply> reply(manager.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact)));
    QEventLoop loop;
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    if (status != 200) {
        err << QCoreApplication::translate("main", "enrollment failed: %1")
                   .arg(answer.value(QStringLiteral("error")).toString(status ? QString::number(status) : reply->errorString()))
            << Qt::endl;
        return 1;
    }
    AgentState state;
    state.server = toScheme(server, true);
    state.endpoint = answer.value(QStringLiteral("endpoint")).toString();
    state.token = answer.value(QStringLiteral("token")).toString();
    state.org = answer.value(QStringLiteral("org")).toString();
    state.clientGroup = answer.value(QStringLiteral("clientGroup")).toString();
    QString error;
    if (!state.save(parser.value(QStringLiteral("state")), &error)) {
        err << QCoreApplication::translate("main", "cannot save the credentials: %1").arg(error) << Qt::endl;
        return 1;
    }
    out << QCoreApplication::translate("main", "enrolled as endpoint %1; credentials in %2")
               .arg(state.endpoint, AgentState::filePath(parser.value(QStringLiteral("state"))))
        << Qt::endl;
    return 0;
}

bool hasDisplay()
{
    const QString platform = qEnvironmentVariable("QT_QPA_PLATFORM");
    if (platform == QLatin1String("offscreen") || platform == QLatin1String("minimal"))
        return false;
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
}

// A command's output passes through as 64 KiB chunks and frames of up to 1 MiB, each one
// freed right after it is sent. With glibc's defaults (buffers over 128 KiB mapped on their
// own, the heap trimmed when 256 KiB are free at its top) each of them came back from the
// kernel as fresh pages, faulted in and zeroed: 15% of the agent's CPU in bench_e2e. Keeping
// up to 8 MiB on the heap costs the endpoint that much memory at most.
void keepBuffersOnTheHeap()
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 2 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 8 * 1024 * 1024);
#endif
}

} // namespace

int main(int argc, char **argv)
{
    keepBuffersOnTheHeap();
#ifdef SIGXFSZ
    // Before any file is written: past `ulimit -f` the outbox and journal report a write error
    // (like on a full disk) instead of the signal ending the agent.
    std::signal(SIGXFSZ, SIG_IGN);
#endif
    QStringList raw;
    for (int i = 0; i < argc; ++i)
        raw.append(QString::fromLocal8Bit(argv[i]));
    const QString command = raw.size() > 1 ? raw.at(1) : QString();
    const QStringList args = QStringList{raw.value(0)} + raw.mid(2);

    // The consent dialog needs a QApplication; everything else runs headless.
    std::unique_ptr<QCoreApplication> app;
    QString consentMode = QStringLiteral("prompt");
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--consent") && i + 1 < args.size())
            consentMode = args.at(i + 1);
        else if (args.at(i).startsWith(QLatin1String("--consent=")))
            consentMode = args.at(i).mid(10);
    }
    const bool dialog = command == QLatin1String("run") && consentMode == QLatin1String("prompt") && hasDisplay();
    if (dialog)
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("casefile-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CASEFILE_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);

    if (command == QLatin1String("enroll"))
        return enroll(args, out, err);
    if (command != QLatin1String("run")) {
        err << QCoreApplication::translate(
                   "main", "usage: casefile-agent enroll --server URL --code CODE [--state DIR]\n"
                           "       casefile-agent run [--state DIR] [--consent "
                           "prompt|tty|stdin|auto-approve|deny]\n"
                           "                          [--consent-timeout SECONDS] [--policy FILE] "
                           "[--max-held-mb MB]")
            << Qt::endl;
        return 2;
    }

    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions(
        {{QStringLiteral("state"), QCoreApplication::translate("main", "State directory."),
          QStringLiteral("dir"), defaultStateDir()},
         {QStringLiteral("consent"),
          QCoreApplication::translate("main",
                                      "How to ask: prompt, tty, stdin, auto-approve, deny."),
          QStringLiteral("mode"), QStringLiteral("prompt")},
         {QStringLiteral("consent-timeout"),
          QCoreApplication::translate("main", "Seconds to wait for an answer (0: no limit)."),
          QStringLiteral("seconds"), QStringLiteral("120")},
         {QStringLiteral("policy"), QCoreApplication::translate("main", "Consent policy file."),
          QStringLiteral("file")},
         {QStringLiteral("max-held-mb"),
          QCoreApplication::translate(
              "main", "Output kept in memory while the outbox cannot write (a full disk) before "
                      "running commands are paused."),
          QStringLiteral("MB"), QStringLiteral("64")}});
    if (!parser.parse(args)) {
        err << parser.errorText() << Qt::endl;
        return 2;
    }
    QString error;
    const auto state = AgentState::load(parser.value(QStringLiteral("state")), &error);
    if (!state) {
        err << error << Qt::endl;
        return 1;
    }

    bool heldOk = false;
    const double heldMb = parser.value(QStringLiteral("max-held-mb")).toDouble(&heldOk);
    // The negated form also refuses NaN; the bound keeps the byte count in range.
    if (!heldOk || !(heldMb > 0 && heldMb <= 1000000)) {
        err << QCoreApplication::translate(
                   "main", "--max-held-mb: expected a number of megabytes above 0, at most 1000000")
            << Qt::endl;
        return 2;
    }

    bool timeoutOk = false;
    const int consentTimeoutS = parser.value(QStringLiteral("consent-timeout")).toInt(&timeoutOk);
    // 0 waits for an answer without a limit; anything else that is not a whole number of seconds
    // up to a week would have meant the same by accident.
    if (!timeoutOk || consentTimeoutS < 0 || consentTimeoutS > 7 * 24 * 3600) {
        err << QCoreApplication::translate(
                   "main", "--consent-timeout: expected whole seconds from 0 (no limit) to 604800")
            << Qt::endl;
        return 2;
    }

    const QString mode = parser.value(QStringLiteral("consent"));
    ConsentPrompt *prompt = nullptr;
    if (const auto policy = AutoConsentPrompt::policyFromName(mode)) {
        prompt = new AutoConsentPrompt(*policy);
    } else if (mode == QLatin1String("tty") || (mode == QLatin1String("prompt") && !dialog)) {
        auto *tty = new TtyConsentPrompt();
        if (!tty->isOpen()) {
            // Nobody can be asked: deny rather than run a change unasked.
            err << QCoreApplication::translate("main", "no terminal to ask on (%1); every change will be denied")
                       .arg(tty->errorString())
                << Qt::endl;
            delete tty;
            prompt = new AutoConsentPrompt(AutoConsentPrompt::Policy::Deny);
        } else {
            prompt = tty;
        }
    } else if (mode == QLatin1String("stdin")) {
        // For a program that wraps the agent: questions on stderr, answers on stdin.
        prompt = new TtyConsentPrompt(STDIN_FILENO, STDERR_FILENO);
    } else if (mode == QLatin1String("prompt")) {
        prompt = new DialogConsentPrompt();
    } else {
        err << QCoreApplication::translate("main", "--consent: expected prompt, tty, stdin, auto-approve or deny") << Qt::endl;
        return 2;
    }

    Agent::Config config;
    config.stateDir = parser.value(QStringLiteral("state"));
    config.server = state->server;
    config.token = state->token;
    config.endpoint = state->endpoint;
    config.policyPath = parser.value(QStringLiteral("policy"));
    config.consentTimeoutMs = consentTimeoutS * 1000;
    config.maxHeldBytes = qint64(heldMb * 1024 * 1024);
    Agent agent(config, prompt);
    bool failed = false;
    QObject::connect(&agent, &Agent::fatal, app.get(), [&err, &failed](const QString &message) {
        err << message << Qt::endl;
        failed = true;
        QCoreApplication::exit(1); // does nothing before exec(): `failed` says it then
    });
    bool wasOnline = false;
    QObject::connect(&agent, &Agent::connectedChanged, app.get(), [&out, &state, &wasOnline](bool online) {
        if (online == wasOnline)
            return;
        wasOnline = online;
        out << (online ? QCoreApplication::translate("main", "casefile-agent: online as endpoint %1 at %2")
                             .arg(state->endpoint, state->server.toString())
                       : QCoreApplication::translate("main", "casefile-agent: offline, reconnecting"))
            << Qt::endl;
    });
    if (!agent.start(&error)) {
        err << error << Qt::endl;
        return 1;
    }
    if (failed)
        return 1; // e.g. an outbox that cannot be opened: a supervisor must see the agent end
    // Quitting runs the destructors: running commands are stopped and what was recorded is queued.
    if (!SignalNotifier::quitOnSignals(app.get()))
        err << QCoreApplication::translate("main", "cannot handle SIGTERM: %1")
                   .arg(QString::fromLocal8Bit(std::strerror(errno)))
            << Qt::endl;
    std::signal(SIGPIPE, SIG_IGN); // a closed terminal or pipe is an error to handle, not a death
    return app->exec();
}
