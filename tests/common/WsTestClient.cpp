#include "WsTestClient.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QSslConfiguration>
#include <QTimer>

WsTestClient::WsTestClient(QObject *parent) : QObject(parent)
{
    m_socket.setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        ++m_textFrames;
        m_received.append(QJsonDocument::fromJson(text.toUtf8()).object());
    });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &utf8) {
        ++m_binaryFrames;
        m_received.append(QJsonDocument::fromJson(utf8).object());
    });
}

void WsTestClient::trustCertificate(const QSslCertificate &certificate)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.addCaCertificate(certificate);
    m_socket.setSslConfiguration(config);
}

bool WsTestClient::open(const QString &url, int timeoutMs)
{
    QEventLoop loop;
    connect(&m_socket, &QWebSocket::connected, &loop, &QEventLoop::quit);
    connect(&m_socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    m_socket.open(QUrl(url));
    loop.exec();
    return isConnected();
}

QJsonObject WsTestClient::hello(const QString &token, int timeoutMs, bool binaryFrames)
{
    QJsonObject hello{{QStringLiteral("type"), QStringLiteral("hello")},
                      {QStringLiteral("token"), token},
                      {QStringLiteral("client"), QStringLiteral("tests")},
                      {QStringLiteral("protocol"), 1}};
    if (binaryFrames)
        hello.insert(QStringLiteral("binaryFrames"), true);
    sendText(QJsonDocument(hello).toJson(QJsonDocument::Compact));
    return take(timeoutMs, false, [](const QJsonObject &m) {
        const QString type = m.value(QStringLiteral("type")).toString();
        return type == QLatin1String("welcome") || type == QLatin1String("error");
    });
}

QJsonObject WsTestClient::request(const QString &type, QJsonObject params, int timeoutMs)
{
    const qint64 req = nextReq();
    params.insert(QStringLiteral("type"), type);
    params.insert(QStringLiteral("req"), req);
    sendText(QJsonDocument(params).toJson(QJsonDocument::Compact));
    return take(timeoutMs, true, [req](const QJsonObject &m) {
        return m.value(QStringLiteral("req")).toInteger() == req;
    });
}

QJsonObject WsTestClient::take(int timeoutMs, bool stopWhenClosed,
                               const std::function<bool(const QJsonObject &)> &matches)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        for (qsizetype i = 0; i < m_received.size(); ++i) {
            if (matches(m_received.at(i)))
                return m_received.takeAt(i);
        }
        if (stopWhenClosed && !isConnected())
            return {};
        QEventLoop loop;
        connect(&m_socket, &QWebSocket::textMessageReceived, &loop, &QEventLoop::quit);
        connect(&m_socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
        QTimer::singleShot(100, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return {};
}

void WsTestClient::sendText(const QByteArray &text)
{
    m_socket.sendTextMessage(QString::fromUtf8(text));
}

void WsTestClient::sendBinary(const QByteArray &data)
{
    m_socket.sendBinaryMessage(data);
}

QJsonObject WsTestClient::waitFor(const QString &type, int timeoutMs)
{
    return take(timeoutMs, false, [&type](const QJsonObject &m) {
        return m.value(QStringLiteral("type")).toString() == type;
    });
}

bool WsTestClient::waitForClosed(int timeoutMs)
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    QEventLoop loop;
    connect(&m_socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return m_socket.state() == QAbstractSocket::UnconnectedState;
}

QJsonArray WsTestClient::pushedEvents(const QString &session) const
{
    QJsonArray events;
    for (const QJsonObject &m : m_received) {
        if (m.value(QStringLiteral("type")).toString() == QLatin1String("events")
            && m.value(QStringLiteral("session")).toString() == session) {
            for (const QJsonValue &e : m.value(QStringLiteral("events")).toArray())
                events.append(e);
        }
    }
    return events;
}
