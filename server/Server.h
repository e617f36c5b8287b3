#pragma once

#include "ClientConnection.h"
#include "Directory.h"
#include "ServerConfig.h"
#include "ServerTransport.h"
#include "SnapshotService.h"
#include "StoreWriter.h"
#include "store/EventStore.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

class QHttpServerRequest;
class QHttpServerResponse;

namespace casefile {

// casefiled: the protocol of docs/PROTOCOL.md section 6 over the event store. Everything runs on
// the event loop but storing appends: those from all connections are group-committed by the
// StoreWriter's thread, one batch at a time (what arrives meanwhile is the next batch), and
// acknowledged and pushed back on the event loop. Subscribers are fed from the store at their
// own pace.
class Server : public QObject
{
    Q_OBJECT

public:
    explicit Server(QObject *parent = nullptr);
    ~Server() override;

    bool start(const ServerConfig &config, QString *error);
    // How often the store is asked for tokens revoked (by `casefiled admin`) or expired.
    static constexpr int credentialCheckMs = 2000;
    quint16 port() const { return m_transport.port(); }
    bool isTls() const { return m_transport.isTls(); }

private:
    struct PendingAppend
    {
        QPointer<ClientConnection> connection;
        qint64 req = 0;
        QList<Event> events;
        QList<EnvelopeParts> parts; // of each event, encoded here for the writer's thread
        qint64 pipeline = 0;        // PROTOCOL.md 6.8; 0: not pipelined
    };

    void onConnected(QWebSocket *socket);
    void onMessage(ClientConnection *connection, const QJsonObject &message);
    void onClosed(ClientConnection *connection);

    void handleHello(ClientConnection *c, const QJsonObject &m);
    // The fields of an append's refusal that name the refused event (PROTOCOL.md 6.4).
    static QJsonObject refusedEvent(qsizetype index, const QString &id, bool wholeSession);
    void handleAppend(ClientConnection *c, qint64 req, const QJsonObject &m);
    void handleOpen(ClientConnection *c, qint64 req, const QJsonObject &m);
    void handleSubscribe(ClientConnection *c, qint64 req, const QJsonObject &m);
    void handleUnsubscribe(ClientConnection *c, qint64 req, const QJsonObject &m);
    void handleSessions(ClientConnection *c, qint64 req, const QJsonObject &m);
    void handleSession(ClientConnection *c, qint64 req, const QJsonObject &m);
    void handleEndpoints(ClientConnection *c, qint64 req);
    void handleClientGroups(ClientConnection *c, qint64 req);
    void handleCancel(ClientConnection *c, qint64 req, const QJsonObject &m);
    void handleRead(ClientConnection *c, qint64 req, const QJsonObject &m);
    static void replySearch(ClientConnection *c, qint64 req,
                            const std::optional<QList<SearchHit>> &hits, const QString &error,
                            int limit, int offset);
    void handleSearch(ClientConnection *c, qint64 req, const QJsonObject &m);
    // Hands the connection's next waiting search to the writer, if it has one.
    void startNextSearch(ClientConnection *c);
    static constexpr int maxSearchOffset = 10000;
    static constexpr int maxWaitingSearches = 16;

    // The session if it exists and the principal may see it; otherwise replies the error.
    std::optional<SessionInfo> visibleSession(ClientConnection *c, qint64 req, const QString &id);
    // The cached session if it exists and the principal may see it, else null; *unreadable
    // says the store could not tell.
    const SessionInfo *sessionFor(const Principal &p, const QString &id, bool *unreadable);
    // An `open` naming session `id` that exists: answers it (that session again when it is the
    // caller's own on `endpoint`, the same `open` sent twice; else a conflict) and returns true.
    bool answeredOpenAgain(ClientConnection *c, qint64 req, const QString &id,
                           const QString &endpoint);
    // Why the principal may not append this event (empty if it may), with the error code.
    QString checkAppend(const Principal &p, const Event &e, QString *code);
    void scheduleFlush();
    static void refuseAborted(ClientConnection *c, qint64 req);
    void flushAppends();
    void written(const QList<PendingAppend> &batch, const QList<AppendResult> &results);
    // Replies to `p` with the acks of its events, which start at `offset` in `result`.
    void acknowledge(const PendingAppend &p, const AppendResult &result, qsizetype offset);
    void fanOut(const AppendResult &result);
    void pump(ClientConnection *c, const QString &session);
    // Sends stored events as `events` pushes of at most one batch each, until a slow
    // subscriber's worth is waiting to be written; returns how many it sent.
    qsizetype push(ClientConnection *c, const QString &session, const QList<QByteArray> &docs);

    // Ends the connections whose token has been revoked or has expired: the admin commands run
    // in another process, so the store is asked about the tokens in use every few seconds.
    void checkCredentials();

    QHttpServerResponse health(const QHttpServerRequest &request);
    QHttpServerResponse enroll(const QHttpServerRequest &request);

    ServerConfig m_config;
    ServerTransport m_transport;
    EventStore m_store;
    Directory m_directory;
    SnapshotService m_snapshots{m_store, m_directory};
    QSet<ClientConnection *> m_connections;
    QHash<QString, QSet<ClientConnection *>> m_subscribers; // session -> connections
    QMultiHash<QString, ClientConnection *> m_endpointConnections;
    QHash<QString, SessionInfo> m_sessionCache;
    QTimer m_credentialCheck;
    QList<PendingAppend> m_pending;
    bool m_flushScheduled = false;
    bool m_writing = false; // a batch is with m_writer
    StoreWriter m_writer;   // last: stopped first
};

} // namespace casefile
