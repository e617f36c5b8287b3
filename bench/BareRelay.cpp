#include "BareRelay.h"

#include <QWebSocket>
#include <QWebSocketServer>

BareRelay::BareRelay(QObject *parent) : QObject(parent) {}

BareRelay::~BareRelay() = default;

quint16 BareRelay::listen()
{
    m_server = new QWebSocketServer(QStringLiteral("bare-relay"), QWebSocketServer::NonSecureMode, this);
    connect(m_server, &QWebSocketServer::newConnection, this, &BareRelay::onNewConnection);
    return m_server->listen(QHostAddress::LocalHost, 0) ? m_server->serverPort() : 0;
}

void BareRelay::onNewConnection()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        // The same ceiling casefiled uses for a frame; the default would do as well.
        socket->setMaxAllowedIncomingMessageSize(1024 * 1024);
        const QString path = socket->requestUrl().path();
        if (path == QLatin1String("/consume")) {
            m_consumer = socket;
            // Tells the consumer the relay knows it, so the producer can start.
            socket->sendTextMessage(QStringLiteral("ready"));
        } else if (path == QLatin1String("/produce")) {
            m_producer = socket;
            connect(socket, &QWebSocket::binaryMessageReceived, this,
                    [this](const QByteArray &frame) {
                        if (m_consumer)
                            m_consumer->sendBinaryMessage(frame);
                    });
        } else {
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated);
        }
    }
}
