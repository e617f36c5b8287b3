#include "agent/DialogConsentPrompt.h"
#include "agent/OsUser.h"
#include "events/Event.h"

#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace casefile;

namespace {

// The open consent window for `commandId`, found the way a GUI test or screen reader would.
QWidget *dialogFor(const QString &commandId)
{
    const QWidgetList windows = QApplication::topLevelWidgets();
    for (QWidget *w : windows) {
        if (w->objectName() == DialogConsentPrompt::dialogObjectName() && w->isVisible() &&
            w->property("commandId").toString() == commandId)
            return w;
    }
    return nullptr;
}

QPushButton *button(QWidget *dialog, const QString &objectName)
{
    return dialog ? dialog->findChild<QPushButton *>(objectName) : nullptr;
}

const QString spoolerPrompt =
    QStringLiteral("Technician requests to restart the Print Spooler service. Approve?");

} // namespace

class tst_DialogConsentPrompt : public QObject
{
    Q_OBJECT

private slots:
    void clickingApproveApproves();
    void clickingDenyDenies();
    void noAnswerTimesOutAndCloses();
    void enterAndEscapeDoNotApprove_data();
    void enterAndEscapeDoNotApprove();
    void markupIsShownAsText();
    void severalQuestionsAtOnce();
    void withdrawClosesWithoutDeciding();
    void approveTakesClicksOnlyAfterAMoment();
    void closingTheWindowDenies();
};

void tst_DialogConsentPrompt::clickingApproveApproves()
{
    DialogConsentPrompt prompt;
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    const QString command = Event::newId();
    prompt.ask(command, spoolerPrompt, 30000);
    QTRY_VERIFY(dialogFor(command));
    QWidget *dialog = dialogFor(command);
    QVERIFY(!dialog->isModal());

    bool shown = false;
    for (const QLabel *label : dialog->findChildren<QLabel *>())
        shown = shown || label->text() == spoolerPrompt;
    QVERIFY(shown);
    QPushButton *approve = button(dialog, DialogConsentPrompt::approveButtonObjectName());
    QVERIFY(approve);
    QCOMPARE(approve->text(), QStringLiteral("Approve"));
    QTRY_VERIFY(approve->isEnabled());
    QTest::mouseClick(approve, Qt::LeftButton);

    QTRY_COMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), command);
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("approved"));
    QCOMPARE(spy.at(0).at(2).toString(), OsUser::effectiveName());
    QCOMPARE(spy.at(0).at(3).toString().size(), 24);
    QTRY_VERIFY(!dialogFor(command));
    QVERIFY(!spy.wait(200));
}

void tst_DialogConsentPrompt::clickingDenyDenies()
{
    DialogConsentPrompt prompt;
    prompt.setUserName(QStringLiteral("mlopez"));
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    prompt.ask(QStringLiteral("c1"), spoolerPrompt, 30000);
    QTRY_VERIFY(dialogFor(QStringLiteral("c1")));
    QPushButton *deny =
        button(dialogFor(QStringLiteral("c1")), DialogConsentPrompt::denyButtonObjectName());
    QVERIFY(deny);
    QTest::mouseClick(deny, Qt::LeftButton);
    QTRY_COMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("denied"));
    QCOMPARE(spy.at(0).at(2).toString(), QStringLiteral("mlopez"));
    QTRY_VERIFY(!dialogFor(QStringLiteral("c1")));
}

void tst_DialogConsentPrompt::noAnswerTimesOutAndCloses()
{
    DialogConsentPrompt prompt;
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    QElapsedTimer clock;
    clock.start();
    prompt.ask(QStringLiteral("c1"), spoolerPrompt, 2500);
    QTRY_VERIFY(dialogFor(QStringLiteral("c1")));
    // The countdown is visible and moves.
    auto countdown = [] {
        const auto box = qobject_cast<QMessageBox *>(dialogFor(QStringLiteral("c1")));
        return box ? box->informativeText() : QString();
    };
    QVERIFY2(countdown().contains(QLatin1String("in 3 s ")), qPrintable(countdown()));
    QTRY_VERIFY_WITH_TIMEOUT(countdown().contains(QLatin1String("in 2 s ")), 2000);

    QVERIFY(spy.wait(5000));
    QVERIFY(clock.elapsed() >= 2400);
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("timed_out"));
    QTRY_VERIFY(!dialogFor(QStringLiteral("c1")));
    QVERIFY(!spy.wait(200));
}

void tst_DialogConsentPrompt::enterAndEscapeDoNotApprove_data()
{
    QTest::addColumn<int>("key");
    QTest::newRow("Enter") << int(Qt::Key_Return);
    QTest::newRow("Escape") << int(Qt::Key_Escape);
}

