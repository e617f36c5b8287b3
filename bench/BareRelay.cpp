#include "BareRelay.h"

#include "RelayStore.h"

#include <QWebSocket>
#include <QWebSocketServer>

BareRelay::BareRelay(const QString &storePath, QObject *parent)
    : QObject(parent), m_storePath(storePath)
{}

BareRelay::~BareRelay()
{
    m_storeThread.quit();
    m_storeThread.wait();
}

quint16 BareRelay::listen()
{
    if (!m_storePath.isEmpty()) {
        m_store = RelayStore::start(m_storePath, m_storeThread, &m_error);
        if (!m_store)
            return 0;
        connect(m_store, &RelayStore::stored, this, &BareRelay::forward);
        connect(m_store, &RelayStore::failed, this, [](const QString &error) {
            qWarning("floor relay: a commit failed: %s", qPrintable(error));
        });
    }
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
                        if (m_store)
                            QMetaObject::invokeMethod(
                                m_store, [store = m_store, frame] { store->add(frame); });
                        else
                            forward({frame});
                    });
        } else {
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated);
        }
    }
}

void BareRelay::forward(const QList<QByteArray> &frames)
{
    for (const QByteArray &frame : frames) {
        if (m_consumer)
            m_consumer->sendBinaryMessage(frame);
    }
}
