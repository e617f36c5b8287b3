#pragma once

#include "SnapshotRegistry.h"
#include "snapshot/SnapshotSigner.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QUrl>

#include <optional>

class QHttpServerRequest;
class QHttpServerResponse;

namespace casefile {

class ClientConnection;
struct Event;
class Directory;
class EventStore;

// Publishing and serving snapshots (docs/PROTOCOL.md section 7): the publish, snapshots,
// revoke, snapshotViews, dictionary and dictionary.add requests, and the HTTP side —
// /s/<token> (HTML), /s/<token>.json (the signed document) and the public signing key.
// The server builds what it publishes from its own record with the reviewer's plan and
// refuses while any finding is undecided, so nothing the reviewer did not see gets out.
class SnapshotService
{
    Q_DECLARE_TR_FUNCTIONS(SnapshotService)

public:
    SnapshotService(EventStore &store, Directory &directory);

    // Opens the tables in the store file and loads (or makes) the signing key in dataDir.
    bool open(const QString &storePath, const QString &dataDir, QString *error);
    void setPublicUrl(const QUrl &url) { m_publicUrl = url; }

    static bool handles(const QString &type);
    void handle(ClientConnection *c, qint64 req, const QString &type, const QJsonObject &m);

    // A stored context.captured: its host name, domain and user join the client group's
    // dictionary, so every later package of that client finds them.
    void learnContext(const QString &clientGroup, const Event &contextCaptured);

    QHttpServerResponse page(const QString &tokenAndSuffix, const QHttpServerRequest &request);
    QHttpServerResponse signingKey() const;

private:
    void publish(ClientConnection *c, qint64 req, const QJsonObject &m);
    void list(ClientConnection *c, qint64 req);
    void revoke(ClientConnection *c, qint64 req, const QJsonObject &m);
    void views(ClientConnection *c, qint64 req, const QJsonObject &m);
    void dictionary(ClientConnection *c, qint64 req, const QJsonObject &m);
    void addTerms(ClientConnection *c, qint64 req, const QJsonObject &m);
    // The org's snapshot for an admin or its publisher; otherwise replies the error.
    std::optional<SnapshotRegistry::Record> ownSnapshot(ClientConnection *c, qint64 req, const QJsonObject &m);
    // The client group, if the user's org has it; otherwise replies the error.
    bool checkClientGroup(ClientConnection *c, qint64 req, const QString &group);

    EventStore &m_store;
    Directory &m_directory;
    SnapshotRegistry m_registry;
    std::optional<SnapshotSigner> m_signer;
    QUrl m_publicUrl;
};

} // namespace casefile
