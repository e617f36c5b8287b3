// The transcript scanner on realistic command output: what it must find, what must survive,
// one user under three spellings, and input built to make a scanner slow.
#include "redact/Pseudonymizer.h"
#include "redact/TranscriptScanner.h"

#include <QElapsedTimer>
#include <QTest>

using namespace casefile;

namespace {
QStringList found(const QString &text, Finding::Type type)
{
    QStringList out;
    for (const Finding &f : TranscriptScanner::scan(text)) {
        if (f.type == type)
            out << f.value;
    }
    return out;
}
} // namespace

class tst_TranscriptScanner : public QObject
{
    Q_OBJECT
private slots:
    void finds_data();
    void finds();
    void survives_data();
    void survives();
    void oneUserUnderThreeSpellings();
    void realisticOutputs();
    void adversarialInputIsLinear_data();
    void adversarialInputIsLinear();
};

void tst_TranscriptScanner::finds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("type");
    QTest::addColumn<QStringList>("values");
    using T = Finding::Type;
    QTest::newRow("ipv4") << QStringLiteral("IPv4 Address. . . : 192.168.10.24(Preferred)") << int(T::Ipv4) << QStringList{QStringLiteral("192.168.10.24")};
    QTest::newRow("ipv4 with port") << QStringLiteral("TCP 10.0.0.5:49712 52.97.1.2:443 ESTABLISHED") << int(T::Ipv4)
                                    << QStringList{QStringLiteral("10.0.0.5"), QStringLiteral("52.97.1.2")};
    QTest::newRow("mac dashes") << QStringLiteral("Physical Address. . : 00-15-5D-01-02-03") << int(T::Mac) << QStringList{QStringLiteral("00-15-5D-01-02-03")};
    QTest::newRow("mac colons") << QStringLiteral("link/ether 02:fc:00:00:00:01 brd ff:ff:ff:ff:ff:ff") << int(T::Mac)
                                << QStringList{QStringLiteral("02:fc:00:00:00:01")};
    QTest::newRow("mac dotted") << QStringLiteral("0015.5d01.0203  DYNAMIC  Gi0/1") << int(T::Mac) << QStringList{QStringLiteral("0015.5d01.0203")};
    QTest::newRow("sid") << QStringLiteral("contoso\\jsmith S-1-5-21-1004336348-1177238915-682003330-1104") << int(T::Sid)
                         << QStringList{QStringLiteral("S-1-5-21-1004336348-1177238915-682003330-1104")};
    QTest::newRow("profile path") << QStringLiteral("C:\\Users\\jsmith\\AppData\\Local\\Temp\\x.log") << int(T::User) << QStringList{QStringLiteral("jsmith")};
    QTest::newRow("profile path with space") << QStringLiteral("\"C:\\Users\\Jane Doe\\Desktop\\a.txt\"") << int(T::User)
                                             << QStringList{QStringLiteral("Jane Doe")};
    QTest::newRow("home") << QStringLiteral("/home/alice/.ssh/known_hosts") << int(T::User) << QStringList{QStringLiteral("alice")};
    QTest::newRow("domain user") << QStringLiteral("User Name  CONTOSO\\jsmith") << int(T::User) << QStringList{QStringLiteral("jsmith")};
    QTest::newRow("domain of domain user") << QStringLiteral("User Name  CONTOSO\\jsmith") << int(T::Domain) << QStringList{QStringLiteral("CONTOSO")};
    QTest::newRow("upn") << QStringLiteral("UserPrincipalName : jane.doe@contoso.com") << int(T::User) << QStringList{QStringLiteral("jane.doe")};
    QTest::newRow("ipv6") << QStringLiteral("IPv6 Address. . . : 2001:db8:85a3::8a2e:370:7334(Preferred)") << int(T::Ipv6)
                          << QStringList{QStringLiteral("2001:db8:85a3::8a2e:370:7334")};
    QTest::newRow("link-local ipv6 with zone") << QStringLiteral("Link-local IPv6 Address . . . . . : fe80::1c2d:3e4f:5a6b:7c8d%12")
                                               << int(T::Ipv6) << QStringList{QStringLiteral("fe80::1c2d:3e4f:5a6b:7c8d")};
    QTest::newRow("net user password") << QStringLiteral("net user jsmith Winter2026! /add") << int(T::Secret)
                                       << QStringList{QStringLiteral("Winter2026!")};
    QTest::newRow("-Password") << QStringLiteral("New-LocalUser -Name svc -Password \"S3cret pass\" -FullName x") << int(T::Secret)
                               << QStringList{QStringLiteral("S3cret pass")};
    QTest::newRow("securestring") << QStringLiteral("$p = ConvertTo-SecureString 'Hunter2!' -AsPlainText -Force") << int(T::Secret)
                                  << QStringList{QStringLiteral("Hunter2!")};
    QTest::newRow("/p:") << QStringLiteral("cmdkey /add:srv /user:admin /p:Passw0rd!") << int(T::Secret)
                         << QStringList{QStringLiteral("Passw0rd!")};
    QTest::newRow("connection string") << QStringLiteral("Server=sql01;Database=crm;User Id=sa;Password=Tr0ub4dor;Encrypt=true")
                                       << int(T::Secret) << QStringList{QStringLiteral("Tr0ub4dor")};
    QTest::newRow("wifi key") << QStringLiteral("    Key Content            : correct horse battery\r\n") << int(T::Secret)
                              << QStringList{QStringLiteral("correct horse battery")};
    QTest::newRow("bearer") << QStringLiteral("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345") << int(T::Secret)
                            << QStringList{QStringLiteral("abcdefghijklmnopqrstuvwxyz012345")};
    QTest::newRow("jwt") << QStringLiteral("token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqc21pdGgifQ.c2lnbmF0dXJl end") << int(T::Secret)
                         << QStringList{QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqc21pdGgifQ.c2lnbmF0dXJl")};
    QTest::newRow("aws key") << QStringLiteral("aws_access_key_id = AKIAIOSFODNN7EXAMPLE") << int(T::Secret)
                             << QStringList{QStringLiteral("AKIAIOSFODNN7EXAMPLE")};
    QTest::newRow("github token") << QStringLiteral("GH_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345") << int(T::Secret)
                                  << QStringList{QStringLiteral("ghp_0123456789abcdefghijABCDEFGHIJ012345")};
    QTest::newRow("pem body") << QStringLiteral("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAKCAQ\n-----END RSA PRIVATE KEY-----")
                              << int(T::Secret) << QStringList{QStringLiteral("\nMIIEow\nAAKCAQ\n")};
    QTest::newRow("unc host") << QStringLiteral("OK  Z:  \\\\FILESRV01\\Finance  Microsoft Windows Network") << int(T::Host)
                              << QStringList{QStringLiteral("FILESRV01")};
}

