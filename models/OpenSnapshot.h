#pragma once

#include "HandoffSummary.h"
#include "SessionDocument.h"
#include "events/Event.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QObject>
#include <QUrl>
#include <memory>
#include <vector>

namespace casefile {

// A published snapshot opened in the console: the signed bytes as fetched or read from a file,
// verified before anything of it is shown, and per session its redacted events folded into a
// SessionDocument, so the live panes show it read-only.
class OpenSnapshot : public QObject
{
    Q_OBJECT
public:
    // Verifies signature and chains; on failure returns null and says where it failed.
    static std::unique_ptr<OpenSnapshot> load(const QByteArray &bytes, QString *error);

    QByteArray bytes() const { return m_bytes; }
    QJsonObject snapshot() const { return m_snapshot; }
    QString id() const;
    QString title() const;
    QString summaryText() const;
    QString audience() const;
    QString expiresAt() const;
    QString publisherName() const;
    // The link token when opened by link (for "copy link to entry"); empty for files.
    QString linkToken() const { return m_token; }
    QUrl server() const { return m_server; }
    void setOrigin(const QUrl &server, const QString &token);

    int sessionCount() const { return int(m_sessions.size()); }
    QString sessionId(int index) const;
    QString sessionTitle(int index) const;
    QString endpoint(int index) const;
    const QList<Event> &events(int index) const;
    HandoffSummary handoff(int index) const;
    // Made on first use, owned by the snapshot.
    SessionDocument *document(int index);

private:
    OpenSnapshot() = default;
    struct Session
    {
        QList<Event> events;
        SessionDocument *document = nullptr;
    };

    QByteArray m_bytes;
    QJsonObject m_snapshot;
    QString m_token;
    QUrl m_server;
    std::vector<Session> m_sessions;
};

} // namespace casefile
