#include "SyncClient.h"

#include "events/EventCodec.h"
#include "events/JsonParser.h"
#include "protocol/ProtocolLimits.h"
#include "store/EventStore.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>
#include <QWebSocket>

#include <algorithm>
#include <utility>

namespace casefile {

Q_LOGGING_CATEGORY(lcSync, "casefile.sync")

namespace {

// Error codes after which resending the same events can never succeed (docs/PROTOCOL.md 6.2:
// "a request refused with an error has had no effect"). Everything else (unavailable,
// internal, rate_limited, unknown codes) is worth another try later.
bool isPermanent(const QString &code)
{
    static const QSet<QString> permanent = {
        QStringLiteral("bad_request"), QStringLiteral("forbidden"), QStringLiteral("conflict"),
        QStringLiteral("not_found"),   QStringLiteral("too_large"),
    };
    return permanent.contains(code);
}

QByteArray appendFrameHead(qint64 req, qint64 pipeline)
{
    return QByteArrayLiteral("{\"type\":\"append\",\"req\":") + QByteArray::number(req) +
           QByteArrayLiteral(",\"pipeline\":") + QByteArray::number(pipeline) +
           QByteArrayLiteral(",\"events\":[");
}

// Appends in flight at once. Each waits for the one before it in the server's store, but is
// read, sent and decoded meanwhile: with one at a time, every round trip waited for the
// outbox, the network, the server's parsing and the commit in turn.
constexpr int appendWindow = 4;

const QByteArray appendFrameTail = QByteArrayLiteral("]}");

// The bytes an append frame adds around its events, with the widest possible req number.
qint64 appendFrameOverhead()
{
    return appendFrameHead(9007199254740992LL, 9007199254740992LL).size() + appendFrameTail.size();
}

QString unavailableCode()
{
    return QStringLiteral("unavailable");
}

} // namespace

SyncClient::SyncClient(QObject *parent)
    : QObject(parent), m_heartbeatMs(ProtocolLimits::heartbeatMs),
      m_silenceMs(ProtocolLimits::idleTimeoutMs), m_frameLimit(ProtocolLimits::frameBytes),
      m_eventsPerAppend(ProtocolLimits::eventsPerAppend)
{
    m_reconnectTimer.setSingleShot(true);
    m_silenceTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    // Zero-delay single shot: appends made in one pass of the event loop leave in one frame.
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &SyncClient::connectNow);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Online)
            sendRequest(QStringLiteral("ping"), {}, {});
    });
    connect(&m_silenceTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcSync) << "nothing heard from the server for" << m_silenceMs << "ms, reconnecting";
        dropConnection(true, tr("the Casefile server stopped answering"));
    });
    connect(&m_retryTimer, &QTimer::timeout, this, &SyncClient::retry);
    connect(&m_flushTimer, &QTimer::timeout, this, &SyncClient::flushOutbox);
    m_appendHoldTimer.setSingleShot(true);
    connect(&m_appendHoldTimer, &QTimer::timeout, this, &SyncClient::flushOutbox);
}

SyncClient::~SyncClient()
{
    m_running = false;
    m_pending.clear();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
    }
}

QUrl SyncClient::endpointFor(const QUrl &url)
{
    QUrl endpoint = url;
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("http"))
        endpoint.setScheme(QStringLiteral("ws"));
    else if (scheme == QLatin1String("https"))
        endpoint.setScheme(QStringLiteral("wss"));
    if (endpoint.path().isEmpty() || endpoint.path() == QLatin1String("/"))
        endpoint.setPath(QStringLiteral("/ws"));
    return endpoint;
}

void SyncClient::setServer(const QUrl &url)
{
    m_server = url;
    m_endpoint = endpointFor(url);
}

void SyncClient::setToken(const QString &token)
{
    m_token = token;
}

void SyncClient::setClientName(const QString &name)
{
    m_clientName = name;
}

void SyncClient::setOutboxPath(const QString &path)
{
    if (path == m_outboxPath)
        return;
    m_outboxPath = path;
    // Reopened on first use with the new path.
    m_outbox.close();
}

void SyncClient::setCachePath(const QString &path)
{
    if (path == m_cachePath)
        return;
    m_cachePath = path;
    // Reopened on first use. What was decided about the old cache does not apply to the new one,
    // and current subscriptions would leave gaps in it, so they are not cached.
    m_cache.reset();
    m_cacheOpenError.clear();
    m_uncachable.clear();
    for (Subscription &s : m_subscriptions)
        s.cached = false;
}

void SyncClient::setHeartbeatInterval(int ms)
{
    m_heartbeatMs = std::max(1, ms);
}

void SyncClient::setSilenceTimeout(int ms)
{
    m_silenceMs = std::max(1, ms);
}

void SyncClient::setBackoff(const Backoff &backoff)
{
    m_backoff = backoff;
    m_retryBackoff = backoff;
    m_appendBackoff = backoff;
}

