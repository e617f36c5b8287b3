#include "ChainVerifier.h"

#include "EventCodec.h"
#include "HashChain.h"

namespace casefile {

ChainVerifier::ChainVerifier(QString session) : m_session(std::move(session)), m_prev(HashChain::genesis())
{
}

bool ChainVerifier::fail(ChainReport::Problem problem, const QString &message)
{
    m_report.ok = false;
    m_report.problem = problem;
    m_report.firstBadSeq = m_report.eventsChecked + 1;
    m_report.message = message;
    return false;
}

bool ChainVerifier::addRaw(const QByteArray &json)
{
    if (!m_report.ok)
        return false;
    const auto decoded = EventCodec::decode(json, EventCodec::Mode::Sealed);
    if (!decoded.ok())
        return fail(ChainReport::Problem::Undecodable,
                    QStringLiteral("stored event cannot be decoded (%1)").arg(decoded.error.toString()));
    return add(decoded.event);
}

bool ChainVerifier::add(const Event &event)
{
    if (!m_report.ok)
        return false;
    const qint64 expected = m_report.eventsChecked + 1;
    if (m_session.isEmpty())
        m_session = event.session;
    if (event.session != m_session)
        return fail(ChainReport::Problem::WrongSession,
                    QStringLiteral("event %1 belongs to session %2").arg(event.id, event.session));
    if (event.seq != expected)
        return fail(ChainReport::Problem::SeqGap,
                    QStringLiteral("expected seq %1, found seq %2").arg(expected).arg(event.seq));
    if (event.prev != m_prev)
        return fail(ChainReport::Problem::BrokenLink,
                    QStringLiteral("prev does not match the hash of seq %1").arg(expected - 1));
    if (HashChain::computeHash(event) != event.hash)
        return fail(ChainReport::Problem::HashMismatch,
                    QStringLiteral("content does not match its hash"));
    if (m_ids.contains(event.id))
        return fail(ChainReport::Problem::DuplicateId,
                    QStringLiteral("event id %1 appears twice").arg(event.id));
    m_ids.insert(event.id);
    m_prev = event.hash;
    m_report.eventsChecked = expected;
    m_report.lastHash = event.hash;
    return true;
}

} // namespace casefile
