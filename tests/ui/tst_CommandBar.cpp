// The command bar: Ctrl+Enter runs, history with Up/Down, the change toggle applies once.
#include "CommandBar.h"

#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

using namespace casefile;

class tst_CommandBar : public QObject
{
    Q_OBJECT
private slots:
    void ctrlEnterRuns();
    void plainEnterAddsALine();
    void historyUpDownRestoresDraft();
    void disabledDoesNotRun();
};

void tst_CommandBar::ctrlEnterRuns()
{
    CommandBar bar;
    bar.show();
    QSignalSpy run(&bar, &CommandBar::runRequested);
    bar.setShell(QStringLiteral("bash"));
    bar.setChange(true);
    bar.editor()->setFocus();
    QTest::keyClicks(bar.editor(), QStringLiteral("systemctl restart cups"));
    QTest::keyClick(bar.editor(), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(run.count(), 1);
    QCOMPARE(run.first().at(0).toString(), QStringLiteral("bash"));
    QCOMPARE(run.first().at(1).toString(), QStringLiteral("systemctl restart cups"));
    QCOMPARE(run.first().at(2).toBool(), true);
    QVERIFY(bar.text().isEmpty());
    QVERIFY(!bar.isChange());
    // Blank input runs nothing.
    QTest::keyClick(bar.editor(), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(run.count(), 1);
}

void tst_CommandBar::plainEnterAddsALine()
{
    CommandBar bar;
    bar.show();
    QSignalSpy run(&bar, &CommandBar::runRequested);
    QTest::keyClicks(bar.editor(), QStringLiteral("for i in 1 2; do"));
    QTest::keyClick(bar.editor(), Qt::Key_Return);
    QTest::keyClicks(bar.editor(), QStringLiteral("echo $i; done"));
    QCOMPARE(run.count(), 0);
    QCOMPARE(bar.text(), QStringLiteral("for i in 1 2; do\necho $i; done"));
}

void tst_CommandBar::historyUpDownRestoresDraft()
{
    CommandBar bar;
    bar.show();
    bar.setHistory({QStringLiteral("ipconfig /all"), QStringLiteral("whoami")});
    QTest::keyClicks(bar.editor(), QStringLiteral("half typed"));
    QTest::keyClick(bar.editor(), Qt::Key_Up);
    QCOMPARE(bar.text(), QStringLiteral("whoami"));
    QTest::keyClick(bar.editor(), Qt::Key_Up);
    QCOMPARE(bar.text(), QStringLiteral("ipconfig /all"));
    QTest::keyClick(bar.editor(), Qt::Key_Up); // at the oldest: stays
    QCOMPARE(bar.text(), QStringLiteral("ipconfig /all"));
    QTest::keyClick(bar.editor(), Qt::Key_Down);
    QCOMPARE(bar.text(), QStringLiteral("whoami"));
    QTest::keyClick(bar.editor(), Qt::Key_Down);
    QCOMPARE(bar.text(), QStringLiteral("half typed"));
    // Running a command from history moves it to the end, once.
    QTest::keyClick(bar.editor(), Qt::Key_Up);
    QTest::keyClick(bar.editor(), Qt::Key_Up);
    bar.submit();
    QCOMPARE(bar.history(), (QStringList{QStringLiteral("whoami"), QStringLiteral("ipconfig /all")}));
}

void tst_CommandBar::disabledDoesNotRun()
{
    CommandBar bar;
    bar.show();
    QSignalSpy run(&bar, &CommandBar::runRequested);
    bar.setText(QStringLiteral("uptime"));
    bar.setRunEnabled(false);
    bar.submit();
    QCOMPARE(run.count(), 0);
    QCOMPARE(bar.text(), QStringLiteral("uptime")); // nothing typed is lost
}

QTEST_MAIN(tst_CommandBar)
#include "tst_CommandBar.moc"