qint64 SyncClient::lastSeq(const QString &session) const
{
    const auto it = m_subscriptions.constFind(session);
    return it == m_subscriptions.cend() ? -1 : it->lastSeq;
}

void SyncClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

bool SyncClient::ensureOutbox()
{
    if (m_outbox.isOpen())
        return true;
    const bool ok = m_outboxPath.isEmpty() ? m_outbox.openInMemory() : m_outbox.open(m_outboxPath);
    if (!ok)
        m_error = m_outbox.errorString();
    return ok;
}

qint64 SyncClient::pendingCount()
{
    return ensureOutbox() ? m_outbox.count() : -1;
}

// --- connection ---------------------------------------------------------------------------

void SyncClient::start()
{
    if (m_running)
        return;
    m_error.clear();
    const QString scheme = m_endpoint.scheme();
    if (!m_endpoint.isValid() || m_endpoint.host().isEmpty() ||
        (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))) {
        m_error = tr("'%1' is not a Casefile server address (expected ws://HOST:PORT or "
                     "wss://HOST:PORT)")
                      .arg(m_server.toString());
        emit fatalError(QStringLiteral("bad_url"), m_error);
        return;
    }
    if (!ensureOutbox()) {
        emit fatalError(QStringLiteral("outbox"), m_error);
        return;
    }
    m_running = true;
    m_backoff.reset();
    connectNow();
}

void SyncClient::stop()
{
    m_running = false;
    m_reconnectTimer.stop();
    dropConnection(false, tr("the connection to the Casefile server was closed"));
}

void SyncClient::connectNow()
{
    if (!m_running)
        return;
    ++m_connection;
    m_inbox.clear();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    // One message, one frame (the protocol's unit); Qt would otherwise split at 512 KiB.
    socket->setOutgoingFrameSize(quint64(m_frameLimit));
    connect(socket, &QWebSocket::connected, this, &SyncClient::onConnected);
    connect(socket, &QWebSocket::textMessageReceived, this, &SyncClient::onTextMessage);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &SyncClient::onMessage);
    connect(socket, &QWebSocket::disconnected, this, &SyncClient::onConnectionLost);
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    connect(socket, &QWebSocket::errorOccurred, this, &SyncClient::onConnectionLost);
#else
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &SyncClient::onConnectionLost);
#endif
    setState(State::Connecting);
    if (m_socket != socket) // a slot of stateChanged stopped us
        return;
    // Also bounds a connect or handshake that hangs.
    m_silenceTimer.start(m_silenceMs);
    socket->open(m_endpoint);
}

void SyncClient::onConnected()
{
    m_binaryFrames = false; // until the welcome says so
    // Binary frames carry the same UTF-8 JSON without Qt's conversions to and from UTF-16 for
    // a text frame: three passes over every byte of output at each hop.
    QJsonObject hello{
        {QStringLiteral("type"), QStringLiteral("hello")},
        {QStringLiteral("token"), m_token},
        {QStringLiteral("client"), m_clientName},
        {QStringLiteral("protocol"), ProtocolLimits::version},
        {QStringLiteral("binaryFrames"), true},
    };
    sendFrame(QJsonDocument(hello).toJson(QJsonDocument::Compact));
}

void SyncClient::onConnectionLost()
{
    if (!m_socket)
        return;
    qCInfo(lcSync) << "connection lost:" << m_socket->closeCode() << m_socket->closeReason()
                   << m_socket->errorString();
    // What the server said before it closed comes first: its last words may be the reason
    // ("unauthorized") or events and replies it sent before going away.
    const quint64 connection = m_connection;
    QPointer<SyncClient> self(this);
    while (!m_inbox.isEmpty() && m_connection == connection) {
        const Inbound next = m_inbox.takeFirst();
        if (next.connection == connection)
            handleMessage(next.utf8);
        if (!self)
            return;
    }
    if (m_connection != connection || !m_socket)
        return; // handling them dropped the connection already (a fatal error, a stop)
    dropConnection(true, tr("the connection to the Casefile server was lost"));
}

void SyncClient::dropConnection(bool reconnect, const QString &why)
{
    ++m_connection;
    m_inbox.clear();
    if (QWebSocket *socket = m_socket) {
        m_socket = nullptr;
        socket->disconnect(this);
        if (reconnect)
            socket->abort();
        else
            socket->close(); // a clean goodbye when we leave on purpose
        socket->deleteLater();
    }
    m_heartbeatTimer.stop();
    m_silenceTimer.stop();
    m_retryTimer.stop();
    m_flushTimer.stop();
    m_appendHoldTimer.stop();
    m_held.clear();
    m_inFlight.clear(); // their events are still at the head of the outbox and go out again
    m_drainFirst = false;
    for (Subscription &s : m_subscriptions) {
        s.active = false;
        s.req = 0;
    }

    // The state first, callbacks last: a callback that calls stop() or request() must see
    // where the client really is.
    if (reconnect && m_running) {
        const int delay = m_backoff.next();
        m_reconnectTimer.start(delay);
        setState(State::Reconnecting);
        if (m_state == State::Reconnecting)
            emit reconnectIn(delay);
    } else {
        m_reconnectTimer.stop();
        setState(State::Offline);
    }
    failPending(unavailableCode(), why);
}

