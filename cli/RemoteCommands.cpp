#include "RemoteCommands.h"

#include "EventFormatter.h"
#include "RunExit.h"

#include "events/EventCodec.h"
#include "events/bodies/ApprovalDecidedBody.h"
#include "events/bodies/ApprovalRequestedBody.h"
#include "events/bodies/ChatMessageBody.h"
#include "events/bodies/CommandFinishedBody.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/CommandRequestedBody.h"
#include "events/bodies/HypothesisAddedBody.h"
#include "events/bodies/HypothesisUpdatedBody.h"
#include "events/bodies/NoteAddedBody.h"
#include "events/bodies/SessionClosedBody.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <algorithm>
#include <cstdio>

namespace casefile {

namespace {
Q_LOGGING_CATEGORY(lcCli, "casefile.cli")

enum { Ok = 0, Error = 1, Usage = 2 };

QString tr2(const char *text)
{
    return QCoreApplication::translate("RemoteCommands", text);
}

// With --json, stderr carries JSON lines only: the sync layer's log lines (a lost connection
// …) become {"log": category, "level", "message"} objects instead of plain text.
void logAsJson(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    static const char *const levels[] = {"debug", "warning", "critical", "fatal", "info"};
    const QByteArray line =
        QJsonDocument(QJsonObject{{QStringLiteral("log"), QString::fromUtf8(context.category)},
                                  {QStringLiteral("level"),
                                   QLatin1String(levels[std::clamp(int(type), 0, 4)])},
                                  {QStringLiteral("message"), message}})
            .toJson(QJsonDocument::Compact) +
        '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

void addConnectionOptions(QCommandLineParser &p)
{
    p.addOptions({{QStringLiteral("server"), tr2("Server URL (or CASEFILE_SERVER)."), QStringLiteral("url")},
                  {QStringLiteral("token"), tr2("Token (or CASEFILE_TOKEN)."), QStringLiteral("token")},
                  {QStringLiteral("json"), tr2("Machine-readable output.")}});
}
} // namespace

RemoteCommands::RemoteCommands(QTextStream &out, QTextStream &err, QObject *parent)
    : QObject(parent), m_out(out), m_err(err)
{
    m_sync.setClientName(QStringLiteral("casefile-cli/" CASEFILE_VERSION));
    m_cancelRetry.setInterval(1000);
    connect(&m_cancelRetry, &QTimer::timeout, this, &RemoteCommands::sendCancel);
    connect(&m_sync, &SyncClient::welcomed, this, [this] {
        m_connected = true;
        if (m_onWelcome) {
            auto next = std::move(m_onWelcome);
            m_onWelcome = nullptr;
            next();
        }
    });
    connect(&m_sync, &SyncClient::fatalError, this, [this](const QString &code, const QString &message) {
        failed(code, message);
    });
    connect(&m_sync, &SyncClient::stateChanged, this, [this](SyncClient::State state) {
        if (state == SyncClient::State::Reconnecting && !m_json)
            say(tr("(connection lost; reconnecting …)"));
    });
    connect(&m_sync, &SyncClient::acknowledged, this, [this](const QList<AppendAck> &acks) {
        for (const AppendAck &ack : acks) {
            if (auto waiter = m_ackWaiters.take(ack.id))
                waiter(ack.seq);
        }
    });
    connect(&m_sync, &SyncClient::appendRefused, this, [this](const QStringList &, const QString &code, const QString &message) {
        failed(code, message);
    });
    connect(&m_sync, &SyncClient::subscribeFailed, this, [this](const QString &, const QString &code, const QString &message) {
        failed(code, message);
    });
    connect(&m_sync, &SyncClient::subscribed, this,
            [this](const QString &session, qint64 head, const QString &closedAt) {
                if (session != m_session || !m_command.isEmpty())
                    return;
                if (m_head < 0)
                    m_head = head;
                // Following a closed session from past its close: there is nothing to wait for.
                if ((!m_follow || !closedAt.isEmpty()) && m_seen >= m_head)
                    finish(Ok);
            });
    connect(&m_sync, &SyncClient::eventsReceived, this, [this](const QString &session, const QList<Event> &events) {
        if (session != m_session)
            return;
        if (!m_command.isEmpty()) {
            onRunEvents(events);
            return;
        }
        bool closed = false;
        for (const Event &e : events) {
            printEvent(e);
            m_seen = e.seq;
            closed = closed || e.kind == EventKind::SessionClosed;
        }
        m_out.flush();
        // Following ends with the session: nothing can be added after its close.
        if ((!m_follow && m_head >= 0 && m_seen >= m_head) || (m_follow && closed))
            finish(Ok);
    });
}

bool RemoteCommands::handles(const QString &command)
{
    static const QStringList commands = {QStringLiteral("endpoints"), QStringLiteral("open"), QStringLiteral("run"),
                                         QStringLiteral("events"), QStringLiteral("hypothesis"), QStringLiteral("chat"),
                                         QStringLiteral("note"), QStringLiteral("close"), QStringLiteral("cancel"),
                                         QStringLiteral("publish"), QStringLiteral("snapshots"), QStringLiteral("revoke")};
    return commands.contains(command);
}

void RemoteCommands::finish(int code)
{
    // Once: a Ctrl+C handled in the same pass as the command's end must not replace its code.
    if (m_exiting)
        return;
    m_exiting = true;
    m_out.flush();
    m_err.flush();
    m_sync.stop();
    QCoreApplication::exit(code);
}

void RemoteCommands::failed(const QString &code, const QString &message)
{
    if (m_json)
        m_err << QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}})
                                       .toJson(QJsonDocument::Compact))
              << Qt::endl;
    else
        m_err << tr("casefile-cli: %1 (%2)").arg(message, code) << Qt::endl;
    finish(Error);
}

