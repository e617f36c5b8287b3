#include "AgentState.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <sys/stat.h>

namespace casefile {

QString AgentState::filePath(const QString &stateDir)
{
    return QDir(stateDir).filePath(QStringLiteral("state.json"));
}

bool AgentState::save(const QString &stateDir, QString *error) const
{
    if (!QDir().mkpath(stateDir)) {
        *error = QCoreApplication::translate("AgentState", "cannot create %1").arg(stateDir);
        return false;
    }
    QFile::setPermissions(stateDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // The temporary file is private from its first byte: no window where the token is readable.
    const mode_t old = ::umask(077);
    QSaveFile file(filePath(stateDir));
    const bool opened = file.open(QIODevice::WriteOnly);
    ::umask(old);
    if (!opened) {
        *error = file.errorString();
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("server"), server.toString()},
                                         {QStringLiteral("endpoint"), endpoint},
                                         {QStringLiteral("token"), token},
                                         {QStringLiteral("org"), org},
                                         {QStringLiteral("clientGroup"), clientGroup}})
                   .toJson());
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

std::optional<AgentState> AgentState::load(const QString &stateDir, QString *error)
{
    QFile file(filePath(stateDir));
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QCoreApplication::translate("AgentState", "not enrolled: cannot read %1 (run casefile-agent enroll first)")
                     .arg(file.fileName());
        return std::nullopt;
    }
    const QJsonObject o = QJsonDocument::fromJson(file.read(64 * 1024)).object();
    AgentState s;
    s.server = QUrl(o.value(QStringLiteral("server")).toString());
    s.endpoint = o.value(QStringLiteral("endpoint")).toString();
    s.token = o.value(QStringLiteral("token")).toString();
    s.org = o.value(QStringLiteral("org")).toString();
    s.clientGroup = o.value(QStringLiteral("clientGroup")).toString();
    if (!s.server.isValid() || s.endpoint.isEmpty() || s.token.isEmpty()) {
        *error = QCoreApplication::translate("AgentState", "%1 is damaged; enroll again").arg(file.fileName());
        return std::nullopt;
    }
    return s;
}

} // namespace casefile