void SyncClient::failPending(const QString &code, const QString &message)
{
    // Taken out first: each callback is called once, even if it makes new requests.
    std::map<qint64, Callback> pending;
    pending.swap(m_pending);
    for (auto &entry : pending) {
        if (entry.second)
            entry.second({}, code, message);
    }
}

void SyncClient::fatal(const QString &code, const QString &message)
{
    qCWarning(lcSync) << "giving up:" << code << message;
    m_running = false;
    m_error = message;
    dropConnection(false, message);
    emit fatalError(code, message);
}

bool SyncClient::sendFrame(const QByteArray &frame)
{
    if (!m_socket)
        return false;
    if (m_binaryFrames)
        m_socket->sendBinaryMessage(frame);
    else
        m_socket->sendTextMessage(QString::fromUtf8(frame));
    return true;
}

void SyncClient::onTextMessage(const QString &text)
{
    onMessage(text.toUtf8());
}

void SyncClient::onMessage(const QByteArray &utf8)
{
    m_silenceTimer.start(m_silenceMs);
    // QWebSocket hands over every frame that arrived in one read at once; handling them one per
    // event-loop pass keeps a burst of pushes from freezing a GUI that uses this client.
    m_inbox.append({m_connection, utf8});
    if (!m_inboxScheduled) {
        m_inboxScheduled = true;
        QMetaObject::invokeMethod(this, &SyncClient::processInbox, Qt::QueuedConnection);
    }
}

void SyncClient::processInbox()
{
    m_inboxScheduled = false;
    // Frames for a few milliseconds, then back to the event loop: a burst neither freezes the
    // GUI nor piles up unread when frames arrive faster than one per pass.
    constexpr qint64 budgetNs = 4'000'000;
    QElapsedTimer spent;
    spent.start();
    QPointer<SyncClient> self(this);
    while (!m_inbox.isEmpty()) {
        const Inbound next = m_inbox.takeFirst();
        if (next.connection == m_connection)
            handleMessage(next.utf8); // a message of a connection since lost is not acted on
        if (!self)
            return; // a caller deleted the client on hearing something
        if (spent.nsecsElapsed() >= budgetNs)
            break;
    }
    if (!m_inbox.isEmpty() && !m_inboxScheduled) {
        m_inboxScheduled = true;
        QMetaObject::invokeMethod(this, &SyncClient::processInbox, Qt::QueuedConnection);
    }
}

void SyncClient::handleMessage(const QByteArray &utf8)
{
    // JsonParser checks the UTF-8 too: a binary frame has not been through Qt's decoder.
    JsonParser::Error parseError;
    const auto doc = JsonParser::parse(utf8, &parseError);
    if (!doc || !doc->isObject()) {
        qCWarning(lcSync) << "ignoring a message that is not a JSON object:"
                          << (doc ? QStringLiteral("an array") : parseError.message);
        return;
    }
    const QJsonObject message = doc->toObject();
    const QString type = message.value(QStringLiteral("type")).toString();
    const qint64 req = message.value(QStringLiteral("req")).toInteger();

    if (m_state == State::Connecting) {
        if (type == QLatin1String("welcome")) {
            handleWelcome(message);
        } else if (type == QLatin1String("error")) {
            const QString code = message.value(QStringLiteral("code")).toString();
            const QString why = message.value(QStringLiteral("message")).toString();
            // Refused credentials or protocol: the same hello would be refused forever.
            if (code == QLatin1String("unauthorized") || code == QLatin1String("bad_request"))
                fatal(code,
                      why.isEmpty() ? tr("the server refused the connection (%1)").arg(code) : why);
            else
                qCInfo(lcSync) << "handshake refused:" << code << why; // it closes; we retry
        }
        return;
    }
    if (req > 0 && (type == QLatin1String("result") || type == QLatin1String("error"))) {
        handleReply(message);
    } else if (type == QLatin1String("error")) {
        const QString code = message.value(QStringLiteral("code")).toString();
        const QString why = message.value(QStringLiteral("message")).toString();
        if (code == QLatin1String("unauthorized"))
            fatal(code,
                  why.isEmpty() ? tr("the server revoked this connection's credentials") : why);
        else
            qCWarning(lcSync) << "server error:" << code << why;
    } else if (type == QLatin1String("events")) {
        handleEvents(message);
    } else if (!type.isEmpty() && type != QLatin1String("welcome")) {
        emit pushReceived(type, message);
    }
}

