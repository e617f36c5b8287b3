#include "BenchWsClient.h"

#include "BenchUtil.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QTimer>

BenchWsClient::BenchWsClient(QObject *parent) : QObject(parent)
{
    // The server pushes up to 1 MiB per frame; the default limits are far above that anyway.
    m_socket.setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { onMessageBytes(text.toUtf8()); });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &BenchWsClient::onMessageBytes);
}

bool BenchWsClient::open(const QString &url, int timeoutMs)
{
    QEventLoop loop;
    const auto a = connect(&m_socket, &QWebSocket::connected, &loop, &QEventLoop::quit);
    const auto b = connect(&m_socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    m_socket.open(QUrl(url));
    loop.exec();
    disconnect(a);
    disconnect(b);
    return isConnected();
}

void BenchWsClient::sendFrame(const QByteArray &frame)
{
    if (m_binaryFrames)
        m_socket.sendBinaryMessage(frame);
    else
        m_socket.sendTextMessage(QString::fromUtf8(frame));
}

qint64 BenchWsClient::send(const QString &type, QJsonObject params)
{
    const qint64 req = nextReq();
    params.insert(QStringLiteral("type"), type);
    params.insert(QStringLiteral("req"), req);
    sendFrame(QJsonDocument(params).toJson(QJsonDocument::Compact));
    return req;
}

QJsonObject BenchWsClient::hello(const QString &token, int timeoutMs)
{
    sendFrame(QJsonDocument(
                  QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                              {QStringLiteral("token"), token},
                              {QStringLiteral("client"), QStringLiteral("casefile-bench/0.1.0")},
                              {QStringLiteral("protocol"), 1},
                              // As casefile's own clients (SyncClient) ask.
                              {QStringLiteral("binaryFrames"), true}})
                  .toJson(QJsonDocument::Compact));
    const QJsonObject answer = waitFor(
        [](const QJsonObject &m) {
            const QString type = m.value(QStringLiteral("type")).toString();
            return type == QLatin1String("welcome") || type == QLatin1String("error");
        },
        timeoutMs);
    if (answer.value(QStringLiteral("type")).toString() != QLatin1String("welcome"))
        return {};
    m_binaryFrames = answer.value(QStringLiteral("binaryFrames")).toBool();
    return answer;
}

QJsonObject BenchWsClient::request(const QString &type, QJsonObject params, int timeoutMs)
{
    const qint64 req = send(type, std::move(params));
    return waitFor([req](const QJsonObject &m) { return m.value(QStringLiteral("req")).toInteger() == req; },
                   timeoutMs);
}

QJsonObject BenchWsClient::waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs)
{
    m_waiting = match;
    m_caughtOne = false;
    QEventLoop loop;
    const auto quitIfCaught = [&] {
        if (m_caughtOne)
            loop.quit();
    };
    const auto a = connect(&m_socket, &QWebSocket::textMessageReceived, &loop, quitIfCaught);
    const auto c = connect(&m_socket, &QWebSocket::binaryMessageReceived, &loop, quitIfCaught);
    const auto b = connect(&m_socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    disconnect(a);
    disconnect(b);
    disconnect(c);
    m_waiting = nullptr;
    return m_caughtOne ? m_caught : QJsonObject();
}

void BenchWsClient::onMessageBytes(const QByteArray &utf8)
{
    const qint64 steady = BenchUtil::steadyNs();
    const qint64 wall = BenchUtil::wallUs();
    if (m_waiting && !m_caughtOne) {
        const QJsonObject message = QJsonDocument::fromJson(utf8).object();
        if (m_waiting(message)) {
            m_caught = message;
            m_caughtOne = true;
            return;
        }
    }
    if (onMessage)
        onMessage(utf8, steady, wall);
}
