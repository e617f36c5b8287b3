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
    void adversarialFindsWhatIsThere();
    void sortedAndNonOverlapping();
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
    QTest::newRow("escaped profile path") << QStringLiteral("printf 'C:\\\\Users\\\\jsmith\\\\Desktop'") << int(T::User)
                                          << QStringList{QStringLiteral("jsmith")};
    QTest::newRow("escaped path is no UNC host") << QStringLiteral("\"path\": \"C:\\\\Users\\\\jsmith\\\\x.txt\"") << int(T::Host)
                                                 << QStringList{};
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
    const auto row = [](const char *name, const QString &text, T type, const QStringList &values) {
        QTest::newRow(name) << text << int(type) << values;
    };
    const auto one = [](const char *v) { return QStringList{QString::fromUtf8(v)}; };
    // Host names: from labels, parameters, `hostname`, and FQDNs with a real TLD.
    row("ipconfig host name", QStringLiteral("   Host Name . . . . . . . . . . . . : PC-FRONTDESK\r\n"), T::Host, one("PC-FRONTDESK"));
    row("systeminfo host name", QStringLiteral("Host Name:                 PC-FRONTDESK\n"), T::Host, one("PC-FRONTDESK"));
    row("4625 workstation", QStringLiteral("\tWorkstation Name:\tWS-0142\n"), T::Host, one("WS-0142"));
    row("computer name label", QStringLiteral("  Computer Name: LAPTOP-7Q2K9\n"), T::Host, one("LAPTOP-7Q2K9"));
    row("-ComputerName list", QStringLiteral("Invoke-Command -ComputerName PC01,\"PC02\" -ScriptBlock {}"), T::Host,
        QStringList{QStringLiteral("PC01"), QStringLiteral("PC02")});
    row("hostname output", QStringLiteral("PS C:\\> hostname\r\nPC-FRONTDESK\r\nPS C:\\>"), T::Host, one("PC-FRONTDESK"));
    row("fqdn", QStringLiteral("Pinging dc01.contoso.local [10.20.30.10] with 32 bytes"), T::Host, one("dc01.contoso.local"));
    row("fqdn in url", QStringLiteral("GET https://portal.contoso.co.uk/login 200"), T::Host, one("portal.contoso.co.uk"));
    row("upper-case fqdn", QStringLiteral("Computer: DC01.CONTOSO.LOCAL\n"), T::Host, one("DC01.CONTOSO.LOCAL"));
    row("home.arpa", QStringLiteral("nas.home.arpa has address 192.168.1.20"), T::Host, one("nas.home.arpa"));
    row("bare domain", QStringLiteral("mail for contoso.com is hosted"), T::Domain, one("contoso.com"));
    row("co.uk domain", QStringLiteral("see contoso.co.uk."), T::Domain, one("contoso.co.uk"));
    row("ldap domain", QStringLiteral("CN=Jane Doe,OU=Staff,DC=contoso,DC=local"), T::Domain, one("contoso"));
    row("sql server instance", QStringLiteral("Server=SQL01\\CRM;Database=x"), T::Host, one("SQL01"));
    row("syslog host", QStringLiteral("Mar 11 09:14:02 web01 sshd[2211]: Connection closed"), T::Host, one("web01"));
    // Phone numbers.
    row("international", QStringLiteral("Mobile +44 7700 900123 or"), T::Phone, one("+44 7700 900123"));
    row("international with (0)", QStringLiteral("Tel. +49 (0)30 1234567."), T::Phone, one("+49 (0)30 1234567"));
    row("us with area code", QStringLiteral("call (555) 123-4567 today"), T::Phone, one("(555) 123-4567"));
    row("us dashed", QStringLiteral("callback 555-123-4567."), T::Phone, one("555-123-4567"));
    row("us dotted", QStringLiteral("fax 555.123.4567"), T::Phone, one("555.123.4567"));
    row("us with 1", QStringLiteral("1-800-555-0199"), T::Phone, one("1-800-555-0199"));
    row("+1 and area code", QStringLiteral("+1 (555) 123-4567"), T::Phone, one("+1 (555) 123-4567"));
    row("phone label", QStringLiteral("OfficePhone : 020 7946 0958\n"), T::Phone, one("020 7946 0958"));
    // Product keys and serial numbers.
    row("product key", QStringLiteral("slmgr /ipk VK7JG-NPHTM-C97JM-9MPGT-3V66T"), T::ProductKey, one("VK7JG-NPHTM-C97JM-9MPGT-3V66T"));
    row("serial label", QStringLiteral("SerialNumber      : 5CG1234XYZ\n"), T::ProductKey, one("5CG1234XYZ"));
    row("serial number label", QStringLiteral("Serial Number: PF2ABC12\n"), T::ProductKey, one("PF2ABC12"));
    row("service tag", QStringLiteral("Service Tag: 7XK9J2\n"), T::ProductKey, one("7XK9J2"));
    row("wmic serial", QStringLiteral("SerialNumber  \r\r\n5CG1234XYZ  \r\r\n\r\r\n"), T::ProductKey, one("5CG1234XYZ"));
    // BitLocker.
    row("recovery key", QStringLiteral("      Password:\n        417494-222464-083193-290994-580184-372713-140382-669537\n"),
        T::RecoveryKey, one("417494-222464-083193-290994-580184-372713-140382-669537"));
    row("recovery password property", QStringLiteral("RecoveryPassword : 417494-222464-083193-290994-580184-372713-140382-669537"),
        T::RecoveryKey, one("417494-222464-083193-290994-580184-372713-140382-669537"));
    // Secrets next to their keywords, and by their published prefixes.
    row("client_secret", QStringLiteral("client_secret=Qx8~vT3.kLm2_Zp9RwY4sN7bH1cJ6fD0gA5eU"), T::Secret,
        one("Qx8~vT3.kLm2_Zp9RwY4sN7bH1cJ6fD0gA5eU"));
    row("env password", QStringLiteral("export DB_PASSWORD=hunter2"), T::Secret, one("hunter2"));
    row("json password", QStringLiteral("{\"username\": \"svc\", \"password\": \"P@ss w0rd\"}"), T::Secret, one("P@ss w0rd"));
    row("api key header", QStringLiteral("x-api-key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0"), T::Secret, one("9f8e7d6c5b4a39281706f5e4d3c2b1a0"));
    row("account key", QStringLiteral("AccountName=x;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==;EndpointSuffix=core.windows.net"),
        T::Secret, one("Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA=="));
    row("sas sig", QStringLiteral("?sv=2022-11-02&sr=b&sig=Abc123%2Bdef456%2Fghi789jkl%3D&se=2026"), T::Secret,
        one("Abc123%2Bdef456%2Fghi789jkl%3D"));
    row("slack", QStringLiteral("token xoxp-1234567890-0987654321-abcdef"), T::Secret, one("xoxp-1234567890-0987654321-abcdef"));
    row("stripe", QStringLiteral("STRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc"), T::Secret, one("sk_live_4eC39HqLyjWDarjtT1zdp7dc"));
    row("cmdkey /pass:", QStringLiteral("cmdkey /add:NAS02 /user:backup /pass:Tide-Pool-88"), T::Secret, one("Tide-Pool-88"));
    row("web.config appSetting", QStringLiteral("<add key=\"Smtp:Password\" value=\"Sea-Glass-41\" />"), T::Secret, one("Sea-Glass-41"));
    // UPNs and other users.
    row("whoami /upn", QStringLiteral("PS C:\\> whoami /upn\r\njsmith@contoso.com\r\n"), T::User, one("jsmith"));
    row("Get-ADUser upn", QStringLiteral("UserPrincipalName : j.smith@contoso.onmicrosoft.com"), T::User, one("j.smith"));
    row("whoami lower case", QStringLiteral("contoso\\jsmith\r\n"), T::User, one("jsmith"));
    row("/user: switch", QStringLiteral("net use Q: \\\\FS1\\x /user:CONTOSO\\svc_backup"), T::User, one("svc_backup"));
    row("-Identity", QStringLiteral("Get-ADUser -Identity jsmith -Properties *"), T::User, one("jsmith"));
    row("home share", QStringLiteral("HomeDirectory : \\\\FILESRV01\\home$\\jsmith"), T::User, one("jsmith"));
    row("sshd user", QStringLiteral("Accepted publickey for alice from 198.51.100.7 port 50122"), T::User, one("alice"));
    row("sudo user", QStringLiteral("Mar 11 09:15:20 web01 sudo[2330]:    alice : TTY=pts/0 ; PWD=/tmp ; USER=root"), T::User, one("alice"));
    row("4625 account", QStringLiteral("\tAccount Name:\t\tadoe\n\tAccount Domain:\t\tCONTOSO\n"), T::User, one("adoe"));
    row("person from ldap", QStringLiteral("Manager : CN=Alice Fenwick,OU=London,DC=contoso,DC=local"), T::Name, one("Alice Fenwick"));
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
    const auto row = [](const char *name, const QString &text) { QTest::newRow(name) << text; };
    // Not hosts: files, .NET namespaces, versions.
    row("namespaces and files", QStringLiteral("System.Management.Automation.dll Microsoft.PowerShell.Commands svchost.exe "
                                               "ntdll.dll System.IO.FileNotFoundException System.Net at System.Net.Http.io"));
    row("scripts", QStringLiteral("python setup.py install; ./install.sh; README.md Safari.app casefile.pro Makefile.am"));
    row("paths", QStringLiteral("C:\\Program Files\\contoso.com\\x.exe /etc/contoso.local /var/log/syslog.1"));
    row("versions", QStringLiteral("10.0.19045.3693 1.2.3.4.5 v2.14.1 6.1.7601.24545 22631.3296 1.18.0"));
    row("public services", QStringLiteral("Resolving login.microsoftonline.com, windowsupdate.com, aka.ms and www.google.com"));
    row("reverse zone", QStringLiteral("zone 30.20.10.in-addr.arpa"));
    // Not phones.
    row("timestamps", QStringLiteral("2026-03-11T09:14:02.417Z 11/03/2026 09:14:02 2026-03-11 09:14:02.417+01:00 (UTC+01:00)"));
    row("codes and ids", QStringLiteral("0x80070005 HRESULT 0x8024402C exit code 1603 Event ID 4625 KB5034441 status -1073741819"));
    row("guid parts", QStringLiteral("{4d36e972-e325-11ce-bfc1-08002be10318} {6E3F4B2A-1C2D-4E5F-8A9B-0C1D2E3F4A5B}"));
    row("durations and ports", QStringLiteral("took 00:05:12.123, 3600 s, listening on :443 and 0.0.0.0:8080 +0100"));
    row("sizes and numbers", QStringLiteral("16,088 MB 123-45-678 12-345-6789 1234-567-890 555-1234 +123"));
    // Not secrets.
    row("netsh key=clear", QStringLiteral("netsh wlan show profile name=x key=clear\n    Security key           : Present"));
    row("public key token", QStringLiteral("System.Management.Automation, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35"));
    row("password properties", QStringLiteral("CannotChangePassword : False\nPasswordLastSet : 01/02/2026 08:00:00\n"
                                              "Password last set            11/03/2026 09:14:02\nPasswordNeverExpires : True"));
    row("password prompt", QStringLiteral("      Password:\n      Backup type:\n"));
    row("password variable", QStringLiteral("$password = Read-Host -AsSecureString; New-LocalUser -Password $password"));
    row("words after keys", QStringLiteral("token: none\napi_key=changeme\nsecret: ********"));
    row("app setting not secret", QStringLiteral("<add key=\"ClientValidationEnabled\" value=\"true\" />"));
    // Not personal.
    row("loopback and masks", QStringLiteral("127.0.0.1 255.255.255.0 255.255.0.0 0.0.0.0 ::1"));
    row("name label alone", QStringLiteral("Name        : Spooler\nDisplayName : \nStatus      : Running\n"));
    row("rdp client drive", QStringLiteral("\\\\tsclient\\C\\temp"));
    row("groups", QStringLiteral("MemberOf : {CN=Domain Users,CN=Users, CN=Finance,OU=Groups, CN=Remote Desktop Users}"));
    row("serial placeholders", QStringLiteral("SerialNumber : To be filled by O.E.M.\nSerial Number: Default string\n"));
    row("assembly versions", QStringLiteral("<bindingRedirect oldVersion=\"0.0.0.0-13.0.0.0\" newVersion=\"13.0.0.0\" />"));
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
    for (const char c : {'a', '@', '.', '1', '\\', '-', ':', 'F', '/', '+', '(', '=', '%', '$', ' ', '\n', '_'})
        QTest::newRow(QByteArray(1, c).constData()) << QString(n, QLatin1Char(c));
    QTest::newRow("digits and dots") << QStringLiteral("1.").repeated(n / 2);
    QTest::newRow("hex pairs") << QStringLiteral("aa-").repeated(n / 3);
    QTest::newRow("backslash names") << QStringLiteral("AB\\").repeated(n / 3);
    QTest::newRow("at signs") << QStringLiteral("a@b.").repeated(n / 4);
    QTest::newRow("long hex run") << QStringLiteral("0123456789abcdef").repeated(n / 16);
    QTest::newRow("dashed hex") << QStringLiteral("ab-").repeated(n / 3);
    QTest::newRow("plus digits") << QStringLiteral("+1").repeated(n / 2);
    QTest::newRow("digit groups") << QStringLiteral("123-").repeated(n / 4);
    QTest::newRow("open parens") << QStringLiteral("(555").repeated(n / 4);
    QTest::newRow("keywords without values") << QStringLiteral("password=;").repeated(n / 10);
    QTest::newRow("labels without values") << QStringLiteral("Host Name:\n").repeated(n / 11);
    QTest::newRow("one long dotted word") << QStringLiteral("a.").repeated(n / 2);
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

