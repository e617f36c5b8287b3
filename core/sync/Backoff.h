#pragma once

#include <QtGlobal>

#include <functional>

namespace casefile {

// The delay before the next reconnect attempt: exponential (base 500 ms, factor 2, cap 30 s)
// with "equal jitter": attempt n waits a random time in [d/2, d] where d = min(cap, base·2^n).
// Equal rather than full jitter because full jitter may pick ~0 ms, and a fleet of agents that
// lost a restarting server must never come back in one burst; half of d keeps a floor under
// every wait while the other half still spreads the clients apart.
class Backoff
{
public:
    // Returns a uniformly distributed number in [0, 1). Injected so tests are deterministic.
    using RandomSource = std::function<double()>;

    static constexpr int defaultBaseMs = 500;
    static constexpr int defaultCapMs = 30000;
    static constexpr double defaultFactor = 2.0;

    // Without a source, QRandomGenerator::global() is used.
    explicit Backoff(RandomSource random = {});
    // A reproducible sequence (QRandomGenerator seeded with `seed`).
    static Backoff seeded(quint32 seed);

    void setBase(int ms);
    void setCap(int ms);
    void setFactor(double factor);
    int base() const { return m_baseMs; }
    int cap() const { return m_capMs; }
    double factor() const { return m_factor; }

    // The delay in ms to wait before the next attempt; every call counts as one attempt.
    int next();
    // After a successful connect: the next delay starts from base again.
    void reset();
    // How many delays next() has handed out since the last reset.
    int attempts() const { return m_attempts; }
    // The upper bound d of the next delay, without jitter.
    int ceiling() const;

private:
    RandomSource m_random;
    int m_baseMs = defaultBaseMs;
    int m_capMs = defaultCapMs;
    double m_factor = defaultFactor;
    int m_attempts = 0;
    int m_exponent = 0; // stops growing at the cap
};

} // namespace casefile