void SyncClient::handleWelcome(const QJsonObject &message)
{
    const QJsonObject limits = message.value(QStringLiteral("limits")).toObject();
    const auto smaller = [](qint64 ours, const QJsonValue &theirs) {
        const qint64 value = theirs.toInteger();
        return value > 0 ? std::min(ours, value) : ours;
    };
    m_frameLimit = smaller(ProtocolLimits::frameBytes, limits.value(QStringLiteral("frameBytes")));
    m_frameLimitWarned = false;
    m_eventsPerAppend =
        int(smaller(ProtocolLimits::eventsPerAppend, limits.value(QStringLiteral("eventsPerAppend"))));
    // The server knows how long it waits for silence; never ping more slowly than it asks.
    const int heartbeat = int(smaller(m_heartbeatMs, message.value(QStringLiteral("heartbeatMs"))));
    if (m_socket)
        m_socket->setOutgoingFrameSize(quint64(m_frameLimit));

    m_principal = message.value(QStringLiteral("principal")).toObject();
    m_binaryFrames = message.value(QStringLiteral("binaryFrames")).toBool();
    m_backoff.reset();
    m_retryBackoff.reset();
    m_appendBackoff.reset();
    m_state = State::Online; // announced below, once everything owed has been sent
    m_heartbeatTimer.start(heartbeat);

    const QList<Held> held = std::exchange(m_held, {});
    for (const Held &h : held)
        sendFrame(h.frame);
    for (auto it = m_subscriptions.begin(); it != m_subscriptions.end(); ++it)
        sendSubscribe(it.key());
    flushOutbox();

    emit stateChanged(State::Online);
    if (m_state == State::Online)
        emit welcomed(m_principal);
}

void SyncClient::handleReply(const QJsonObject &message)
{
    const qint64 req = message.value(QStringLiteral("req")).toInteger();
    const auto it = m_pending.find(req);
    if (it == m_pending.end())
        return; // a reply to nothing we are waiting for
    const Callback callback = std::move(it->second);
    m_pending.erase(it);
    if (!callback)
        return;
    if (message.value(QStringLiteral("type")).toString() == QLatin1String("result")) {
        QJsonObject result = message;
        result.remove(QStringLiteral("type"));
        result.remove(QStringLiteral("req"));
        callback(result, {}, {});
    } else {
        QString code = message.value(QStringLiteral("code")).toString();
        if (code.isEmpty())
            code = QStringLiteral("internal");
        // The error's other fields (an append's refused event) come as the result.
        QJsonObject fields = message;
        for (const char *key : {"type", "req", "code", "message"})
            fields.remove(QLatin1String(key));
        callback(fields, code, message.value(QStringLiteral("message")).toString());
    }
}

// --- requests -----------------------------------------------------------------------------

qint64 SyncClient::request(const QString &op, const QJsonObject &params, Callback callback)
{
    if (!callback)
        callback = [](const QJsonObject &, const QString &, const QString &) {};
    if (m_state == State::Online || m_state == State::Connecting)
        return sendRequest(op, params, std::move(callback));
    const qint64 req = m_nextReq++;
    QTimer::singleShot(0, this, [callback = std::move(callback)] {
        callback({}, unavailableCode(), tr("not connected to the Casefile server"));
    });
    return req;
}

qint64 SyncClient::sendRequest(const QString &op, const QJsonObject &params, Callback callback)
{
    const qint64 req = m_nextReq++;
    QJsonObject message = params;
    message.insert(QStringLiteral("type"), op);
    message.insert(QStringLiteral("req"), req);
    QByteArray frame = QJsonDocument(message).toJson(QJsonDocument::Compact);
    if (frame.size() > m_frameLimit) {
        // Sending it would make the server close the connection (1009) under everyone else.
        if (callback) {
            const QString why = tr("the request is %1 bytes, more than the limit of %2")
                                    .arg(frame.size())
                                    .arg(m_frameLimit);
            QTimer::singleShot(0, this, [callback = std::move(callback), why] {
                callback({}, QStringLiteral("too_large"), why);
            });
        }
        return req;
    }
    m_pending.emplace(req, std::move(callback));
    if (m_state == State::Online)
        sendFrame(frame);
    else
        m_held.append({req, std::move(frame)});
    return req;
}

// --- appends ------------------------------------------------------------------------------

bool SyncClient::append(const QList<Event> &drafts, const QList<QByteArray> &encoded)
{
    m_error.clear();
    m_appendStorageFailure = false;
    if (!ensureOutbox()) {
        m_appendStorageFailure = true;
        return false;
    }
    // Encoded once: what is checked here is what the outbox keeps and what is sent.
    QList<QByteArray> docs;
    if (!Outbox::encode(drafts, &docs, &m_error, encoded))
        return false;
    for (qsizetype i = 0; i < drafts.size(); ++i) {
        m_error = tooLargeToSend(i, drafts.at(i), docs.at(i));
        if (!m_error.isEmpty())
            return false;
    }
    if (!m_outbox.enqueueEncoded(drafts, docs)) {
        m_error = m_outbox.errorString();
        m_appendStorageFailure = true;
        return false;
    }
    if (m_state == State::Online && !m_flushTimer.isActive())
        m_flushTimer.start();
    return true;
}