Actor RemoteCommands::me() const
{
    return Actor{QStringLiteral("user"), m_sync.principal().value(QStringLiteral("id")).toString()};
}

void RemoteCommands::connectThen(std::function<void()> next)
{
    m_onWelcome = std::move(next);
    m_sync.start();
}

void RemoteCommands::request(const QString &op, const QJsonObject &params, std::function<void(const QJsonObject &)> onResult)
{
    m_sync.request(op, params, [this, onResult](const QJsonObject &result, const QString &code, const QString &message) {
        if (!code.isEmpty())
            failed(code, message);
        else
            onResult(result);
    });
}

void RemoteCommands::requestUntilAnswered(const QString &op, const QJsonObject &params,
                                          std::function<void(const QJsonObject &)> onResult,
                                          int serverRefusals)
{
    m_sync.request(
        op, params, [=](const QJsonObject &result, const QString &code, const QString &message) {
            if (code != QLatin1String("unavailable") || m_exiting) {
                if (!code.isEmpty())
                    failed(code, message);
                else
                    onResult(result);
                return;
            }
            if (m_sync.state() != SyncClient::State::Online) {
                // The connection went before the answer: the same request once connected again,
                // for as long as it takes (the cli keeps reconnecting), not an error for the
                // script to retry.
                m_onWelcome = [=] { requestUntilAnswered(op, params, onResult, serverRefusals); };
                return;
            }
            // The server itself cannot answer now (a full disk): asked again after 1, 2 and 4 s,
            // saying so, then given up with its reason.
            if (serverRefusals >= maxServerRefusals) {
                failed(code, message);
                return;
            }
            const int delayMs = 1000 << serverRefusals;
            if (m_json)
                qCWarning(lcCli).noquote()
                    << tr("the server cannot answer now (%1); asking again in %2 s")
                           .arg(message)
                           .arg(delayMs / 1000);
            else
                say(tr("(the server cannot answer now: %1; asking again in %2 s)")
                        .arg(message)
                        .arg(delayMs / 1000));
            QTimer::singleShot(delayMs, this, [=] {
                requestUntilAnswered(op, params, onResult, serverRefusals + 1);
            });
        });
}

void RemoteCommands::appendOne(const Event &event, std::function<void(qint64)> onAck)
{
    m_ackWaiters.insert(event.id, std::move(onAck));
    if (!m_sync.append({event}))
        failed(QStringLiteral("outbox"), m_sync.errorString());
}

void RemoteCommands::interrupt()
{
    if (m_finished)
        return; // the command's end decided the exit code already
    if (!m_command.isEmpty() && !m_cancelWanted) {
        m_cancelWanted = true;
        say(tr("cancelling … (Ctrl+C again to stop waiting)"));
        sendCancel();
        m_cancelRetry.start();
        return;
    }
    finish(RunExit::Cancelled);
}

