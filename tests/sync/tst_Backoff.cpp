#include "sync/Backoff.h"

#include <QtTest>

using namespace casefile;

// Equal jitter: attempt n waits in [d/2, d], d = min(cap, base * 2^n).
class tst_Backoff : public QObject
{
    Q_OBJECT

private slots:
    void lowestDrawsAreHalfTheCeiling();
    void highestDrawsAreTheCeiling();
    void seededDelaysStayInTheirBand();
    void seededSequencesRepeat();
    void resetStartsOver();
    void longOutageStaysAtTheCap();
    void customParameters();
    void outOfRangeRandomIsClamped();
};

void tst_Backoff::lowestDrawsAreHalfTheCeiling()
{
    Backoff b([] { return 0.0; });
    const QList<int> expected{250, 500, 1000, 2000, 4000, 8000, 15000, 15000};
    QList<int> got;
    for (int i = 0; i < expected.size(); ++i)
        got.append(b.next());
    QCOMPARE(got, expected);
    QCOMPARE(b.attempts(), int(expected.size()));
}

void tst_Backoff::highestDrawsAreTheCeiling()
{
    Backoff b([] { return 0.999999999; });
    const QList<int> expected{500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
    QList<int> got;
    for (int i = 0; i < expected.size(); ++i)
        got.append(b.next());
    QCOMPARE(got, expected);
}

void tst_Backoff::seededDelaysStayInTheirBand()
{
    Backoff b = Backoff::seeded(42);
    QSet<int> distinct;
    for (int i = 0; i < 200; ++i) {
        const int ceiling = b.ceiling();
        const int delay = b.next();
        QVERIFY2(delay >= ceiling / 2 && delay <= ceiling,
                 qPrintable(QStringLiteral("attempt %1: %2 outside [%3, %4]")
                                .arg(i)
                                .arg(delay)
                                .arg(ceiling / 2)
                                .arg(ceiling)));
        if (ceiling == Backoff::defaultCapMs)
            distinct.insert(delay);
    }
    // Jitter really spreads clients apart once they all sit at the cap.
    QVERIFY(distinct.size() > 50);
}

void tst_Backoff::seededSequencesRepeat()
{
    Backoff a = Backoff::seeded(7);
    Backoff b = Backoff::seeded(7);
    Backoff c = Backoff::seeded(8);
    QList<int> sa, sb, sc;
    for (int i = 0; i < 20; ++i) {
        sa.append(a.next());
        sb.append(b.next());
        sc.append(c.next());
    }
    QCOMPARE(sa, sb);
    QVERIFY(sa != sc);
}

void tst_Backoff::resetStartsOver()
{
    Backoff b([] { return 0.0; });
    for (int i = 0; i < 5; ++i)
        b.next();
    QCOMPARE(b.ceiling(), 16000);
    b.reset();
    QCOMPARE(b.attempts(), 0);
    QCOMPARE(b.ceiling(), 500);
    QCOMPARE(b.next(), 250);
}

void tst_Backoff::longOutageStaysAtTheCap()
{
    Backoff b([] { return 0.5; });
    int last = 0;
    for (int i = 0; i < 100000; ++i)
        last = b.next();
    // No overflow into zero or negative delays after days of retrying.
    QCOMPARE(b.ceiling(), 30000);
    QCOMPARE(last, 15000 + 7500);
}

void tst_Backoff::customParameters()
{
    Backoff b([] { return 0.0; });
    b.setBase(10);
    b.setFactor(3);
    b.setCap(100);
    QCOMPARE(b.next(), 5);  // d = 10
    QCOMPARE(b.next(), 15); // d = 30
    QCOMPARE(b.next(), 45); // d = 90
    QCOMPARE(b.next(), 50); // d = 100 (capped)
    // Nonsense values are clamped rather than producing 0 ms storms.
    b.setBase(0);
    b.setFactor(0.1);
    b.reset();
    QCOMPARE(b.base(), 1);
    QCOMPARE(b.factor(), 1.0);
    QVERIFY(b.next() >= 0);
}

void tst_Backoff::outOfRangeRandomIsClamped()
{
    Backoff high([] { return 7.0; });
    QCOMPARE(high.next(), 500);
    Backoff low([] { return -3.0; });
    QCOMPARE(low.next(), 250);
}

QTEST_GUILESS_MAIN(tst_Backoff)
#include "tst_Backoff.moc"
