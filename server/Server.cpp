#include "Server.h"

#include "events/EventCodec.h"
#include "events/bodies/SessionOpenedBody.h"
#include "protocol/ProtocolLimits.h"
#include "protocol/WireMessage.h"

#include <QDateTime>
#include <QDir>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimer>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcServer, "casefile.server")

namespace casefile {

namespace {

const QString kVersion = QStringLiteral("casefiled/" CASEFILE_VERSION);

// Which kinds each side of a session may write (docs/PROTOCOL.md 6.4).
bool endpointMayAppend(EventKind kind)
{
    switch (kind) {
    case EventKind::ContextCaptured:
    case EventKind::ApprovalRequested:
    case EventKind::ApprovalDecided:
    case EventKind::CommandStarted:
    case EventKind::CommandOutput:
    case EventKind::CommandFinished:
    case EventKind::ChatMessage:
        return true;
    default:
        return false;
    }
}

bool technicianMayAppend(EventKind kind)
{
    switch (kind) {
    case EventKind::CommandRequested:
    case EventKind::HypothesisAdded:
    case EventKind::HypothesisUpdated:
    case EventKind::ChatMessage:
    case EventKind::NoteAdded:
    case EventKind::SessionClosed:
        return true;
    default:
        return false;
    }
}

QString optionalString(const QJsonObject &m, const char *key, bool *ok)
{
    const QJsonValue v = m.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isString())
        *ok = false;
    return v.toString();
}

} // namespace

Server::Server(QObject *parent) : QObject(parent)
{
    connect(&m_transport, &ServerTransport::webSocketConnected, this, &Server::onConnected);
}

Server::~Server()
{
    // No batch may come back to a half-destroyed server.
    m_writer.stop();
    // Connections refer to us through signals; make sure none outlives the store.
    qDeleteAll(m_connections);
}

bool Server::start(const ServerConfig &config, QString *error)
{
    m_config = config;
    if (!QDir().mkpath(config.dataDir)) {
        *error = tr("cannot create the data directory %1").arg(config.dataDir);
        return false;
    }
    const QString path = QDir(config.dataDir).filePath(QStringLiteral("casefile.db"));
    // The writer keeps the search index; nothing here waits for it.
    StoreOptions options;
    options.deferSearchIndex = true;
    if (!m_store.open(path, options)) {
        *error = m_store.errorString();
        return false;
    }
    if (!m_writer.open(path, error))
        return false;
    if (!m_directory.open(path)) {
        *error = m_directory.errorString();
        return false;
    }
    if (!m_snapshots.open(path, config.dataDir, error))
        return false;
    m_transport.http().route(QStringLiteral("/s/<arg>"), [this](const QString &token, const QHttpServerRequest &request) {
        return m_snapshots.page(token, request);
    });
    m_transport.http().route(QStringLiteral("/.well-known/casefile-signing-key"),
                             [this](const QHttpServerRequest &) { return m_snapshots.signingKey(); });
    m_transport.http().route(QStringLiteral("/healthz"),
                             [this](const QHttpServerRequest &request) { return health(request); });
    m_transport.http().route(QStringLiteral("/api/enroll"), QHttpServerRequest::Method::Post,
                             [this](const QHttpServerRequest &request) { return enroll(request); });
    if (!m_transport.listen(config.address, config.port, config.tlsCert, config.tlsKey, error))
        return false;
    QUrl publicUrl = config.publicUrl;
    if (publicUrl.isEmpty()) {
        publicUrl.setScheme(m_transport.isTls() ? QStringLiteral("https") : QStringLiteral("http"));
        publicUrl.setHost(config.address.toString());
        publicUrl.setPort(m_transport.port());
    }
    m_snapshots.setPublicUrl(publicUrl);
    connect(&m_credentialCheck, &QTimer::timeout, this, &Server::checkCredentials);
    m_credentialCheck.start(credentialCheckMs);
    return true;
}

void Server::checkCredentials()
{
    QSet<QString> held;
    for (const ClientConnection *c : std::as_const(m_connections)) {
        if (c->principal() && c->isOpen())
            held.insert(c->tokenHash());
    }
    if (held.isEmpty())
        return;
    const auto ended = m_directory.endedTokens(held, Event::nowTimestamp());
    if (!ended) {
        qCWarning(lcServer) << "cannot check for revoked tokens:" << m_directory.errorString();
        return; // asked again next time
    }
    if (ended->isEmpty())
        return;
    const QList<ClientConnection *> connections(m_connections.cbegin(), m_connections.cend());
    for (ClientConnection *c : connections) {
        if (c->principal() && c->isOpen() && ended->contains(c->tokenHash())) {
            qCInfo(lcServer) << "ending the connection of" << c->principal()->type
                             << c->principal()->id << "at" << c->peer()
                             << ": its token was revoked or expired";
            c->closeWithError(WireMessage::Unauthorized,
                              tr("token has been revoked or has expired"));
        }
    }
}

QHttpServerResponse Server::health(const QHttpServerRequest &)
{
    return QHttpServerResponse(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                           {QStringLiteral("version"), kVersion}});
}

