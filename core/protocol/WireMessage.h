#pragma once

#include "events/Event.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace casefile {

// Building and parsing the JSON messages of the wire protocol (docs/PROTOCOL.md, section 6).
class WireMessage
{
public:
    // Error codes a reply can carry.
    static const QString BadRequest;
    static const QString Unauthorized;
    static const QString Forbidden;
    static const QString NotFound;
    static const QString TooLarge;
    static const QString RateLimited;
    static const QString Conflict;
    static const QString Unavailable;
    static const QString Internal;
    static const QString Timeout;
    static const QString Aborted;

    // A message is a JSON object with a string "type"; anything else is an error naming why.
    static std::optional<QJsonObject> parse(const QByteArray &utf8, QString *error);
    static QByteArray encode(const QJsonObject &message);

    // A JSON number that is a whole number in [min, max]; nullopt for anything else.
    static std::optional<qint64> integer(const QJsonValue &value, qint64 min,
                                         qint64 max = 9007199254740991);
    // The request id of a message: a positive integer, or 0 when absent or malformed.
    static qint64 requestId(const QJsonObject &message);
    // An append's `pipeline` number (PROTOCOL.md 6.8): 0 when absent, -1 when not a positive
    // integer.
    static qint64 pipeline(const QJsonObject &message);
    static QJsonObject result(qint64 req, QJsonObject fields = {});
    // `fields` go into the error beside code and message (an append's refused event, 6.4).
    static QJsonObject error(qint64 req, const QString &code, const QString &message,
                             const QJsonObject &fields = {});
    // The result of an append: the acks (id, seq, hash, duplicate) of `count` sealed events
    // from `from` on, written straight out as result(req, {acks}) would be encoded. It is the
    // reply the server sends most, one object per event: through QJsonObject it was a sixth of
    // the event loop's time under many writers.
    static QByteArray appendResult(qint64 req, const QList<Event> &events,
                                   const QList<bool> &duplicate, qsizetype from, qsizetype count);
    // An `events` push built from stored canonical JSON without decoding it again.
    static QByteArray eventsPush(const QString &session, const QList<QByteArray> &canonicalEvents);
};

} // namespace casefile
