#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

// A real casefiled on loopback with a real SQLite data directory, and the admin commands to
// populate it: what the integration tests run against.
class ServerFixture
{
public:
    struct Org
    {
        QString id;
        QString clientGroup;
        QString technician;
        QString technicianToken;
        QString technicianTokenId;
        QString viewer;
        QString viewerToken;
    };

    ServerFixture();
    ~ServerFixture();

    QString dataDir() const { return m_dir.path(); }
    // Runs `casefiled admin --data DIR --json ARGS`; returns its JSON output (empty on failure).
    QJsonObject admin(const QStringList &args, QString *error = nullptr);
    // An org with a client group, a technician and a viewer, each with a token.
    Org createOrg(const QString &name);
    QString enrollmentCode(const QString &clientGroup, const QString &ttl = QStringLiteral("1h"));

    // Starts casefiled (on `port`, 0 = any free port) and waits until it serves /healthz.
    bool start(quint16 port = 0);
    void kill();      // SIGKILL: nothing gets a chance to clean up
    void terminate(); // SIGTERM, then wait
    bool isRunning() const;
    quint16 port() const { return m_port; }
    QString wsUrl() const { return QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_port); }
    QString httpUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    QString serverLog() const { return m_log; }

    // POST /api/enroll; returns the HTTP status and the JSON body.
    int enroll(const QString &code, const QString &hostname, QJsonObject *body);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_log;
};