QHttpServerResponse Server::enroll(const QHttpServerRequest &request)
{
    const auto bad = [](const QString &message, QHttpServerResponse::StatusCode status) {
        return QHttpServerResponse(QJsonObject{{QStringLiteral("error"), message}}, status);
    };
    if (request.body().size() > 64 * 1024)
        return bad(tr("request too large"), QHttpServerResponse::StatusCode::PayloadTooLarge);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body(), &parseError);
    const QJsonObject body = doc.object();
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()
        || !body.value(QStringLiteral("code")).isString() || !body.value(QStringLiteral("hostname")).isString())
        return bad(tr("expected a JSON object with code and hostname"), QHttpServerResponse::StatusCode::BadRequest);
    const auto result = m_directory.enroll(body.value(QStringLiteral("code")).toString(),
                                           body.value(QStringLiteral("hostname")).toString(),
                                           body.value(QStringLiteral("os")).toString());
    if (!result) {
        qCInfo(lcServer) << "enrollment refused:" << m_directory.errorString();
        return bad(m_directory.errorString(), QHttpServerResponse::StatusCode::Forbidden);
    }
    qCInfo(lcServer) << "endpoint enrolled:" << result->endpoint
                     << body.value(QStringLiteral("hostname")).toString();
    return QHttpServerResponse(QJsonObject{{QStringLiteral("endpoint"), result->endpoint},
                                           {QStringLiteral("token"), result->token},
                                           {QStringLiteral("org"), result->org},
                                           {QStringLiteral("clientGroup"), result->clientGroup}});
}

void Server::onConnected(QWebSocket *socket)
{
    auto *connection = new ClientConnection(socket, this);
    m_connections.insert(connection);
    connect(connection, &ClientConnection::messageReceived, this, &Server::onMessage);
    connect(connection, &ClientConnection::closed, this, &Server::onClosed);
    connect(connection, &ClientConnection::drained, this, [this](ClientConnection *c) {
        const QStringList sessions = c->subscriptions().keys();
        for (const QString &session : sessions) {
            if (!c->subscriptions().value(session).live)
                pump(c, session);
        }
    });
}

void Server::onClosed(ClientConnection *connection)
{
    m_connections.remove(connection);
    for (auto it = m_subscribers.begin(); it != m_subscribers.end();) {
        it->remove(connection);
        it = it->isEmpty() ? m_subscribers.erase(it) : std::next(it);
    }
    if (connection->principal() && connection->principal()->isEndpoint())
        m_endpointConnections.remove(connection->principal()->id, connection);
    connection->deleteLater();
}

void Server::onMessage(ClientConnection *c, const QJsonObject &m)
{
    const QString type = m.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("hello")) {
        handleHello(c, m);
        return;
    }
    const qint64 req = WireMessage::requestId(m);
    if (req == 0) {
        c->replyError(0, WireMessage::BadRequest, tr("req: a positive integer request id is required"));
        return;
    }
    if (type == QLatin1String("append"))
        handleAppend(c, req, m);
    else if (type == QLatin1String("open"))
        handleOpen(c, req, m);
    else if (type == QLatin1String("subscribe"))
        handleSubscribe(c, req, m);
    else if (type == QLatin1String("unsubscribe"))
        handleUnsubscribe(c, req, m);
    else if (type == QLatin1String("sessions"))
        handleSessions(c, req, m);
    else if (type == QLatin1String("session"))
        handleSession(c, req, m);
    else if (type == QLatin1String("endpoints"))
        handleEndpoints(c, req);
    else if (type == QLatin1String("clientGroups"))
        handleClientGroups(c, req);
    else if (type == QLatin1String("cancel"))
        handleCancel(c, req, m);
    else if (type == QLatin1String("read"))
        handleRead(c, req, m);
    else if (type == QLatin1String("search"))
        handleSearch(c, req, m);
    else if (SnapshotService::handles(type))
        m_snapshots.handle(c, req, type, m);
    else if (type == QLatin1String("ping"))
        c->reply(req, {{QStringLiteral("at"), Event::nowTimestamp()}});
    else
        c->replyError(req, WireMessage::BadRequest, tr("unknown request type '%1'").arg(type.left(64)));
}

void Server::handleHello(ClientConnection *c, const QJsonObject &m)
{
    if (c->principal()) {
        c->replyError(WireMessage::requestId(m), WireMessage::BadRequest, tr("already said hello"));
        return;
    }
    const QJsonValue protocol = m.value(QStringLiteral("protocol"));
    if (!protocol.isUndefined() && protocol.toInt(-1) != ProtocolLimits::version) {
        c->closeWithError(WireMessage::BadRequest,
                          tr("protocol %1 is not supported (this server speaks %2)")
                              .arg(protocol.toVariant().toString())
                              .arg(ProtocolLimits::version));
        return;
    }
    bool unavailable = false;
    const auto principal =
        m_directory.authenticate(m.value(QStringLiteral("token")).toString(), &unavailable);
    if (!principal) {
        // Never log the token itself: only why it failed and from where.
        if (unavailable)
            qCWarning(lcServer) << "cannot authenticate" << c->peer() << ":"
                                << m_directory.errorString();
        else
            qCInfo(lcServer) << "authentication failed from" << c->peer() << ":"
                             << m_directory.errorString();
        // "unavailable": the client tries again later; "unauthorized" would make it give up.
        c->closeWithError(unavailable ? WireMessage::Unavailable : WireMessage::Unauthorized,
                          unavailable ? tr("cannot check credentials now; try again later")
                                      : m_directory.errorString());
        return;
    }
    c->setPrincipal(*principal);
    c->setTokenHash(Directory::hashSecret(m.value(QStringLiteral("token")).toString()));
    if (principal->isEndpoint())
        m_endpointConnections.insert(principal->id, c);
    qCInfo(lcServer) << "hello from" << principal->type << principal->id << "at" << c->peer();
    const bool binaryFrames = m.value(QStringLiteral("binaryFrames")).toBool();
    c->send(
        {{QStringLiteral("type"), QStringLiteral("welcome")},
         {QStringLiteral("protocol"), ProtocolLimits::version},
         {QStringLiteral("server"), kVersion},
         {QStringLiteral("binaryFrames"), binaryFrames},
         {QStringLiteral("heartbeatMs"), ProtocolLimits::heartbeatMs},
         {QStringLiteral("principal"), principal->toJson()},
         {QStringLiteral("limits"),
          QJsonObject{{QStringLiteral("frameBytes"), ProtocolLimits::frameBytes},
                      {QStringLiteral("eventsPerAppend"), ProtocolLimits::eventsPerAppend},
                      {QStringLiteral("requestsPerSecond"), ProtocolLimits::requestsPerSecond}}}});
    c->setBinaryFrames(binaryFrames); // the welcome itself is still text
}