void tst_TranscriptScanner::adversarialFindsWhatIsThere()
{
    // The same shapes, with something real every so often: found, and not more than that.
    const QString chunk = QStringLiteral("aaaaaaaa\\\\\\\\@@@@1.1.1.1.1----password=hunter2 10.9.8.7 ");
    const auto findings = TranscriptScanner::scan(chunk.repeated(20000));
    QCOMPARE(findings.size(), 40000);
    qsizetype end = 0;
    for (const Finding &f : findings) {
        QVERIFY(f.start >= end);
        end = f.start + f.length;
    }
    QCOMPARE(TranscriptScanner::scan(QString(QString(1 << 20, u'a') + QStringLiteral(" 10.1.2.3"))).size(), 1);
}

void tst_TranscriptScanner::sortedAndNonOverlapping()
{
    // Detectors that read backwards ('@') and secrets that swallow tokens: still one finding
    // per span, in order.
    const QString text = QStringLiteral(
        "password=admin@contoso.com 10.0.0.1@x.com CONTOSO\\jsmith@contoso.com \\\\FS1\\home$\\jsmith "
        "Bearer abcdefghijklmnopqrstuvwxyz012345 PC01.contoso.local jsmith@pc01.contoso.local");
    const auto findings = TranscriptScanner::scan(text);
    QVERIFY(findings.size() >= 8);
    qsizetype end = 0;
    for (const Finding &f : findings) {
        QVERIFY2(f.start >= end, qPrintable(f.value));
        QCOMPARE(text.mid(f.start, f.length), f.value);
        end = f.start + f.length;
    }
    QCOMPARE(findings.first().type, Finding::Type::Secret);
    QCOMPARE(findings.first().value, QStringLiteral("admin@contoso.com"));
}

QTEST_GUILESS_MAIN(tst_TranscriptScanner)
#include "tst_TranscriptScanner.moc"
