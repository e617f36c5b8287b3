#include "MockSyncServer.h"

#include "events/EventCodec.h"
#include "events/HashChain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <utility>

using namespace casefile;

MockSyncServer::MockSyncServer(quint16 port, QObject *parent)
    : QObject(parent), m_server(QStringLiteral("mock casefiled"), QWebSocketServer::NonSecureMode)
{
    m_clock.start();
    principal = QJsonObject{
        {QStringLiteral("type"), QStringLiteral("user")},
        {QStringLiteral("id"), Event::newId()},
        {QStringLiteral("org"), Event::newId()},
        {QStringLiteral("role"), QStringLiteral("technician")},
        {QStringLiteral("name"), QStringLiteral("Ana")},
    };
    connect(&m_server, &QWebSocketServer::newConnection, this, &MockSyncServer::accept);
    m_server.listen(QHostAddress::LocalHost, port);
}

MockSyncServer::~MockSyncServer()
{
    // The sockets' disconnected handlers use members that are gone by the time the server
    // member deletes them.
    for (const QPointer<QWebSocket> &socket : std::as_const(m_sockets)) {
        if (socket) {
            socket->disconnect(this);
            delete socket.data();
        }
    }
}

QUrl MockSyncServer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port()));
}

void MockSyncServer::accept()
{
    while (QWebSocket *socket = m_server.nextPendingConnection()) {
        ++connections;
        m_sockets.append(socket);
        paths.append(socket->requestUrl().path());
        // The protocol's limit: a bigger message closes the connection (1009), as casefiled does.
        socket->setMaxAllowedIncomingMessageSize(1024 * 1024);
        socket->setMaxAllowedIncomingFrameSize(1024 * 1024);
        connect(socket, &QWebSocket::textFrameReceived, this, [this](const QString &, bool last) {
            if (!last)
                ++fragmentedMessages;
        });
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &text) {
                    if (m_binary.contains(socket))
                        ++textMessagesAfterBinary;
                    onMessage(socket, text);
                });
        // Binary frames are messages only once welcomed with them; others are ignored.
        connect(socket, &QWebSocket::binaryMessageReceived, this,
                [this, socket](const QByteArray &utf8) {
                    if (!m_binary.contains(socket))
                        return;
                    ++binaryMessages;
                    onMessage(socket, QString::fromUtf8(utf8));
                });
        connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            ++disconnects;
            m_binary.remove(socket);
            m_welcomed.removeAll(socket);
            m_subscribers.remove(socket);
            m_abortedPipeline.remove(socket);
            socket->deleteLater();
        });
    }
}

void MockSyncServer::send(QWebSocket *socket, const QJsonObject &message)
{
    const QByteArray json = QJsonDocument(message).toJson(QJsonDocument::Compact);
    if (m_binary.contains(socket))
        socket->sendBinaryMessage(json);
    else
        socket->sendTextMessage(QString::fromUtf8(json));
}

void MockSyncServer::reply(QWebSocket *socket, qint64 req, const QJsonObject &fields)
{
    QJsonObject message = fields;
    message.insert(QStringLiteral("type"), QStringLiteral("result"));
    message.insert(QStringLiteral("req"), req);
    send(socket, message);
}

void MockSyncServer::error(QWebSocket *socket, qint64 req, const QString &code,
                           const QString &message, const QJsonObject &fields)
{
    QJsonObject m = fields;
    m.insert(QStringLiteral("type"), QStringLiteral("error"));
    m.insert(QStringLiteral("code"), code);
    m.insert(QStringLiteral("message"), message);
    if (req > 0)
        m.insert(QStringLiteral("req"), req);
    send(socket, m);
}