void RemoteCommands::sendCancel()
{
    // Not before the server has the request (the agent could not know the command yet), nor
    // while the connection is down: the retry timer tries again.
    if (m_finished || !m_commandAcked || m_sync.state() != SyncClient::State::Online)
        return;
    m_sync.request(
        QStringLiteral("cancel"),
        {{QStringLiteral("session"), m_session}, {QStringLiteral("command"), m_command}},
        [this](const QJsonObject &result, const QString &code, const QString &message) {
            if (m_finished)
                return;
            if (!code.isEmpty()) {
                // Refused for good (a viewer's token, another org's session); otherwise (a lost
                // connection, a burst of requests, a server error) the timer sends it again.
                static const QStringList final = {
                    QStringLiteral("forbidden"), QStringLiteral("not_found"),
                    QStringLiteral("bad_request"), QStringLiteral("unauthorized")};
                if (final.contains(code)) {
                    m_cancelRetry.stop();
                    say(tr("casefile-cli: cannot cancel (%1): %2; Ctrl+C again to stop waiting")
                            .arg(code, message));
                }
                return;
            }
            if (result.value(QStringLiteral("delivered")).toInt() == 0 && !m_toldOffline) {
                m_toldOffline = true;
                say(tr("(the endpoint's agent is not connected; the cancel is sent again until "
                       "it arrives)"));
            }
        });
}

QString RemoteCommands::commandOf(const QStringList &arguments)
{
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == QLatin1String("--server") || a == QLatin1String("--token"))
            ++i; // and its value
        else if (!a.startsWith(QLatin1String("--server=")) &&
                 !a.startsWith(QLatin1String("--token=")) && a != QLatin1String("--json"))
            return a;
    }
    return {};
}

void RemoteCommands::say(const QString &line)
{
    m_output.flush(); // the command's output printed so far comes first
    m_err << line << Qt::endl;
}

int RemoteCommands::usage(const QString &line, const QString &error)
{
    if (!error.isEmpty())
        m_err << tr("casefile-cli: %1").arg(error) << Qt::endl;
    m_err << line << Qt::endl;
    return Usage;
}

int RemoteCommands::start(const QStringList &args)
{
    QCommandLineParser parser;
    addConnectionOptions(parser);
    parser.addHelpOption();
    // Only the connection options here; each command parses the rest.
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    const QString command = commandOf(args.mid(1));
    // Pull out --server/--token/--json wherever they are.
    QString server = qEnvironmentVariable("CASEFILE_SERVER");
    QString token = qEnvironmentVariable("CASEFILE_TOKEN");
    QStringList rest{args.value(0)};
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == QLatin1String("--")) {
            rest += args.mid(i);
            break;
        }
        if ((a == QLatin1String("--server") || a == QLatin1String("--token")) && i + 1 < args.size()) {
            (a == QLatin1String("--server") ? server : token) = args.at(++i);
        } else if (a.startsWith(QLatin1String("--server="))) {
            server = a.mid(9);
        } else if (a.startsWith(QLatin1String("--token="))) {
            token = a.mid(8);
        } else if (a == QLatin1String("--json")) {
            m_json = true;
        } else {
            rest.append(a);
        }
    }
    if (server.isEmpty() || token.isEmpty()) {
        m_err << tr("casefile-cli %1: set --server and --token (or CASEFILE_SERVER and CASEFILE_TOKEN)").arg(command) << Qt::endl;
        return Usage;
    }
    m_sync.setServer(QUrl(server));
    m_sync.setToken(token);
    if (m_json)
        qInstallMessageHandler(logAsJson);
    const QStringList commandArgs = QStringList{rest.value(0)} + rest.mid(2);
    if ((command == QLatin1String("endpoints") || command == QLatin1String("snapshots")) &&
        commandArgs.size() > 1)
        return usage(tr("usage: casefile-cli %1 [--json]").arg(command),
                     tr("unexpected argument '%1'").arg(commandArgs.at(1).left(64)));
    if (command == QLatin1String("endpoints"))
        return endpoints();
    if (command == QLatin1String("open"))
        return open(commandArgs);
    if (command == QLatin1String("run"))
        return run(commandArgs);
    if (command == QLatin1String("events"))
        return events(commandArgs);
    if (command == QLatin1String("hypothesis"))
        return hypothesis(commandArgs);
    if (command == QLatin1String("chat") || command == QLatin1String("note"))
        return simpleText(command, commandArgs);
    if (command == QLatin1String("close"))
        return close(commandArgs);
    if (command == QLatin1String("publish"))
        return publish(commandArgs);
    if (command == QLatin1String("snapshots"))
        return snapshots();
    if (command == QLatin1String("revoke"))
        return revoke(commandArgs);
    if (command == QLatin1String("cancel"))
        return cancel(commandArgs);
    return Usage;
}