void tst_DialogConsentPrompt::enterAndEscapeDoNotApprove()
{
    QFETCH(int, key);
    DialogConsentPrompt prompt;
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    prompt.ask(QStringLiteral("c1"), spoolerPrompt, 30000);
    QTRY_VERIFY(dialogFor(QStringLiteral("c1")));
    QWidget *dialog = dialogFor(QStringLiteral("c1"));
    QPushButton *focused = qobject_cast<QPushButton *>(dialog->focusWidget());
    QTest::keyClick(focused ? static_cast<QWidget *>(focused) : dialog, Qt::Key(key));
    QTRY_COMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("denied"));
}

void tst_DialogConsentPrompt::markupIsShownAsText()
{
    DialogConsentPrompt prompt;
    const QString text = QStringLiteral("<b>Routine check</b><!-- Remove-Item C:\\ -Recurse -->");
    prompt.ask(QStringLiteral("c1"), text, 30000);
    QTRY_VERIFY(dialogFor(QStringLiteral("c1")));
    const QLabel *shown = nullptr;
    for (const QLabel *label : dialogFor(QStringLiteral("c1"))->findChildren<QLabel *>()) {
        if (label->text() == text)
            shown = label;
    }
    QVERIFY(shown);
    QCOMPARE(shown->textFormat(), Qt::PlainText);
}

void tst_DialogConsentPrompt::severalQuestionsAtOnce()
{
    DialogConsentPrompt prompt;
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    prompt.ask(QStringLiteral("c1"), QStringLiteral("First?"), 30000);
    prompt.ask(QStringLiteral("c2"), QStringLiteral("Second?"), 30000);
    QTRY_VERIFY(dialogFor(QStringLiteral("c1")) && dialogFor(QStringLiteral("c2")));
    QTRY_VERIFY(
        button(dialogFor(QStringLiteral("c2")), DialogConsentPrompt::approveButtonObjectName())
            ->isEnabled());
    QTest::mouseClick(
        button(dialogFor(QStringLiteral("c2")), DialogConsentPrompt::approveButtonObjectName()),
        Qt::LeftButton);
    QTRY_COMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("c2"));
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("approved"));
    QVERIFY(dialogFor(QStringLiteral("c1")));
    QTest::mouseClick(
        button(dialogFor(QStringLiteral("c1")), DialogConsentPrompt::denyButtonObjectName()),
        Qt::LeftButton);
    QTRY_COMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(0).toString(), QStringLiteral("c1"));
    QCOMPARE(spy.at(1).at(1).toString(), QStringLiteral("denied"));
}

void tst_DialogConsentPrompt::withdrawClosesWithoutDeciding()
{
    DialogConsentPrompt prompt;
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    prompt.ask(QStringLiteral("c1"), spoolerPrompt, 1000);
    QTRY_VERIFY(dialogFor(QStringLiteral("c1")));
    prompt.withdraw(QStringLiteral("c1"));
    QTRY_VERIFY(!dialogFor(QStringLiteral("c1")));
    QVERIFY(!spy.wait(1500)); // not even the timeout
}

// A window opening under the pointer must not turn a click meant for something else into
// approval.
void tst_DialogConsentPrompt::approveTakesClicksOnlyAfterAMoment()
{
    DialogConsentPrompt prompt;
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    QElapsedTimer clock;
    clock.start();
    prompt.ask(QStringLiteral("c1"), spoolerPrompt, 30000);
    QTRY_VERIFY(dialogFor(QStringLiteral("c1")));
    QPushButton *approve =
        button(dialogFor(QStringLiteral("c1")), DialogConsentPrompt::approveButtonObjectName());
    QVERIFY(approve);
    QTest::mouseClick(approve, Qt::LeftButton);
    QVERIFY(!spy.wait(300));
    QVERIFY(dialogFor(QStringLiteral("c1")));
    QTRY_VERIFY(approve->isEnabled());
    QVERIFY(clock.elapsed() >= DialogConsentPrompt::armDelayMs - 50);
    QTest::mouseClick(approve, Qt::LeftButton);
    QTRY_COMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("approved"));
}

void tst_DialogConsentPrompt::closingTheWindowDenies()
{
    DialogConsentPrompt prompt;
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    prompt.ask(QStringLiteral("c1"), spoolerPrompt, 30000);
    QTRY_VERIFY(dialogFor(QStringLiteral("c1")));
    QVERIFY(dialogFor(QStringLiteral("c1"))->close());
    QVERIFY(spy.wait(1000));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("c1"));
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("denied"));
    QVERIFY(!dialogFor(QStringLiteral("c1")));
    QVERIFY(!spy.wait(200));
}

QTEST_MAIN(tst_DialogConsentPrompt)
#include "tst_DialogConsentPrompt.moc"
