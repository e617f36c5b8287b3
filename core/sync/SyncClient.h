#pragma once

#include "AppendAck.h"
#include "CacheWriter.h"
#include "Backoff.h"
#include "Outbox.h"
#include "events/Event.h"
#include "store/SessionFilter.h"
#include "store/SessionInfo.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <map>
#include <memory>
#include <optional>

class QWebSocket;

namespace casefile {

class EventStore;

// The one WebSocket client of the agent, the CLI and the console (docs/PROTOCOL.md section 6).
//
// - Connection: hello/welcome, ping every 15 s while online, a connection silent for 45 s is
//   dropped, any loss is followed by a reconnect after a jittered Backoff — except after stop()
//   and after the server refused the credentials (fatalError), where retrying cannot help.
// - Appends go through a durable Outbox first and are sent in order, one append request in
//   flight at a time, so a failed batch can never be overtaken by a later one and the server
//   assigns seqs in the order the author wrote the events. Whatever is unacknowledged is sent
//   again after a reconnect; the server de-duplicates on (session, id).
// - Subscriptions survive reconnects: each resumes after the last seq delivered, and events at
//   or below that seq (replay overlap) never reach the caller.
// - Optionally a local cache (an EventStore file) keeps every event delivered, exactly as the
//   server sealed it, for offline viewing and for resuming where a previous run left off.
class SyncClient : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Offline,      // not started, stopped, or stopped by a fatal error
        Connecting,   // connecting, or connected and waiting for welcome
        Online,       // welcomed: requests, appends and subscriptions flow
        Reconnecting, // waiting for the backoff delay before the next attempt
    };
    Q_ENUM(State)

    // Called exactly once per request while the client lives: with the result object and an
    // empty code, or with an error code from the server (or "unavailable" when the connection
    // is lost or was not up, "too_large" when the request does not fit in a frame); then
    // `result` holds the error's fields other than type, req, code and message.
    using Callback = std::function<void(const QJsonObject &result, const QString &errorCode,
                                        const QString &errorMessage)>;

    explicit SyncClient(QObject *parent = nullptr);
    // Drops pending callbacks without calling them: their owners may already be gone.
    ~SyncClient() override;

    // ws:// or wss:// (http:// and https:// are taken as such); an empty path or "/" means /ws.
    void setServer(const QUrl &url);
    // The endpoint actually used.
    QUrl server() const { return m_endpoint; }
    // What setServer() makes of an address: http(s) → ws(s), an empty path → /ws.
    static QUrl endpointFor(const QUrl &url);
    void setToken(const QString &token);
    // Sent in hello as "client", e.g. "casefile-cli/0.1.0".
    void setClientName(const QString &name);
    // Where unacknowledged events are kept. Set it before the first append() or start();
    // without one the queue lives in memory and is lost when the process ends.
    void setOutboxPath(const QString &path);
    QString outboxPath() const { return m_outboxPath; }
    // A local cache of the sessions this client follows: an EventStore file (synchronous=NORMAL:
    // whatever a power cut loses is replayed by the server). Set it before subscribing; without
    // one nothing is kept. With one, every event is stored with EventStore::storeSealed before
    // eventsReceived delivers it. A cache that cannot be opened is reported by cacheError with
    // an empty session, and the client carries on without it.
    void setCachePath(const QString &path);
    QString cachePath() const { return m_cachePath; }

    // Tuning; the defaults are the protocol's. Tests shorten them.
    void setHeartbeatInterval(int ms);
    void setSilenceTimeout(int ms);
    void setBackoff(const Backoff &backoff);

    State state() const { return m_state; }
    // The principal of the last welcome.
    QJsonObject principal() const { return m_principal; }
    // Why the last append(), start() or cache read failed.
    QString errorString() const { return m_error; }

    void start();
    void stop();

    // Sends {"type": op, "req": N, ...params} and returns N. Requests made while connecting
    // are sent after welcome; while offline or waiting to reconnect they fail at once (from the
    // event loop, never before this returns) with "unavailable".
    qint64 request(const QString &op, const QJsonObject &params, Callback callback);

    // Queues drafts in the outbox (durable when this returns true with a file outbox) and sends
    // them when online. false when the outbox cannot take them (errorString() says why).
    // Some drafts may come encoded (`encoded`, list for list; an empty document: encode the
    // draft). Such a document is taken as it is, without the check a draft gets, so it must be
    // EventCodec's encoding of a valid draft; its draft need only carry the envelope.
    bool append(const QList<Event> &drafts, const QList<QByteArray> &encoded = {});
    // Why append() would never take `draft` (it does not encode, or it is larger than one
    // message to the server holds); empty when it would, a full disk aside, and then `encoded`
    // (when given) holds its document, for append() to take as it is.
    static QString unsendable(const Event &draft, QByteArray *encoded = nullptr);
    // Whether the last append() failed in the outbox's storage (a full disk, an I/O error),
    // so the same events may be taken later; otherwise they never will be (too large, not
    // encodable).
    bool appendFailedInStorage() const { return m_appendStorageFailure; }
    // Events in the outbox not acknowledged yet, -1 when the outbox cannot be opened.
    qint64 pendingCount();

    // subscribe(session, fromCache): resume after the cache's head for that session (0 when
    // there is no cache, the session is not in it or the cache refused it, see cacheError).
    // Any negative `after` means the same.
    static constexpr qint64 fromCache = -1;
    // Streams the events of `session` with seq > after, now and after every reconnect. With a
    // cache, the events are cached when they continue the cached record: from the cache's head
    // (fromCache) or from any `after` at or below it; a subscription that starts beyond the
    // cache's head would leave a gap in it and is not cached.
    void subscribe(const QString &session, qint64 after = 0);
    // The same, but only events of these kinds are sent (an agent acts on a few kinds and
    // need not receive its own output back). Such a subscription is never cached: the cache
    // keeps whole records.
    void subscribe(const QString &session, qint64 after, const QList<EventKind> &kinds);
    void unsubscribe(const QString &session);
    QStringList subscriptions() const { return m_subscriptions.keys(); }
    // The last seq delivered for a subscribed session, -1 when not subscribed.
    qint64 lastSeq(const QString &session) const;

    // The cache is written on a thread of its own; this waits until everything delivered so far
    // is in the file, for code that reads the file itself (cachedEvents() needs no flush).
    void flushCache();
    // What the cache holds, without a server: events of a session with seq in
    // (afterSeq, afterSeq + limit], and the sessions index (newest first, paged by the filter).
    // nullopt when there is no cache or it cannot be read (errorString() says why).
    std::optional<QList<Event>> cachedEvents(const QString &session, qint64 afterSeq = 0,
                                             int limit = 1000);
    std::optional<QList<SessionInfo>> cachedSessions(const SessionFilter &filter = SessionFilter());