int RemoteCommands::endpoints()
{
    connectThen([this] {
        requestUntilAnswered(QStringLiteral("endpoints"), {}, [this](const QJsonObject &result) {
            for (const QJsonValue &v : result.value(QStringLiteral("endpoints")).toArray()) {
                const QJsonObject e = v.toObject();
                if (m_json) {
                    m_out << QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact)) << '\n';
                } else {
                    m_out << e.value(QStringLiteral("id")).toString() << "  "
                          << (e.value(QStringLiteral("online")).toBool() ? tr("online ") : tr("offline")) << "  "
                          << e.value(QStringLiteral("hostname")).toString() << "  " << e.value(QStringLiteral("os")).toString()
                          << '\n';
                }
            }
            finish(Ok);
        });
    });
    return -1;
}

int RemoteCommands::open(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{QStringLiteral("endpoint"), tr("Endpoint id."), QStringLiteral("id")},
                  {QStringLiteral("title"), tr("Title."), QStringLiteral("text")},
                  {QStringLiteral("ticket"), tr("Ticket reference."), QStringLiteral("ref")},
                  {QStringLiteral("tag"), tr("Tag (repeatable)."), QStringLiteral("tag")},
                  {QStringLiteral("follow-up-of"), tr("Earlier session this one continues."), QStringLiteral("id")}});
    if (!p.parse(args) || !p.isSet(QStringLiteral("endpoint"))) {
        m_err << tr("usage: casefile-cli open --endpoint ID [--title TEXT] [--ticket REF] [--tag TAG]…") << Qt::endl;
        return Usage;
    }
    QJsonObject params{{QStringLiteral("endpoint"), p.value(QStringLiteral("endpoint"))},
                       {QStringLiteral("title"), p.isSet(QStringLiteral("title")) ? p.value(QStringLiteral("title"))
                                                                                  : tr("Troubleshooting session")},
                       {QStringLiteral("tags"), QJsonArray::fromStringList(p.values(QStringLiteral("tag")))}};
    if (p.isSet(QStringLiteral("ticket")))
        params.insert(QStringLiteral("ticket"), p.value(QStringLiteral("ticket")));
    if (p.isSet(QStringLiteral("follow-up-of")))
        params.insert(QStringLiteral("followUpOf"), p.value(QStringLiteral("follow-up-of")));
    // Named here, so the request can be sent again after a lost answer without a second session.
    params.insert(QStringLiteral("session"), Event::newId());
    connectThen([this, params] {
        requestUntilAnswered(QStringLiteral("open"), params, [this](const QJsonObject &result) {
            if (m_json)
                m_out << QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("session"), result.value(QStringLiteral("session"))}})
                                               .toJson(QJsonDocument::Compact))
                      << Qt::endl;
            else
                m_out << result.value(QStringLiteral("session")).toString() << Qt::endl;
            finish(Ok);
        });
    });
    return -1;
}

