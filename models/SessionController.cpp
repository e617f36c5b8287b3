#include "SessionController.h"

#include "CachePageReader.h"
#include "OutputChunkReader.h"
#include "events/EventCodec.h"
#include "events/bodies/ChatMessageBody.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/CommandRequestedBody.h"
#include "events/bodies/HypothesisAddedBody.h"
#include "events/bodies/HypothesisUpdatedBody.h"
#include "events/bodies/NoteAddedBody.h"
#include "events/bodies/SessionClosedBody.h"
#include "store/EventStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QNetworkReply>
#include <QTimeZone>
#include <QUrlQuery>

namespace casefile {

namespace {
constexpr int refreshIntervalMs = 30'000;
}

SessionController::SessionController(const QString &dataDir, QObject *parent)
    : QObject(parent), m_dataDir(dataDir)
{
    QDir().mkpath(dataDir);
    m_sync.setClientName(QStringLiteral("casefile/%1").arg(QCoreApplication::applicationVersion()));
    m_sync.setOutboxPath(QDir(dataDir).filePath(QStringLiteral("outbox.db")));
    m_sync.setCachePath(QDir(dataDir).filePath(QStringLiteral("cache.db")));

    connect(&m_sync, &SyncClient::stateChanged, this, [this](SyncClient::State s) {
        emit stateChanged(s);
        emit pendingCountChanged(pendingCount());
    });
    connect(&m_sync, &SyncClient::reconnectIn, this, &SessionController::reconnectIn);
    connect(&m_sync, &SyncClient::welcomed, this, [this](const QJsonObject &principal) {
        m_identity = principal;
        m_sessions.setTechnicianName(principal.value(QStringLiteral("id")).toString(),
                                     principal.value(QStringLiteral("name")).toString());
        for (SessionDocument *doc : std::as_const(m_documents))
            doc->setActorName(principal.value(QStringLiteral("id")).toString(), principal.value(QStringLiteral("name")).toString());
        emit signedIn(principal);
        refresh();
    });
    connect(&m_sync, &SyncClient::fatalError, this, &SessionController::signInFailed);
    connect(&m_sync, &SyncClient::eventsReceived, this, &SessionController::onEvents);
    connect(&m_sync, &SyncClient::subscribeFailed, this,
            [this](const QString &session, const QString &code, const QString &message) {
                if (m_documents.contains(session))
                    emit actionRefused(tr("The session cannot be followed (%1): %2").arg(code, message));
            });
    connect(&m_sync, &SyncClient::cacheError, this, [this](const QString &session, const QString &message) {
        if (session.isEmpty()) {
            emit actionRefused(tr("The local cache cannot be used: %1").arg(message));
            return;
        }
        SessionDocument *old = m_documents.take(session);
        if (!old)
            return;
        // What the document showed came partly from a cache that is not this server's record:
        // read the session again, from the server alone (the client no longer caches it).
        m_sync.unsubscribe(session);
        SessionDocument *fresh = newDocument(session);
        m_sync.subscribe(session, 0);
        emit documentReplaced(session, fresh);
        old->deleteLater();
    });
    connect(&m_sync, &SyncClient::acknowledged, this,
            [this] { emit pendingCountChanged(pendingCount()); });
    connect(&m_sync, &SyncClient::appendRefused, this,
            [this](const QStringList &ids, const QString &code, const QString &message) {
                emit pendingCountChanged(pendingCount());
                emit actionRefused(
                    tr("The server refused %n action(s) (%1): %2", nullptr, int(ids.size()))
                        .arg(code, message));
            });
    connect(&m_sync, &SyncClient::pushReceived, this,
            [this](const QString &type, const QJsonObject &) {
                if (type == QLatin1String("session"))
                    refresh();
            });
    m_refreshTimer.setInterval(refreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &SessionController::refresh);
}

SessionController::~SessionController()
{
    m_sync.stop();
}

void SessionController::setIdentity(const QJsonObject &principal)
{
    m_identity = principal;
    m_sessions.setTechnicianName(principal.value(QStringLiteral("id")).toString(),
                                 principal.value(QStringLiteral("name")).toString());
}

void SessionController::connectToServer(const QUrl &url, const QString &token)
{
    m_sync.stop();
    m_sync.setServer(url);
    m_sync.setToken(token);
    m_token = token;
    m_sync.start();
    m_refreshTimer.start();
    refreshFromCache(); // something to browse at once, and all there is while offline
}

void SessionController::disconnectFromServer()
{
    m_refreshTimer.stop();
    m_sync.stop();
}

void SessionController::refresh()
{
    if (m_sync.state() != SyncClient::State::Online) {
        refreshFromCache();
        return;
    }
    QPointer<SessionController> self(this);
    m_sync.request(QStringLiteral("endpoints"), {},
                   [self](const QJsonObject &result, const QString &code, const QString &) {
                       if (!self || !code.isEmpty())
                           return;
                       QList<SessionTreeModel::EndpointInfo> list;
                       for (const QJsonValue v :
                            result.value(QStringLiteral("endpoints")).toArray()) {
                           const QJsonObject o = v.toObject();
                           list.append({o.value(QStringLiteral("id")).toString(),
                                        o.value(QStringLiteral("hostname")).toString(),
                                        o.value(QStringLiteral("clientGroup")).toString(),
                                        o.value(QStringLiteral("os")).toString(),
                                        o.value(QStringLiteral("online")).toBool()});
                       }
                       self->m_sessions.setEndpoints(list);
                       for (const auto &e : list) {
                           for (SessionDocument *doc : std::as_const(self->m_documents))
                               doc->setActorName(e.id, e.hostname);
                       }
                   });
    m_sync.request(
        QStringLiteral("clientGroups"), {},
        [self](const QJsonObject &result, const QString &code, const QString &) {
            if (!self || !code.isEmpty())
                return; // an older server: groups are shown by id
            for (const QJsonValue v : result.value(QStringLiteral("clientGroups")).toArray()) {
                const QJsonObject o = v.toObject();
                self->m_sessions.setClientGroupName(o.value(QStringLiteral("id")).toString(),
                                                    o.value(QStringLiteral("name")).toString());
            }
        });
    m_sync.request(QStringLiteral("sessions"), {{QStringLiteral("limit"), 1000}},
                   [self](const QJsonObject &result, const QString &code, const QString &) {
                       if (!self || !code.isEmpty())
                           return;
                       QList<SessionInfo> list;
                       for (const QJsonValue v : result.value(QStringLiteral("sessions")).toArray())
                           list.append(SessionInfo::fromJson(v.toObject()));
                       self->m_sessions.upsertSessions(list);
                       emit self->sessionsRefreshed();
                   });
}

void SessionController::refreshFromCache()
{
    SessionFilter filter;
    filter.limit = 1000;
    if (const auto cached = m_sync.cachedSessions(filter)) {
        m_sessions.upsertSessions(*cached);
        emit sessionsRefreshed();
    }
}

SessionDocument *SessionController::newDocument(const QString &session)
{
    auto *doc = new SessionDocument(session, this);
    m_documents.insert(session, doc);
    for (const auto &e : m_sessions.endpoints())
        doc->setActorName(e.id, e.hostname);
    doc->setActorName(m_identity.value(QStringLiteral("id")).toString(),
                      m_identity.value(QStringLiteral("name")).toString());
    return doc;
}

SessionDocument *SessionController::openSession(const QString &session)
{
    if (SessionDocument *doc = m_documents.value(session))
        return doc;
    SessionDocument *doc = newDocument(session);
    if (!loadFromCache(doc)) {
        // Part of the cached record could not be read: start over from the server.
        delete m_documents.take(session);
        doc = newDocument(session);
    }
    // Resume after what the document holds: the server sends the rest, in order, once.
    m_sync.subscribe(session, doc->lastSeq());
    return doc;
}

bool SessionController::loadFromCache(SessionDocument *doc)
{
    // What the cache thread has not written yet is not read here; the subscription below starts
    // after what was read, so the server sends it again (and the cache takes it as duplicates).
    EventStore *store = cacheReader();
    if (!store)
        return true; // nothing cached yet: everything comes from the server
    const QString session = doc->session();
    qint64 lastSeq = 0;
    // Every event but the output chunks, decoded: the few that make the panes.
    for (qint64 after = 0;;) {
        const auto rows = store->readRawKind(session, EventKind::CommandOutput, true, after, 2000);
        if (!rows)
            return false; // unreadable: the server replays the whole session instead
        if (rows->isEmpty())
            break;
        QList<Event> events;
        events.reserve(rows->size());
        for (const auto &row : *rows) {
            auto decoded = EventCodec::decode(row.doc, EventCodec::Mode::Sealed);
            if (!decoded.ok())
                return false; // a damaged cache: the server replays the whole session instead
            events.append(std::move(decoded.event));
        }
        after = rows->last().seq;
        lastSeq = qMax(lastSeq, after);
        doc->addEvents(events);
        if (rows->size() < 2000)
            break;
    }
    // The output chunks, read ahead on another thread and decoded here straight into the
    // buffers; small pages keep memory flat.
    CachePageReader pages(store->path(), session, EventKind::CommandOutput);
    while (true) {
        const auto rows = pages.next();
        if (!rows)
            return false;
        if (rows->isEmpty())
            break;
        for (const auto &row : *rows) {
            if (const auto chunk = OutputChunkReader::read(row.doc)) {
                if (doc->appendCachedOutputEscaped(QString::fromUtf8(chunk->command),
                                                   chunk->stderrStream ? OutputStream::Stderr : OutputStream::Stdout,
                                                   chunk->escapedData))
                    continue;
            }
            auto decoded = EventCodec::decode(row.doc, EventCodec::Mode::Sealed);
            if (!decoded.ok())
                return false;
            const auto body = decoded.event.bodyAs<CommandOutputBody>();
            doc->appendCachedOutput(body.command,
                                    body.stream == QLatin1String("stderr") ? OutputStream::Stderr : OutputStream::Stdout,
                                    body.data.toUtf8());
        }
        lastSeq = qMax(lastSeq, rows->last().seq);
    }
    doc->finishCachedLoad(lastSeq);
    return true;
}

void SessionController::closeDocument(const QString &session)
{
    SessionDocument *doc = m_documents.take(session);
    if (!doc)
        return;
    m_sync.unsubscribe(session);
    doc->deleteLater();
}

SessionDocument *SessionController::document(const QString &session) const
{
    return m_documents.value(session);
}

void SessionController::onEvents(const QString &session, const QList<Event> &events)
{
    if (SessionDocument *doc = m_documents.value(session))
        doc->addEvents(events);
}

Actor SessionController::me() const
{
    return Actor{QStringLiteral("user"), m_identity.value(QStringLiteral("id")).toString()};
}

bool SessionController::appendEvent(const Event &event)
{
    if (!hasIdentity()) {
        m_error = tr("Sign in once before working offline.");
        return false;
    }
    if (!m_sync.append({event})) {
        m_error = m_sync.errorString();
        return false;
    }
    emit pendingCountChanged(pendingCount());
    return true;
}

bool SessionController::runCommand(const QString &session, const QString &shell,
                                   const QString &text, bool change, QString *commandId)
{
    CommandRequestedBody body;
    body.command = Event::newId();
    body.shell = shell;
    body.text = text;
    body.change = change;
    if (commandId)
        *commandId = body.command;
    return appendEvent(Event::make(session, me(), body));
}

void SessionController::cancelCommand(const QString &session, const QString &command)
{
    QPointer<SessionController> self(this);
    m_sync.request(QStringLiteral("cancel"),
                   {{QStringLiteral("session"), session}, {QStringLiteral("command"), command}},
                   [self](const QJsonObject &, const QString &code, const QString &message) {
                       if (self && !code.isEmpty())
                           emit self->actionRefused(
                               tr("Cancel failed (%1): %2").arg(code, message));
                   });
}

bool SessionController::addHypothesis(const QString &session, const QString &text,
                                      QString *hypothesisId)
{
    HypothesisAddedBody body;
    body.hypothesis = Event::newId();
    body.text = text;
    if (hypothesisId)
        *hypothesisId = body.hypothesis;
    return appendEvent(Event::make(session, me(), body));
}

bool SessionController::updateHypothesis(const QString &session, const QString &hypothesis,
                                         const QString &status, const QList<Evidence> &evidence,
                                         const QString &note)
{
    HypothesisUpdatedBody body;
    body.hypothesis = hypothesis;
    body.status = status;
    for (const Evidence &e : evidence) {
        HypothesisUpdatedBody::Evidence item;
        item.command = e.command;
        if (e.fromLine >= 0) {
            item.fromLine = e.fromLine;
            item.toLine = qMax(e.fromLine, e.toLine);
        }
        body.evidence.append(item);
    }
    if (!note.isEmpty())
        body.note = note;
    return appendEvent(Event::make(session, me(), body));
}

bool SessionController::sendChat(const QString &session, const QString &text)
{
    ChatMessageBody body;
    body.text = text;
    return appendEvent(Event::make(session, me(), body));
}

bool SessionController::addNote(const QString &session, const QString &text)
{
    NoteAddedBody body;
    body.text = text;
    return appendEvent(Event::make(session, me(), body));
}

bool SessionController::closeSession(const QString &session, const QString &summary)
{
    SessionClosedBody body;
    if (!summary.isEmpty())
        body.summary = summary;
    return appendEvent(Event::make(session, me(), body));
}

void SessionController::openNewSession(const QString &endpoint, const QString &title,
                                       const QString &ticket, const QStringList &tags,
                                       std::function<void(const QString &, const QString &)> done)
{
    QJsonObject params{{QStringLiteral("endpoint"), endpoint}, {QStringLiteral("title"), title}};
    if (!ticket.isEmpty())
        params.insert(QStringLiteral("ticket"), ticket);
    if (!tags.isEmpty())
        params.insert(QStringLiteral("tags"), QJsonArray::fromStringList(tags));
    openWith(params, std::move(done));
}

void SessionController::openWith(const QJsonObject &params, std::function<void(const QString &, const QString &)> done)
{
    QPointer<SessionController> self(this);
    m_sync.request(
        QStringLiteral("open"), params,
        [self, done](const QJsonObject &result, const QString &code, const QString &message) {
            if (!self)
                return;
            if (!code.isEmpty()) {
                done(QString(),
                     code == QLatin1String("unavailable")
                         ? tr("The server cannot be reached; a session can only be opened online.")
                         : message);
                return;
            }
            self->refresh();
            done(result.value(QStringLiteral("session")).toString(), QString());
        });
}

void SessionController::openFollowUp(const QString &endpoint, const QString &title, const HandoffSummary &from,
                                     const QString &followUpOf,
                                     std::function<void(const QString &, const QString &)> done)
{
    QPointer<SessionController> self(this);
    const QJsonObject params{{QStringLiteral("endpoint"), endpoint}, {QStringLiteral("title"), title}};
    const auto carry = [self, from, done](const QString &session, const QString &error) {
        if (!self)
            return;
        if (!error.isEmpty())
            return done(QString(), error);
        // One append, in order: the new session starts from where the old one stood.
        QList<Event> events;
        const QString where = from.title.isEmpty() ? from.session : QStringLiteral("%1 (%2)").arg(from.title, from.session);
        const auto add = [&](const HandoffSummary::Hypothesis &h, const QString &status, const QString &note) {
            HypothesisAddedBody added;
            added.hypothesis = Event::newId();
            added.text = h.text;
            events.append(Event::make(session, self->me(), added));
            if (status.isEmpty())
                return;
            HypothesisUpdatedBody updated;
            updated.hypothesis = added.hypothesis;
            updated.status = status;
            updated.note = h.note.isEmpty() ? note : QStringLiteral("%1: %2").arg(note, h.note);
            events.append(Event::make(session, self->me(), updated));
        };
        for (const auto &h : from.open)
            add(h, QString(), QString());
        for (const auto &h : from.ruledOut)
            add(h, QStringLiteral("ruled_out"), tr("Ruled out in %1").arg(where));
        for (const auto &h : from.confirmed)
            add(h, QStringLiteral("confirmed"), tr("Confirmed in %1").arg(where));
        if (!events.isEmpty() && !self->m_sync.append(events))
            return done(session, tr("The session was opened, but its hypotheses could not be carried over: %1")
                                     .arg(self->m_sync.errorString()));
        emit self->pendingCountChanged(self->pendingCount());
        done(session, QString());
    };
    if (followUpOf.isEmpty())
        return openWith(params, carry);
    QJsonObject linked = params;
    linked.insert(QStringLiteral("followUpOf"), followUpOf);
    // A snapshot's session may be another org's: the server does not know it, so open unlinked.
    m_sync.request(QStringLiteral("open"), linked,
                   [self, params, carry](const QJsonObject &result, const QString &code, const QString &message) {
                       if (!self)
                           return;
                       if (code == QLatin1String("not_found"))
                           return self->openWith(params, carry);
                       if (!code.isEmpty())
                           return carry(QString(), code == QLatin1String("unavailable")
                                                       ? tr("The server cannot be reached; a session can only be opened online.")
                                                       : message);
                       self->refresh();
                       carry(result.value(QStringLiteral("session")).toString(), QString());
                   });
}

namespace {
// What a request error reads as in the console.
QString requestError(const QString &code, const QString &message)
{
    if (code == QLatin1String("unavailable"))
        return SessionController::tr("The server cannot be reached.");
    return message.isEmpty() ? code : message;
}
} // namespace

void SessionController::readSession(const QString &session, std::function<void(qint64, qint64)> progress,
                                    std::function<void(const QList<Event> &, const QString &)> done)
{
    struct State
    {
        QString session;
        QList<Event> events;
        std::function<void(qint64, qint64)> progress;
        std::function<void(const QList<Event> &, const QString &)> done;
        std::function<void(qint64)> next;
    };
    auto state = std::make_shared<State>();
    state->session = session;
    state->progress = std::move(progress);
    state->done = std::move(done);
    QPointer<SessionController> self(this);
    // Each page asks for what follows the last event read, until the server says there is no more.
    state->next = [self, state](qint64 after) {
        if (!self)
            return;
        self->m_sync.request(
            QStringLiteral("read"),
            {{QStringLiteral("session"), state->session}, {QStringLiteral("after"), after}, {QStringLiteral("limit"), 5000}},
            [self, state, after](const QJsonObject &result, const QString &code, const QString &message) {
                const auto finish = [state](const QList<Event> &events, const QString &error) {
                    auto done = std::move(state->done);
                    state->next = nullptr; // breaks the cycle state → next → state
                    done(events, error);
                };
                if (!self)
                    return finish({}, tr("The console was closed."));
                if (!code.isEmpty())
                    return finish({}, requestError(code, message));
                const QJsonArray events = result.value(QStringLiteral("events")).toArray();
                qint64 last = after;
                for (const QJsonValue v : events) {
                    auto decoded = EventCodec::fromJson(v.toObject(), EventCodec::Mode::Sealed);
                    if (!decoded.ok() || decoded.event.seq != last + 1)
                        return finish({}, tr("The server sent an event that does not continue the record (seq %1).")
                                              .arg(last + 1));
                    last = decoded.event.seq;
                    state->events.append(std::move(decoded.event));
                }
                const qint64 head = result.value(QStringLiteral("head")).toInteger();
                if (state->progress)
                    state->progress(last, head);
                if (result.value(QStringLiteral("more")).toBool() && last > after)
                    state->next(last);
                else
                    finish(state->events, QString());
            });
    };
    state->next(0);
}

void SessionController::clientDictionary(const QString &clientGroup,
                                         std::function<void(const RedactionDictionary &, const QString &)> done)
{
    m_sync.request(QStringLiteral("dictionary"), {{QStringLiteral("clientGroup"), clientGroup}},
                   [done](const QJsonObject &result, const QString &code, const QString &message) {
                       if (!code.isEmpty())
                           return done({}, requestError(code, message));
                       QString error;
                       const auto terms = RedactionDictionary::fromJson(result.value(QStringLiteral("terms")).toArray(), &error);
                       done(terms, error);
                   });
}

void SessionController::addDictionaryTerms(const QString &clientGroup, const RedactionDictionary &terms,
                                           std::function<void(const QString &)> done)
{
    m_sync.request(QStringLiteral("dictionary.add"),
                   {{QStringLiteral("clientGroup"), clientGroup}, {QStringLiteral("terms"), terms.toJson()}},
                   [done](const QJsonObject &, const QString &code, const QString &message) {
                       done(code.isEmpty() ? QString() : requestError(code, message));
                   });
}

void SessionController::publish(const QJsonObject &params,
                                std::function<void(const QJsonObject &, const QString &, const QString &)> done)
{
    m_sync.request(QStringLiteral("publish"), params,
                   [done](const QJsonObject &result, const QString &code, const QString &message) {
                       done(result, code, code.isEmpty() ? QString() : requestError(code, message));
                   });
}

void SessionController::search(const TeamQuery &query,
                               std::function<void(const QList<RemoteHit> &, bool, const QString &)> done)
{
    QJsonObject params{{QStringLiteral("text"), query.text},
                       {QStringLiteral("limit"), query.limit},
                       {QStringLiteral("offset"), query.offset}};
    const auto put = [&params](const char *key, const QString &value) {
        if (!value.isEmpty())
            params.insert(QString::fromLatin1(key), value);
    };
    put("clientGroup", query.clientGroup);
    put("endpoint", query.endpoint);
    put("technician", query.technician);
    put("tag", query.tag);
    // [from, to) in UTC timestamps; `to` is the day after the last one asked for.
    if (query.from.isValid())
        put("from", QDateTime(query.from, QTime(0, 0), QTimeZone::utc()).toString(Qt::ISODateWithMs));
    if (query.to.isValid())
        put("to", QDateTime(query.to.addDays(1), QTime(0, 0), QTimeZone::utc()).toString(Qt::ISODateWithMs));
    m_sync.request(QStringLiteral("search"), params,
                   [done](const QJsonObject &result, const QString &code, const QString &message) {
                       if (!code.isEmpty())
                           return done({}, false, requestError(code, message));
                       QList<RemoteHit> hits;
                       for (const QJsonValue v : result.value(QStringLiteral("hits")).toArray()) {
                           const QJsonObject o = v.toObject();
                           hits.append({o.value(QStringLiteral("session")).toString(),
                                        o.value(QStringLiteral("seq")).toInteger(),
                                        o.value(QStringLiteral("kind")).toString(),
                                        o.value(QStringLiteral("snippet")).toString(),
                                        o.value(QStringLiteral("command")).toString()});
                       }
                       done(hits, result.value(QStringLiteral("more")).toBool(), QString());
                   });
}

QUrl SessionController::httpServer() const
{
    QUrl url = m_sync.server();
    url.setScheme(url.scheme() == QLatin1String("wss") ? QStringLiteral("https") : QStringLiteral("http"));
    return url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
}

void SessionController::fetchSnapshot(const DeepLink &link, std::function<void(const QByteArray &, const QString &)> done)
{
    QUrl url = link.snapshotUrl();
    url.setPath(url.path() + QStringLiteral(".json"));
    QNetworkRequest request(url);
    // Only the server that issued the token sees it; an org snapshot elsewhere answers 403.
    const QUrl ours = httpServer();
    if (!m_token.isEmpty() && link.server.host() == ours.host() && link.server.port() == ours.port()
        && link.server.scheme() == ours.scheme())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    QNetworkReply *reply = m_network.get(request);
    connect(reply, &QNetworkReply::finished, this, [reply, done] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (status == 200)
            return done(body, QString());
        QString why;
        switch (status) {
        case 403:
            why = tr("this snapshot is for its organisation only; sign in to its server to open it");
            break;
        case 404:
            why = tr("no such snapshot");
            break;
        case 410:
            why = tr("the snapshot has expired or was revoked");
            break;
        default:
            why = reply->errorString();
        }
        done({}, tr("The snapshot could not be fetched: %1").arg(why));
    });
}