QString SyncClient::tooLargeToSend(qsizetype index, const Event &draft, const QByteArray &doc)
{
    const qint64 room = ProtocolLimits::frameBytes - appendFrameOverhead();
    if (doc.size() <= room)
        return {};
    return tr("event %1 (%2) is %3 bytes; one message to the server holds at most %4")
        .arg(index + 1)
        .arg(draft.id)
        .arg(doc.size())
        .arg(room);
}

QString SyncClient::unsendable(const Event &draft, QByteArray *encoded)
{
    QList<QByteArray> docs;
    QString error;
    if (!Outbox::encode({draft}, &docs, &error))
        return error;
    error = tooLargeToSend(0, draft, docs.constFirst());
    if (error.isEmpty() && encoded)
        *encoded = docs.constFirst();
    return error;
}

void SyncClient::flushOutbox()
{
    if (m_state != State::Online || !m_socket || !m_outbox.isOpen())
        return;
    // A refusal for now (rate_limited, unavailable) is waited out: an append answered in
    // between would otherwise start the resend at once, without the backoff.
    if (m_appendHoldTimer.isActive())
        return;
    if (m_drainFirst) {
        // After a refusal: nothing new until every append in flight is answered, so no append
        // under the next pipeline number is stored before an older one the server voids.
        if (!m_inFlight.isEmpty())
            return;
        m_drainFirst = false;
    }
    int limit = m_eventsPerAppend;
    int window = appendWindow;
    if (m_probeRemaining > 0) {
        // Finding a refused event: one small append at a time.
        limit = std::min({limit, m_probeLimit, m_probeRemaining});
        window = 1;
    }
    while (m_inFlight.size() < window && sendNextAppend(limit)) {
    }
}

bool SyncClient::sendNextAppend(int limit)
{
    const qint64 after = m_inFlight.isEmpty() ? 0 : m_inFlight.constLast().last;
    // Decoding queued events is what a flush costs, and only what fits in one frame is sent:
    // reading `limit` (1000) events of 64 KiB output each decoded ~60 MB to send 1 MiB, on
    // every append while a command's output was queued. So read a few first, and then about
    // as many more as their size says will fit.
    int reading = std::min(limit, 16);
    auto batch = m_outbox.pendingAfter(after, reading);
    if (!batch) {
        qCWarning(lcSync) << "cannot read the outbox:" << m_outbox.errorString();
        scheduleRetry();
        return false;
    }
    if (batch->isEmpty())
        return false;

    const qint64 req = m_nextReq++;
    QByteArray frame = appendFrameHead(req, m_pipeline);
    const qsizetype headSize = frame.size();
    QList<SentEvent> sending;
    qint64 last = after;
    for (bool full = false;;) {
        for (qsizetype i = sending.size(); i < batch->size(); ++i) {
            const Outbox::Queued &event = batch->at(i);
            const QByteArray &doc = event.doc; // as queued: a draft's document is what is sent
            const qint64 size =
                frame.size() + (sending.isEmpty() ? 0 : 1) + doc.size() + appendFrameTail.size();
            if (size > m_frameLimit) {
                if (sending.isEmpty()) {
                    // Only events that fit the protocol's limit are queued, so this server
                    // says it takes less than the protocol does. Its word is no reason to drop
                    // what was recorded for good: the event and everything after it wait
                    // (order) until a server takes it — after an upgrade, or a reconnect.
                    if (!m_frameLimitWarned) {
                        m_frameLimitWarned = true;
                        qCWarning(lcSync).noquote()
                            << tr("the server accepts messages of at most %1 bytes, less than the "
                                  "protocol's %2; event %3 (%4 bytes) and those after it wait "
                                  "for a server that takes them")
                                   .arg(m_frameLimit)
                                   .arg(ProtocolLimits::frameBytes)
                                   .arg(event.id)
                                   .arg(doc.size());
                    }
                    return false;
                }
                full = true;
                break;
            }
            if (!sending.isEmpty())
                frame += ',';
            frame += doc;
            sending.append({event.id, event.session});
            last = event.position;
        }
        if (full || batch->size() < reading || reading >= limit)
            break;
        // All of them fit and more are queued: read again, starting with the same events
        // (nothing can have changed the queue in between), as many as will about fit.
        const qint64 perEvent = std::max<qint64>(1, (frame.size() - headSize) / sending.size());
        const qint64 more = (m_frameLimit - frame.size() - appendFrameTail.size()) / perEvent + 1;
        reading = int(std::min<qint64>(limit, sending.size() + more));
        batch = m_outbox.pendingAfter(after, reading);
        if (!batch || batch->size() < sending.size() ||
            batch->at(sending.size() - 1).id != sending.last().id)
            break; // send what is in the frame; the rest goes with the next append
    }
    frame += appendFrameTail;

    m_inFlight.append({req, last});
    m_pending.emplace(req, [this, req, sending](const QJsonObject &result, const QString &code,
                                                const QString &message) {
        onAppendReply(req, sending, result, code, message);
    });
    sendFrame(frame);
    return true;
}