int RemoteCommands::run(const QStringList &args)
{
    QCommandLineParser p;
    p.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    p.addOptions({{QStringLiteral("session"), tr("Session id."), QStringLiteral("id")},
                  {QStringLiteral("change"), tr("This is a change: the end user must approve it.")},
                  {QStringLiteral("shell"), tr("sh, bash or pwsh."), QStringLiteral("shell"), QStringLiteral("bash")},
                  {QStringLiteral("timeout"), tr("Seconds before the command is killed."), QStringLiteral("seconds")}});
    const QString runUsage = tr(
        "usage: casefile-cli run --session ID [--change] [--shell bash] [--timeout S] -- COMMAND");
    if (!p.parse(args))
        return usage(runUsage, p.errorText());
    if (!p.isSet(QStringLiteral("session")) || p.positionalArguments().isEmpty())
        return usage(runUsage);
    qint64 timeoutSeconds = 0;
    if (p.isSet(QStringLiteral("timeout"))) {
        bool ok = false;
        timeoutSeconds = p.value(QStringLiteral("timeout")).toLongLong(&ok);
        if (!ok || timeoutSeconds <= 0 || timeoutSeconds > 7 * 24 * 3600)
            return usage(runUsage, tr("--timeout: expected whole seconds, 1 to 604800"));
    }
    m_session = p.value(QStringLiteral("session"));
    m_command = Event::newId();
    CommandRequestedBody body;
    body.command = m_command;
    body.shell = p.value(QStringLiteral("shell"));
    body.text = p.positionalArguments().join(QLatin1Char(' '));
    body.change = p.isSet(QStringLiteral("change"));
    if (timeoutSeconds > 0)
        body.timeoutMs = timeoutSeconds * 1000;
    connectThen([this, body] {
        const Event requested = Event::make(m_session, me(), body);
        appendOne(requested, [this](qint64 seq) {
            m_commandAcked = true;
            if (m_cancelWanted)
                sendCancel(); // Ctrl+C came before the server had the request
            if (!m_json)
                m_err << tr("command %1 (cancel with Ctrl+C)").arg(m_command) << Qt::endl;
            // Everything about this command comes after its request.
            m_sync.subscribe(m_session, seq);
        });
    });
    return -1;
}

void RemoteCommands::onRunEvents(const QList<Event> &events)
{
    for (const Event &e : events) {
        if (m_json) {
            if (e.body.value(QStringLiteral("command")).toString() == m_command ||
                e.kind == EventKind::SessionClosed)
                m_out << QString::fromUtf8(EventCodec::encode(e)) << '\n';
        }
        switch (e.kind) {
        case EventKind::CommandOutput: {
            const auto b = e.bodyAs<CommandOutputBody>();
            if (b.command != m_command || m_json)
                break;
            // Raw bytes, as the command printed them: this is a pipe to the caller's terminal.
            m_output.write(b.stream == QLatin1String("stderr"), b.data.toUtf8());
            break;
        }
        case EventKind::ApprovalRequested:
            if (e.bodyAs<ApprovalRequestedBody>().command == m_command && !m_json)
                say(tr("waiting for the end user's consent …"));
            break;
        case EventKind::ApprovalDecided: {
            const auto b = e.bodyAs<ApprovalDecidedBody>();
            if (b.command == m_command && !m_json)
                say(tr("consent: %1 by %2").arg(b.decision, b.decidedBy));
            break;
        }
        case EventKind::CommandFinished: {
            const auto b = e.bodyAs<CommandFinishedBody>();
            if (b.command != m_command)
                break;
            m_output.flush();
            m_finished = true;
            m_cancelRetry.stop();
            if (!b.error.value_or(QString()).isEmpty() && !m_json)
                m_err << tr("casefile-cli: %1").arg(*b.error) << Qt::endl;
            QString note;
            const int code = RunExit::code(b, &note);
            if (!note.isEmpty() && !m_json) // --json printed the end with its own code
                m_err << tr("casefile-cli: %1").arg(note) << Qt::endl;
            finish(code);
            return;
        }
        case EventKind::SessionClosed:
            // The agent withdraws or stops the command; its end can no longer be recorded.
            m_output.flush();
            m_out.flush();
            failed(QStringLiteral("session_closed"),
                   tr("the session was closed before the command finished; the agent withdraws "
                      "or stops it"));
            return;
        default:
            break;
        }
    }
    // Live means live even through a pipe: push each batch out now.
    m_output.flush();
    m_out.flush();
}

int RemoteCommands::events(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{QStringLiteral("session"), tr("Session id."), QStringLiteral("id")},
                  {QStringLiteral("after"), tr("Only events after this seq."), QStringLiteral("seq"), QStringLiteral("0")},
                  {QStringLiteral("follow"), tr("Keep printing new events.")}});
    const QString eventsUsage =
        tr("usage: casefile-cli events --session ID [--after N] [--follow] [--json]");
    if (!p.parse(args))
        return usage(eventsUsage, p.errorText());
    if (!p.isSet(QStringLiteral("session")))
        return usage(eventsUsage);
    bool ok = false;
    m_seen = p.value(QStringLiteral("after")).toLongLong(&ok);
    if (!ok || m_seen < 0)
        return usage(eventsUsage, tr("--after: expected a seq (a whole number, 0 or more)"));
    m_session = p.value(QStringLiteral("session"));
    m_follow = p.isSet(QStringLiteral("follow"));
    const qint64 after = m_seen;
    connectThen([this, after] { m_sync.subscribe(m_session, after); });
    return -1;
}

