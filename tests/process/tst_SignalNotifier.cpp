#include "process/SignalNotifier.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QtTest>

#include <csignal>

using namespace casefile;

// SIGTERM (a service manager stopping the program) ends the event loop normally, through the
// loop itself rather than from inside the handler.
class tst_SignalNotifier : public QObject
{
    Q_OBJECT

private slots:
    void signalQuitsTheEventLoop();
};

void tst_SignalNotifier::signalQuitsTheEventLoop()
{
    QVERIFY(SignalNotifier::quitOnSignals(this));
    QCOMPARE(SignalNotifier::received(), 0);
    bool ranAfter = false;
    QTimer::singleShot(100, this, [] { ::raise(SIGTERM); });
    // Work queued before the signal is read still runs: the loop ends in its own time.
    QTimer::singleShot(100, this, [&ranAfter] { ranAfter = true; });
    QElapsedTimer clock;
    clock.start();
    const int code = QCoreApplication::exec();
    QCOMPARE(code, 0);
    QCOMPARE(SignalNotifier::received(), SIGTERM);
    QVERIFY(ranAfter);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
}

QTEST_GUILESS_MAIN(tst_SignalNotifier)
#include "tst_SignalNotifier.moc"