std::optional<SessionInfo> Server::visibleSession(ClientConnection *c, qint64 req, const QString &id)
{
    if (!JsonReader::isUuid(id)) {
        c->replyError(req, WireMessage::BadRequest, tr("session: expected a lower-case UUID"));
        return std::nullopt;
    }
    bool unreadable = false;
    const SessionInfo *session = sessionFor(*c->principal(), id, &unreadable);
    if (unreadable) {
        c->replyError(req, WireMessage::Unavailable, tr("cannot read session %1").arg(id));
        return std::nullopt;
    }
    // Another org's session does not exist for this principal: same answer as a missing one.
    if (!session) {
        c->replyError(req, WireMessage::NotFound, tr("no session %1").arg(id));
        return std::nullopt;
    }
    return *session;
}

const SessionInfo *Server::sessionFor(const Principal &p, const QString &id, bool *unreadable)
{
    *unreadable = false;
    auto it = m_sessionCache.find(id);
    if (it == m_sessionCache.end()) {
        bool missing = false;
        const auto info = m_store.session(id, &missing);
        if (!info) {
            // A store that cannot answer is not a session that does not exist: `not_found` is
            // final, and a client would drop what it meant to append for good.
            *unreadable = !missing;
            if (*unreadable)
                qCWarning(lcServer) << "cannot read session" << id << ":" << m_store.errorString();
            return nullptr;
        }
        it = m_sessionCache.insert(id, *info);
    }
    if (it->org != p.org || (p.isEndpoint() && it->endpoint != p.id))
        return nullptr;
    return &*it;
}

QString Server::checkAppend(const Principal &p, const Event &e, QString *code)
{
    *code = WireMessage::Forbidden;
    if (e.actor.type != p.type || e.actor.id != p.id)
        return tr("actor does not match your credentials");
    if (e.kind == EventKind::SessionOpened)
        return tr("sessions are opened with the open request");
    if (p.isEndpoint() ? !endpointMayAppend(e.kind) : !(p.canWrite() && technicianMayAppend(e.kind)))
        return tr("%1 may not append %2").arg(p.isEndpoint() ? tr("an endpoint") : tr("a %1").arg(p.role),
                                               eventKindName(e.kind));
    bool unreadable = false;
    if (!sessionFor(p, e.session, &unreadable)) {
        if (unreadable) {
            *code = WireMessage::Unavailable; // not the events' fault: sent again later
            return tr("cannot read session %1").arg(e.session);
        }
        // Same answer as for any other request about a session this principal cannot see.
        *code = WireMessage::NotFound;
        return tr("no session %1").arg(e.session);
    }
    return {};
}

void Server::handleAppend(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    const qint64 pipeline = WireMessage::pipeline(m);
    if (pipeline < 0) {
        c->replyError(req, WireMessage::BadRequest, tr("pipeline: expected a positive integer"));
        return;
    }
    if (pipeline > 0 && pipeline <= c->abortedPipeline()) {
        refuseAborted(c, req);
        return;
    }
    // Any refusal ends the pipeline: the appends sent after this one must not be stored first.
    const auto refuse = [&](const QString &code, const QString &message,
                            const QJsonObject &fields = {}) {
        c->abortPipeline(pipeline);
        c->replyError(req, code, message, fields);
    };
    const QJsonValue value = m.value(QStringLiteral("events"));
    if (!value.isArray()) {
        refuse(WireMessage::BadRequest, tr("events: expected an array of events"));
        return;
    }
    const QJsonArray array = value.toArray();
    if (array.size() > ProtocolLimits::eventsPerAppend) {
        refuse(WireMessage::TooLarge, tr("%1 events in one append; at most %2")
                                          .arg(array.size())
                                          .arg(ProtocolLimits::eventsPerAppend));
        return;
    }
    PendingAppend pending{c, req, {}, {}, pipeline};
    pending.parts.reserve(array.size());
    pending.events.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isObject()) {
            refuse(WireMessage::BadRequest, tr("events[%1]: expected an object").arg(i),
                   refusedEvent(i, {}, false));
            return;
        }
        const auto decoded = EventCodec::fromJson(array.at(i).toObject(), EventCodec::Mode::Draft);
        if (!decoded.ok()) {
            refuse(WireMessage::BadRequest,
                   tr("events[%1].%2").arg(i).arg(decoded.error.toString()),
                   refusedEvent(i, array.at(i).toObject().value(QStringLiteral("id")).toString(),
                                false));
            return;
        }
        QString code;
        const QString refusal = checkAppend(*c->principal(), decoded.event, &code);
        if (!refusal.isEmpty()) {
            // A session this principal cannot see refuses every event of it alike. A store
            // that could not read it refuses nothing for good: no event is named.
            refuse(code, tr("events[%1]: %2").arg(i).arg(refusal),
                   code == WireMessage::Unavailable
                       ? QJsonObject()
                       : refusedEvent(i, decoded.event.id, code == WireMessage::NotFound));
            return;
        }
        pending.parts.append(EnvelopeParts::of(decoded.event));
        pending.events.append(decoded.event);
    }
    if (pending.events.isEmpty()) {
        c->reply(req, {{QStringLiteral("acks"), QJsonArray()}});
        return;
    }
    m_pending.append(std::move(pending));
    scheduleFlush();
}

