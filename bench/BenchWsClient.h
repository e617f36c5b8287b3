#pragma once

#include <QJsonObject>
#include <QObject>
#include <QWebSocket>

#include <functional>

// A bare client of the wire protocol (docs/PROTOCOL.md section 6) for benchmarks: blocking
// helpers for the setup (open, hello, request) and a callback for everything else, stamped with
// its arrival time. It deliberately bypasses SyncClient: the benchmark plays the console and
// must not add an outbox or decoding of its own to the measured path.
class BenchWsClient : public QObject
{
    Q_OBJECT

public:
    explicit BenchWsClient(QObject *parent = nullptr);

    bool open(const QString &url, int timeoutMs = 10000);
    // Sends hello and waits for welcome; {} on error or timeout.
    QJsonObject hello(const QString &token, int timeoutMs = 10000);
    // Sends a request and waits for its reply (result or error); {} on timeout.
    QJsonObject request(const QString &type, QJsonObject params = {}, int timeoutMs = 15000);
    // Sends a request without waiting; its reply goes to onMessage. Returns the req used.
    qint64 send(const QString &type, QJsonObject params = {});
    void sendFrame(const QByteArray &frame);
    qint64 nextReq() { return ++m_req; }
    QWebSocket &socket() { return m_socket; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

    // Every message that no blocking call is waiting for: pushes and replies to send(). The
    // times are taken as the message is handed over by QWebSocket, before anything parses it.
    std::function<void(const QByteArray &message, qint64 arrivalSteadyNs, qint64 arrivalWallUs)> onMessage;

private:
    void onMessageBytes(const QByteArray &utf8);
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs);

    QWebSocket m_socket;
    qint64 m_req = 0;
    std::function<bool(const QJsonObject &)> m_waiting;
    QJsonObject m_caught;
    bool m_caughtOne = false;
    bool m_binaryFrames = false; // the welcome accepted them
};
