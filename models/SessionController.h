#pragma once

#include "DeepLink.h"
#include "HandoffSummary.h"
#include "SessionDocument.h"
#include "SessionTreeModel.h"
#include "events/Event.h"
#include "redact/RedactionDictionary.h"
#include "store/SearchHit.h"
#include "sync/SyncClient.h"

#include <QDate>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <functional>

namespace casefile {

class EventStore;

// Everything the console does with casefiled, without widgets: one SyncClient (durable outbox and
// local cache under the data directory), the sessions browser's model, and a SessionDocument per
// open session fed first from the cache, then live. Actions taken while offline go into the
// outbox and reach the server in order after a reconnect, even across restarts.
class SessionController : public QObject
{
    Q_OBJECT
public:
    // dataDir holds outbox.db and cache.db; one directory per server and token (see ConsoleApp).
    explicit SessionController(const QString &dataDir, QObject *parent = nullptr);
    ~SessionController() override;

    SyncClient *sync() { return &m_sync; }
    SessionTreeModel *sessions() { return &m_sessions; }

    // The user from the last welcome (kept by the caller between runs), so actions can be
    // recorded and queued before the first connection of this run succeeds.
    void setIdentity(const QJsonObject &principal);
    QJsonObject identity() const { return m_identity; }
    bool hasIdentity() const { return !m_identity.value(QStringLiteral("id")).toString().isEmpty(); }

    void connectToServer(const QUrl &url, const QString &token);
    void disconnectFromServer();
    // Sessions and endpoints again from the server (or the cache while offline).
    void refresh();

    // Opens (or returns the already open) document; it fills from the cache at once and then
    // follows the server.
    SessionDocument *openSession(const QString &session);
    void closeDocument(const QString &session);
    SessionDocument *document(const QString &session) const;

    // Actions on a session. Each returns false (and sets errorString) only when the action
    // cannot even be queued.
    bool runCommand(const QString &session, const QString &shell, const QString &text, bool change,
                    QString *commandId = nullptr);
    void cancelCommand(const QString &session, const QString &command);
    bool addHypothesis(const QString &session, const QString &text, QString *hypothesisId = nullptr);
    struct Evidence
    {
        QString command;
        qint64 fromLine = -1;
        qint64 toLine = -1;
    };
    bool updateHypothesis(const QString &session, const QString &hypothesis, const QString &status,
                          const QList<Evidence> &evidence = {}, const QString &note = {});
    bool sendChat(const QString &session, const QString &text);
    bool addNote(const QString &session, const QString &text);
    bool closeSession(const QString &session, const QString &summary = {});
    // Opens a new session on the server (needs a connection); the callback gets its id or an error.
    void openNewSession(const QString &endpoint, const QString &title, const QString &ticket,
                        const QStringList &tags,
                        std::function<void(const QString &session, const QString &error)> done);

    // Review and publish (needs a connection). Each callback runs exactly once.
    // A session's whole sealed record from the server, paged (`read`); `progress` gets the last
    // seq read and the session's head after each page.
    void readSession(const QString &session, std::function<void(qint64 seq, qint64 head)> progress,
                     std::function<void(const QList<Event> &events, const QString &error)> done);
    // The client dictionary of a client group (`dictionary`); a server without one gives none.
    void clientDictionary(const QString &clientGroup,
                          std::function<void(const RedactionDictionary &terms, const QString &error)> done);
    // Adds terms to a client group's dictionary (`dictionary.add`).
    void addDictionaryTerms(const QString &clientGroup, const RedactionDictionary &terms,
                            std::function<void(const QString &error)> done);
    // Publishes a snapshot (`publish`): params as PROTOCOL.md has them; the result has
    // snapshot, token, url, expiresAt and report, or the error code and message.
    void publish(const QJsonObject &params,
                 std::function<void(const QJsonObject &result, const QString &code, const QString &message)> done);

    // A follow-up session (needs a connection): opened on `endpoint` with followUpOf when the
    // server knows that session (else without), then the summary's hypotheses carried over:
    // open ones as open, ruled-out and confirmed ones as already decided, each with a note
    // naming the session they were decided in.
    void openFollowUp(const QString &endpoint, const QString &title, const HandoffSummary &from,
                      const QString &followUpOf,
                      std::function<void(const QString &session, const QString &error)> done);

    // The team's full-text search on the server (`search`), one page at a time.
    struct TeamQuery
    {
        QString text;
        QString clientGroup;
        QString endpoint;
        QString technician;
        QString tag;
        QDate from; // sessions opened on or after
        QDate to;   // … up to and including this day
        int limit = 50;
        int offset = 0;
    };
    struct RemoteHit
    {
        QString session;
        qint64 seq = 0;
        QString kind;
        QString snippet; // matches between U+E000 and U+E001
        QString command; // for command text and output hits
    };
    void search(const TeamQuery &query,
                std::function<void(const QList<RemoteHit> &hits, bool more, const QString &error)> done);

    // The http(s) address of the server signed in to (what links name).
    QUrl httpServer() const;
    // A snapshot's signed JSON (<link>.json); the token goes along only to the server signed in to.
    void fetchSnapshot(const DeepLink &link, std::function<void(const QByteArray &bytes, const QString &error)> done);

    // A session's whole record as the local cache holds it (what the server sent so far), in seq
    // order; nullopt when the cache cannot be read. For the handoff summary while offline.
    std::optional<QList<Event>> cachedEvents(const QString &session);

    // Full-text search over what the local cache holds (commands, outputs, chat, notes).
    QList<SearchHit> searchCache(const QString &text, int limit = 200);

    QString errorString() const { return m_error; }
    qint64 pendingCount();

signals:
    void stateChanged(casefile::SyncClient::State state);
    void reconnectIn(int ms);
    void signedIn(const QJsonObject &principal);
    void signInFailed(const QString &code, const QString &message);
    void pendingCountChanged(qint64 count);
    void actionRefused(const QString &message);
    void sessionsRefreshed();
    // An open session's document was rebuilt (its cached part was not this server's record);
    // whoever shows `session` should show `document` from now on.
    void documentReplaced(const QString &session, casefile::SessionDocument *document);

private:
    bool appendEvent(const Event &event);
    Actor me() const;
    void onEvents(const QString &session, const QList<Event> &events);
    SessionDocument *newDocument(const QString &session);
    bool loadFromCache(SessionDocument *doc);
    void refreshFromCache();
    EventStore *cacheReader();

    void openWith(const QJsonObject &params, std::function<void(const QString &, const QString &)> done);

    QString m_dataDir;
    QString m_token;
    QNetworkAccessManager m_network;
    SyncClient m_sync;
    SessionTreeModel m_sessions;
    QJsonObject m_identity;
    QHash<QString, SessionDocument *> m_documents;
    std::unique_ptr<EventStore> m_cacheReader;
    QTimer m_refreshTimer;
    QString m_error;
};

} // namespace casefile
