#include "RateLimiter.h"

#include <algorithm>

namespace casefile {

RateLimiter::RateLimiter(double rate, double burst) : m_rate(rate), m_burst(burst), m_tokens(burst)
{
    m_clock.start();
}

bool RateLimiter::tryAcquire(qint64 nowMs)
{
    const qint64 now = nowMs >= 0 ? nowMs : m_clock.elapsed();
    const qint64 elapsed = std::max<qint64>(0, now - m_lastMs);
    m_lastMs = now;
    m_tokens = std::min(m_burst, m_tokens + double(elapsed) * m_rate / 1000.0);
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

} // namespace casefile
