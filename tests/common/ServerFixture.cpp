#include "ServerFixture.h"

#include "events/EventCodec.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>

ServerFixture::ServerFixture() = default;

ServerFixture::~ServerFixture()
{
    for (QProcess *child : std::as_const(m_children)) {
        if (child->state() != QProcess::NotRunning) {
            child->kill();
            child->waitForFinished(5000);
        }
        delete child;
    }
    kill();
}

QProcess *ServerFixture::startAgent(const Org &org, const QString &consent, const QStringList &extra)
{
    m_agentState = dataDir() + QStringLiteral("/agent-%1").arg(++m_agents);
    QProcess enroll;
    enroll.start(QStringLiteral(CASEFILE_AGENT), {QStringLiteral("enroll"), QStringLiteral("--server"), httpUrl(),
                                                  QStringLiteral("--code"), enrollmentCode(org.clientGroup),
                                                  QStringLiteral("--state"), m_agentState});
    if (!enroll.waitForFinished(30000) || enroll.exitCode() != 0)
        return nullptr;
    static const QRegularExpression endpoint(QStringLiteral("endpoint ([0-9a-f-]{36})"));
    m_agentEndpoint = endpoint.match(QString::fromUtf8(enroll.readAllStandardOutput())).captured(1);
    return restartAgent(consent, extra);
}

QProcess *ServerFixture::restartAgent(const QString &consent, const QStringList &extra)
{
    auto *agent = new QProcess;
    m_children.append(agent);
    agent->setProcessChannelMode(QProcess::SeparateChannels);
    agent->start(QStringLiteral(CASEFILE_AGENT), QStringList{QStringLiteral("run"), QStringLiteral("--state"), m_agentState,
                                                             QStringLiteral("--consent"), consent} + extra);
    if (!agent->waitForStarted(10000))
        return nullptr;
    return agent;
}

ServerFixture::Cli ServerFixture::cli(const QString &token, const QStringList &args, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CASEFILE_SERVER"), wsUrl());
    env.insert(QStringLiteral("CASEFILE_TOKEN"), token);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(CASEFILE_CLI), args);
    Cli result;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
    } else {
        result.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    result.out = p.readAllStandardOutput();
    result.err = p.readAllStandardError();
    return result;
}

QProcess *ServerFixture::startCli(const QString &token, const QStringList &args)
{
    auto *p = new QProcess;
    m_children.append(p);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CASEFILE_SERVER"), wsUrl());
    env.insert(QStringLiteral("CASEFILE_TOKEN"), token);
    p->setProcessEnvironment(env);
    p->start(QStringLiteral(CASEFILE_CLI), args);
    p->waitForStarted(10000);
    return p;
}

QJsonObject ServerFixture::admin(const QStringList &args, QString *error)
{
    QProcess p;
    p.start(QStringLiteral(CASEFILED), QStringList{QStringLiteral("admin"), QStringLiteral("--data"), dataDir(),
                                                   QStringLiteral("--json")} + args);
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        if (error)
            *error = QString::fromUtf8(p.readAllStandardError());
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

ServerFixture::Org ServerFixture::createOrg(const QString &name)
{
    Org org;
    org.id = admin({QStringLiteral("create-org"), name}).value(QStringLiteral("org")).toString();
    org.clientGroup = admin({QStringLiteral("create-client-group"), QStringLiteral("--org"), org.id, name + QStringLiteral(" HQ")})
                          .value(QStringLiteral("clientGroup")).toString();
    org.technician = admin({QStringLiteral("create-user"), QStringLiteral("--org"), org.id, QStringLiteral("--name"),
                            QStringLiteral("Tech of ") + name, QStringLiteral("--role"), QStringLiteral("technician")})
                         .value(QStringLiteral("user")).toString();
    const QJsonObject token = admin({QStringLiteral("issue-token"), QStringLiteral("--user"), org.technician});
    org.technicianToken = token.value(QStringLiteral("token")).toString();
    org.technicianTokenId = token.value(QStringLiteral("tokenId")).toString();
    org.viewer = admin({QStringLiteral("create-user"), QStringLiteral("--org"), org.id, QStringLiteral("--name"),
                        QStringLiteral("Viewer of ") + name, QStringLiteral("--role"), QStringLiteral("viewer")})
                     .value(QStringLiteral("user")).toString();
    org.viewerToken = admin({QStringLiteral("issue-token"), QStringLiteral("--user"), org.viewer})
                          .value(QStringLiteral("token")).toString();
    return org;
}

QString ServerFixture::enrollmentCode(const QString &clientGroup, const QString &ttl)
{
    return admin({QStringLiteral("enrollment-code"), QStringLiteral("--client-group"), clientGroup, QStringLiteral("--ttl"), ttl})
        .value(QStringLiteral("code")).toString();
}

bool ServerFixture::start(quint16 port)
{
    kill();
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QStringList args{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--data"), dataDir()};
    if (!m_tlsCert.isEmpty())
        args += {QStringLiteral("--tls-cert"), m_tlsCert, QStringLiteral("--tls-key"), m_tlsKey};
    m_process->start(QStringLiteral(CASEFILED), args);
    if (!m_process->waitForStarted(10000))
        return false;
    static const QRegularExpression listening(QStringLiteral("listening on https?://127\\.0\\.0\\.1:(\\d+)"));
    QElapsedTimer timer;
    timer.start();
    // A restarted server may find its port still in TIME_WAIT for a moment: it exits, we retry.
    while (timer.elapsed() < 20000) {
        m_process->waitForReadyRead(200);
        m_log += QString::fromUtf8(m_process->readAll());
        const auto match = listening.match(m_log);
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
        if (m_process->state() != QProcess::Running) {
            if (port == 0)
                return false;
            QThread::msleep(200);
            m_process->start(QStringLiteral(CASEFILED), args);
            m_process->waitForStarted(10000);
        }
    }
    return false;
}

QString ServerFixture::serverLog() const
{
    if (m_process)
        m_log += QString::fromUtf8(m_process->readAll());
    return m_log;
}

void ServerFixture::kill()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(10000);
        m_log += QString::fromUtf8(m_process->readAll());
    }
}

void ServerFixture::terminate()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(10000))
            kill();
        m_log += QString::fromUtf8(m_process->readAll());
    }
}

bool ServerFixture::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

int ServerFixture::enroll(const QString &code, const QString &hostname, QJsonObject *body)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(httpUrl() + QStringLiteral("/api/enroll")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = manager.post(request, QJsonDocument(QJsonObject{{QStringLiteral("code"), code},
                                                                          {QStringLiteral("hostname"), hostname},
                                                                          {QStringLiteral("os"), QStringLiteral("Debian")}})
                                                     .toJson());
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(15000, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (body)
        *body = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return status;
}

QList<casefile::Event> ServerFixture::events(const QString &token, const QString &session)
{
    const Cli printed = cli(token, {QStringLiteral("events"), QStringLiteral("--session"), session,
                                    QStringLiteral("--json")});
    if (printed.code != 0)
        qWarning("casefile-cli events: %s", printed.err.constData());
    QList<casefile::Event> events;
    for (const QByteArray &line : printed.out.split('\n')) {
        if (line.isEmpty())
            continue;
        const auto decoded = casefile::EventCodec::decode(line, casefile::EventCodec::Mode::Sealed);
        if (decoded.ok())
            events.append(decoded.event);
    }
    return events;
}