void tst_TranscriptScanner::finds()
{
    QFETCH(QString, text);
    QFETCH(int, type);
    QFETCH(QStringList, values);
    QCOMPARE(found(text, Finding::Type(type)), values);
}

void tst_TranscriptScanner::survives_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("os version") << QStringLiteral("OS Version: 10.0.19045 N/A Build 19045");
    QTest::newRow("four-part version") << QStringLiteral("Microsoft Windows [Version 10.0.19045.3693]");
    QTest::newRow("kb numbers") << QStringLiteral("Hotfix(s): 3 Hotfix(s) Installed. [01]: KB5034441 [02]: KB5034122");
    QTest::newRow("error codes") << QStringLiteral("Installation failure: error 0x80070005, event 4625, status 0xC000006D");
    QTest::newRow("class guid") << QStringLiteral("ClassGuid {4d36e972-e325-11ce-bfc1-08002be10318}");
    QTest::newRow("well-known sids") << QStringLiteral("NT AUTHORITY\\SYSTEM S-1-5-18 BUILTIN\\Administrators S-1-5-32-544");
    QTest::newRow("service accounts") << QStringLiteral("NT SERVICE\\TrustedInstaller NT AUTHORITY\\NETWORK SERVICE");
    QTest::newRow("registry") << QStringLiteral("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion HKEY_CURRENT_USER\\Software");
    QTest::newRow("system paths") << QStringLiteral("C:\\WINDOWS\\SYSTEM32\\drivers\\etc\\hosts C:\\Windows\\System32\\spoolsv.exe");
    QTest::newRow("dll names") << QStringLiteral("System.Management.Automation.dll ntdll.dll 6.1.7601.24545");
    QTest::newRow("timestamps") << QStringLiteral("2026-11-22 10:15:42.123 +01:00 11/22/2026 10:15 AM");
    QTest::newRow("public profile") << QStringLiteral("C:\\Users\\Public\\Documents C:\\Users\\Default\\NTUSER.DAT");
    QTest::newRow("unix system users") << QStringLiteral("/home/ drwxr-xr-x root root syslog");
    QTest::newRow("pipes and device paths") << QStringLiteral("\\\\.\\pipe\\spoolss \\\\?\\C:\\Windows");
    QTest::newRow("null and broadcast mac") << QStringLiteral("00:00:00:00:00:00 brd ff:ff:ff:ff:ff:ff");
    QTest::newRow("times are not ipv6") << QStringLiteral("10:15:42.123 23:59:59 12:00");
    QTest::newRow("public key and certificate") << QStringLiteral("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
    QTest::newRow("password prompts") << QStringLiteral("net user jsmith * /domain; net user jsmith /active:no");
    QTest::newRow("not an address") << QStringLiteral("a@1.2 x@y user@localhost");
}

void tst_TranscriptScanner::survives()
{
    QFETCH(QString, text);
    const auto findings = TranscriptScanner::scan(text);
    QStringList values;
    for (const Finding &f : findings)
        values << Finding::typeName(f.type) + QLatin1Char(':') + f.value;
    QVERIFY2(findings.isEmpty(), qPrintable(values.join(QStringLiteral(", "))));
}

