// One placeholder per person, host or domain, however a transcript spells it.
#include "redact/Pseudonymizer.h"
#include "redact/TranscriptScanner.h"

#include <QTest>

using namespace casefile;

class tst_Pseudonymizer : public QObject
{
    Q_OBJECT
private slots:
    void oneUserUnderThreeSpellings();
    void hostAndItsFqdnAreOneHost();
    void numbersFollowFirstSight();
    void applySkipsFindingsOfAnotherText();
    void serviceNamesAreNotMachines();
};

void tst_Pseudonymizer::oneUserUnderThreeSpellings()
{
    Pseudonymizer p;
    QCOMPARE(p.redact(QStringLiteral("whoami: CONTOSO\\jsmith")), QStringLiteral("whoami: <DOMAIN_1>\\<USER_1>"));
    QCOMPARE(p.redact(QStringLiteral("upn jsmith@contoso.com")), QStringLiteral("upn <USER_1>@<DOMAIN_1>"));
    QCOMPARE(p.redact(QStringLiteral("dir C:\\Users\\jsmith\\Desktop")), QStringLiteral("dir C:\\Users\\<USER_1>\\Desktop"));
    QCOMPARE(p.redact(QStringLiteral("contoso\\JSmith\n")), QStringLiteral("<DOMAIN_1>\\<USER_1>\n")); // whoami, any case
    QCOMPARE(p.redact(QStringLiteral("SamAccountName : jsmith\nHomeDirectory : \\\\FS1\\home$\\jsmith")),
             QStringLiteral("SamAccountName : <USER_1>\nHomeDirectory : \\\\<HOST_1>\\home$\\<USER_1>"));
}

void tst_Pseudonymizer::hostAndItsFqdnAreOneHost()
{
    Pseudonymizer p;
    const QString a = p.redact(QStringLiteral("   Host Name . . . . . . . . . . . . : PC-FRONTDESK\n"));
    const QString b = p.redact(QStringLiteral("ping pc-frontdesk.contoso.local -n 1"));
    const QString c = p.redact(QStringLiteral("net use \\\\PC-FRONTDESK\\c$"));
    const QString d = p.redact(QStringLiteral("Enter-PSSession -ComputerName pc-frontdesk"));
    QCOMPARE(a, QStringLiteral("   Host Name . . . . . . . . . . . . : <HOST_1>\n"));
    QCOMPARE(b, QStringLiteral("ping <HOST_1> -n 1"));
    QCOMPARE(c, QStringLiteral("net use \\\\<HOST_1>\\c$"));
    QCOMPARE(d, QStringLiteral("Enter-PSSession -ComputerName <HOST_1>"));
    // The machine account is the machine.
    QCOMPARE(p.redact(QStringLiteral("\tAccount Name:\t\tPC-FRONTDESK$\n")), QStringLiteral("\tAccount Name:\t\t<HOST_1>$\n"));
    // A storage account and its endpoint are one name too.
    QCOMPARE(p.redact(QStringLiteral("AccountName=contosodocs; https://contosodocs.blob.core.windows.net/x")),
             QStringLiteral("AccountName=<HOST_2>; https://<HOST_2>/x"));
}

void tst_Pseudonymizer::numbersFollowFirstSight()
{
    Pseudonymizer p;
    QCOMPARE(p.redact(QStringLiteral("10.0.0.7 10.0.0.8 10.0.0.7")), QStringLiteral("<IP_1> <IP_2> <IP_1>"));
    QCOMPARE(p.redact(QStringLiteral("+44 20 7946 0958")), QStringLiteral("<PHONE_1>"));
    QCOMPARE(p.redact(QStringLiteral("Phone: +44 (20) 7946-0958")), QStringLiteral("Phone: <PHONE_1>")); // same digits
    QCOMPARE(p.redact(QStringLiteral("key VK7JG-NPHTM-C97JM-9MPGT-3V66T")), QStringLiteral("key <KEY_1>"));
}

void tst_Pseudonymizer::applySkipsFindingsOfAnotherText()
{
    Pseudonymizer p;
    const QList<Finding> findings = TranscriptScanner::scan(QStringLiteral("a much longer text with 10.1.2.3 in it"));
    QCOMPARE(p.apply(QStringLiteral("short"), findings), QStringLiteral("short"));
}

void tst_Pseudonymizer::serviceNamesAreNotMachines()
{
    // A machine is known by its first label; www or mail say nothing about which machine.
    QCOMPARE(Finding::keyFor(Finding::Type::Host, u"FRONTDESK-03.contoso.local"), QStringLiteral("frontdesk-03"));
    QCOMPARE(Finding::keyFor(Finding::Type::Host, u"www.contoso.com"), QStringLiteral("www.contoso.com"));
    QVERIFY(Finding::keyFor(Finding::Type::Host, u"mail.contoso.com") != Finding::keyFor(Finding::Type::Host, u"mail.fabrikam.com"));
    // A domain is its organisation's label, under any service label.
    QCOMPARE(Finding::keyFor(Finding::Type::Domain, u"mail.contoso.com"), QStringLiteral("contoso"));
    QCOMPARE(Finding::keyFor(Finding::Type::Domain, u"CONTOSO"), QStringLiteral("contoso"));
    QCOMPARE(Finding::keyFor(Finding::Type::Domain, u"www.com"), QStringLiteral("www"));
    Pseudonymizer names;
    Finding a;
    a.type = Finding::Type::Host;
    a.key = Finding::keyFor(a.type, u"www.contoso.com");
    Finding b = a;
    b.key = Finding::keyFor(b.type, u"www.fabrikam.com");
    QVERIFY(names.placeholder(a) != names.placeholder(b));
}

QTEST_GUILESS_MAIN(tst_Pseudonymizer)
#include "tst_Pseudonymizer.moc"
