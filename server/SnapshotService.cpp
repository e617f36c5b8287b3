#include "SnapshotService.h"

#include "ClientConnection.h"
#include "Directory.h"
#include "ServerTransport.h"
#include "events/JsonReader.h"
#include "protocol/WireMessage.h"
#include "snapshot/SnapshotDocument.h"
#include "snapshot/SnapshotHtml.h"
#include "snapshot/SnapshotPackage.h"
#include "store/EventStore.h"

#include <QDateTime>
#include <QDir>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcServer)

namespace casefile {

namespace {

constexpr int maxSessionsPerSnapshot = 100;
constexpr int maxTitle = 200;
constexpr int maxSummary = 20000;

bool mayPublish(const Principal &p)
{
    return p.isUser() && (p.role == QLatin1String("reviewer") || p.role == QLatin1String("admin"));
}

bool mayEditDictionary(const Principal &p)
{
    return p.isUser() && p.role != QLatin1String("viewer");
}

QJsonObject recordJson(const SnapshotRegistry::Record &r)
{
    return {{QStringLiteral("id"), r.id},
            {QStringLiteral("title"), r.title},
            {QStringLiteral("publisher"), r.publisher},
            {QStringLiteral("audience"), r.audience},
            {QStringLiteral("publishedAt"), r.createdAt},
            {QStringLiteral("expiresAt"), r.expiresAt},
            {QStringLiteral("revokedAt"), r.revokedAt},
            {QStringLiteral("sessions"), QJsonArray::fromStringList(r.sessions)},
            {QStringLiteral("views"), r.views}};
}

} // namespace

SnapshotService::SnapshotService(EventStore &store, Directory &directory)
    : m_store(store), m_directory(directory)
{
}

bool SnapshotService::open(const QString &storePath, const QString &dataDir, QString *error)
{
    if (!m_registry.open(storePath)) {
        *error = m_registry.errorString();
        return false;
    }
    m_signer = SnapshotSigner::loadOrCreate(QDir(dataDir).filePath(QStringLiteral("signing-key")), error);
    return m_signer.has_value();
}

bool SnapshotService::handles(const QString &type)
{
    static const QStringList types{QStringLiteral("publish"),       QStringLiteral("snapshots"),
                                   QStringLiteral("revoke"),        QStringLiteral("snapshotViews"),
                                   QStringLiteral("dictionary"),    QStringLiteral("dictionary.add")};
    return types.contains(type);
}

void SnapshotService::handle(ClientConnection *c, qint64 req, const QString &type, const QJsonObject &m)
{
    if (!c->principal()->isUser()) {
        c->replyError(req, WireMessage::Forbidden, tr("only users work with snapshots"));
        return;
    }
    if (type == QLatin1String("publish"))
        publish(c, req, m);
    else if (type == QLatin1String("snapshots"))
        list(c, req);
    else if (type == QLatin1String("revoke"))
        revoke(c, req, m);
    else if (type == QLatin1String("snapshotViews"))
        views(c, req, m);
    else if (type == QLatin1String("dictionary"))
        dictionary(c, req, m);
    else
        addTerms(c, req, m);
}

void SnapshotService::publish(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    const Principal &p = *c->principal();
    if (!mayPublish(p)) {
        c->replyError(req, WireMessage::Forbidden, tr("publishing needs the reviewer role"));
        return;
    }
    const QJsonArray ids = m.value(QStringLiteral("sessions")).toArray();
    if (ids.isEmpty() || ids.size() > maxSessionsPerSnapshot) {
        c->replyError(req, WireMessage::BadRequest,
                      tr("sessions: expected 1 to %1 session ids").arg(maxSessionsPerSnapshot));
        return;
    }
    const QString title = m.value(QStringLiteral("title")).toString().trimmed();
    const QString summary = m.value(QStringLiteral("summary")).toString().trimmed();
    if (title.isEmpty() || title.size() > maxTitle || summary.size() > maxSummary) {
        c->replyError(req, WireMessage::BadRequest,
                      tr("title: 1 to %1 characters; summary: at most %2").arg(maxTitle).arg(maxSummary));
        return;
    }
    const QJsonValue days = m.value(QStringLiteral("expiresInDays"));
    const int expiresInDays = days.isUndefined() ? 7 : days.toInt(0);
    if (expiresInDays < 1 || expiresInDays > 90) {
        c->replyError(req, WireMessage::BadRequest, tr("expiresInDays: 1 to 90"));
        return;
    }
    const QString audience = m.value(QStringLiteral("audience")).toString(QStringLiteral("org"));
    if (audience != QLatin1String("org") && audience != QLatin1String("link")) {
        c->replyError(req, WireMessage::BadRequest, tr("audience: org or link"));
        return;
    }
    // Up to which seq each session was reviewed: what came after is not published.
    const QJsonValue throughValue = m.value(QStringLiteral("through"));
    if (!throughValue.isUndefined() && !throughValue.isObject()) {
        c->replyError(req, WireMessage::BadRequest,
                      tr("through: expected an object of session ids and seqs"));
        return;
    }
    const QJsonObject through = throughValue.toObject();
    QString planError;
    const auto plan = RedactionPlan::fromJson(m.value(QStringLiteral("plan")).toObject(), &planError);
    if (!plan) {
        c->replyError(req, WireMessage::BadRequest, planError);
        return;
    }

    SnapshotPackage package;
    QList<QList<Event>> originals;
    QStringList sessionIds;
    QStringList clientGroups;
    for (const QJsonValue &v : ids) {
        const QString id = v.toString();
        const auto info = JsonReader::isUuid(id) ? m_store.session(id) : std::nullopt;
        // Another org's session does not exist for this user: the same answer as a missing one.
        if (!info || info->org != p.org) {
            c->replyError(req, WireMessage::NotFound, tr("no session %1").arg(id.left(64)));
            return;
        }
        if (sessionIds.contains(id))
            continue;
        const QJsonValue last = through.value(id);
        const auto reviewed = last.isUndefined() ? std::optional<qint64>(info->lastSeq)
                                                 : WireMessage::integer(last, 1);
        if (!reviewed) {
            c->replyError(req, WireMessage::BadRequest,
                          tr("through: %1 must be a seq (integer ≥ 1)").arg(id));
            return;
        }
        const qint64 until = std::min(*reviewed, info->lastSeq);
        QList<Event> events;
        qint64 after = 0;
        while (after < until) {
            const auto page = m_store.read(id, after, int(std::min<qint64>(5000, until - after)));
            if (!page) {
                c->replyError(req, WireMessage::Internal, m_store.errorString());
                return;
            }
            events.append(*page);
            if (page->isEmpty())
                break;
            after = page->last().seq;
        }
        sessionIds.append(id);
        if (!clientGroups.contains(info->clientGroup))
            clientGroups.append(info->clientGroup);
        package.addSession(events);
        originals.append(std::move(events));
    }
    package.setDictionary(m_registry.dictionary(clientGroups));
    package.scan(*plan);
    const qsizetype undecided = package.undecidedCount(*plan);
    if (undecided > 0) {
        c->replyError(req, WireMessage::Conflict,
                      tr("%1 findings have no decision; decide every finding before publishing").arg(undecided));
        return;
    }
    SnapshotPackage::Result result = package.apply(*plan);
    Pseudonymizer &names = result.names;

    const QDateTime now = QDateTime::currentDateTimeUtc();
    SnapshotDocument::Meta meta;
    meta.id = Event::newId();
    meta.org = p.org;
    meta.title = package.scrub(title, *plan, names);
    meta.summary = package.scrub(summary, *plan, names);
    meta.audience = audience;
    meta.publishedAt = Event::timestamp(now);
    meta.expiresAt = Event::timestamp(now.addDays(expiresInDays));
    meta.publisher = {{QStringLiteral("id"), p.id}, {QStringLiteral("name"), p.name}};
    const QJsonObject snapshot = SnapshotDocument::build(meta, originals, result);
    SnapshotRegistry::Record record;
    record.id = meta.id;
    record.org = p.org;
    record.publisher = p.id;
    record.title = meta.title;
    record.audience = audience;
    record.createdAt = meta.publishedAt;
    record.expiresAt = meta.expiresAt;
    record.sessions = sessionIds;
    record.document = SnapshotDocument::encode(SnapshotDocument::sign(snapshot, *m_signer));
    const auto token = m_registry.add(record);
    if (!token) {
        c->replyError(req, WireMessage::Unavailable, m_registry.errorString());
        return;
    }
    qCInfo(lcServer) << "snapshot" << record.id << "published by" << p.id << "of" << sessionIds.size()
                     << "sessions," << record.document.size() << "bytes";
    QUrl url = m_publicUrl;
    url.setPath(QStringLiteral("/s/") + *token);
    c->reply(req, {{QStringLiteral("snapshot"), record.id},
                   {QStringLiteral("token"), *token},
                   {QStringLiteral("url"), url.toString()},
                   {QStringLiteral("expiresAt"), record.expiresAt},
                   {QStringLiteral("report"), snapshot.value(QStringLiteral("redaction"))}});
}

void SnapshotService::list(ClientConnection *c, qint64 req)
{
    QJsonArray out;
    for (const auto &r : m_registry.list(c->principal()->org))
        out.append(recordJson(r));
    c->reply(req, {{QStringLiteral("snapshots"), out}});
}

std::optional<SnapshotRegistry::Record> SnapshotService::ownSnapshot(ClientConnection *c, qint64 req,
                                                                     const QJsonObject &m)
{
    const Principal &p = *c->principal();
    const QString id = m.value(QStringLiteral("snapshot")).toString();
    const auto record = JsonReader::isUuid(id) ? m_registry.byId(id) : std::nullopt;
    if (!record || record->org != p.org) {
        c->replyError(req, WireMessage::NotFound, tr("no snapshot %1").arg(id.left(64)));
        return std::nullopt;
    }
    if (p.role != QLatin1String("admin") && record->publisher != p.id) {
        c->replyError(req, WireMessage::Forbidden, tr("only an admin or the publisher may do this"));
        return std::nullopt;
    }
    return record;
}

void SnapshotService::revoke(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    const auto record = ownSnapshot(c, req, m);
    if (!record)
        return;
    if (!m_registry.revoke(record->id, c->principal()->id)) {
        c->replyError(req, WireMessage::Unavailable, m_registry.errorString());
        return;
    }
    qCInfo(lcServer) << "snapshot" << record->id << "revoked by" << c->principal()->id;
    c->reply(req, {{QStringLiteral("snapshot"), record->id}});
}

void SnapshotService::views(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    const auto record = ownSnapshot(c, req, m);
    if (!record)
        return;
    QJsonArray out;
    for (const auto &v : m_registry.views(record->id))
        out.append(QJsonObject{{QStringLiteral("at"), v.at},
                               {QStringLiteral("viewer"), v.viewer},
                               {QStringLiteral("format"), v.format}});
    c->reply(req, {{QStringLiteral("views"), out}});
}

bool SnapshotService::checkClientGroup(ClientConnection *c, qint64 req, const QString &group)
{
    const auto groups = m_directory.clientGroups(c->principal()->org);
    for (const auto &g : groups) {
        if (g.first == group)
            return true;
    }
    c->replyError(req, WireMessage::NotFound, tr("no client group %1").arg(group.left(64)));
    return false;
}

void SnapshotService::dictionary(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    const QString group = m.value(QStringLiteral("clientGroup")).toString();
    if (!checkClientGroup(c, req, group))
        return;
    c->reply(req, {{QStringLiteral("terms"), m_registry.dictionary({group}).toJson()}});
}

void SnapshotService::addTerms(ClientConnection *c, qint64 req, const QJsonObject &m)
{
    if (!mayEditDictionary(*c->principal())) {
        c->replyError(req, WireMessage::Forbidden, tr("viewers cannot change a client dictionary"));
        return;
    }
    const QString group = m.value(QStringLiteral("clientGroup")).toString();
    if (!checkClientGroup(c, req, group))
        return;
    QString error;
    const RedactionDictionary terms = RedactionDictionary::fromJson(m.value(QStringLiteral("terms")).toArray(), &error);
    if (!error.isEmpty() || terms.isEmpty()) {
        c->replyError(req, WireMessage::BadRequest, error.isEmpty() ? tr("terms: expected at least one term") : error);
        return;
    }
    const auto added = m_registry.addTerms(group, terms, c->principal()->id);
    if (!added) {
        c->replyError(req, WireMessage::Unavailable, m_registry.errorString());
        return;
    }
    c->reply(req, {{QStringLiteral("added"), *added}});
}

void SnapshotService::learnContext(const QString &clientGroup, const Event &contextCaptured)
{
    const RedactionDictionary terms = SnapshotPackage::termsFromContext(contextCaptured);
    if (!terms.isEmpty() && !m_registry.addTerms(clientGroup, terms, contextCaptured.actor.id))
        qCWarning(lcServer) << "cannot add context terms to the client dictionary:" << m_registry.errorString();
}

QHttpServerResponse SnapshotService::signingKey() const
{
    return QHttpServerResponse(QJsonObject{
        {QStringLiteral("alg"), QStringLiteral("Ed25519")},
        {QStringLiteral("publicKey"), QString::fromLatin1(m_signer->publicKey().toBase64())}});
}

QHttpServerResponse SnapshotService::page(const QString &tokenAndSuffix, const QHttpServerRequest &request)
{
    const bool json = tokenAndSuffix.endsWith(QLatin1String(".json"));
    const QString token = json ? tokenAndSuffix.chopped(5) : tokenAndSuffix;
    const auto respond = [json](QHttpServerResponse::StatusCode status, const QString &title, const QString &text) {
        QHttpServerResponse response = json
            ? QHttpServerResponse(QJsonObject{{QStringLiteral("error"), text}}, status)
            : QHttpServerResponse(QByteArrayLiteral("text/html; charset=utf-8"), SnapshotHtml::message(title, text), status);
        ServerTransport::addSecurityHeaders(response, SnapshotHtml::contentSecurityPolicy());
        return response;
    };
    const auto record = token.size() <= 128 ? m_registry.byToken(token) : std::nullopt;
    if (!record)
        return respond(
            QHttpServerResponse::StatusCode::NotFound, tr("Snapshot not found"),
            tr("There is no snapshot at this link. Check that it was copied completely."));
    QString viewer = QStringLiteral("link");
    if (record->audience == QLatin1String("org")) {
        // Only people of the org: the console and cli send their own token.
        const QByteArray auth = request.value(QByteArrayLiteral("Authorization"));
        bool unavailable = false;
        const auto principal =
            auth.startsWith("Bearer ")
                ? m_directory.authenticate(QString::fromLatin1(auth.mid(7).trimmed()), &unavailable)
                : std::nullopt;
        if (unavailable)
            return respond(
                QHttpServerResponse::StatusCode::ServiceUnavailable, tr("Try again later"),
                tr("The server cannot check your sign-in right now. Try again in a moment."));
        if (!principal || !principal->isUser() || principal->org != record->org)
            return respond(QHttpServerResponse::StatusCode::Forbidden, tr("Sign-in needed"),
                           tr("This snapshot is shared with people in the publishing organisation only. "
                              "Open the link in the Casefile console."));
        viewer = principal->id;
    }
    // Said only to whoever may see it: for an org snapshot, someone outside the org learns
    // nothing of it, not even that it was withdrawn.
    if (!record->revokedAt.isEmpty())
        return respond(
            QHttpServerResponse::StatusCode::Gone, tr("Snapshot withdrawn"),
            tr("This snapshot was revoked by its publisher and is no longer available."));
    if (record->isExpired())
        return respond(QHttpServerResponse::StatusCode::Gone, tr("Snapshot expired"),
                       tr("This snapshot expired and is no longer available. Ask for a new link."));
    m_registry.logView(record->id, viewer, json ? QStringLiteral("json") : QStringLiteral("html"));
    if (json) {
        QHttpServerResponse response(QByteArrayLiteral("application/json"), record->document);
        ServerTransport::addSecurityHeaders(response, SnapshotHtml::contentSecurityPolicy());
        return response;
    }
    const QJsonObject snapshot =
        QJsonDocument::fromJson(record->document).object().value(QStringLiteral("snapshot")).toObject();
    QHttpServerResponse response(QByteArrayLiteral("text/html; charset=utf-8"), SnapshotHtml::render(snapshot));
    ServerTransport::addSecurityHeaders(response, SnapshotHtml::contentSecurityPolicy());
    return response;
}

} // namespace casefile
