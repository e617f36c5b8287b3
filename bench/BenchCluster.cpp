#include "BenchCluster.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QRegularExpression>

#include <csignal>
#include <sys/prctl.h>

namespace {

// The last part of a child's output is all a failure report needs; 1,000 "hello from" lines
// must not pile up in memory.
void appendCapped(QString &log, const QByteArray &bytes)
{
    constexpr qsizetype cap = 64 * 1024;
    log += QString::fromUtf8(bytes);
    if (log.size() > cap)
        log = log.right(cap);
}

} // namespace

BenchCluster::BenchCluster() = default;

BenchCluster::~BenchCluster()
{
    killAll();
}

void BenchCluster::configureChild(QProcess &process)
{
    // Runs in the child between fork and exec: it dies with the benchmark whatever happens to
    // the benchmark. The raised RLIMIT_NOFILE of the benchmark is inherited as it is.
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

QJsonObject BenchCluster::admin(const QStringList &args)
{
    QProcess p;
    configureChild(p);
    p.start(QStringLiteral(CASEFILED),
            QStringList{QStringLiteral("admin"), QStringLiteral("--data"), dataDir(), QStringLiteral("--json")} + args);
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("casefiled admin %1 failed: %2")
                      .arg(args.join(QLatin1Char(' ')), QString::fromUtf8(p.readAllStandardError()));
        p.kill();
        p.waitForFinished(5000);
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

bool BenchCluster::createOrg()
{
    m_org = admin({QStringLiteral("create-org"), QStringLiteral("Bench MSP")}).value(QStringLiteral("org")).toString();
    if (m_org.isEmpty())
        return false;
    m_clientGroup = admin({QStringLiteral("create-client-group"), QStringLiteral("--org"), m_org, QStringLiteral("Bench HQ")})
                        .value(QStringLiteral("clientGroup"))
                        .toString();
    m_technician = admin({QStringLiteral("create-user"), QStringLiteral("--org"), m_org, QStringLiteral("--name"),
                          QStringLiteral("Bench Technician"), QStringLiteral("--role"), QStringLiteral("technician")})
                       .value(QStringLiteral("user"))
                       .toString();
    if (m_clientGroup.isEmpty() || m_technician.isEmpty())
        return false;
    m_token = admin({QStringLiteral("issue-token"), QStringLiteral("--user"), m_technician}).value(QStringLiteral("token")).toString();
    return !m_token.isEmpty();
}

bool BenchCluster::startServer()
{
    m_server = std::make_unique<QProcess>();
    configureChild(*m_server);
    m_server->setProcessChannelMode(QProcess::MergedChannels);
    m_server->start(QStringLiteral(CASEFILED), {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                                QStringLiteral("--data"), dataDir()});
    if (!m_server->waitForStarted(10000)) {
        m_error = QStringLiteral("casefiled did not start: %1").arg(m_server->errorString());
        return false;
    }
    static const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 20000 && m_server->state() == QProcess::Running) {
        m_server->waitForReadyRead(200);
        appendCapped(m_serverLog, m_server->readAll());
        const auto match = listening.match(m_serverLog);
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            // From here on the output is drained by the event loop of whoever runs.
            QObject::connect(m_server.get(), &QProcess::readyRead, m_server.get(),
                             [this] { appendCapped(m_serverLog, m_server->readAll()); });
            return true;
        }
    }
    m_error = QStringLiteral("casefiled did not say where it listens: %1").arg(m_serverLog);
    return false;
}

bool BenchCluster::stopServer()
{
    if (!m_server || m_server->state() == QProcess::NotRunning)
        return true;
    m_server->terminate();
    if (m_server->waitForFinished(20000))
        return true;
    m_server->kill();
    m_server->waitForFinished(5000);
    m_error = QStringLiteral("casefiled did not stop on SIGTERM");
    return false;
}

qint64 BenchCluster::serverPid() const
{
    return m_server ? m_server->processId() : 0;
}

bool BenchCluster::enrollAgent()
{
    const QString code = admin({QStringLiteral("enrollment-code"), QStringLiteral("--client-group"), m_clientGroup})
                             .value(QStringLiteral("code"))
                             .toString();
    if (code.isEmpty())
        return false;
    m_agentState = dataDir() + QStringLiteral("/agent");
    QProcess enroll;
    configureChild(enroll);
    enroll.start(QStringLiteral(CASEFILE_AGENT), {QStringLiteral("enroll"), QStringLiteral("--server"), httpUrl(),
                                                  QStringLiteral("--code"), code, QStringLiteral("--state"), m_agentState});
    if (!enroll.waitForFinished(30000) || enroll.exitCode() != 0) {
        m_error = QStringLiteral("casefile-agent enroll failed: %1").arg(QString::fromUtf8(enroll.readAllStandardError()));
        return false;
    }
    static const QRegularExpression endpoint(QStringLiteral("endpoint ([0-9a-f-]{36})"));
    m_endpoint = endpoint.match(QString::fromUtf8(enroll.readAllStandardOutput())).captured(1);
    if (m_endpoint.isEmpty())
        m_error = QStringLiteral("casefile-agent enroll did not name the endpoint");
    return !m_endpoint.isEmpty();
}

bool BenchCluster::startAgent()
{
    m_agent = std::make_unique<QProcess>();
    configureChild(*m_agent);
    m_agent->setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(m_agent.get(), &QProcess::readyRead, m_agent.get(),
                     [this] { appendCapped(m_agentLog, m_agent->readAll()); });
    m_agent->start(QStringLiteral(CASEFILE_AGENT), {QStringLiteral("run"), QStringLiteral("--state"), m_agentState,
                                                    QStringLiteral("--consent"), QStringLiteral("auto-approve")});
    if (!m_agent->waitForStarted(10000)) {
        m_error = QStringLiteral("casefile-agent did not start: %1").arg(m_agent->errorString());
        return false;
    }
    return true;
}

qint64 BenchCluster::agentPid() const
{
    return m_agent ? m_agent->processId() : 0;
}

void BenchCluster::stopAgent()
{
    if (!m_agent || m_agent->state() == QProcess::NotRunning)
        return;
    m_agent->terminate();
    if (!m_agent->waitForFinished(10000)) {
        m_agent->kill();
        m_agent->waitForFinished(5000);
    }
}

void BenchCluster::killAll()
{
    for (QProcess *p : {m_agent.get(), m_server.get()}) {
        if (p && p->state() != QProcess::NotRunning) {
            p->kill();
            p->waitForFinished(5000);
        }
    }
}
