#include "EnvelopeParts.h"

#include "CanonicalJson.h"

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

QByteArray EnvelopeParts::join(qint64 seq, const QString &prev, const QString &hash) const
{
    QByteArray out;
    out.reserve(m_head.size() + m_middle.size() + m_tail.size() + 180);
    out += m_head;
    if (!hash.isEmpty()) {
        out += ",\"hash\":";
        CanonicalJson::appendString(out, hash);
    }
    out += m_middle;
    if (!prev.isEmpty()) {
        out += ",\"prev\":";
        CanonicalJson::appendString(out, prev);
    }
    if (seq > 0) {
        out += ",\"seq\":";
        out += QByteArray::number(seq);
    }
    out += m_tail;
    return out;
}

} // namespace casefile
