#pragma once

#include "events/Event.h"

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

    // Serve https/wss with this PEM certificate and key from the next start() on.
    void setTls(const QString &cert, const QString &key) { m_tlsCert = cert; m_tlsKey = key; }
    // Starts casefiled (on `port`, 0 = any free port) and waits until it serves /healthz.
    bool start(quint16 port = 0);
    void kill();      // SIGKILL: nothing gets a chance to clean up
    void terminate(); // SIGTERM, then wait
    bool isRunning() const;
    qint64 serverPid() const { return m_process ? m_process->processId() : 0; }
    quint16 port() const { return m_port; }
    QString wsUrl() const
    {
        return QStringLiteral("%1://127.0.0.1:%2/ws").arg(m_tlsCert.isEmpty() ? QStringLiteral("ws") : QStringLiteral("wss")).arg(m_port);
    }
    QString httpUrl() const
    {
        return QStringLiteral("%1://127.0.0.1:%2").arg(m_tlsCert.isEmpty() ? QStringLiteral("http") : QStringLiteral("https")).arg(m_port);
    }
    // Everything the server has logged so far, including what it printed since the last call.
    QString serverLog() const;

    // Enrolls a real casefile-agent into `org` (state in a new directory under the data dir)
    // and starts `casefile-agent run` with the given consent mode. The process is owned here.
    QProcess *startAgent(const Org &org, const QString &consent, const QStringList &extra = {});
    // The endpoint id of the last agent enrolled.
    QString agentEndpoint() const { return m_agentEndpoint; }
    QString agentStateDir() const { return m_agentState; }
    // Restarts the last agent with the same state directory.
    QProcess *restartAgent(const QString &consent, const QStringList &extra = {});
    struct Cli
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };
    // Runs casefile-cli against this server with `token`; waits up to timeoutMs.
    Cli cli(const QString &token, const QStringList &args, int timeoutMs = 60000);
    // Starts casefile-cli without waiting.
    QProcess *startCli(const QString &token, const QStringList &args);
    // A session's record as `casefile-cli events --json` prints it with `token`, decoded.
    QList<casefile::Event> events(const QString &token, const QString &session);

    // POST /api/enroll; returns the HTTP status and the JSON body.
    int enroll(const QString &code, const QString &hostname, QJsonObject *body);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    mutable QString m_log;
    QString m_tlsCert;
    QString m_tlsKey;
    QList<QProcess *> m_children;
    QString m_agentEndpoint;
    QString m_agentState;
    int m_agents = 0;
};