void tst_TranscriptScanner::oneUserUnderThreeSpellings()
{
    Pseudonymizer p;
    const QString a = p.redact(QStringLiteral("whoami: CONTOSO\\jsmith"));
    const QString b = p.redact(QStringLiteral("mail: JSmith@contoso.com"));
    const QString c = p.redact(QStringLiteral("profile C:\\Users\\jsmith\\AppData on \\\\filesrv01.contoso.com\\home"));
    QCOMPARE(a, QStringLiteral("whoami: <DOMAIN_1>\\<USER_1>"));
    QCOMPARE(b, QStringLiteral("mail: <USER_1>@<DOMAIN_1>")); // contoso.com and CONTOSO: one domain
    QCOMPARE(c, QStringLiteral("profile C:\\Users\\<USER_1>\\AppData on \\\\<HOST_1>\\home"));
    // Another user gets another number; the same one stays the same.
    QCOMPARE(p.redact(QStringLiteral("CONTOSO\\adoe and CONTOSO\\jsmith")),
             QStringLiteral("<DOMAIN_1>\\<USER_2> and <DOMAIN_1>\\<USER_1>"));
}

void tst_TranscriptScanner::realisticOutputs()
{
    const QString ipconfig = QStringLiteral(
        "Windows IP Configuration\r\n\r\n   Host Name . . . . . . . . . . . . : PC-FRONTDESK\r\n"
        "   Primary Dns Suffix  . . . . . . . : contoso.local\r\n\r\nEthernet adapter Ethernet:\r\n\r\n"
        "   Physical Address. . . . . . . . . : 00-15-5D-0A-1B-2C\r\n   DHCP Enabled. . . . . . . . . . . : Yes\r\n"
        "   IPv4 Address. . . . . . . . . . . : 10.20.30.41(Preferred)\r\n"
        "   Subnet Mask . . . . . . . . . . . : 255.255.255.0\r\n"
        "   Lease Obtained. . . . . . . . . . : Sunday, 22 November 2026 08:01:12\r\n"
        "   Default Gateway . . . . . . . . . : 10.20.30.1\r\n");
    Pseudonymizer p;
    const QString out = p.redact(ipconfig);
    QVERIFY(!out.contains(QStringLiteral("00-15-5D-0A-1B-2C")));
    QVERIFY(!out.contains(QStringLiteral("10.20.30.41")));
    QVERIFY(!out.contains(QStringLiteral("10.20.30.1\r")));
    QVERIFY(out.contains(QStringLiteral("Physical Address. . . . . . . . . : <MAC_1>")));
    QVERIFY(out.contains(QStringLiteral("<IP_1>(Preferred)")));
    QVERIFY(out.contains(QStringLiteral("Sunday, 22 November 2026 08:01:12"))); // the lease time stays
    QVERIFY(out.contains(QStringLiteral("DHCP Enabled. . . . . . . . . . . : Yes")));

    const QString whoami = QStringLiteral(
        "USER INFORMATION\r\n----------------\r\n\r\nUser Name      SID\r\n============== "
        "==============================================\r\ncontoso\\jsmith S-1-5-21-1004336348-1177238915-682003330-1104\r\n");
    // "contoso\jsmith" in lower case: whoami prints the domain so; the SID is still personal.
    const QString w = p.redact(whoami);
    QVERIFY(!w.contains(QStringLiteral("1004336348")));
    QVERIFY(w.contains(QStringLiteral("<SID_1>")));

    const QString netUse = QStringLiteral("OK           Z:        \\\\FILESRV01\\Finance     Microsoft Windows Network\r\n");
    QVERIFY(!p.redact(netUse).contains(QStringLiteral("FILESRV01")));
}

void tst_TranscriptScanner::adversarialInputIsLinear_data()
{
    QTest::addColumn<QString>("text");
    const int n = 1 << 20; // a 1 MB line of one character
    for (const char c : {'a', '@', '.', '1', '\\', '-', ':', 'F', '/'})
        QTest::newRow(QByteArray(1, c).constData()) << QString(n, QLatin1Char(c));
    QTest::newRow("digits and dots") << QStringLiteral("1.").repeated(n / 2);
    QTest::newRow("hex pairs") << QStringLiteral("aa-").repeated(n / 3);
    QTest::newRow("backslash names") << QStringLiteral("AB\\").repeated(n / 3);
    QTest::newRow("at signs") << QStringLiteral("a@b.").repeated(n / 4);
}

void tst_TranscriptScanner::adversarialInputIsLinear()
{
    QFETCH(QString, text);
    // Each trigger reads a bounded stretch, so these end (no backtracking) and find nothing;
    // how fast is for a benchmark, not a test.
    QElapsedTimer t;
    t.start();
    const auto findings = TranscriptScanner::scan(text);
    qInfo("%lld findings in %.1f ms", qint64(findings.size()), t.nsecsElapsed() / 1e6);
    QCOMPARE(findings.size(), 0);
}

QTEST_GUILESS_MAIN(tst_TranscriptScanner)
#include "tst_TranscriptScanner.moc"
