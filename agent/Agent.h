#pragma once

#include "AgentJournal.h"
#include "ConsentPolicy.h"
#include "ConsentPrompt.h"
#include "sync/Backoff.h"
#include "sync/SyncClient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <memory>

class QLockFile;

namespace casefile {

class CommandRunner;

// The endpoint agent at work: follows the sessions opened on this endpoint, records the
// machine's context, and runs requested commands — a change only after the person at the
// endpoint approved it here. Everything it records goes through the durable outbox, so
// output produced while the server is away arrives later, in order, exactly once.
class Agent : public QObject
{
    Q_OBJECT

public:
    struct Config
    {
        QString stateDir;
        QUrl server;
        QString token;
        QString endpoint;
        QString policyPath;
        int consentTimeoutMs = 120000;
        // While the outbox cannot write (a full disk), the output kept in memory; beyond it
        // the running commands are paused until there is room.
        qint64 maxHeldBytes = 64 * 1024 * 1024;
    };

    // Takes ownership of the prompt.
    Agent(const Config &config, ConsentPrompt *prompt, QObject *parent = nullptr);
    ~Agent() override;

    bool start(QString *error);
    SyncClient &sync() { return m_sync; }

signals:
    void connectedChanged(bool online);
    void fatal(const QString &message);

private:
    void onWelcomed();
    // Follows the live sessions of this endpoint from `offset` of the server's list on.
    void listLiveSessions(int offset);
    void follow(const QString &session);
    // Records the machine's context in `session`, unless it is recorded or queued already.
    void captureContext(const QString &session);
    // The server refused to let the agent follow `session` (a session not on this node yet,
    // one moved away): it is tried again after a backoff while online, never left unfollowed.
    void onSubscribeFailed(const QString &session, const QString &code, const QString &message);
    void onEvents(const QString &session, const QList<Event> &events);
    void onPush(const QString &type, const QJsonObject &message);
    void onClosed(const QString &session);
    void onAcknowledged(const QList<AppendAck> &acks);
    void onRefused(const QStringList &ids, const QString &code, const QString &message);
    void onRequested(const Event &event);
    // Claims a request in the journal and acts on it; false if the journal cannot write.
    bool claimAndHandle(const Event &event);
    void onDecided(const QString &command, const QString &decision, const QString &decidedBy,
                   const QString &decidedAt);
    void run(const QString &session, const QString &command);
    // Returns the event's id.
    QString record(const QString &session, EventKind kind, const QJsonObject &body);
    // A new event of this endpoint (fresh id, now), not recorded yet.
    Event draft(const QString &session, EventKind kind, const QJsonObject &body = {}) const;
    // A chunk of a command's output, encoded here straight from its UTF-8.
    void recordOutput(const QString &session, const QString &command, const QString &stream,
                      qint64 chunk, const QByteArray &data);
    // Queues a draft (with its document, or an empty one for the outbox to encode).
    QString recordDraft(const Event &draft, const QByteArray &doc);
    // Moves what was recorded into the outbox; false while the outbox cannot take it (they
    // are kept, and tried again).
    bool queueRecorded();
    // Records a command's end (its id derived from the session and command, so a second end
    // made after a crash is dropped), then the journal's "finished" once that is in the outbox.
    void recordEnd(const QString &session, const QString &command, const QJsonObject &body);
    // The journal's "finished" for a command whose end is in the outbox; retried on failure.
    void markFinished(const QString &command);
    void scheduleWriteRetry();
    void holdRunners(bool hold);
    void retryWrites();
    void finishWithoutRunning(const QString &session, const QString &command, const QString &status,
                              const QString &error);

    struct Pending
    {
        QString session;
        QString shell;
        QString text;
        std::optional<qint64> timeoutMs;
    };

    struct Running
    {
        QPointer<CommandRunner> runner;
        QString session;
    };

    Config m_config;
    SyncClient m_sync;
    std::unique_ptr<QLockFile> m_lock; // the state directory's, held while the agent runs
    AgentJournal m_journal;
    ConsentPolicy m_policy;
    ConsentPrompt *m_prompt;
    QHash<QString, Pending> m_waiting; // command -> awaiting consent
    QHash<QString, Running> m_running; // command -> its runner
    QHash<QString, QString> m_approvals; // approval.decided "approved" id -> its command, until the
                                         // server has it
    QSet<QString> m_followed;
    QList<Event> m_unqueued; // recorded, not in the outbox yet: this event-loop iteration's,
                             // or all since the outbox stopped taking them
    // Each one's document, or empty: the outbox encodes it. Only output comes encoded, and
    // output is what adds up in memory while the outbox cannot take it.
    QList<QByteArray> m_unqueuedDocs;
    qint64 m_unqueuedBytes = 0; // of m_unqueuedDocs
    bool m_holding = false;     // the outbox failed; m_unqueued waits for m_writeRetry
    bool m_runnersHeld = false; // the running commands are paused
    QHash<QString, QString> m_finishAfterQueued; // command.finished id -> its command
    QHash<QString, QString> m_contextAfterQueued; // context.captured id -> its session
    QList<Event> m_unclaimed; // command.requested the journal could not claim yet, in order
    QSet<QString> m_cancelledUnclaimed; // commands of m_unclaimed the technician cancelled
    QStringList m_unfinished; // commands whose end is in the outbox but not in the journal yet
    QTimer m_writeRetry;
    QTimer m_listRetry; // the list of live sessions failed; asked again while online
    Backoff m_listBackoff;
    QSet<QString> m_refollow;    // sessions whose subscription the server refused; tried again
    QSet<QString> m_refollowing; // of those, the ones asked for again, not answered yet
    QTimer m_refollowRetry;
    Backoff m_refollowBackoff;
    QElapsedTimer m_sinceQueued; // since queueRecorded() last ran
    static constexpr qint64 queueIntervalMs = 5;
};

} // namespace casefile