QJsonObject Server::refusedEvent(qsizetype index, const QString &id, bool wholeSession)
{
    QJsonObject fields{{QStringLiteral("index"), qint64(index)}};
    if (!id.isEmpty())
        fields.insert(QStringLiteral("id"), id);
    if (wholeSession)
        fields.insert(QStringLiteral("wholeSession"), true);
    return fields;
}

void Server::refuseAborted(ClientConnection *c, qint64 req)
{
    c->replyError(
        req, WireMessage::Aborted,
        tr("an earlier append of this pipeline was refused; nothing of this one was stored"));
}

void Server::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    // Everything that arrived in this event-loop iteration goes into one transaction.
    QTimer::singleShot(0, this, &Server::flushAppends);
}

void Server::flushAppends()
{
    m_flushScheduled = false;
    if (m_writing)
        return; // written() takes the next batch
    // One transaction takes whole appends, in order, up to about this many events; the rest
    // go in the next batch. Unbounded, a burst (200 appends of 1000 events) was one
    // transaction that kept acknowledgements waiting for tens of seconds.
    constexpr qsizetype maxEventsPerCommit = 10000;
    QList<PendingAppend> batch;
    QList<PendingAppend> waiting;
    // Connections with an append waiting: their later appends wait behind it, pipelined or not.
    QSet<ClientConnection *> held;
    qsizetype events = 0;
    for (qsizetype i = 0; i < m_pending.size(); ++i) {
        PendingAppend &p = m_pending[i];
        if (!p.connection)
            continue;
        if (p.pipeline > 0 && p.pipeline <= p.connection->abortedPipeline()) {
            refuseAborted(p.connection, p.req);
            continue;
        }
        // One append of a pipeline in the store at a time (ClientConnection::appendInStore).
        if (held.contains(p.connection) || (p.pipeline > 0 && p.connection->appendInStore())) {
            held.insert(p.connection);
            waiting.append(std::move(p));
            continue;
        }
        if (!batch.isEmpty() && events + p.events.size() > maxEventsPerCommit) {
            // Full: this one and every one after it wait, in order, so nothing overtakes it.
            for (qsizetype j = i; j < m_pending.size(); ++j)
                waiting.append(std::move(m_pending[j]));
            break;
        }
        events += p.events.size();
        if (p.pipeline > 0)
            p.connection->setAppendInStore(true);
        batch.append(std::move(p));
    }
    m_pending = std::move(waiting);
    if (batch.isEmpty())
        return;
    QList<QList<Event>> appends;
    QList<QList<EnvelopeParts>> parts;
    appends.reserve(batch.size());
    parts.reserve(batch.size());
    for (const PendingAppend &p : std::as_const(batch)) {
        appends.append(p.events);
        parts.append(p.parts);
    }
    m_writing = true;
    m_writer.write(appends, parts, this, [this, batch](const QList<AppendResult> &results) {
        written(batch, results);
    });
}

void Server::written(const QList<PendingAppend> &batch, const QList<AppendResult> &results)
{
    m_writing = false;
    // Before the next batch is chosen: which pipelines may go on.
    const bool together = results.size() == 1 && batch.size() != 1;
    for (qsizetype k = 0; k < batch.size(); ++k) {
        const PendingAppend &p = batch.at(k);
        if (!p.connection || p.pipeline == 0)
            continue;
        p.connection->setAppendInStore(false);
        if (!results.at(together ? 0 : k).ok)
            p.connection->abortPipeline(p.pipeline);
    }
    // The next batch first: the writer's thread should not wait for these acknowledgements.
    if (!m_pending.isEmpty())
        flushAppends();
    if (results.size() == 1 && results.first().ok) {
        // Stored together: each request's acks are its stretch of the batch's events.
        qsizetype offset = 0;
        for (const PendingAppend &p : batch) {
            acknowledge(p, results.first(), offset);
            offset += p.events.size();
        }
        fanOut(results.first());
        return;
    }
    for (qsizetype k = 0; k < batch.size(); ++k) {
        const PendingAppend &p = batch.at(k);
        const AppendResult &result = results.at(k);
        if (result.ok) {
            acknowledge(p, result, 0);
            fanOut(result);
            continue;
        }
        // A full disk or I/O error is not the events' fault: "unavailable" makes clients keep
        // them and retry. Only a refusal of the events themselves is final.
        if (p.connection) {
            const bool named = result.failedIndex >= 0 && result.failedIndex < p.events.size();
            if (result.storageFailure)
                p.connection->replyError(p.req, WireMessage::Unavailable, result.error);
            else
                p.connection->replyError(p.req,
                                         result.tooLarge ? WireMessage::TooLarge : WireMessage::Conflict,
                                         result.error,
                                         named ? refusedEvent(result.failedIndex,
                                                              p.events.at(result.failedIndex).id,
                                                              result.sessionRefused)
                                               : QJsonObject());
        }
        if (result.storageFailure)
            qCWarning(lcServer) << "append failed in the store:" << result.error;
    }
}

