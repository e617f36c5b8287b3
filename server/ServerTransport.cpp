#include "ServerTransport.h"

#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QWebSocket>

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#include <QHttpServerWebSocketUpgradeResponse>
#endif

namespace casefile {

ServerTransport::ServerTransport(QObject *parent) : QObject(parent)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    // 6.8: upgrades are accepted by a verifier, not by a route.
    m_http.addWebSocketUpgradeVerifier(this, [](const QHttpServerRequest &request) {
        return request.url().path() == QLatin1String("/ws")
            ? QHttpServerWebSocketUpgradeResponse::accept()
            : QHttpServerWebSocketUpgradeResponse::passToNext();
    });
#else
    // 6.4: an upgrade is handed over only on a path whose route handler writes nothing; a plain
    // GET must still get an answer instead of hanging.
    m_http.route(QStringLiteral("/ws"), [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        if (request.value("upgrade").compare("websocket", Qt::CaseInsensitive) != 0)
            responder.write("expected a WebSocket upgrade\n", "text/plain",
                            QHttpServerResponder::StatusCode::BadRequest);
    });
#endif
    connect(&m_http, &QAbstractHttpServer::newWebSocketConnection, this, [this] {
        while (m_http.hasPendingWebSocketConnections()) {
            std::unique_ptr<QWebSocket> socket = m_http.nextPendingWebSocketConnection();
            if (socket)
                emit webSocketConnected(socket.release());
        }
    });
}

bool ServerTransport::listen(const QHostAddress &address, quint16 port, const QString &certPath,
                             const QString &keyPath, QString *error)
{
    if (!certPath.isEmpty() || !keyPath.isEmpty()) {
        QFile certFile(certPath);
        QFile keyFile(keyPath);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            *error = tr("cannot read the TLS certificate or key (%1, %2)").arg(certPath, keyPath);
            return false;
        }
        const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
        const QSslKey key(keyFile.readAll(), QSsl::Rsa, QSsl::Pem);
        QSslKey usableKey = key;
        if (usableKey.isNull()) {
            keyFile.seek(0);
            usableKey = QSslKey(keyFile.readAll(), QSsl::Ec, QSsl::Pem);
        }
        if (chain.isEmpty() || usableKey.isNull()) {
            *error = tr("the TLS certificate or key is not valid PEM");
            return false;
        }
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificateChain(chain);
        config.setPrivateKey(usableKey);
        auto *ssl = new QSslServer(this);
        ssl->setSslConfiguration(config);
        m_tcp = ssl;
        m_tls = true;
    } else {
        m_tcp = new QTcpServer(this);
    }
    // Qt's default backlog (50) drops connection attempts when many agents reconnect at once
    // after a restart; each dropped one waits a second before its SYN is retried.
    m_tcp->setListenBacklogSize(1024);
    if (!m_tcp->listen(address, port)) {
        *error = tr("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(m_tcp->errorString());
        return false;
    }
    // Both 6.4 and 6.8 accept a QTcpServer that is already listening.
    m_http.bind(m_tcp);
    return true;
}

quint16 ServerTransport::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

void ServerTransport::addSecurityHeaders(QHttpServerResponse &response, const QByteArray &contentSecurityPolicy)
{
    const QList<std::pair<QByteArray, QByteArray>> headers{
        {QByteArrayLiteral("Content-Security-Policy"), contentSecurityPolicy},
        {QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")},
        {QByteArrayLiteral("X-Frame-Options"), QByteArrayLiteral("DENY")},
        {QByteArrayLiteral("Referrer-Policy"), QByteArrayLiteral("no-referrer")},
        {QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")},
    };
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    QHttpHeaders all = response.headers();
    for (const auto &h : headers)
        all.replaceOrAppend(QAnyStringView(h.first), QAnyStringView(h.second));
    response.setHeaders(std::move(all));
#else
    for (const auto &h : headers)
        response.setHeader(h.first, h.second);
#endif
}

} // namespace casefile
