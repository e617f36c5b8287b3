#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

// The real processes a benchmark measures: casefiled on 127.0.0.1 with its own temporary data
// directory, the directory entries a technician needs, and optionally an enrolled
// casefile-agent. Every child is killed when this object goes away, and (PR_SET_PDEATHSIG)
// also when the benchmark itself dies, so a failed or interrupted run leaves nothing behind.
class BenchCluster
{
public:
    BenchCluster();
    ~BenchCluster();
    BenchCluster(const BenchCluster &) = delete;
    BenchCluster &operator=(const BenchCluster &) = delete;

    QString error() const { return m_error; }
    QString dataDir() const { return m_dir.path(); }
    QString storePath() const { return m_dir.path() + QStringLiteral("/casefile.db"); }

    // `casefiled admin`: an org, a client group, a technician and the technician's token.
    bool createOrg();
    QString org() const { return m_org; }
    QString clientGroup() const { return m_clientGroup; }
    QString technician() const { return m_technician; }
    QString technicianToken() const { return m_token; }

    // Starts casefiled with --listen 127.0.0.1:0 and reads the port from its first line.
    bool startServer();
    // SIGTERM and wait, so the store is closed cleanly before the benchmark reads it.
    bool stopServer();
    qint64 serverPid() const;
    quint16 port() const { return m_port; }
    QString wsUrl() const { return QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_port); }
    QString httpUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    QString serverLog() const { return m_serverLog; }

    // `casefile-agent enroll` with a fresh enrollment code; the endpoint id it got.
    bool enrollAgent();
    QString endpoint() const { return m_endpoint; }
    // `casefile-agent run --consent auto-approve` with the enrolled state.
    bool startAgent();
    qint64 agentPid() const;
    // SIGTERM and wait (SIGKILL after 10 s).
    void stopAgent();
    QString agentLog() const { return m_agentLog; }

    // Kills whatever still runs (SIGKILL) and waits for it.
    void killAll();

private:
    QJsonObject admin(const QStringList &args);
    void configureChild(QProcess &process);

    QTemporaryDir m_dir;
    QString m_error;
    QString m_org;
    QString m_clientGroup;
    QString m_technician;
    QString m_token;
    QString m_endpoint;
    QString m_agentState;
    std::unique_ptr<QProcess> m_server;
    std::unique_ptr<QProcess> m_agent;
    QString m_serverLog;
    QString m_agentLog;
    quint16 m_port = 0;
};
