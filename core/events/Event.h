#pragma once

#include "Actor.h"
#include "CodecError.h"
#include "EventKind.h"
#include "JsonReader.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QUuid>

namespace casefile {

// One entry of a session record. The author fills id, session, kind, at, actor and body; the
// server assigns seq and seals it into the chain with prev and hash. A row-like value type.
struct Event
{
    QString id;
    QString session;
    qint64 seq = 0; // 0 until the server assigns it
    EventKind kind = EventKind::NoteAdded;
    QString at; // RFC 3339 UTC with milliseconds
    Actor actor;
    QJsonObject body;
    QString prev; // hex SHA-256 of the previous event, or 64 zeros for seq 1
    QString hash; // hex SHA-256, see HashChain
    QJsonObject unknown; // envelope fields from newer peers, carried along and hashed

    bool isSealed() const { return seq > 0 && !hash.isEmpty(); }

    // Every field, in the shape of the wire format; seq/prev/hash only once sealed.
    QJsonObject toJson() const;
    // What the hash covers: every field but hash.
    QJsonObject toJsonWithoutHash() const;

    // The body decoded into its typed form. The event must have passed EventCodec validation.
    template<typename Body>
    Body bodyAs() const
    {
        Q_ASSERT(Body::kind == kind);
        CodecError ignored;
        JsonReader reader(body, QStringLiteral("body"), &ignored);
        return Body::read(reader);
    }

    // A new draft with a fresh id and the current time.
    template<typename Body>
    static Event make(const QString &session, const Actor &actor, const Body &body)
    {
        Event e = makeDraft(session, Body::kind, actor);
        e.body = body.toJson();
        return e;
    }
    static Event makeDraft(const QString &session, EventKind kind, const Actor &actor);
    static QString newId(); // a UUID, version 7: ids made close in time sort together
    // A UUID (version 5) that is the same every time for the same namespace and name: the id of
    // an event that may exist at most once however often its author makes it (a command's end,
    // made again after a crash), so the outbox and the server take only the first. The
    // namespace must be the author's secret: anyone who can compute the id can append another
    // event under it first and so keep the real one off the record.
    static QString derivedId(const QUuid &ns, const QString &name);
    static QString nowTimestamp();
    // Any moment in the record's form: RFC 3339 UTC with milliseconds.
    static QString timestamp(const QDateTime &moment);
};

} // namespace casefile