void MockSyncServer::onMessage(QWebSocket *socket, const QString &text)
{
    if (socket->state() != QAbstractSocket::ConnectedState)
        return; // dropped by a test: what was still in its buffer never arrived
    largestMessage = std::max<qint64>(largestMessage, text.toUtf8().size());
    const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = message.value(QStringLiteral("type")).toString();
    const qint64 req = message.value(QStringLiteral("req")).toInteger();

    if (!m_welcomed.contains(socket)) {
        if (type != QLatin1String("hello")) {
            error(socket, 0, QStringLiteral("unauthorized"), QStringLiteral("say hello first"));
            socket->close();
            return;
        }
        hellos.append(message);
        if (message.value(QStringLiteral("token")).toString() != token) {
            error(socket, 0, QStringLiteral("unauthorized"), QStringLiteral("unknown token"));
            socket->close();
            return;
        }
        m_welcomed.append(socket);
        const bool binary = binaryFrames && message.value(QStringLiteral("binaryFrames")).toBool();
        send(socket, {{QStringLiteral("type"), QStringLiteral("welcome")},
                      {QStringLiteral("binaryFrames"), binary},
                      {QStringLiteral("protocol"), 1},
                      {QStringLiteral("server"), QStringLiteral("mock/0")},
                      {QStringLiteral("heartbeatMs"), heartbeatMs},
                      {QStringLiteral("principal"), principal},
                      {QStringLiteral("limits"),
                       QJsonObject{{QStringLiteral("frameBytes"), frameBytes},
                                   {QStringLiteral("eventsPerAppend"), eventsPerAppend},
                                   {QStringLiteral("requestsPerSecond"), 2000}}}});
        if (binary)
            m_binary.insert(socket);
        return;
    }

    if (type == QLatin1String("ping"))
        ++pings;
    else
        requests.append(message);
    if (silentAfterWelcome || unansweredOps.contains(type))
        return;
    if (type == QLatin1String("ping")) {
        reply(socket, req, {{QStringLiteral("at"), Event::nowTimestamp()}});
    } else if (type == QLatin1String("append")) {
        handleAppend(socket, req, message);
    } else if (type == QLatin1String("subscribe")) {
        handleSubscribe(socket, req, message);
    } else if (type == QLatin1String("sessions")) {
        sessionsRequests.append(message);
        if (!sessionsErrors.isEmpty()) {
            error(socket, req, sessionsErrors.takeFirst(), QStringLiteral("refused by the test"));
            return;
        }
        // As casefiled pages it (PROTOCOL.md 6.3).
        const int limit = std::clamp(message.value(QStringLiteral("limit")).toInt(200), 1, 1000);
        const int offset = std::max(0, message.value(QStringLiteral("offset")).toInt(0));
        QJsonArray page;
        for (const QString &id : liveSessions.mid(offset, limit))
            page.append(QJsonObject{{QStringLiteral("id"), id}});
        reply(socket, req, {{QStringLiteral("sessions"), page}});
    } else if (type == QLatin1String("unsubscribe")) {
        const QString session = message.value(QStringLiteral("session")).toString();
        unsubscribed.append(session);
        if (!keepPushingAfterUnsubscribe)
            m_subscribers[socket].remove(session);
        reply(socket, req, {});
    } else if (type == QLatin1String("open") || type == QLatin1String("endpoints")) {
        // As casefiled answers them, in short: the session the client named, no endpoints.
        if (type == QLatin1String("open") && !openErrors.isEmpty())
            error(socket, req, openErrors.takeFirst(), QStringLiteral("refused by the test"));
        else if (type == QLatin1String("open"))
            reply(socket, req,
                  {{QStringLiteral("session"), message.value(QStringLiteral("session"))}});
        else
            reply(socket, req, {{QStringLiteral("endpoints"), QJsonArray()}});
    } else if (type == QLatin1String("echo")) {
        // Replies after `delay` ms, so replies can overtake each other.
        const QJsonValue value = message.value(QStringLiteral("value"));
        QPointer<QWebSocket> guard(socket);
        QTimer::singleShot(message.value(QStringLiteral("delay")).toInt(), this, [=] {
            if (guard)
                reply(guard, req, {{QStringLiteral("echo"), value}});
        });
    } else {
        error(socket, req, QStringLiteral("bad_request"), QStringLiteral("unknown op"));
    }
}

