#pragma once

#include <QElapsedTimer>

namespace casefile {

// A token bucket: `rate` requests per second on average, bursts up to `burst`.
class RateLimiter
{
public:
    RateLimiter(double rate, double burst);
    // Takes one token if there is one. `nowMs` is for tests; -1 reads the clock.
    bool tryAcquire(qint64 nowMs = -1);

private:
    double m_rate;
    double m_burst;
    double m_tokens;
    qint64 m_lastMs = 0;
    QElapsedTimer m_clock;
};

} // namespace casefile