void SyncClient::refuseLocally(const QString &id, const QString &code, const QString &message)
{
    if (!dropRefused({id}, code, message))
        return;
    if (m_probeRemaining > 0 && --m_probeRemaining == 0)
        m_probeLimit = 0;
}

void SyncClient::refuseSessionLocally(const SentEvent &refused, const QString &code,
                                      const QString &message)
{
    const auto ids = m_outbox.sessionQueuedFrom(refused.session, refused.id);
    if (!ids || ids->isEmpty()) {
        if (!ids)
            qCWarning(lcSync) << "cannot read the outbox:" << m_outbox.errorString();
        refuseLocally(refused.id, code, message); // the rest, if any, one by one
        return;
    }
    if (dropRefused(*ids, code, message))
        qCInfo(lcSync) << "the server refuses every event of session" << refused.session << "("
                       << code << message << "); dropped the" << ids->size() << "queued for it";
}

bool SyncClient::dropRefused(const QStringList &ids, const QString &code, const QString &message)
{
    if (!m_outbox.acknowledge(ids)) {
        // Kept, they are offered again after the backoff and refused again: said once, when
        // they are gone. Sent again at once, they would go round as fast as the server answers
        // for as long as the disk is full.
        qCWarning(lcSync) << "cannot remove" << ids.size()
                          << "refused events; offering them again later:" << m_outbox.errorString();
        holdAppends();
        return false;
    }
    m_flushTimer.start();
    emit appendRefused(ids, code, message);
    return true;
}

void SyncClient::onAppendReply(qint64 req, const QList<SentEvent> &batch, const QJsonObject &result,
                               const QString &code, const QString &message)
{
    const auto mine = std::find_if(m_inFlight.begin(), m_inFlight.end(),
                                   [req](const InFlight &f) { return f.req == req; });
    if (mine == m_inFlight.end() || m_state != State::Online)
        return; // the connection was lost, or an earlier append's refusal made this one void:
                // its events go out again
    if (!code.isEmpty()) {
        // The server refuses every append of this pipeline it has not stored yet (`aborted`):
        // forget those sent after this one, wait for the answers to those before it, then
        // send everything unacknowledged again, under a new number.
        m_inFlight.erase(mine, m_inFlight.end());
        ++m_pipeline;
        m_drainFirst = true;
    } else {
        m_inFlight.erase(mine);
    }
    const int size = int(batch.size());

    if (code.isEmpty()) {
        QHash<QString, QString> sessionOf;
        for (const SentEvent &e : batch)
            sessionOf.insert(e.id, e.session);
        QList<AppendAck> acks;
        QStringList ids;
        const QJsonArray array = result.value(QStringLiteral("acks")).toArray();
        for (const QJsonValue &value : array) {
            const QJsonObject o = value.toObject();
            AppendAck ack;
            ack.id = o.value(QStringLiteral("id")).toString();
            ack.seq = o.value(QStringLiteral("seq")).toInteger();
            ack.hash = o.value(QStringLiteral("hash")).toString();
            ack.duplicate = o.value(QStringLiteral("duplicate")).toBool();
            const auto it = sessionOf.find(ack.id);
            if (it == sessionOf.end() || ack.seq <= 0)
                continue;
            ack.session = it.value();
            sessionOf.erase(it);
            ids.append(ack.id);
            acks.append(ack);
        }
        // Not removed (a full disk), they are sent again and come back as duplicates.
        const bool removed = m_outbox.acknowledge(ids);
        if (m_probeRemaining > 0) {
            m_probeRemaining -= size;
            if (m_probeRemaining <= 0)
                m_probeRemaining = m_probeLimit = 0;
        }
        if (!removed) {
            // Waited out like a refusal: resent at once, they would go round as fast as the
            // server answers for as long as the disk is full.
            qCWarning(lcSync) << "cannot remove acknowledged events; sending them again later:"
                              << m_outbox.errorString();
            holdAppends();
        } else if (sessionOf.isEmpty()) {
            m_appendBackoff.reset();
            m_flushTimer.start();
        } else {
            qCWarning(lcSync) << "the server acknowledged" << ids.size() << "of" << size
                              << "events; sending the rest again";
            holdAppends();
        }
        if (!acks.isEmpty())
            emit acknowledged(acks);
        return;
    }

    if (isPermanent(code)) {
        // The server names the refused event (PROTOCOL.md 6.4): drop it — with every later one
        // of its session when the whole session refuses them (it is closed) — and send the
        // rest again. A closed session's backlog goes in one answer, not event by event.
        const qsizetype named = result.value(QStringLiteral("index")).toInteger(-1);
        const QJsonValue namedId = result.value(QStringLiteral("id"));
        if (named >= 0 && named < size &&
            (namedId.isUndefined() || namedId.toString() == batch.at(named).id)) {
            if (result.value(QStringLiteral("wholeSession")).toBool())
                refuseSessionLocally(batch.at(named), code, message);
            else
                refuseLocally(batch.at(named).id, code, message);
            m_probeRemaining = m_probeLimit = 0;
        } else if (size == 1) {
            refuseLocally(batch.first().id, code, message);
        } else {
            // The whole batch had no effect; find the refused events by halving it.
            m_probeRemaining = size;
            m_probeLimit = std::max(1, size / 2);
            m_flushTimer.start();
        }
        return;
    }
    qCInfo(lcSync) << "append refused for now:" << code << message;
    holdAppends();
}

