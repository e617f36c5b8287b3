#include "agent/AutoConsentPrompt.h"
#include "events/Event.h"
#include "events/EventCodec.h"
#include "events/bodies/ApprovalDecidedBody.h"

#include <QSignalSpy>
#include <QtTest>

using namespace casefile;

class tst_AutoConsentPrompt : public QObject
{
    Q_OBJECT

private slots:
    void decidesWithoutAsking_data();
    void decidesWithoutAsking();
    void everyQuestionGetsItsOwnAnswer();
    void withdrawnBeforeTheAnswerGetsNone();
    void policyNames();
};

void tst_AutoConsentPrompt::decidesWithoutAsking_data()
{
    QTest::addColumn<AutoConsentPrompt::Policy>("policy");
    QTest::addColumn<QString>("decision");
    QTest::addColumn<QString>("decidedBy");
    QTest::newRow("auto-approve") << AutoConsentPrompt::Policy::AutoApprove
                                  << QStringLiteral("approved")
                                  << QStringLiteral("policy:auto-approve");
    QTest::newRow("deny") << AutoConsentPrompt::Policy::Deny << QStringLiteral("denied")
                          << QStringLiteral("policy:deny");
}

void tst_AutoConsentPrompt::decidesWithoutAsking()
{
    QFETCH(AutoConsentPrompt::Policy, policy);
    QFETCH(QString, decision);
    QFETCH(QString, decidedBy);

    AutoConsentPrompt prompt(policy);
    QCOMPARE(prompt.policy(), policy);
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    const QString command = Event::newId();
    const QString before = Event::nowTimestamp();
    prompt.ask(command, QStringLiteral("Technician requests to restart the Print Spooler service."),
               60000);
    QCOMPARE(spy.count(), 0); // never from inside ask()
    QVERIFY(spy.wait(1000));
    QCOMPARE(spy.count(), 1);
    const QList<QVariant> args = spy.takeFirst();
    QCOMPARE(args.at(0).toString(), command);
    QCOMPARE(args.at(1).toString(), decision);
    QCOMPARE(args.at(2).toString(), decidedBy);
    const QString decidedAt = args.at(3).toString();
    QVERIFY(decidedAt >= before && decidedAt <= Event::nowTimestamp());

    // What the agent will write from it is a valid approval.decided body.
    ApprovalDecidedBody body;
    body.command = command;
    body.decision = decision;
    body.decidedBy = args.at(2).toString();
    body.decidedAt = decidedAt;
    const CodecError error = EventCodec::validateBody(EventKind::ApprovalDecided, body.toJson());
    QVERIFY2(error.isNull(), qPrintable(error.toString()));

    QVERIFY(!spy.wait(200)); // once
}

void tst_AutoConsentPrompt::everyQuestionGetsItsOwnAnswer()
{
    AutoConsentPrompt prompt(AutoConsentPrompt::Policy::Deny);
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    const QStringList commands{Event::newId(), Event::newId(), Event::newId()};
    for (const QString &command : commands)
        prompt.ask(command, QStringLiteral("Delete the print queue?"), 0);
    QTRY_COMPARE(spy.count(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(spy.at(i).at(0).toString(), commands[i]);
}

void tst_AutoConsentPrompt::withdrawnBeforeTheAnswerGetsNone()
{
    AutoConsentPrompt prompt(AutoConsentPrompt::Policy::AutoApprove);
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    const QString withdrawn = Event::newId();
    const QString kept = Event::newId();
    prompt.ask(withdrawn, QStringLiteral("Reboot?"), 0);
    prompt.ask(kept, QStringLiteral("Restart the spooler?"), 0);
    prompt.withdraw(withdrawn);
    QVERIFY(spy.wait(1000));
    QTest::qWait(100);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), kept);
}

void tst_AutoConsentPrompt::policyNames()
{
    QCOMPARE(AutoConsentPrompt::policyFromName(QStringLiteral("auto-approve")),
             std::optional(AutoConsentPrompt::Policy::AutoApprove));
    QCOMPARE(AutoConsentPrompt::policyFromName(QStringLiteral("deny")),
             std::optional(AutoConsentPrompt::Policy::Deny));
    QCOMPARE(AutoConsentPrompt::policyFromName(QStringLiteral("Deny")), std::nullopt);
    QCOMPARE(AutoConsentPrompt::policyFromName(QStringLiteral("approve")), std::nullopt);
    QCOMPARE(AutoConsentPrompt::policyName(AutoConsentPrompt::Policy::AutoApprove),
             QStringLiteral("auto-approve"));
    QCOMPARE(AutoConsentPrompt::policyName(AutoConsentPrompt::Policy::Deny),
             QStringLiteral("deny"));
}

QTEST_GUILESS_MAIN(tst_AutoConsentPrompt)
#include "tst_AutoConsentPrompt.moc"