void RemoteCommands::printEvent(const Event &e)
{
    if (m_json) {
        m_out << QString::fromUtf8(EventCodec::encode(e)) << '\n';
        return;
    }
    m_out << EventFormatter::line(e) << '\n';
}

int RemoteCommands::hypothesis(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{QStringLiteral("session"), tr("Session id."), QStringLiteral("id")},
                  {QStringLiteral("evidence"), tr("Command id (repeatable)."), QStringLiteral("command")},
                  {QStringLiteral("lines"), tr("Output lines FROM-TO of the evidence, counting from 1 as the console shows them."), QStringLiteral("range")},
                  {QStringLiteral("note"), tr("Why."), QStringLiteral("text")}});
    const QString usage = tr("usage: casefile-cli hypothesis --session ID add TEXT | rule-out HID | confirm HID | reopen HID "
                             "[--evidence CMDID [--lines A-B]] [--note TEXT]");
    if (!p.parse(args) || !p.isSet(QStringLiteral("session")) || p.positionalArguments().size() < 2) {
        m_err << usage << Qt::endl;
        return Usage;
    }
    m_session = p.value(QStringLiteral("session"));
    const QString action = p.positionalArguments().first();
    const QString argument = p.positionalArguments().mid(1).join(QLatin1Char(' '));
    std::function<Event()> make;
    if (action == QLatin1String("add")) {
        make = [this, argument] {
            HypothesisAddedBody b;
            b.hypothesis = Event::newId();
            b.text = argument;
            return Event::make(m_session, me(), b);
        };
    } else if (action == QLatin1String("rule-out") || action == QLatin1String("confirm") || action == QLatin1String("reopen")) {
        HypothesisUpdatedBody b;
        b.hypothesis = argument;
        b.status = action == QLatin1String("rule-out") ? QStringLiteral("ruled_out")
            : action == QLatin1String("confirm")       ? QStringLiteral("confirmed")
                                                       : QStringLiteral("open");
        for (const QString &command : p.values(QStringLiteral("evidence"))) {
            HypothesisUpdatedBody::Evidence e;
            e.command = command;
            if (p.isSet(QStringLiteral("lines"))) {
                // As the console numbers them, from 1; the record counts from 0.
                const QStringList range = p.value(QStringLiteral("lines")).split(QLatin1Char('-'));
                bool okFrom = false;
                bool okTo = false;
                const qint64 from = range.value(0).toLongLong(&okFrom);
                const qint64 to = range.size() == 2 ? range.at(1).toLongLong(&okTo) : from;
                if (range.size() > 2 || !okFrom || (range.size() == 2 && !okTo) || from < 1 || to < from) {
                    m_err << tr("--lines: expected FROM-TO (or one line), counting from 1, FROM ≤ TO") << Qt::endl;
                    return Usage;
                }
                e.fromLine = from - 1;
                e.toLine = to - 1;
            }
            b.evidence.append(e);
        }
        if (p.isSet(QStringLiteral("note")))
            b.note = p.value(QStringLiteral("note"));
        make = [this, b] { return Event::make(m_session, me(), b); };
    } else {
        m_err << usage << Qt::endl;
        return Usage;
    }
    connectThen([this, make] {
        const Event e = make();
        const auto validation = EventCodec::fromJson(e.toJson(), EventCodec::Mode::Draft);
        if (!validation.ok()) {
            failed(QStringLiteral("bad_request"), validation.error.toString());
            return;
        }
        appendOne(e, [this, e](qint64 seq) {
            const QString id = e.body.value(QStringLiteral("hypothesis")).toString();
            if (m_json)
                m_out << QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("hypothesis"), id}, {QStringLiteral("seq"), seq}})
                                               .toJson(QJsonDocument::Compact))
                      << Qt::endl;
            else
                m_out << id << Qt::endl;
            finish(Ok);
        });
    });
    return -1;
}

