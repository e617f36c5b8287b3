#include "RateLimiter.h"

#include <QtTest>

using namespace casefile;

class tst_RateLimiter : public QObject
{
    Q_OBJECT

private slots:
    void burstThenRate();
};

void tst_RateLimiter::burstThenRate()
{
    RateLimiter limiter(100, 10); // 100/s, bursts of 10
    int granted = 0;
    for (int i = 0; i < 50; ++i)
        granted += limiter.tryAcquire(0) ? 1 : 0;
    QCOMPARE(granted, 10);
    QVERIFY(!limiter.tryAcquire(5)); // 5 ms = half a token
    QVERIFY(limiter.tryAcquire(10)); // 10 ms = one token
    QVERIFY(!limiter.tryAcquire(10));
    granted = 0;
    for (int i = 0; i < 50; ++i)
        granted += limiter.tryAcquire(10000) ? 1 : 0; // a long pause refills only up to the burst
    QCOMPARE(granted, 10);
}

QTEST_GUILESS_MAIN(tst_RateLimiter)
#include "tst_RateLimiter.moc"
