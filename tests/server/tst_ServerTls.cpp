#include "ServerFixture.h"
#include "WsTestClient.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QtTest>

// casefiled with --tls-cert/--tls-key: https and wss on the one port, nothing in clear text.
class tst_ServerTls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void httpsAndWss();
    void untrustedCertificateIsRefusedByClients();
    void plainWebSocketGetsNothing();
    void brokenKeyIsAClearError();

private:
    QTemporaryDir m_dir;
    QSslCertificate m_certificate;
    ServerFixture m_server;
    ServerFixture::Org m_org;
};

void tst_ServerTls::initTestCase()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend on this machine");
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                   QStringLiteral("-nodes"), QStringLiteral("-keyout"), m_dir.filePath(QStringLiteral("key.pem")),
                   QStringLiteral("-out"), m_dir.filePath(QStringLiteral("cert.pem")), QStringLiteral("-days"), QStringLiteral("2"),
                   QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=IP:127.0.0.1")});
    QVERIFY(openssl.waitForFinished(60000));
    QCOMPARE(openssl.exitCode(), 0);
    m_certificate = QSslCertificate::fromPath(m_dir.filePath(QStringLiteral("cert.pem"))).value(0);
    QVERIFY(!m_certificate.isNull());
    m_org = m_server.createOrg(QStringLiteral("Contoso"));
    m_server.setTls(m_dir.filePath(QStringLiteral("cert.pem")), m_dir.filePath(QStringLiteral("key.pem")));
    QVERIFY2(m_server.start(), qPrintable(m_server.serverLog()));
    QVERIFY(m_server.serverLog().contains(QStringLiteral("listening on https://")));
}

void tst_ServerTls::httpsAndWss()
{
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(m_server.httpUrl() + QStringLiteral("/healthz")));
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.addCaCertificate(m_certificate);
    request.setSslConfiguration(config);
    QNetworkReply *reply = nam.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(15000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    reply->deleteLater();

    WsTestClient client;
    client.trustCertificate(m_certificate);
    QVERIFY(m_server.wsUrl().startsWith(QStringLiteral("wss://")));
    QVERIFY(client.open(m_server.wsUrl(), 15000));
    QCOMPARE(client.hello(m_org.technicianToken).value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
    QCOMPARE(client.request(QStringLiteral("ping")).value(QStringLiteral("type")).toString(), QStringLiteral("result"));
}

void tst_ServerTls::untrustedCertificateIsRefusedByClients()
{
    WsTestClient client; // default trust store: the self-signed certificate is not in it
    QVERIFY(!client.open(m_server.wsUrl(), 10000));
}

void tst_ServerTls::plainWebSocketGetsNothing()
{
    WsTestClient client;
    const QString plain = QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server.port());
    QVERIFY(!client.open(plain, 5000));
}

void tst_ServerTls::brokenKeyIsAClearError()
{
    QFile key(m_dir.filePath(QStringLiteral("broken.pem")));
    QVERIFY(key.open(QIODevice::WriteOnly));
    key.write("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
    key.close();
    QProcess server;
    server.start(QStringLiteral(CASEFILED), {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data"),
                                             m_dir.filePath(QStringLiteral("data")), QStringLiteral("--tls-cert"),
                                             m_dir.filePath(QStringLiteral("cert.pem")), QStringLiteral("--tls-key"), key.fileName()});
    QVERIFY(server.waitForFinished(15000));
    QCOMPARE(server.exitCode(), 1);
    QVERIFY2(server.readAllStandardError().contains("not valid PEM"), "no clear error for a broken key");
}

QTEST_GUILESS_MAIN(tst_ServerTls)
#include "tst_ServerTls.moc"
