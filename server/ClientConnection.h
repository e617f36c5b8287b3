#pragma once

#include "events/EventKind.h"
#include "store/SearchQuery.h"

#include "Principal.h"
#include "RateLimiter.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <optional>

class QWebSocket;

namespace casefile {

// One WebSocket client: the transport-level rules (text frames only, size limit, hello in
// time, request rate, idle timeout) and its subscriptions. What messages mean is the Server's.
class ClientConnection : public QObject
{
    Q_OBJECT

public:
    struct Subscription
    {
        qint64 sentSeq = 0; // everything up to here has been pushed
        bool live = false;  // caught up: new events are pushed as they commit
        QList<EventKind> kinds; // only these are pushed; empty: all
        int replayFailures = 0; // reads of the store that failed in a row
        bool replayRetry = false; // another try of the replay is scheduled
    };

    // Takes ownership of the socket.
    explicit ClientConnection(QWebSocket *socket, QObject *parent = nullptr);
    ~ClientConnection() override;

    const std::optional<Principal> &principal() const { return m_principal; }
    void setPrincipal(const Principal &principal);
    // The hash of the token the principal said hello with: the connection ends when it does.
    void setTokenHash(const QString &hash) { m_tokenHash = hash; }
    QString tokenHash() const { return m_tokenHash; }
    // From now on messages go out as binary frames (UTF-8 JSON), and binary frames in are
    // read as messages: what hello asked for with binaryFrames, switched on after welcome.
    void setBinaryFrames(bool on) { m_binaryFrames = on; }

    void send(const QJsonObject &message);
    void sendRaw(const QByteArray &json);
    void reply(qint64 req, const QJsonObject &fields = {});
    void replyError(qint64 req, const QString &code, const QString &message,
                    const QJsonObject &fields = {});
    // Sends an error and closes: for problems the connection cannot recover from.
    void closeWithError(const QString &code, const QString &message);
    qint64 pendingBytes() const;
    bool isOpen() const { return !m_closing; }

    // Pipelined appends (PROTOCOL.md 6.8): once an append of pipeline n is refused, every later
    // append of this connection numbered n or lower is refused unstored (`aborted`), so a
    // client with several appends in flight never has a later one stored before an earlier.
    qint64 abortedPipeline() const { return m_abortedPipeline; }
    void abortPipeline(qint64 pipeline)
    {
        m_abortedPipeline = std::max(m_abortedPipeline, pipeline);
    }
    // Set while one of this connection's appends is with the store writer: the next waits, so
    // the appends of one connection are stored one after another, each knowing how the one
    // before it ended.
    bool appendInStore() const { return m_appendInStore; }
    void setAppendInStore(bool inStore) { m_appendInStore = inStore; }
    QString peer() const { return m_peer; }

    QHash<QString, Subscription> &subscriptions() { return m_subscriptions; }

    // Searches run on the store writer's thread, which every org's appends share: a connection
    // has one there at a time, and a few more waiting here.
    struct WaitingSearch
    {
        qint64 req = 0;
        SearchQuery query;
        int limit = 0;
    };
    QList<WaitingSearch> &waitingSearches() { return m_waitingSearches; }
    bool isSearching() const { return m_searching; }
    void setSearching(bool searching) { m_searching = searching; }

signals:
    void messageReceived(casefile::ClientConnection *connection, const QJsonObject &message);
    // The send buffer went below half the slow-subscriber limit again.
    void drained(casefile::ClientConnection *connection);
    void closed(casefile::ClientConnection *connection);

private:
    void onText(const QString &text);
    void onBinary(const QByteArray &utf8);
    void onMessage(const QByteArray &utf8);
    void replyRateLimited(qint64 req);
    // Who this is, for logs: "user ID", "endpoint ID" or "before hello".
    QString principalName() const;

    static constexpr int closeGraceMs = 10000;

    QWebSocket *m_socket;
    QString m_peer;
    std::optional<Principal> m_principal;
    QString m_tokenHash;
    QTimer m_helloTimer;
    QTimer m_idleTimer;
    RateLimiter m_rate;
    QHash<QString, Subscription> m_subscriptions;
    QList<WaitingSearch> m_waitingSearches;
    bool m_searching = false;
    bool m_closing = false;
    bool m_binaryFrames = false;
    bool m_appendInStore = false;
    qint64 m_abortedPipeline = 0;
    bool m_wasSlow = false;
};

} // namespace casefile