void MockSyncServer::handleAppend(QWebSocket *socket, qint64 req, const QJsonObject &message)
{
    const int n = ++appendRequests;
    const QJsonArray array = message.value(QStringLiteral("events")).toArray();
    eventsReceived += int(array.size());
    largestAppend = std::max(largestAppend, int(array.size()));
    // Pipelined appends (PROTOCOL.md 6.8): after a refusal, the rest of that pipeline is void.
    const qint64 pipeline = message.value(QStringLiteral("pipeline")).toInteger();
    arrivals.append({pipeline, m_clock.elapsed(), {}});
    if (pipeline > 0 && pipeline <= m_abortedPipeline.value(socket)) {
        ++abortedAppends;
        arrivals.last().refusedWith = QStringLiteral("aborted");
        error(socket, req, QStringLiteral("aborted"), QStringLiteral("an earlier append failed"));
        if (m_delayedError) // a little later: the client has time to act on the `aborted`
            QTimer::singleShot(100, this, std::exchange(m_delayedError, nullptr));
        return;
    }
    const auto refuse = [&](const QString &code, const QString &text,
                            const QJsonObject &fields = {}) {
        m_abortedPipeline[socket] = std::max(m_abortedPipeline.value(socket), pipeline);
        arrivals.last().refusedWith = code;
        error(socket, req, code, text, fields);
    };
    if (!appendErrors.isEmpty()) {
        refuse(appendErrors.takeFirst(), QStringLiteral("try again later"));
        return;
    }
    if (n == errorAtAppend) {
        if (errorAfterAborted) {
            m_abortedPipeline[socket] = std::max(m_abortedPipeline.value(socket), pipeline);
            m_delayedError = [this, socket = QPointer<QWebSocket>(socket), req] {
                if (socket)
                    error(socket, req, errorCode, QStringLiteral("refused by the test"));
            };
            return;
        }
        refuse(errorCode, QStringLiteral("refused by the test"));
        return;
    }
    if (n == dropBeforeCommitOfAppend) {
        socket->abort();
        return;
    }
    if (array.size() > eventsPerAppend) {
        refuse(QStringLiteral("bad_request"), QStringLiteral("too many events"));
        return;
    }
    // Everything is checked before anything is stored: a refused append has no effect.
    QList<Event> drafts;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const auto decoded = EventCodec::fromJson(array.at(i).toObject(), EventCodec::Mode::Draft);
        if (!decoded.ok()) {
            refuse(QStringLiteral("bad_request"),
                   QStringLiteral("event %1: %2").arg(i + 1).arg(decoded.error.toString()));
            return;
        }
        // As casefiled names the refused event (PROTOCOL.md 6.4), when asked to.
        const auto named = [&](bool wholeSession) {
            QJsonObject fields;
            if (nameRefusedEvents) {
                fields = {{QStringLiteral("index"), i}, {QStringLiteral("id"), decoded.event.id}};
                if (wholeSession)
                    fields.insert(QStringLiteral("wholeSession"), true);
            }
            return fields;
        };
        if (!refuseMarker.isEmpty() &&
            decoded.event.body.value(QStringLiteral("text")).toString() == refuseMarker) {
            refuse(QStringLiteral("forbidden"),
                   QStringLiteral("event %1 (%2): not allowed").arg(i + 1).arg(decoded.event.id),
                   named(false));
            return;
        }
        // An event it has is acknowledged as a duplicate after the close too, as casefiled does.
        const QList<Event> &record = records.value(decoded.event.session);
        if (closedSessions.contains(decoded.event.session) &&
            std::none_of(record.cbegin(), record.cend(),
                         [&](const Event &e) { return e.id == decoded.event.id; })) {
            refuse(QStringLiteral("conflict"),
                   QStringLiteral("event %1 (%2): session %3 is closed")
                       .arg(i + 1)
                       .arg(decoded.event.id, decoded.event.session),
                   named(true));
            return;
        }
        drafts.append(decoded.event);
    }
    QJsonArray acks;
    for (const Event &draft : drafts) {
        const QList<Event> &record = records.value(draft.session);
        const auto stored = std::find_if(record.cbegin(), record.cend(),
                                         [&](const Event &e) { return e.id == draft.id; });
        if (stored != record.cend()) {
            ++duplicates;
            acks.append(QJsonObject{{QStringLiteral("id"), stored->id},
                                    {QStringLiteral("seq"), stored->seq},
                                    {QStringLiteral("hash"), stored->hash},
                                    {QStringLiteral("duplicate"), true}});
            continue;
        }
        const Event sealed = addEvent(draft);
        acks.append(QJsonObject{{QStringLiteral("id"), sealed.id},
                                {QStringLiteral("seq"), sealed.seq},
                                {QStringLiteral("hash"), sealed.hash},
                                {QStringLiteral("duplicate"), false}});
    }
    if (n == dropAfterCommitOfAppend) {
        socket->abort(); // committed, but the client never hears of it
        return;
    }
    reply(socket, req, {{QStringLiteral("acks"), acks}});
}