int RemoteCommands::simpleText(const QString &command, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("session"), tr("Session id."), QStringLiteral("id")});
    if (!p.parse(args) || !p.isSet(QStringLiteral("session")) || p.positionalArguments().isEmpty()) {
        m_err << tr("usage: casefile-cli %1 --session ID TEXT").arg(command) << Qt::endl;
        return Usage;
    }
    m_session = p.value(QStringLiteral("session"));
    const QString text = p.positionalArguments().join(QLatin1Char(' '));
    connectThen([this, command, text] {
        const Event e = command == QLatin1String("chat") ? Event::make(m_session, me(), ChatMessageBody{text, {}})
                                                         : Event::make(m_session, me(), NoteAddedBody{text, {}});
        appendOne(e, [this](qint64 seq) {
            if (m_json)
                m_out << QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("seq"), seq}}).toJson(QJsonDocument::Compact)) << Qt::endl;
            finish(Ok);
        });
    });
    return -1;
}

int RemoteCommands::close(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{QStringLiteral("session"), tr("Session id."), QStringLiteral("id")},
                  {QStringLiteral("summary"), tr("Where the investigation stands."), QStringLiteral("text")}});
    if (!p.parse(args) || !p.isSet(QStringLiteral("session"))) {
        m_err << tr("usage: casefile-cli close --session ID [--summary TEXT]") << Qt::endl;
        return Usage;
    }
    m_session = p.value(QStringLiteral("session"));
    SessionClosedBody body;
    if (p.isSet(QStringLiteral("summary")))
        body.summary = p.value(QStringLiteral("summary"));
    connectThen([this, body] {
        appendOne(Event::make(m_session, me(), body), [this](qint64 seq) {
            if (m_json)
                m_out << QString::fromUtf8(
                             QJsonDocument(QJsonObject{{QStringLiteral("session"), m_session},
                                                       {QStringLiteral("seq"), seq}})
                                 .toJson(QJsonDocument::Compact))
                      << Qt::endl;
            finish(Ok);
        });
    });
    return -1;
}

int RemoteCommands::cancel(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{QStringLiteral("session"), tr("Session id."), QStringLiteral("id")},
                  {QStringLiteral("command"), tr("Command id."), QStringLiteral("id")}});
    if (!p.parse(args) || !p.isSet(QStringLiteral("session")) || !p.isSet(QStringLiteral("command"))) {
        m_err << tr("usage: casefile-cli cancel --session ID --command ID") << Qt::endl;
        return Usage;
    }
    const QJsonObject params{{QStringLiteral("session"), p.value(QStringLiteral("session"))},
                             {QStringLiteral("command"), p.value(QStringLiteral("command"))}};
    connectThen([this, params] {
        requestUntilAnswered(QStringLiteral("cancel"), params, [this](const QJsonObject &result) {
            const int delivered = result.value(QStringLiteral("delivered")).toInt();
            if (m_json)
                m_out << QString::fromUtf8(
                             QJsonDocument(QJsonObject{{QStringLiteral("delivered"), delivered}})
                                 .toJson(QJsonDocument::Compact))
                      << Qt::endl;
            else
                m_out << tr("cancel sent to %n agent connection(s)", nullptr, delivered)
                      << Qt::endl;
            finish(Ok);
        });
    });
    return -1;
}

