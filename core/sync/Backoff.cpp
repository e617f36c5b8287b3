#include "Backoff.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>
#include <memory>

namespace casefile {

Backoff::Backoff(RandomSource random) : m_random(std::move(random))
{
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

Backoff Backoff::seeded(quint32 seed)
{
    // Shared so that copies of the Backoff keep drawing from one sequence.
    auto generator = std::make_shared<QRandomGenerator>(seed);
    return Backoff([generator] { return generator->generateDouble(); });
}

void Backoff::setBase(int ms)
{
    m_baseMs = std::max(1, ms);
}

void Backoff::setCap(int ms)
{
    m_capMs = std::max(1, ms);
}

void Backoff::setFactor(double factor)
{
    m_factor = std::max(1.0, factor);
}

int Backoff::ceiling() const
{
    // Computed in double and clamped before converting, so a long outage (thousands of
    // attempts) cannot overflow into a negative or zero delay.
    const double d = m_baseMs * std::pow(m_factor, m_exponent);
    if (!std::isfinite(d) || d >= m_capMs)
        return m_capMs;
    return std::max(1, int(d));
}

int Backoff::next()
{
    const int d = ceiling();
    // Stop counting once the cap is reached; the value no longer matters and cannot overflow.
    if (d < m_capMs)
        ++m_exponent;
    ++m_attempts;
    const double r = std::clamp(m_random(), 0.0, 1.0);
    const int half = d / 2;
    return std::min(d, half + int(std::floor(r * (d - half + 1))));
}

void Backoff::reset()
{
    m_attempts = 0;
    m_exponent = 0;
}

} // namespace casefile
