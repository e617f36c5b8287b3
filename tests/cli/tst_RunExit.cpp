#include "RunExit.h"
#include "events/bodies/CommandFinishedBody.h"

#include <QtTest>

using namespace casefile;

// What `casefile-cli run` exits with for each way a command can end (README, "casefile-cli").
class tst_RunExit : public QObject
{
    Q_OBJECT

private slots:
    void codes_data();
    void codes();
};

void tst_RunExit::codes_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<qint64>("exitCode");
    QTest::addColumn<int>("expected");
    QTest::addColumn<bool>("noted");
    QTest::newRow("success") << "exited" << qint64(0) << 0 << false;
    QTest::newRow("its own code") << "exited" << qint64(7) << 7 << false;
    QTest::newRow("255") << "exited" << qint64(255) << 255 << false;
    // Windows: 256 would read as 0 (success) in the caller's shell, 3010 as 194.
    QTest::newRow("256") << "exited" << qint64(256) << 1 << true;
    QTest::newRow("3010, reboot required") << "exited" << qint64(3010) << 1 << true;
    QTest::newRow("negative NTSTATUS") << "exited" << qint64(-1073741510) << 1 << true;
    QTest::newRow("denied") << "denied" << qint64(0) << 77 << false;
    QTest::newRow("timed out") << "timed_out" << qint64(0) << 124 << false;
    QTest::newRow("cancelled") << "cancelled" << qint64(0) << 130 << false;
    QTest::newRow("crashed") << "crashed" << qint64(0) << 128 << false;
    QTest::newRow("failed to start") << "failed" << qint64(0) << 127 << false;
    QTest::newRow("a status from a newer agent") << "vanished" << qint64(0) << 127 << false;
}

void tst_RunExit::codes()
{
    QFETCH(QString, status);
    QFETCH(qint64, exitCode);
    QFETCH(int, expected);
    QFETCH(bool, noted);
    CommandFinishedBody end;
    end.status = status;
    if (status == QLatin1String("exited"))
        end.exitCode = exitCode;
    QString note;
    QCOMPARE(RunExit::code(end, &note), expected);
    QCOMPARE(!note.isEmpty(), noted);
    if (noted)
        QVERIFY2(note.contains(QString::number(exitCode)), qPrintable(note));
    QCOMPARE(RunExit::code(end), expected); // the note is optional
}

QTEST_GUILESS_MAIN(tst_RunExit)
#include "tst_RunExit.moc"