void Server::acknowledge(const PendingAppend &p, const AppendResult &result, qsizetype offset)
{
    if (p.connection)
        p.connection->sendRaw(WireMessage::appendResult(p.req, result.events, result.duplicate,
                                                        offset, p.events.size()));
}

void Server::fanOut(const AppendResult &result)
{
    // New events per session, in order; duplicates were delivered when first stored.
    QHash<QString, QList<qsizetype>> bySession;
    QStringList order;
    for (qsizetype i = 0; i < result.events.size(); ++i) {
        if (result.duplicate.at(i))
            continue;
        const Event &e = result.events.at(i);
        if (!bySession.contains(e.session))
            order.append(e.session);
        bySession[e.session].append(i);

        auto cached = m_sessionCache.find(e.session);
        if (e.kind == EventKind::SessionOpened || cached == m_sessionCache.end()) {
            if (const auto info = m_store.session(e.session))
                cached = m_sessionCache.insert(e.session, *info);
        } else {
            cached->lastSeq = e.seq;
            cached->lastHash = e.hash;
            if (e.kind == EventKind::SessionClosed)
                cached->closedAt = e.at;
        }
        if (e.kind == EventKind::ContextCaptured && cached != m_sessionCache.end())
            m_snapshots.learnContext(cached->clientGroup, e);
        if (e.kind == EventKind::SessionOpened && cached != m_sessionCache.end()) {
            const QJsonObject push{{QStringLiteral("type"), QStringLiteral("session")},
                                   {QStringLiteral("session"), cached->toJson()}};
            const auto endpoints = m_endpointConnections.values(cached->endpoint);
            for (ClientConnection *c : endpoints)
                c->send(push);
        }
    }
    for (const QString &session : std::as_const(order)) {
        const auto subscribers = m_subscribers.value(session);
        for (ClientConnection *c : subscribers) {
            auto sub = c->subscriptions().find(session);
            if (sub == c->subscriptions().end() || !sub->live)
                continue; // still replaying from the store; it will get these there
            if (c->pendingBytes() >= ProtocolLimits::slowSubscriberBytes) {
                // Too slow for live delivery: it catches up from the store when drained.
                sub->live = false;
                continue;
            }
            QList<QByteArray> docs;
            QList<qint64> seqs;
            qint64 last = sub->sentSeq;
            for (const qsizetype i : bySession.value(session)) {
                const Event &e = result.events.at(i);
                if (e.seq <= last)
                    continue;
                last = e.seq;
                if (sub->kinds.isEmpty() || sub->kinds.contains(e.kind)) {
                    docs.append(result.documents.at(i));
                    seqs.append(e.seq);
                }
            }
            const qsizetype sent = push(c, session, docs);
            if (sent < docs.size()) {
                // Filled up on the way (a batch of large events): the rest comes from the store.
                sub->sentSeq = seqs.at(sent - 1);
                sub->live = false;
            } else {
                sub->sentSeq = last;
            }
        }
    }
}

qsizetype Server::push(ClientConnection *c, const QString &session, const QList<QByteArray> &docs)
{
    // A frame is at most one batch, or a single event larger than a batch. Stops once the
    // connection has a slow subscriber's worth waiting: up to 500 events of up to 1 MiB each
    // would otherwise all be queued at once.
    QList<QByteArray> frame;
    qint64 size = 0;
    qsizetype sent = 0;
    for (const QByteArray &doc : docs) {
        if (!frame.isEmpty() && size + doc.size() > ProtocolLimits::pushBatchBytes) {
            c->sendRaw(WireMessage::eventsPush(session, frame));
            sent += frame.size();
            frame.clear();
            size = 0;
            if (!c->isOpen() || c->pendingBytes() >= ProtocolLimits::slowSubscriberBytes)
                return sent;
        }
        frame.append(doc);
        size += doc.size();
    }
    if (!frame.isEmpty()) {
        c->sendRaw(WireMessage::eventsPush(session, frame));
        sent += frame.size();
    }
    return sent;
}

