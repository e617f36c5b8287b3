#include "EnvelopeParts.h"

#include "CanonicalJson.h"
#include "Sha256.h"

namespace casefile {

EnvelopeParts EnvelopeParts::of(const Event &draft)
{
    return draft.unknown.isEmpty() ? of(draft, CanonicalJson::encode(draft.body)) : EnvelopeParts();
}

EnvelopeParts EnvelopeParts::of(const Event &draft, const QByteArray &body)
{
    EnvelopeParts parts;
    if (!draft.unknown.isEmpty())
        return parts;
    parts.m_head.reserve(body.size() + 200);
    parts.m_head += "{\"actor\":{\"id\":";
    CanonicalJson::appendString(parts.m_head, draft.actor.id);
    parts.m_head += ",\"type\":";
    CanonicalJson::appendString(parts.m_head, draft.actor.type);
    parts.m_head += "},\"at\":";
    CanonicalJson::appendString(parts.m_head, draft.at);
    parts.m_head += ",\"body\":";
    parts.m_head += body;
    parts.m_middle += ",\"id\":";
    CanonicalJson::appendString(parts.m_middle, draft.id);
    parts.m_middle += ",\"kind\":";
    CanonicalJson::appendString(parts.m_middle, eventKindName(draft.kind));
    parts.m_tail += ",\"session\":";
    CanonicalJson::appendString(parts.m_tail, draft.session);
    parts.m_tail += '}';
    return parts;
}

template<typename Sink>
void EnvelopeParts::write(Sink &sink, qint64 seq, const QString &prev, const QString &hash) const
{
    sink(m_head);
    QByteArray sealed; // the members sealing adds: small
    if (!hash.isEmpty()) {
        sealed += ",\"hash\":";
        CanonicalJson::appendString(sealed, hash);
        sink(sealed);
        sealed.clear();
    }
    sink(m_middle);
    if (!prev.isEmpty()) {
        sealed += ",\"prev\":";
        CanonicalJson::appendString(sealed, prev);
    }
    if (seq > 0) {
        sealed += ",\"seq\":";
        sealed += QByteArray::number(seq);
    }
    sink(sealed);
    sink(m_tail);
}

QByteArray EnvelopeParts::join(qint64 seq, const QString &prev, const QString &hash) const
{
    QByteArray out;
    out.reserve(m_head.size() + m_middle.size() + m_tail.size() + 180);
    auto append = [&out](const QByteArray &piece) { out += piece; };
    write(append, seq, prev, hash);
    return out;
}

void EnvelopeParts::addTo(Sha256 &sha, qint64 seq, const QString &prev) const
{
    auto add = [&sha](const QByteArray &piece) { sha.add(piece); };
    write(add, seq, prev, QString());
}

} // namespace casefile
