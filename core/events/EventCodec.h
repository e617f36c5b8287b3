#pragma once

#include "CodecError.h"
#include "Event.h"

#include <QByteArray>

namespace casefile {

// Strict decoding and canonical encoding of events. Every required field is checked for
// presence and type and a problem names the field; unknown fields are kept so a newer peer's
// events round-trip (and hash) unchanged through an older one.
class EventCodec
{
public:
    enum class Mode {
        Draft,  // as an author sends it: seq, prev and hash may be absent
        Sealed, // as stored and replayed: seq, prev and hash are required
    };

    // One event is at most 1 MiB of JSON, the same as one WebSocket frame.
    static constexpr qsizetype maxEventBytes = 1024 * 1024;
    // A sealed one may be larger by what sealing adds (seq, prev, hash: under 200 bytes), so a
    // draft the server took whole can always be read back by every client.
    static constexpr qsizetype maxSealedEventBytes = maxEventBytes + 1024;

    struct Result
    {
        Event event;
        CodecError error;
        bool ok() const { return error.isNull(); }
    };

    static Result decode(const QByteArray &json, Mode mode);
    static Result fromJson(const QJsonObject &object, Mode mode);
    // Checks a body against the schema of its kind.
    static CodecError validateBody(EventKind kind, const QJsonObject &body);
    // Canonical JSON of the whole event (see CanonicalJson); without the hash member it is
    // what the hash covers.
    static QByteArray encode(const Event &event, bool withHash = true);
    // The same from an already canonical body, so sealing encodes the body only once.
    static QByteArray encodeEnvelope(const Event &event, const QByteArray &canonicalBody,
                                     bool withHash);
};

} // namespace casefile