void Server::pump(ClientConnection *c, const QString &session)
{
    constexpr int page = 500;
    while (c->isOpen()) {
        auto sub = c->subscriptions().find(session);
        if (sub == c->subscriptions().end())
            return;
        if (c->pendingBytes() >= ProtocolLimits::slowSubscriberBytes)
            return; // resumes on drained()
        std::optional<QList<QByteArray>> docs;
        QList<qint64> seqs; // of the docs, when only some kinds are read; else sentSeq + 1, + 2 …
        qint64 lastSeq = sub->sentSeq;
        if (sub->kinds.isEmpty()) {
            docs = m_store.readRaw(session, sub->sentSeq, page);
            if (docs)
                lastSeq += docs->size();
        } else if (const auto rows = m_store.readRawKinds(session, sub->kinds, false, sub->sentSeq, page)) {
            docs.emplace();
            for (const EventStore::RawEvent &row : *rows) {
                docs->append(row.doc);
                seqs.append(row.seq);
                lastSeq = row.seq;
            }
        }
        if (!docs) {
            // Not live, so nothing is pushed to it: without another try the subscription would
            // stay silent until the client reconnects. Tried again with a growing delay.
            const int delayMs = std::min(1000 << std::min(sub->replayFailures, 5), 30000);
            ++sub->replayFailures;
            qCWarning(lcServer) << "replay failed:" << m_store.errorString() << "; trying again in"
                                << delayMs << "ms";
            if (sub->replayFailures == 1)
                c->replyError(0, WireMessage::Internal,
                              tr("cannot read session %1 now; trying again").arg(session));
            if (!sub->replayRetry) {
                sub->replayRetry = true;
                QTimer::singleShot(delayMs, c, [this, c, session] {
                    auto retried = c->subscriptions().find(session);
                    if (retried == c->subscriptions().end())
                        return; // unsubscribed meanwhile
                    retried->replayRetry = false;
                    if (!retried->live)
                        pump(c, session);
                });
            }
            return;
        }
        sub->replayFailures = 0;
        const qsizetype sent = push(c, session, *docs);
        if (sent < docs->size()) {
            sub->sentSeq = seqs.isEmpty() ? sub->sentSeq + sent : seqs.at(sent - 1);
            return; // resumes on drained()
        }
        sub->sentSeq = lastSeq;
        if (docs->size() < page) {
            sub->live = true; // caught up; commits are pushed from now on
            return;
        }
    }
}

void Server::handleSubscribe(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    const auto session = visibleSession(c, req, m.value(QStringLiteral("session")).toString());
    if (!session)
        return;
    const QJsonValue after = m.value(QStringLiteral("after"));
    if (!after.isUndefined() && (!after.isDouble() || after.toDouble() < 0)) {
        c->replyError(req, WireMessage::BadRequest, tr("after: expected a seq (integer ≥ 0)"));
        return;
    }
    ClientConnection::Subscription sub;
    const QJsonValue kinds = m.value(QStringLiteral("kinds"));
    if (!kinds.isUndefined()) {
        // An endpoint acts on a few kinds: it need not be sent (and decode) all its output back.
        const QJsonArray names = kinds.toArray();
        if (!kinds.isArray() || names.isEmpty()) {
            c->replyError(req, WireMessage::BadRequest, tr("kinds: expected a non-empty array of event kinds"));
            return;
        }
        for (const QJsonValue &name : names) {
            const auto kind = eventKindFromName(name.toString());
            if (!name.isString() || !kind) {
                c->replyError(req, WireMessage::BadRequest,
                              tr("kinds: unknown event kind '%1'").arg(name.toString().left(64)));
                return;
            }
            if (!sub.kinds.contains(*kind))
                sub.kinds.append(*kind);
        }
    }
    sub.sentSeq = std::min<qint64>(after.toInteger(), session->lastSeq);
    c->subscriptions().insert(session->id, sub);
    m_subscribers[session->id].insert(c);
    QJsonObject result{{QStringLiteral("session"), session->id},
                       {QStringLiteral("head"), session->lastSeq}};
    // Said before the replay: a subscriber that acts on requests (an agent) must not act on
    // those of a session closed meanwhile, and a long replay is pushed in several parts.
    if (!session->isOpen())
        result.insert(QStringLiteral("closedAt"), session->closedAt);
    c->reply(req, result);
    pump(c, session->id);
}

void Server::handleUnsubscribe(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    const QString session = m.value(QStringLiteral("session")).toString();
    c->subscriptions().remove(session);
    auto it = m_subscribers.find(session);
    if (it != m_subscribers.end()) {
        it->remove(c);
        if (it->isEmpty())
            m_subscribers.erase(it);
    }
    c->reply(req);
}

void Server::handleSessions(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    const Principal &p = *c->principal();
    bool ok = true;
    SessionFilter filter;
    filter.org = p.org;
    filter.endpoint = optionalString(m, "endpoint", &ok);
    filter.clientGroup = optionalString(m, "clientGroup", &ok);
    filter.technician = optionalString(m, "technician", &ok);
    filter.tag = optionalString(m, "tag", &ok);
    filter.text = optionalString(m, "text", &ok);
    filter.liveOnly = m.value(QStringLiteral("live")).toBool();
    filter.limit = std::clamp(m.value(QStringLiteral("limit")).toInt(200), 1, 1000);
    filter.offset = std::max(0, m.value(QStringLiteral("offset")).toInt(0));
    if (!ok) {
        c->replyError(req, WireMessage::BadRequest, tr("filters must be strings"));
        return;
    }
    if (p.isEndpoint())
        filter.endpoint = p.id; // an endpoint sees only its own sessions
    const auto list = m_store.sessions(filter);
    if (!list) {
        c->replyError(req, WireMessage::Internal, m_store.errorString());
        return;
    }
    QJsonArray sessions;
    for (const SessionInfo &s : *list)
        sessions.append(s.toJson());
    c->reply(req, {{QStringLiteral("sessions"), sessions}});
}

void Server::handleSession(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    if (const auto session = visibleSession(c, req, m.value(QStringLiteral("session")).toString()))
        c->reply(req, {{QStringLiteral("session"), session->toJson()}});
}

void Server::handleEndpoints(ClientConnection *c, qint64 req)
{
    const Principal &p = *c->principal();
    if (!p.isUser()) {
        c->replyError(req, WireMessage::Forbidden, tr("only users list endpoints"));
        return;
    }
    QJsonArray list;
    for (const auto &e : m_directory.endpoints(p.org)) {
        list.append(QJsonObject{{QStringLiteral("id"), e.id},
                                {QStringLiteral("hostname"), e.hostname},
                                {QStringLiteral("clientGroup"), e.clientGroup},
                                {QStringLiteral("os"), e.os},
                                {QStringLiteral("online"), m_endpointConnections.contains(e.id)},
                                {QStringLiteral("enrolledAt"), e.enrolledAt}});
    }
    c->reply(req, {{QStringLiteral("endpoints"), list}});
}