int RemoteCommands::publish(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{QStringLiteral("session"), tr("Session id (repeatable)."), QStringLiteral("id")},
                  {QStringLiteral("title"), tr("Title."), QStringLiteral("text")},
                  {QStringLiteral("summary"), tr("Summary note."), QStringLiteral("text")},
                  {QStringLiteral("expires"), tr("Expiry in days, 1 to 90 (7d)."), QStringLiteral("days")},
                  {QStringLiteral("audience"), tr("org or link."), QStringLiteral("who")},
                  {QStringLiteral("plan"), tr("Redaction plan (JSON) from a review."), QStringLiteral("file")},
                  {QStringLiteral("accept-all-findings"), tr("Redact every finding without reviewing.")}});
    const auto usage = [this] {
        m_err << tr("usage: casefile-cli publish --session ID… --title TEXT [--summary TEXT] [--expires 7d] "
                    "[--audience org|link] (--accept-all-findings | --plan FILE)")
              << Qt::endl;
        return int(Usage);
    };
    if (!p.parse(args) || p.values(QStringLiteral("session")).isEmpty() || !p.isSet(QStringLiteral("title")))
        return usage();
    QString expires = p.value(QStringLiteral("expires"));
    if (expires.endsWith(QLatin1Char('d')))
        expires.chop(1);
    bool daysOk = true;
    const int days = expires.isEmpty() ? 7 : expires.toInt(&daysOk);
    if (!daysOk || days < 1 || days > 90) {
        m_err << tr("--expires: 1 to 90 days, e.g. 7d") << Qt::endl;
        return Usage;
    }
    QJsonObject plan;
    if (p.isSet(QStringLiteral("plan"))) {
        QFile file(p.value(QStringLiteral("plan")));
        QJsonParseError error;
        const QJsonDocument doc = file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll(), &error)
                                                                : QJsonDocument();
        if (!doc.isObject()) {
            m_err << tr("--plan: cannot read a JSON object from %1").arg(file.fileName()) << Qt::endl;
            return Usage;
        }
        plan = doc.object();
    }
    if (p.isSet(QStringLiteral("accept-all-findings")))
        plan.insert(QStringLiteral("acceptAll"), true);
    const QJsonObject params{{QStringLiteral("sessions"), QJsonArray::fromStringList(p.values(QStringLiteral("session")))},
                             {QStringLiteral("title"), p.value(QStringLiteral("title"))},
                             {QStringLiteral("summary"), p.value(QStringLiteral("summary"))},
                             {QStringLiteral("expiresInDays"), days},
                             {QStringLiteral("audience"), p.isSet(QStringLiteral("audience"))
                                                              ? p.value(QStringLiteral("audience"))
                                                              : QStringLiteral("org")},
                             {QStringLiteral("plan"), plan}};
    connectThen([this, params] {
        request(QStringLiteral("publish"), params, [this](const QJsonObject &result) {
            if (m_json) {
                m_out << QString::fromUtf8(QJsonDocument(result).toJson(QJsonDocument::Compact)) << Qt::endl;
            } else {
                m_out << result.value(QStringLiteral("url")).toString() << Qt::endl;
                m_err << tr("snapshot %1, expires %2")
                             .arg(result.value(QStringLiteral("snapshot")).toString(),
                                  result.value(QStringLiteral("expiresAt")).toString())
                      << Qt::endl;
            }
            finish(Ok);
        });
    });
    return -1;
}

int RemoteCommands::snapshots()
{
    connectThen([this] {
        requestUntilAnswered(QStringLiteral("snapshots"), {}, [this](const QJsonObject &result) {
            for (const QJsonValue &v : result.value(QStringLiteral("snapshots")).toArray()) {
                const QJsonObject s = v.toObject();
                if (m_json) {
                    m_out << QString::fromUtf8(QJsonDocument(s).toJson(QJsonDocument::Compact)) << '\n';
                    continue;
                }
                const QString state = !s.value(QStringLiteral("revokedAt")).toString().isEmpty() ? tr("revoked")
                                                                                                 : tr("expires %1").arg(s.value(QStringLiteral("expiresAt")).toString());
                m_out << s.value(QStringLiteral("id")).toString() << "  " << state << "  "
                      << tr("%n view(s)", nullptr, s.value(QStringLiteral("views")).toInt()) << "  "
                      << s.value(QStringLiteral("title")).toString() << '\n';
            }
            finish(Ok);
        });
    });
    return -1;
}

int RemoteCommands::revoke(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("snapshot"), tr("Snapshot id."), QStringLiteral("id")});
    if (!p.parse(args) || !p.isSet(QStringLiteral("snapshot"))) {
        m_err << tr("usage: casefile-cli revoke --snapshot ID") << Qt::endl;
        return Usage;
    }
    const QString id = p.value(QStringLiteral("snapshot"));
    connectThen([this, id] {
        request(QStringLiteral("revoke"), {{QStringLiteral("snapshot"), id}}, [this](const QJsonObject &) {
            if (m_json)
                m_out << QStringLiteral("{\"revoked\":true}") << Qt::endl;
            finish(Ok);
        });
    });
    return -1;
}

} // namespace casefile