signals:
    void stateChanged(casefile::SyncClient::State state);
    // The next connection attempt starts in `ms`, for a countdown.
    void reconnectIn(int ms);
    void welcomed(const QJsonObject &principal);
    // The client stopped and will not retry: "unauthorized" / "bad_request" from the server's
    // handshake, "bad_url" for an unusable server address, "outbox" when the outbox cannot be
    // opened.
    void fatalError(const QString &code, const QString &message);
    // Committed by the server, removed from the outbox.
    void acknowledged(const QList<casefile::AppendAck> &acks);
    // Permanently refused (bad_request, forbidden, conflict, not_found, too_large) and removed
    // from the outbox so the events behind them are not stuck.
    void appendRefused(const QStringList &ids, const QString &code, const QString &message);
    // `closedAt` is empty while the session is live; the replay follows.
    void subscribed(const QString &session, qint64 head, const QString &closedAt);
    // The server refused the subscription for good; it is forgotten.
    void subscribeFailed(const QString &session, const QString &code, const QString &message);
    // New events of a subscribed session, ascending, each delivered once.
    void eventsReceived(const QString &session, const QList<casefile::Event> &events);
    // The cache cannot keep `session` (empty: the cache as a whole cannot be opened). Emitted
    // when the server's events do not continue the cached record (a cache filled from another
    // server, a forked or tampered record), when the server's head is below the cache's, or
    // when the cache cannot be written. The events are still delivered; the session is not
    // cached any more by this client (the cache keeps what it had, plus the events of the push
    // before the first one that does not fit), so the cache never mixes two records. If the
    // session was resumed from the cache, the caller has seen cached events that are not this
    // server's and should read the session from the server again (unsubscribe, subscribe from 0).
    void cacheError(const QString &session, const QString &message);
    // Any other push ("session", "cancel", and types newer than this client).
    void pushReceived(const QString &type, const QJsonObject &message);

