#pragma once

#include "OutputStreams.h"
#include "events/Event.h"
#include "sync/SyncClient.h"

#include <QObject>
#include <QStringList>
#include <QTextStream>
#include <QTimer>

namespace casefile {

// casefile-cli's commands that talk to casefiled: endpoints, open, run, events, hypothesis,
// chat, note, close, cancel, publish, snapshots, revoke. Each runs asynchronously on the event loop and ends by calling
// QCoreApplication::exit with its exit code; --json prints machine-readable output.
class RemoteCommands : public QObject
{
    Q_OBJECT

public:
    RemoteCommands(QTextStream &out, QTextStream &err, QObject *parent = nullptr);
    // Parses args[0] (the command) and starts it; returns an exit code at once for usage errors,
    // or -1 when the command is running and will exit through the event loop.
    int start(const QStringList &args);
    static bool handles(const QString &command);
    void interrupt(); // Ctrl+C: `run` cancels its command (a second one stops waiting), others stop
    // The first word of a command line that is not a connection option or its value (so
    // `--server URL --token T run …` works, and no token is ever taken for a command).
    static QString commandOf(const QStringList &arguments);

private:
    void connectThen(std::function<void()> next);
    void finish(int code);
    void failed(const QString &code, const QString &message);
    void request(const QString &op, const QJsonObject &params, std::function<void(const QJsonObject &)> onResult);
    void appendOne(const Event &event, std::function<void(qint64 seq)> onAck);
    // request() for what may be asked twice (reads, `open` with its session named, `cancel`):
    // sent again when the connection went before the answer.
    // A server answering `unavailable` while connected is asked at most maxServerRefusals times
    // more, then the command fails with its reason.
    void requestUntilAnswered(const QString &op, const QJsonObject &params,
                              std::function<void(const QJsonObject &)> onResult,
                              int serverRefusals = 0);
    static constexpr int maxServerRefusals = 3;
    Actor me() const;

    int endpoints();
    int open(const QStringList &args);
    int run(const QStringList &args);
    int events(const QStringList &args);
    int hypothesis(const QStringList &args);
    int simpleText(const QString &command, const QStringList &args);
    int close(const QStringList &args);
    int cancel(const QStringList &args);
    int publish(const QStringList &args);
    int snapshots();
    int revoke(const QStringList &args);

    void printEvent(const Event &e);
    void onRunEvents(const QList<Event> &events);
    // Sends `run`'s cancel (again every second until the command's end arrives: an agent that
    // is offline, or reconnecting and not yet aware of the command, would lose a single one).
    void sendCancel();
    // One line of the cli's own on stderr, after the command's output so far.
    void say(const QString &line);
    // A usage error: what the parser found wrong (if anything), then the usage line.
    int usage(const QString &line, const QString &error = {});

    QTextStream &m_out;
    QTextStream &m_err;
    SyncClient m_sync;
    bool m_json = false;
    bool m_connected = false;
    std::function<void()> m_onWelcome;
    QHash<QString, std::function<void(qint64)>> m_ackWaiters;
    // run / events state
    QString m_session;
    QString m_command;
    bool m_follow = false;
    qint64 m_head = -1;
    qint64 m_seen = 0;
    bool m_finished = false;     // run: the command's end arrived
    bool m_exiting = false;      // finish() was called
    bool m_commandAcked = false; // the server has the request: a cancel can reach it
    bool m_cancelWanted = false; // Ctrl+C pressed once
    bool m_toldOffline = false;  // said once that the cancel reached no agent yet
    QTimer m_cancelRetry;
    OutputStreams m_output;
};

} // namespace casefile