// --- subscriptions ------------------------------------------------------------------------

void SyncClient::subscribe(const QString &session, qint64 after)
{
    subscribe(session, after, {});
}

void SyncClient::subscribe(const QString &session, qint64 after, const QList<EventKind> &kinds)
{
    Subscription &s = m_subscriptions[session];
    s.cached = false;
    s.kinds = kinds;
    if (kinds.isEmpty() && ensureCache() && !m_uncachable.contains(session)) {
        const qint64 head = cacheHead(session);
        if (after < 0)
            after = head;
        // Starting beyond the cached head would leave a gap the cache cannot take.
        s.cached = after <= head;
    }
    s.lastSeq = std::max<qint64>(0, after);
    s.active = false;
    if (m_state == State::Online)
        sendSubscribe(session);
}

void SyncClient::unsubscribe(const QString &session)
{
    if (!m_subscriptions.remove(session))
        return;
    if (m_state == State::Online)
        sendRequest(QStringLiteral("unsubscribe"), {{QStringLiteral("session"), session}}, {});
}

void SyncClient::sendSubscribe(const QString &session)
{
    const auto it = m_subscriptions.find(session);
    if (it == m_subscriptions.end())
        return;
    const qint64 req = m_nextReq; // the id sendRequest is about to use
    it->req = req;
    QJsonObject request{{QStringLiteral("session"), session}, {QStringLiteral("after"), it->lastSeq}};
    if (!it->kinds.isEmpty()) {
        QJsonArray kinds;
        for (const EventKind kind : std::as_const(it->kinds))
            kinds.append(eventKindName(kind));
        request.insert(QStringLiteral("kinds"), kinds);
    }
    sendRequest(QStringLiteral("subscribe"), request,
                [this, session, req](const QJsonObject &result, const QString &code,
                                     const QString &message) {
                    onSubscribeReply(session, req, result, code, message);
                });
}

void SyncClient::onSubscribeReply(const QString &session, qint64 req, const QJsonObject &result,
                                  const QString &code, const QString &message)
{
    const auto it = m_subscriptions.find(session);
    // Unsubscribed or subscribed again meanwhile; or the connection is gone and the
    // subscription is renewed after the reconnect.
    if (it == m_subscriptions.end() || it->req != req || m_state != State::Online)
        return;
    it->req = 0;
    if (code.isEmpty()) {
        it->active = true;
        const qint64 head = result.value(QStringLiteral("head")).toInteger();
        if (it->cached) {
            // A server with fewer events than the cache is not where the cache was filled (or
            // lost events): nothing it sends could be told apart from the cached record.
            const qint64 cached = cacheHead(session);
            if (head < cached)
                stopCaching(session, tr("the server's record of session %1 ends at seq %2, the "
                                        "cache's at seq %3: the cache was not filled from this "
                                        "server; the session is no longer cached")
                                         .arg(session)
                                         .arg(head)
                                         .arg(cached));
            if (!m_subscriptions.contains(session))
                return; // the caller unsubscribed on hearing it
        }
        // Every subscription in place: the next failure starts from the shortest delay again.
        if (std::all_of(m_subscriptions.cbegin(), m_subscriptions.cend(),
                        [](const Subscription &s) { return s.active; }))
            m_retryBackoff.reset();
        emit subscribed(session, head, result.value(QStringLiteral("closedAt")).toString());
    } else if (isPermanent(code) || code == QLatin1String("unauthorized")) {
        m_subscriptions.erase(it);
        emit subscribeFailed(session, code, message);
    } else {
        scheduleRetry();
    }
}