private:
    // Empty when `doc` (the `index`-th event's) fits in one append, else why not.
    static QString tooLargeToSend(qsizetype index, const Event &draft, const QByteArray &doc);
    struct Subscription
    {
        qint64 lastSeq = 0;
        qint64 req = 0;      // the subscribe request in flight, 0 when none
        bool active = false; // the server confirmed it on this connection
        bool cached = false; // its events go into the cache
        QList<EventKind> kinds; // only these are sent; empty: all
    };
    struct Held
    {
        qint64 req;
        QByteArray frame;
    };

    void connectNow();
    void onConnected();
    void onTextMessage(const QString &text);
    void onMessage(const QByteArray &utf8); // a message in either kind of frame, as UTF-8
    void processInbox();
    void handleMessage(const QByteArray &utf8);
    void onConnectionLost();
    void handleWelcome(const QJsonObject &message);
    void handleReply(const QJsonObject &message);
    void handleEvents(const QJsonObject &message);
    void fatal(const QString &code, const QString &message);
    void dropConnection(bool reconnect, const QString &why);
    void failPending(const QString &code, const QString &message);
    void setState(State state);
    qint64 sendRequest(const QString &op, const QJsonObject &params, Callback callback);
    bool sendFrame(const QByteArray &frame);
    bool ensureOutbox();
    void flushOutbox();
    bool sendNextAppend(int limit);
    struct SentEvent
    {
        QString id;
        QString session;
    };
    void onAppendReply(qint64 req, const QList<SentEvent> &batch, const QJsonObject &result,
                       const QString &code, const QString &message);
    void refuseLocally(const QString &id, const QString &code, const QString &message);
    // Drops `refused` and every event of its session queued after it: the server refuses them
    // all alike (the session is closed, or unknown).
    void refuseSessionLocally(const SentEvent &refused, const QString &code,
                              const QString &message);
    // Removes refused events from the outbox and says so; false (held, offered again after
    // the backoff) when the outbox cannot remove them.
    bool dropRefused(const QStringList &ids, const QString &code, const QString &message);
    void sendSubscribe(const QString &session);
    void onSubscribeReply(const QString &session, qint64 req, const QJsonObject &result,
                          const QString &code, const QString &message);
    void scheduleRetry();
    void holdAppends();
    void retry();
    bool ensureCache();
    qint64 cacheHead(const QString &session);
    void cacheEvents(const QString &session, const QList<Event> &events);
    void stopCaching(const QString &session, const QString &message);

    QUrl m_server;
    QUrl m_endpoint;
    QString m_token;
    QString m_clientName;
    QString m_outboxPath;
    QString m_cachePath;
    QString m_error;
    QJsonObject m_principal;

    State m_state = State::Offline;
    bool m_running = false; // between start() and stop() or a fatal error
    QPointer<QWebSocket> m_socket;

    Outbox m_outbox;
    Backoff m_backoff;
    // Transient refusals, without dropping the connection, each kind with its own exponent: a
    // subscription that keeps failing must not hold appends longer, nor appends that succeed
    // keep a failing subscription retried at the shortest delay.
    Backoff m_retryBackoff;  // subscriptions, and an outbox that cannot be read
    Backoff m_appendBackoff; // appends refused for now, or acknowledged but not removed

    int m_heartbeatMs;
    int m_silenceMs;
    qint64 m_frameLimit;
    bool m_frameLimitWarned = false; // said once per connection that an event waits for it
    int m_eventsPerAppend;

    QTimer m_reconnectTimer;
    QTimer m_heartbeatTimer;
    QTimer m_silenceTimer;
    QTimer m_retryTimer;
    QTimer m_flushTimer;
    QTimer m_appendHoldTimer; // refused for now, or acks not removed: no append until it fires

    qint64 m_nextReq = 1;
    // Received, not handled yet (one per event-loop pass), with the connection they came on.
    struct Inbound
    {
        quint64 connection;
        QByteArray utf8;
    };
    QList<Inbound> m_inbox;
    bool m_binaryFrames = false; // the server's welcome accepted them for this connection
    bool m_inboxScheduled = false;
    quint64 m_connection = 0; // bumped by every connect and drop
    std::map<qint64, Callback> m_pending; // ordered: lost requests fail in the order made
    QList<Held> m_held;                   // made while connecting, sent after welcome

    // Appends sent and not yet answered, oldest first (PROTOCOL.md 6.8: several in flight, one
    // pipeline number until one is refused). `last` is the outbox position of the last event.
    struct InFlight
    {
        qint64 req = 0;
        qint64 last = 0;
    };
    QList<InFlight> m_inFlight;
    qint64 m_pipeline = 1;
    bool m_drainFirst = false; // a refusal: send nothing until m_inFlight is empty
    bool m_appendStorageFailure = false;
    // After a batch was refused for good, its events are re-sent in halves until the refused
    // ones are alone: the server refuses a whole append for one bad event, and dropping the
    // good ones with it would lose them.
    int m_probeLimit = 0;
    int m_probeRemaining = 0;

    QMap<QString, Subscription> m_subscriptions;

    std::unique_ptr<CacheWriter> m_cache; // open, or null
    QString m_cacheOpenError;   // why opening failed (reported once); reset by setCachePath
    QSet<QString> m_uncachable; // sessions refused by the cache, never cached again
};

} // namespace casefile
