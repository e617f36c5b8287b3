#pragma once

#include "events/EventKind.h"

#include "Principal.h"
#include "RateLimiter.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

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
    };

    // Takes ownership of the socket.
    explicit ClientConnection(QWebSocket *socket, QObject *parent = nullptr);
    ~ClientConnection() override;

    const std::optional<Principal> &principal() const { return m_principal; }
    void setPrincipal(const Principal &principal);

    void send(const QJsonObject &message);
    void sendRaw(const QByteArray &json);
    void reply(qint64 req, const QJsonObject &fields = {});
    void replyError(qint64 req, const QString &code, const QString &message);
    // Sends an error and closes: for problems the connection cannot recover from.
    void closeWithError(const QString &code, const QString &message);
    qint64 pendingBytes() const;
    bool isOpen() const { return !m_closing; }
    QString peer() const { return m_peer; }

    QHash<QString, Subscription> &subscriptions() { return m_subscriptions; }

signals:
    void messageReceived(casefile::ClientConnection *connection, const QJsonObject &message);
    // The send buffer went below half the slow-subscriber limit again.
    void drained(casefile::ClientConnection *connection);
    void closed(casefile::ClientConnection *connection);

private:
    void onText(const QString &text);
    void onBinary(const QByteArray &data);

    QWebSocket *m_socket;
    QString m_peer;
    std::optional<Principal> m_principal;
    QTimer m_helloTimer;
    QTimer m_idleTimer;
    RateLimiter m_rate;
    QHash<QString, Subscription> m_subscriptions;
    bool m_closing = false;
    bool m_wasSlow = false;
};

} // namespace casefile
