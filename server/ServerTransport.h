#pragma once

#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QObject>

class QTcpServer;
class QWebSocket;

namespace casefile {

// HTTP and WebSocket on one port. QtHttpServer changed between Qt 6.4 and 6.8 (how a server
// is bound, how WebSocket upgrades are accepted); that difference lives here and nowhere else.
class ServerTransport : public QObject
{
    Q_OBJECT

public:
    explicit ServerTransport(QObject *parent = nullptr);

    // With certPath/keyPath set, serves https/wss instead of http/ws.
    bool listen(const QHostAddress &address, quint16 port, const QString &certPath,
                const QString &keyPath, QString *error);
    quint16 port() const;
    bool isTls() const { return m_tls; }
    QHttpServer &http() { return m_http; }
    // Headers every page and document of ours carries: the content policy, no sniffing, no
    // framing, no referrer, no caching (6.8 replaced setHeader with QHttpHeaders).
    static void addSecurityHeaders(QHttpServerResponse &response, const QByteArray &contentSecurityPolicy);

signals:
    // A client upgraded on /ws; the receiver takes ownership of the socket.
    void webSocketConnected(QWebSocket *socket);

private:
    QHttpServer m_http;
    QTcpServer *m_tcp = nullptr;
    bool m_tls = false;
};

} // namespace casefile