EventStore *SessionController::cacheReader()
{
    if (!m_cacheReader) {
        auto store = std::make_unique<EventStore>();
        StoreOptions options;
        options.readOnly = true; // the SyncClient writes; this only searches
        if (!store->open(m_sync.cachePath(), options)) {
            m_error = store->errorString();
            return nullptr;
        }
        m_cacheReader = std::move(store);
    }
    return m_cacheReader.get();
}

std::optional<QList<Event>> SessionController::cachedEvents(const QString &session)
{
    // The cache's own reader: it sees everything delivered so far, decoded and in seq order.
    QList<Event> all;
    for (;;) {
        const auto page = m_sync.cachedEvents(session, all.isEmpty() ? 0 : all.last().seq, 2000);
        if (!page)
            return std::nullopt;
        all += *page;
        if (page->size() < 2000)
            return all;
    }
}

QList<SearchHit> SessionController::searchCache(const QString &text, int limit)
{
    if (text.trimmed().isEmpty())
        return {};
    // What the cache thread has not written yet is not found; waiting for it would freeze the
    // window while output streams in.
    EventStore *store = cacheReader();
    if (!store)
        return {};
    SearchQuery query;
    query.text = text;
    query.limit = limit;
    const auto hits = store->search(query);
    if (!hits) {
        m_error = store->errorString();
        return {};
    }
    return *hits;
}

qint64 SessionController::pendingCount()
{
    return qMax<qint64>(0, m_sync.pendingCount());
}

} // namespace casefile
