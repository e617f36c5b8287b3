#include "ClientConnection.h"

#include "protocol/ProtocolLimits.h"
#include "protocol/WireMessage.h"

#include <QLoggingCategory>
#include <QWebSocket>

Q_DECLARE_LOGGING_CATEGORY(lcServer)

namespace casefile {

ClientConnection::ClientConnection(QWebSocket *socket, QObject *parent)
    : QObject(parent),
      m_socket(socket),
      m_rate(ProtocolLimits::requestsPerSecond, ProtocolLimits::requestBurst)
{
    m_socket->setParent(this);
    m_peer = QStringLiteral("%1:%2").arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort());
    // Qt closes the connection with 1009 (message too big) past these.
    m_socket->setMaxAllowedIncomingFrameSize(ProtocolLimits::frameBytes);
    m_socket->setMaxAllowedIncomingMessageSize(ProtocolLimits::frameBytes);

    connect(m_socket, &QWebSocket::textMessageReceived, this, &ClientConnection::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &ClientConnection::onBinary);
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        m_closing = true;
        m_helloTimer.stop();
        m_idleTimer.stop();
        emit closed(this);
    });
    connect(m_socket, &QWebSocket::bytesWritten, this, [this] {
        if (m_wasSlow && pendingBytes() < ProtocolLimits::slowSubscriberBytes / 2) {
            m_wasSlow = false;
            emit drained(this);
        }
    });
    // Pong frames do not count as activity (PROTOCOL.md 6.5): this server sends no pings, so
    // any pong is unasked for, and would keep a silent connection open for ever.

    m_helloTimer.setSingleShot(true);
    m_helloTimer.setInterval(ProtocolLimits::helloTimeoutMs);
    connect(&m_helloTimer, &QTimer::timeout, this, [this] {
        closeWithError(WireMessage::Timeout, tr("no hello within %1 s").arg(ProtocolLimits::helloTimeoutMs / 1000));
    });
    m_helloTimer.start();

    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(ProtocolLimits::idleTimeoutMs);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcServer) << "closing idle connection" << m_peer;
        closeWithError(WireMessage::Timeout, tr("no message for %1 s").arg(ProtocolLimits::idleTimeoutMs / 1000));
    });
    m_idleTimer.start();
}

ClientConnection::~ClientConnection() = default;

void ClientConnection::setPrincipal(const Principal &principal)
{
    m_principal = principal;
    m_helloTimer.stop();
}

qint64 ClientConnection::pendingBytes() const
{
    return m_socket->bytesToWrite();
}

void ClientConnection::sendRaw(const QByteArray &json)
{
    if (m_closing)
        return;
    if (m_binaryFrames)
        m_socket->sendBinaryMessage(json);
    else
        m_socket->sendTextMessage(QString::fromUtf8(json));
    if (pendingBytes() >= ProtocolLimits::slowSubscriberBytes)
        m_wasSlow = true;
    if (pendingBytes() > ProtocolLimits::unreadBytes) {
        qCWarning(lcServer) << "dropping" << m_peer << "(" << principalName() << "): more than"
                            << ProtocolLimits::unreadBytes / (1024 * 1024)
                            << "MiB of replies unread";
        m_closing = true; // nothing more is sent or handled; the caller may still use this
        QMetaObject::invokeMethod(m_socket, &QWebSocket::abort, Qt::QueuedConnection);
    }
}

void ClientConnection::send(const QJsonObject &message)
{
    sendRaw(WireMessage::encode(message));
}

void ClientConnection::reply(qint64 req, const QJsonObject &fields)
{
    send(WireMessage::result(req, fields));
}

void ClientConnection::replyError(qint64 req, const QString &code, const QString &message,
                                  const QJsonObject &fields)
{
    send(WireMessage::error(req, code, message, fields));
}

void ClientConnection::replyRateLimited(qint64 req)
{
    replyError(req, WireMessage::RateLimited,
               tr("more than %1 requests per second").arg(ProtocolLimits::requestsPerSecond));
}

void ClientConnection::closeWithError(const QString &code, const QString &message)
{
    if (m_closing)
        return;
    send(WireMessage::error(0, code, message));
    m_closing = true;
    m_socket->close(code == WireMessage::Unauthorized ? QWebSocketProtocol::CloseCodePolicyViolated
                                                      : QWebSocketProtocol::CloseCodeNormal,
                    message.left(100));
    // A peer that reads nothing never completes the close: it must not keep the connection.
    QTimer::singleShot(closeGraceMs, m_socket, &QWebSocket::abort);
}

QString ClientConnection::principalName() const
{
    return m_principal ? m_principal->type + QLatin1Char(' ') + m_principal->id
                       : QStringLiteral("before hello");
}

void ClientConnection::onBinary(const QByteArray &utf8)
{
    if (m_closing)
        return;
    if (m_binaryFrames) {
        onMessage(utf8); // the same JSON as a text frame's (hello asked for binaryFrames)
        return;
    }
    m_idleTimer.start();
    if (!m_principal) {
        closeWithError(WireMessage::Unauthorized, tr("say hello first"));
        return;
    }
    if (!m_rate.tryAcquire()) { // a refused frame counts like any other message
        replyRateLimited(0);
        return;
    }
    replyError(0, WireMessage::BadRequest,
               tr("binary frames are not accepted on this connection; send JSON text, or ask "
                  "for binaryFrames in hello"));
}

void ClientConnection::onText(const QString &text)
{
    if (m_closing)
        return;
    onMessage(text.toUtf8());
}

void ClientConnection::onMessage(const QByteArray &utf8)
{
    m_idleTimer.start();
    // WireMessage::parse checks the UTF-8: a binary frame has not been through Qt's decoder.
    QString error;
    const auto message = WireMessage::parse(utf8, &error);
    const qint64 req = message ? WireMessage::requestId(*message) : 0;
    if (!m_rate.tryAcquire()) {
        if (message && message->value(QStringLiteral("type")).toString() == QLatin1String("append"))
            abortPipeline(WireMessage::pipeline(*message));
        replyRateLimited(req);
        return;
    }
    if (!message) {
        if (!m_principal)
            closeWithError(WireMessage::BadRequest, error);
        else
            replyError(0, WireMessage::BadRequest, error);
        return;
    }
    const QString type = message->value(QStringLiteral("type")).toString();
    if (!m_principal && type != QLatin1String("hello")) {
        closeWithError(WireMessage::Unauthorized, tr("say hello first"));
        return;
    }
    emit messageReceived(this, *message);
}

} // namespace casefile
