#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QWebSocket>

#include <functional>

// A bare WebSocket client for protocol tests: sends raw frames and waits for replies. It knows
// nothing of Casefile beyond "JSON messages with a req".
class WsTestClient : public QObject
{
    Q_OBJECT

public:
    explicit WsTestClient(QObject *parent = nullptr);

    bool open(const QString &url, int timeoutMs = 10000);
    // For wss://: trust this certificate (a test server's self-signed one).
    void trustCertificate(const QSslCertificate &certificate);
    // Sends hello and returns the server's answer (welcome or error); binaryFrames asks for
    // messages in binary frames.
    QJsonObject hello(const QString &token, int timeoutMs = 10000, bool binaryFrames = false);
    // Sends a request with a fresh req id and waits for the reply with that id.
    QJsonObject request(const QString &type, QJsonObject params = {}, int timeoutMs = 15000);
    void sendText(const QByteArray &text);
    void sendBinary(const QByteArray &data);
    // The next received message of this type (already received ones count), or {}.
    QJsonObject waitFor(const QString &type, int timeoutMs = 10000);
    // Waits until the connection closes; true if it did.
    bool waitForClosed(int timeoutMs = 10000);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    QList<QJsonObject> &received() { return m_received; }
    // All events pushed for a session so far, in arrival order.
    QJsonArray pushedEvents(const QString &session) const;
    qint64 nextReq() { return ++m_req; }
    // Messages that came in binary frames, and in text frames.
    int binaryFramesReceived() const { return m_binaryFrames; }
    int textFramesReceived() const { return m_textFrames; }

private:
    // Removes and returns the first received message that matches, waiting for it up to
    // timeoutMs; {} when none came (or the connection closed, with stopWhenClosed).
    QJsonObject take(int timeoutMs, bool stopWhenClosed,
                     const std::function<bool(const QJsonObject &)> &matches);

    QWebSocket m_socket;
    QList<QJsonObject> m_received;
    qint64 m_req = 0;
    int m_binaryFrames = 0;
    int m_textFrames = 0;
};
