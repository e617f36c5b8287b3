#pragma once

#include <QString>
#include <QUrl>

#include <optional>

namespace casefile {

// casefile:// links to one entry of a session or a snapshot, which the desktop file registers:
//   casefile://session/<session id>?server=<http(s) base URL>&seq=<n>
//   casefile://snapshot/<link token>?server=<http(s) base URL>&seq=<n>
// seq is optional (the whole record). The server is the one the session or snapshot lives on;
// for a snapshot the link is then <server>/s/<token>.
struct DeepLink
{
    enum class Target
    {
        Session,
        Snapshot,
    };
    Target target = Target::Session;
    QString id; // session id or snapshot link token
    QUrl server;
    qint64 seq = 0; // 0: none

    QUrl toUrl() const;
    // The snapshot's page on its server (/s/<token>); empty for sessions.
    QUrl snapshotUrl() const;
    static std::optional<DeepLink> parse(const QString &text, QString *error = nullptr);
    // A snapshot page link (http(s)://host/s/<token>) as a DeepLink, so a pasted browser link opens too.
    static std::optional<DeepLink> fromSnapshotPage(const QUrl &url);
};

} // namespace casefile