void SyncClient::handleEvents(const QJsonObject &message)
{
    const QString session = message.value(QStringLiteral("session")).toString();
    const auto it = m_subscriptions.find(session);
    if (it == m_subscriptions.end())
        return; // a push still under way when we unsubscribed
    // Until the server confirms this subscription (its replay follows the result), pushes are
    // of an earlier one: taking them would move lastSeq past events the replay then skips.
    if (it->req != 0 || !it->active)
        return;
    QList<Event> fresh;
    const QJsonArray events = message.value(QStringLiteral("events")).toArray();
    for (const QJsonValue &value : events) {
        const auto decoded = EventCodec::fromJson(value.toObject(), EventCodec::Mode::Sealed);
        if (!decoded.ok()) {
            qCWarning(lcSync) << "ignoring an undecodable event of session" << session << ":"
                              << decoded.error.toString();
            continue;
        }
        if (decoded.event.session != session) {
            qCWarning(lcSync) << "ignoring event" << decoded.event.id << "of another session";
            continue;
        }
        // Replay after a resubscribe may overlap what was already delivered.
        if (decoded.event.seq <= it->lastSeq)
            continue;
        it->lastSeq = decoded.event.seq;
        fresh.append(decoded.event);
    }
    if (fresh.isEmpty())
        return;
    // Queued for the cache first: a caller reading the cache on hearing the signal finds them.
    if (it->cached)
        cacheEvents(session, fresh);
    emit eventsReceived(session, fresh);
}

// --- cache --------------------------------------------------------------------------------

bool SyncClient::ensureCache()
{
    if (m_cache)
        return true;
    if (m_cachePath.isEmpty() || !m_cacheOpenError.isEmpty())
        return false;
    auto cache = std::make_unique<CacheWriter>();
    if (!cache->open(m_cachePath, &m_cacheOpenError)) {
        // Reported once; the client works on without a cache rather than not at all.
        qCWarning(lcSync).noquote() << "cannot open the cache:" << m_cacheOpenError;
        emit cacheError(QString(), m_cacheOpenError);
        return false;
    }
    connect(cache.get(), &CacheWriter::storeFailed, this,
            [this, writer = cache.get()](const QString &session, const QString &error, bool storageFailure, qint64) {
                if (m_cache.get() != writer)
                    return; // a cache since replaced (setCachePath)
                stopCaching(session,
                            storageFailure
                                ? tr("cannot write session %1 to the cache: %2; the session is no longer "
                                     "cached")
                                      .arg(session, error)
                                : tr("the server's events of session %1 do not continue the cached record: "
                                     "%2; the session is no longer cached")
                                      .arg(session, error));
            });
    m_cache = std::move(cache);
    return true;
}

qint64 SyncClient::cacheHead(const QString &session)
{
    // Unknown (or unreadable: then replaying from 0 only costs time) is 0.
    return m_cache ? m_cache->head(session) : 0;
}

void SyncClient::cacheEvents(const QString &session, const QList<Event> &events)
{
    m_cache->store(session, events);
}

void SyncClient::flushCache()
{
    if (m_cache)
        m_cache->flush();
}

void SyncClient::stopCaching(const QString &session, const QString &message)
{
    if (m_uncachable.contains(session))
        return; // reported already
    m_uncachable.insert(session);
    const auto it = m_subscriptions.find(session);
    if (it != m_subscriptions.end())
        it->cached = false;
    qCWarning(lcSync).noquote() << message;
    emit cacheError(session, message);
}

std::optional<QList<Event>> SyncClient::cachedEvents(const QString &session, qint64 afterSeq,
                                                     int limit)
{
    if (!ensureCache()) {
        m_error = m_cachePath.isEmpty() ? tr("this client has no cache") : m_cacheOpenError;
        return std::nullopt;
    }
    return m_cache->read(session, afterSeq, limit, &m_error);
}

std::optional<QList<SessionInfo>> SyncClient::cachedSessions(const SessionFilter &filter)
{
    if (!ensureCache()) {
        m_error = m_cachePath.isEmpty() ? tr("this client has no cache") : m_cacheOpenError;
        return std::nullopt;
    }
    return m_cache->sessions(filter, &m_error);
}

// --- retries ------------------------------------------------------------------------------

void SyncClient::scheduleRetry()
{
    if (!m_retryTimer.isActive())
        m_retryTimer.start(m_retryBackoff.next());
}

void SyncClient::holdAppends()
{
    // A timer of its own: one shared with subscription retries could hold appends for as long
    // as a subscription keeps failing.
    if (!m_appendHoldTimer.isActive())
        m_appendHoldTimer.start(m_appendBackoff.next());
}

void SyncClient::retry()
{
    if (m_state != State::Online)
        return;
    for (auto it = m_subscriptions.begin(); it != m_subscriptions.end(); ++it) {
        if (!it->active && it->req == 0)
            sendSubscribe(it.key());
    }
    flushOutbox();
}

} // namespace casefile