void Server::handleClientGroups(ClientConnection *c, qint64 req)
{
    const Principal &p = *c->principal();
    if (!p.isUser()) {
        c->replyError(req, WireMessage::Forbidden, tr("only users list client groups"));
        return;
    }
    QJsonArray list;
    for (const auto &g : m_directory.clientGroups(p.org))
        list.append(QJsonObject{{QStringLiteral("id"), g.first}, {QStringLiteral("name"), g.second}});
    c->reply(req, {{QStringLiteral("clientGroups"), list}});
}

void Server::handleOpen(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    const Principal &p = *c->principal();
    if (!p.canWrite()) {
        c->replyError(req, WireMessage::Forbidden, tr("only technicians and admins open sessions"));
        return;
    }
    const QString endpointId = m.value(QStringLiteral("endpoint")).toString();
    const auto endpoint = JsonReader::isUuid(endpointId) ? m_directory.endpoint(endpointId) : std::nullopt;
    if (!endpoint || endpoint->org != p.org) {
        c->replyError(req, WireMessage::NotFound, tr("no endpoint %1").arg(endpointId.left(64)));
        return;
    }
    SessionOpenedBody body;
    body.org = p.org;
    body.clientGroup = endpoint->clientGroup;
    body.endpoint = endpoint->id;
    body.technician = p.id;
    body.title = m.value(QStringLiteral("title")).toString().trimmed();
    if (body.title.isEmpty()) {
        c->replyError(req, WireMessage::BadRequest, tr("title: a session needs a title"));
        return;
    }
    bool ok = true;
    const QString ticket = optionalString(m, "ticket", &ok);
    if (!ticket.isEmpty())
        body.ticket = ticket;
    for (const QJsonValue &tag : m.value(QStringLiteral("tags")).toArray()) {
        if (!tag.isString()) {
            ok = false;
            break;
        }
        body.tags.append(tag.toString());
    }
    const QString followUpOf = optionalString(m, "followUpOf", &ok);
    if (!ok) {
        c->replyError(req, WireMessage::BadRequest, tr("ticket, tags and followUpOf must be strings"));
        return;
    }
    if (!followUpOf.isEmpty()) {
        if (!visibleSession(c, req, followUpOf))
            return;
        body.followUpOf = followUpOf;
    }
    // The client may name the session (PROTOCOL.md 6.2): an `open` sent again after its answer
    // was lost with the connection then answers with the same session instead of a second one.
    QString id = Event::newId();
    if (const QJsonValue named = m.value(QStringLiteral("session")); !named.isUndefined()) {
        id = named.toString();
        if (!JsonReader::isUuid(id)) {
            c->replyError(req, WireMessage::BadRequest, tr("session: expected a lower-case UUID"));
            return;
        }
        if (answeredOpenAgain(c, req, id, endpoint->id))
            return;
    }
    const Event opened = Event::make(id, Actor{QStringLiteral("user"), p.id}, body);
    const AppendResult result = m_store.append({opened});
    if (!result.ok) {
        c->replyError(req, WireMessage::Unavailable, result.error);
        return;
    }
    qCInfo(lcServer) << "session" << opened.session << "opened on" << endpoint->id << "by" << p.id;
    c->reply(req, {{QStringLiteral("session"), opened.session},
                   {QStringLiteral("event"), result.events.first().toJson()}});
    fanOut(result);
}

bool Server::answeredOpenAgain(ClientConnection *c, qint64 req, const QString &id,
                               const QString &endpoint)
{
    const Principal &p = *c->principal();
    bool missing = false;
    const auto existing = m_store.session(id, &missing);
    if (missing)
        return false; // a new one: the caller opens it
    const bool ours = existing && existing->org == p.org && existing->technician == p.id &&
                      existing->endpoint == endpoint;
    const auto first = ours ? m_store.read(id, 0, 1) : std::nullopt;
    if (existing && !ours)
        c->replyError(req, WireMessage::Conflict,
                      tr("session %1 exists already, opened by someone else or on another "
                         "endpoint")
                          .arg(id));
    else if (!first || first->isEmpty())
        c->replyError(req, WireMessage::Unavailable, tr("cannot read session %1").arg(id));
    else
        c->reply(req, {{QStringLiteral("session"), id},
                       {QStringLiteral("event"), first->constFirst().toJson()}});
    return true;
}

void Server::handleCancel(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    const Principal &p = *c->principal();
    if (!p.canWrite()) {
        c->replyError(req, WireMessage::Forbidden, tr("only technicians and admins cancel commands"));
        return;
    }
    const auto session = visibleSession(c, req, m.value(QStringLiteral("session")).toString());
    if (!session)
        return;
    const QString command = m.value(QStringLiteral("command")).toString();
    if (!JsonReader::isUuid(command)) {
        c->replyError(req, WireMessage::BadRequest, tr("command: expected a lower-case UUID"));
        return;
    }
    const QJsonObject push{{QStringLiteral("type"), QStringLiteral("cancel")},
                           {QStringLiteral("session"), session->id},
                           {QStringLiteral("command"), command},
                           {QStringLiteral("by"), p.id}};
    const auto endpoints = m_endpointConnections.values(session->endpoint);
    for (ClientConnection *e : endpoints)
        e->send(push);
    c->reply(req, {{QStringLiteral("delivered"), int(endpoints.size())}});
}

