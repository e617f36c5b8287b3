#pragma once

#include <QString>
#include <QUrl>

namespace casefile {

// The endpoint's credentials, written once by `casefile-agent enroll` to DIR/state.json with
// mode 0600: the token in it is as good as the endpoint's identity.
struct AgentState
{
    QUrl server; // ws:// or wss://
    QString endpoint;
    QString token;
    QString org;
    QString clientGroup;

    static QString filePath(const QString &stateDir);
    bool save(const QString &stateDir, QString *error) const;
    static std::optional<AgentState> load(const QString &stateDir, QString *error);
};

} // namespace casefile
