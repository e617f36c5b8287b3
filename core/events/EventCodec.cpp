#include "EventCodec.h"

#include "CanonicalJson.h"
#include "EnvelopeParts.h"
#include "JsonParser.h"
#include "bodies/ApprovalDecidedBody.h"
#include "bodies/ApprovalRequestedBody.h"
#include "bodies/ChatMessageBody.h"
#include "bodies/CommandFinishedBody.h"
#include "bodies/CommandOutputBody.h"
#include "bodies/CommandRequestedBody.h"
#include "bodies/CommandStartedBody.h"
#include "bodies/ContextCapturedBody.h"
#include "bodies/HypothesisAddedBody.h"
#include "bodies/HypothesisUpdatedBody.h"
#include "bodies/NoteAddedBody.h"
#include "bodies/SessionClosedBody.h"
#include "bodies/SessionOpenedBody.h"

#include <QJsonDocument>
#include <QVarLengthArray>

#include <algorithm>

namespace casefile {

namespace {

bool isHexHash(const QString &text)
{
    if (text.size() != 64)
        return false;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (!((u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f')))
            return false;
    }
    return true;
}

} // namespace

EventCodec::Result EventCodec::decode(const QByteArray &json, Mode mode)
{
    Result result;
    const qsizetype limit = mode == Mode::Sealed ? maxSealedEventBytes : maxEventBytes;
    if (json.size() > limit) {
        result.error.message = QStringLiteral("event is %1 bytes, more than the limit of %2")
                                   .arg(json.size())
                                   .arg(limit);
        return result;
    }
    // Qt's parser would silently replace bad sequences; a record must not change on the way in.
    if (!JsonParser::isValidUtf8(json)) {
        result.error.message = QStringLiteral("not valid UTF-8");
        return result;
    }
    JsonParser::Error parseError;
    const auto doc = JsonParser::parse(json, &parseError);
    if (!doc) {
        result.error.message = QStringLiteral("not valid JSON: %1 at offset %2")
                                   .arg(parseError.message)
                                   .arg(parseError.offset);
        return result;
    }
    if (!doc->isObject()) {
        result.error.message = QStringLiteral("an event must be a JSON object");
        return result;
    }
    return fromJson(doc->toObject(), mode);
}

EventCodec::Result EventCodec::fromJson(const QJsonObject &object, Mode mode)
{
    Result result;
    Event &e = result.event;
    JsonReader r(object, QString(), &result.error);

    e.id = r.requireUuid(QStringLiteral("id"));
    e.session = r.requireUuid(QStringLiteral("session"));
    if (mode == Mode::Sealed)
        e.seq = r.requireInteger(QStringLiteral("seq"), 1);
    else
        e.seq = r.optionalInteger(QStringLiteral("seq"), 1).value_or(0);

    const QString kindName = r.requireString(QStringLiteral("kind"));
    if (r.ok()) {
        const auto kind = eventKindFromName(kindName);
        if (!kind)
            r.fail(QStringLiteral("kind"), QStringLiteral("unknown kind '%1'").arg(kindName.left(64)));
        else
            e.kind = *kind;
    }
    e.at = r.requireTimestamp(QStringLiteral("at"));

    const QJsonObject actor = r.requireObject(QStringLiteral("actor"));
    if (r.ok()) {
        JsonReader actorReader(actor, QStringLiteral("actor"), &result.error);
        e.actor.type = actorReader.requireEnum(QStringLiteral("type"), Actor::types);
        e.actor.id = actorReader.requireString(QStringLiteral("id"));
        if (actorReader.ok() && e.actor.id.isEmpty())
            actorReader.fail(QStringLiteral("id"), QStringLiteral("must not be empty"));
        if (actorReader.ok() && !actorReader.unknownFields().isEmpty())
            actorReader.fail(actorReader.unknownFields().keys().constFirst(),
                             QStringLiteral("unknown field in actor"));
    }

    e.body = r.requireObject(QStringLiteral("body"));

    auto readHash = [&](const QString &key, bool required) -> QString {
        const auto text = required ? std::optional<QString>(r.requireString(key))
                                   : r.optionalString(key);
        if (r.ok() && text && !isHexHash(*text)) {
            r.fail(key, QStringLiteral("expected 64 lower-case hex digits"));
            return {};
        }
        return text.value_or(QString());
    };
    e.prev = readHash(QStringLiteral("prev"), mode == Mode::Sealed);
    e.hash = readHash(QStringLiteral("hash"), mode == Mode::Sealed);
    e.unknown = r.unknownFields();

    if (r.ok()) {
        const CodecError bodyError = validateBody(e.kind, e.body);
        if (!bodyError.isNull())
            result.error = bodyError;
    }
    return result;
}

namespace {
template<typename Body>
CodecError check(const QJsonObject &body)
{
    CodecError error;
    JsonReader reader(body, QStringLiteral("body"), &error);
    reader.setCheckOnly(true);
    Body::read(reader);
    return error;
}
} // namespace

CodecError EventCodec::validateBody(EventKind kind, const QJsonObject &body)
{
    switch (kind) {
    case EventKind::SessionOpened:
        return check<SessionOpenedBody>(body);
    case EventKind::ContextCaptured:
        return check<ContextCapturedBody>(body);
    case EventKind::CommandRequested:
        return check<CommandRequestedBody>(body);
    case EventKind::ApprovalRequested:
        return check<ApprovalRequestedBody>(body);
    case EventKind::ApprovalDecided:
        return check<ApprovalDecidedBody>(body);
    case EventKind::CommandStarted:
        return check<CommandStartedBody>(body);
    case EventKind::CommandOutput:
        return check<CommandOutputBody>(body);
    case EventKind::CommandFinished:
        return check<CommandFinishedBody>(body);
    case EventKind::HypothesisAdded:
        return check<HypothesisAddedBody>(body);
    case EventKind::HypothesisUpdated:
        return check<HypothesisUpdatedBody>(body);
    case EventKind::ChatMessage:
        return check<ChatMessageBody>(body);
    case EventKind::NoteAdded:
        return check<NoteAddedBody>(body);
    case EventKind::SessionClosed:
        return check<SessionClosedBody>(body);
    }
    return {QStringLiteral("kind"), QStringLiteral("unknown kind")};
}

QByteArray EventCodec::encode(const Event &event, bool withHash)
{
    return encodeEnvelope(event, CanonicalJson::encode(event.body), withHash);
}

QByteArray EventCodec::encodeEnvelope(const Event &event, const QByteArray &canonicalBody, bool withHash)
{
    // Writes the envelope member by member instead of building a QJsonObject; must give the
    // same bytes as CanonicalJson::encode(event.toJson()), which the tests check.
    if (event.unknown.isEmpty()) // the usual case: the envelope's own members only
        return EnvelopeParts::of(event, canonicalBody)
            .join(event.seq, event.prev, withHash ? event.hash : QString());
    struct Member
    {
        QString key;
        QByteArray value;
    };
    QVarLengthArray<Member, 12> members;
    const auto string = [](const QString &text) {
        QByteArray out;
        CanonicalJson::appendString(out, text);
        return out;
    };
    QByteArray actor = "{\"id\":";
    CanonicalJson::appendString(actor, event.actor.id);
    actor += ",\"type\":";
    CanonicalJson::appendString(actor, event.actor.type);
    actor += '}';
    members.append({QStringLiteral("actor"), actor});
    members.append({QStringLiteral("at"), string(event.at)});
    members.append({QStringLiteral("body"), canonicalBody});
    if (withHash && !event.hash.isEmpty())
        members.append({QStringLiteral("hash"), string(event.hash)});
    members.append({QStringLiteral("id"), string(event.id)});
    members.append({QStringLiteral("kind"), string(eventKindName(event.kind))});
    if (!event.prev.isEmpty())
        members.append({QStringLiteral("prev"), string(event.prev)});
    if (event.seq > 0)
        members.append({QStringLiteral("seq"), QByteArray::number(event.seq)});
    members.append({QStringLiteral("session"), string(event.session)});
    static const QStringList known = {QStringLiteral("actor"), QStringLiteral("at"), QStringLiteral("body"),
                                      QStringLiteral("hash"), QStringLiteral("id"), QStringLiteral("kind"),
                                      QStringLiteral("prev"), QStringLiteral("seq"), QStringLiteral("session")};
    for (auto it = event.unknown.constBegin(); it != event.unknown.constEnd(); ++it) {
        if (known.contains(it.key()))
            continue; // the envelope's own fields win, as in Event::toJson()
        QByteArray value;
        CanonicalJson::append(value, it.value());
        members.append({it.key(), value});
    }
    std::sort(members.begin(), members.end(), [](const Member &a, const Member &b) { return a.key < b.key; });

    QByteArray out;
    out.reserve(canonicalBody.size() + 400);
    out += '{';
    for (qsizetype i = 0; i < members.size(); ++i) {
        if (i)
            out += ',';
        CanonicalJson::appendString(out, members[i].key);
        out += ':';
        out += members[i].value;
    }
    out += '}';
    return out;
}

} // namespace casefile