void Server::handleRead(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    const auto session = visibleSession(c, req, m.value(QStringLiteral("session")).toString());
    if (!session)
        return;
    const QJsonValue after = m.value(QStringLiteral("after"));
    if (!after.isUndefined() && (!after.isDouble() || after.toDouble() < 0)) {
        c->replyError(req, WireMessage::BadRequest, tr("after: expected a seq (integer ≥ 0)"));
        return;
    }
    const int limit = std::clamp(m.value(QStringLiteral("limit")).toInt(1000), 1, 5000);
    const auto docs = m_store.readRaw(session->id, after.toInteger(), limit);
    if (!docs) {
        c->replyError(req, WireMessage::Internal, m_store.errorString());
        return;
    }
    // A reply stays well under the frame limit: it stops early and says there is more.
    QJsonArray events;
    qint64 bytes = 0;
    for (const QByteArray &doc : *docs) {
        if (!events.isEmpty() && bytes + doc.size() > ProtocolLimits::frameBytes / 2)
            break;
        bytes += doc.size();
        events.append(QJsonDocument::fromJson(doc).object());
    }
    const qint64 last = events.isEmpty() ? after.toInteger()
                                         : events.last().toObject().value(QStringLiteral("seq")).toInteger();
    c->reply(req, {{QStringLiteral("session"), session->id},
                   {QStringLiteral("events"), events},
                   {QStringLiteral("head"), session->lastSeq},
                   {QStringLiteral("more"), last < session->lastSeq}});
}

void Server::handleSearch(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    const Principal &p = *c->principal();
    if (!p.isUser()) {
        c->replyError(req, WireMessage::Forbidden, tr("only users search"));
        return;
    }
    bool ok = true;
    SearchQuery query;
    query.org = p.org; // never anything of another org, whatever else is asked
    query.text = optionalString(m, "text", &ok);
    query.clientGroup = optionalString(m, "clientGroup", &ok);
    query.endpoint = optionalString(m, "endpoint", &ok);
    query.technician = optionalString(m, "technician", &ok);
    query.tag = optionalString(m, "tag", &ok);
    query.session = optionalString(m, "session", &ok);
    query.openedFrom = optionalString(m, "from", &ok);
    query.openedTo = optionalString(m, "to", &ok);
    if (!ok || query.text.trimmed().isEmpty()) {
        c->replyError(req, WireMessage::BadRequest, tr("text: what to search for; filters must be strings"));
        return;
    }
    // Pages: one more than asked tells whether there is a next page.
    const int limit = std::clamp(m.value(QStringLiteral("limit")).toInt(50), 1, 200);
    query.limit = limit + 1;
    // Deeper pages make the store walk every hit before them; nobody reads that far.
    const QJsonValue offset = m.value(QStringLiteral("offset"));
    const auto from = offset.isUndefined() ? std::optional<qint64>(0)
                                           : WireMessage::integer(offset, 0, maxSearchOffset);
    if (!from) {
        c->replyError(req, WireMessage::BadRequest,
                      tr("offset: 0 to %1; narrow the search to see more").arg(maxSearchOffset));
        return;
    }
    query.offset = int(*from);
    if (c->waitingSearches().size() >= maxWaitingSearches) {
        c->replyError(
            req, WireMessage::RateLimited,
            tr("%1 searches are already waiting; wait for their answers").arg(maxWaitingSearches));
        return;
    }
    c->waitingSearches().append({req, query, limit});
    if (!c->isSearching())
        startNextSearch(c);
}

void Server::startNextSearch(ClientConnection *c)
{
    if (!c->isOpen())
        c->waitingSearches().clear(); // nobody to answer
    c->setSearching(!c->waitingSearches().isEmpty());
    if (!c->isSearching())
        return;
    const ClientConnection::WaitingSearch next = c->waitingSearches().takeFirst();
    // On the writer's thread, which completes the search index first: a search finds every
    // event acknowledged before it.
    m_writer.search(next.query, this,
                    [this, connection = QPointer<ClientConnection>(c), req = next.req,
                     limit = next.limit, offset = next.query.offset](
                        const std::optional<QList<SearchHit>> &hits, const QString &error) {
                        if (!connection)
                            return;
                        replySearch(connection, req, hits, error, limit, offset);
                        startNextSearch(connection);
                    });
}

void Server::replySearch(ClientConnection *c, qint64 req,
                         const std::optional<QList<SearchHit>> &hits, const QString &error,
                         int limit, int offset)
{
    if (!hits) {
        c->replyError(req, WireMessage::Internal, error);
        return;
    }
    QJsonArray list;
    for (qsizetype i = 0; i < std::min<qsizetype>(hits->size(), limit); ++i) {
        const SearchHit &h = hits->at(i);
        QJsonObject hit{{QStringLiteral("session"), h.session},
                        {QStringLiteral("seq"), h.seq},
                        {QStringLiteral("kind"), eventKindName(h.kind)},
                        {QStringLiteral("snippet"), h.snippet}};
        if (!h.command.isEmpty())
            hit.insert(QStringLiteral("command"), h.command);
        list.append(hit);
    }
    c->reply(req, {{QStringLiteral("hits"), list},
                   {QStringLiteral("offset"), offset},
                   {QStringLiteral("more"), hits->size() > limit}});
}

} // namespace casefile