Event MockSyncServer::addEvent(Event draft)
{
    QList<Event> &record = records[draft.session];
    HashChain::seal(draft, record.size() + 1,
                    record.isEmpty() ? HashChain::genesis() : record.constLast().hash);
    record.append(draft);
    committedIds.append(draft.id);
    push(draft.session, {draft});
    return draft;
}

void MockSyncServer::push(const QString &session, const QList<Event> &events)
{
    for (auto it = m_subscribers.cbegin(); it != m_subscribers.cend(); ++it) {
        if (it.value().contains(session))
            pushTo(it.key(), session, events);
    }
}

void MockSyncServer::pushTo(QWebSocket *socket, const QString &session, const QList<Event> &events)
{
    QJsonArray array;
    for (const Event &e : events)
        array.append(e.toJson());
    send(socket, {{QStringLiteral("type"), QStringLiteral("events")},
                  {QStringLiteral("session"), session},
                  {QStringLiteral("events"), array}});
}

void MockSyncServer::handleSubscribe(QWebSocket *socket, qint64 req, const QJsonObject &message)
{
    subscribes.append(message);
    subscribeMs.append(m_clock.elapsed());
    if (!subscribeErrors.isEmpty()) {
        error(socket, req, subscribeErrors.takeFirst(), QStringLiteral("refused by the test"));
        return;
    }
    const QString session = message.value(QStringLiteral("session")).toString();
    const qint64 after = replayFromStart ? 0 : message.value(QStringLiteral("after")).toInteger();
    const QList<Event> record = records.value(session);
    QJsonObject result{{QStringLiteral("session"), session},
                       {QStringLiteral("head"), qint64(record.size())}};
    if (closedAt.contains(session))
        result.insert(QStringLiteral("closedAt"), closedAt.value(session));
    reply(socket, req, result);
    const QList<Event> replay = record.mid(qsizetype(after));
    const qsizetype page = replayPage > 0 ? replayPage : std::max<qsizetype>(1, replay.size());
    for (qsizetype from = 0; from < replay.size(); from += page)
        pushTo(socket, session, replay.mid(from, page));
    m_subscribers[socket].insert(session);
}

void MockSyncServer::broadcast(const QJsonObject &message)
{
    for (QWebSocket *socket : std::as_const(m_welcomed))
        send(socket, message);
}

void MockSyncServer::dropAll()
{
    const QList<QWebSocket *> sockets = m_welcomed;
    for (QWebSocket *socket : sockets)
        socket->abort();
}
