#pragma once

#include "events/Event.h"
#include "sync/SyncClient.h"

#include <QObject>
#include <QStringList>
#include <QTextStream>

namespace casefile {

// casefile-cli's commands that talk to casefiled: endpoints, open, run, events, hypothesis,
// chat, note, close, cancel, publish, snapshots, revoke. Each runs asynchronously on the event loop and ends by calling
// QCoreApplication::exit with its exit code; --json prints machine-readable output.
class RemoteCommands : public QObject
{
    Q_OBJECT

public:
    // Exit codes of `run` when the command did not exit by itself (otherwise its own code).
    enum RunExit { Denied = 77, TimedOut = 124, Cancelled = 130, Failed = 127, Crashed = 128 };

    RemoteCommands(QTextStream &out, QTextStream &err, QObject *parent = nullptr);
    // Parses args[0] (the command) and starts it; returns an exit code at once for usage errors,
    // or -1 when the command is running and will exit through the event loop.
    int start(const QStringList &args);
    static bool handles(const QString &command);
    void interrupt(); // Ctrl+C: `run` cancels its command, others just stop

private:
    void connectThen(std::function<void()> next);
    void finish(int code);
    void failed(const QString &code, const QString &message);
    void request(const QString &op, const QJsonObject &params, std::function<void(const QJsonObject &)> onResult);
    void appendOne(const Event &event, std::function<void(qint64 seq)> onAck);
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
    bool m_finished = false;
    bool m_cancelSent = false;
};

} // namespace casefile
