#include "store/EventStore.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace casefile;

// A writer killed with SIGKILL in the middle of a stream of appends: the store must open,
// verify, and hold every append that had returned, exactly once.
class tst_StoreCrash : public QObject
{
    Q_OBJECT

private slots:
    void killedWriterLosesNothingAcknowledged();
};

void tst_StoreCrash::killedWriterLosesNothingAcknowledged()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("crash.db"));
    const QString session = Event::newId();
    QHash<qint64, QString> acked; // seq -> id, as printed by the writer after append returned

    for (int round = 0; round < 4; ++round) {
        QProcess writer;
        writer.setProcessChannelMode(QProcess::SeparateChannels);
        QStringList args{db, session};
        if (round == 0)
            args.append(QStringLiteral("--open"));
        writer.start(QStringLiteral(STORE_WRITER), args);
        QVERIFY2(writer.waitForStarted(), qPrintable(writer.errorString()));

        // Kill at a different point each round.
        const int killAfter = acked.size() + QRandomGenerator::global()->bounded(200, 3000);
        QByteArray pending;
        const auto drain = [&] {
            pending += writer.readAllStandardOutput();
            qsizetype nl;
            while ((nl = pending.indexOf('\n')) >= 0) {
                const QList<QByteArray> parts = pending.left(nl).split(' ');
                pending.remove(0, nl + 1);
                if (parts.size() == 3 && parts[0] == "ack") {
                    const qint64 seq = parts[1].toLongLong();
                    const QString id = QString::fromLatin1(parts[2]);
                    QVERIFY2(!acked.contains(seq) || acked.value(seq) == id, "a seq was acknowledged twice");
                    acked.insert(seq, id);
                }
            }
        };
        QElapsedTimer timer;
        timer.start();
        while (acked.size() < killAfter && timer.elapsed() < 60000) {
            writer.waitForReadyRead(1000);
            drain();
            QVERIFY2(writer.state() == QProcess::Running, writer.readAllStandardError().constData());
        }
        writer.kill(); // SIGKILL
        QVERIFY(writer.waitForFinished(10000));
        drain(); // acks already in the pipe were printed after their append returned: they count
        QCOMPARE(writer.exitStatus(), QProcess::CrashExit);

        EventStore store;
        QVERIFY2(store.open(db), qPrintable(store.errorString()));
        QCOMPARE(store.pragma(QStringLiteral("integrity_check")), QStringLiteral("ok"));
        const ChainReport report = store.verify(session);
        QVERIFY2(report.ok, qPrintable(report.toString()));
        QVERIFY(report.eventsChecked >= acked.size());

        const auto events = store.read(session, 0, 10000000);
        QVERIFY(events);
        QHash<QString, int> seen;
        for (const Event &e : *events)
            ++seen[e.id];
        for (auto it = acked.cbegin(); it != acked.cend(); ++it) {
            QCOMPARE(seen.value(it.value()), 1);
            QCOMPARE(events->at(it.key() - 1).id, it.value());
        }
        qInfo("round %d: %lld acknowledged, %lld stored, chain verified", round,
              qint64(acked.size()), report.eventsChecked);
    }
}

QTEST_GUILESS_MAIN(tst_StoreCrash)
#include "tst_StoreCrash.moc"
