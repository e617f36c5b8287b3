#include "agent/SystemContext.h"
#include "events/EventCodec.h"

#include <QSysInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <sys/utsname.h>
#include <utmpx.h>

using namespace casefile;

namespace {

QString dataPath(const QString &relative)
{
    return QStringLiteral(CASEFILE_TEST_DATA "/agent/") + relative;
}

// Every source inside one recorded machine directory.
SystemContext::Sources machine(const QString &name)
{
    const QString dir = dataPath(name) + QLatin1Char('/');
    SystemContext::Sources s;
    s.osRelease = {dir + QStringLiteral("os-release")};
    s.hostname = dir + QStringLiteral("hostname");
    s.kernelRelease = dir + QStringLiteral("osrelease");
    s.resolvConf = dir + QStringLiteral("resolv.conf");
    s.uptime = dir + QStringLiteral("uptime");
    s.cpuInfo = dir + QStringLiteral("cpuinfo");
    s.memInfo = dir + QStringLiteral("meminfo");
    s.logindSessions = dir + QStringLiteral("sessions");
    s.utmp = dir + QStringLiteral("utmp");
    s.dpkgLogs = {dir + QStringLiteral("dpkg.log"), dir + QStringLiteral("dpkg.log.1")};
    return s;
}

struct Login
{
    short type;
    const char *user;
    const char *line;
    const char *host;
};

void copyField(char *field, size_t size, const char *value)
{
    std::memset(field, 0, size);
    std::memcpy(field, value, qMin(size, std::strlen(value)));
}

// A utmp file as login(1) and sshd write it.
void writeUtmp(const QString &path, const QList<Login> &logins)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    for (const Login &login : logins) {
        utmpx entry{};
        entry.ut_type = login.type;
        entry.ut_pid = 4242;
        copyField(entry.ut_user, sizeof entry.ut_user, login.user);
        copyField(entry.ut_line, sizeof entry.ut_line, login.line);
        copyField(entry.ut_host, sizeof entry.ut_host, login.host);
        file.write(reinterpret_cast<const char *>(&entry), sizeof entry);
    }
}

} // namespace

class tst_SystemContext : public QObject
{
    Q_OBJECT

private slots:
    void recordedDebianWorkstation();
    void recentUpdatesNewestFirstOnePerPackage();
    void brokenFilesLeaveValuesOut();
    void missingFilesLeaveValuesOut();
    void armBoardWithoutModelName();
    void fullyQualifiedHostNameGivesTheDomain();
    void domainFromResolverDomainLine();
    void loggedInUserFromUtmp();
    void realMachineGivesAValidBody();
};

void tst_SystemContext::recordedDebianWorkstation()
{
    SystemContext context(machine(QStringLiteral("debian-workstation")));
    const ContextCapturedBody body = context.capture();
    QVERIFY2(context.problems().isEmpty(), qPrintable(context.problems().join(QLatin1Char('\n'))));
    QCOMPARE(body.hostname, QStringLiteral("frontdesk-03"));
    QCOMPARE(body.os, QStringLiteral("Debian GNU/Linux"));
    QCOMPARE(body.osVersion, QStringLiteral("12 (bookworm)"));
    QCOMPARE(body.osBuild, std::optional<QString>(QStringLiteral("6.1.0-18-amd64")));
    QCOMPARE(body.domain, std::optional<QString>(QStringLiteral("corp.example.com")));
    // The local, active desktop session; not the ssh login, the greeter or a closing session.
    QCOMPARE(body.user, std::optional<QString>(QStringLiteral("mlopez")));
    QCOMPARE(body.uptimeSeconds, std::optional<qint64>(1209733));
    QCOMPARE(body.cpu,
             std::optional<QString>(QStringLiteral("Intel(R) Core(TM) i3-7100U CPU @ 2.40GHz")));
    QCOMPARE(body.cpuCores, std::optional<qint64>(2)); // 4 hardware threads on 2 cores
    QCOMPARE(body.memoryBytes, std::optional<qint64>(8029584LL * 1024));
    QCOMPARE(body.updates.size(), SystemContext::maxUpdates);

    const CodecError error = EventCodec::validateBody(EventKind::ContextCaptured, body.toJson());
    QVERIFY2(error.isNull(), qPrintable(error.toString()));
}

void tst_SystemContext::recentUpdatesNewestFirstOnePerPackage()
{
    SystemContext context(machine(QStringLiteral("debian-workstation")));
    const QStringList updates = context.capture().updates;
    QCOMPARE(updates.size(), 20);
    QCOMPARE(updates.value(0),
             QStringLiteral(
                 "2024-05-16 08:11:54 upgrade cups:amd64 2.4.2-3+deb12u5 -> 2.4.2-3+deb12u6"));
    QCOMPARE(updates.value(1),
             QStringLiteral(
                 "2024-05-15 07:30:04 upgrade libcups2:amd64 2.4.2-3+deb12u4 -> 2.4.2-3+deb12u5"));
    QCOMPARE(updates.value(4),
             QStringLiteral("2024-05-14 10:02:12 install hplip-data:all 3.22.10+dfsg0-2"));
    QCOMPARE(updates.value(7),
             QStringLiteral(
                 "2024-05-13 09:14:03 upgrade libssl3:amd64 3.0.11-1~deb12u2 -> 3.0.13-1~deb12u1"));
    // Then the rotated log, until 20 packages are listed.
    QCOMPARE(updates.value(8),
             QStringLiteral(
                 "2024-04-04 11:25:00 upgrade vim:amd64 2:9.0.1378-2 -> 2:9.0.1378-2+deb12u1"));
    QCOMPARE(
        updates.value(19),
        QStringLiteral("2024-04-01 11:13:00 install linux-image-6.1.0-18-amd64:amd64 6.1.76-1"));
    // cups was upgraded three times; only the latest counts. Removals are not updates.
    QCOMPARE(updates.filter(QStringLiteral(" cups:amd64 ")).size(), 1);
    QVERIFY(updates.filter(QStringLiteral("gutenprint")).isEmpty());
    QVERIFY(updates.filter(QStringLiteral("tzdata")).isEmpty()); // beyond the 20 newest
}

void tst_SystemContext::brokenFilesLeaveValuesOut()
{
    SystemContext context(machine(QStringLiteral("broken")));
    const ContextCapturedBody body = context.capture();
    // Required fields fall back to what the kernel says.
    QCOMPARE(body.hostname, QSysInfo::machineHostName());
    utsname uts{};
    ::uname(&uts);
    QCOMPARE(body.os, QString::fromUtf8(uts.sysname));
    QCOMPARE(body.osVersion, QStringLiteral("6.5.0-broken-test"));
    QCOMPARE(body.osBuild, std::optional<QString>(QStringLiteral("6.5.0-broken-test")));
    // Nothing is guessed from garbage.
    QCOMPARE(body.domain, std::nullopt);
    QCOMPARE(body.user, std::nullopt);
    QCOMPARE(body.uptimeSeconds, std::nullopt);
    QCOMPARE(body.cpu, std::nullopt);
    QCOMPARE(body.cpuCores, std::nullopt);
    QCOMPARE(body.memoryBytes, std::nullopt);
    // The one readable line of the damaged package log survives.
    QCOMPARE(body.updates,
             QStringList{QStringLiteral(
                 "2024-05-14 10:02:12 upgrade cups:amd64 2.4.2-3+deb12u4 -> 2.4.2-3+deb12u5")});

    const QString problems = context.problems().join(QLatin1Char('\n'));
    for (const char *part : {"no host name", "5 line(s) could not be read", "not an uptime",
                             "no processor model", "no processors listed", "no MemTotal"})
        QVERIFY2(problems.contains(QLatin1String(part)),
                 qPrintable(QLatin1String(part) + QLatin1String(" not in:\n") + problems));

    const CodecError error = EventCodec::validateBody(EventKind::ContextCaptured, body.toJson());
    QVERIFY2(error.isNull(), qPrintable(error.toString()));
}

void tst_SystemContext::missingFilesLeaveValuesOut()
{
    QTemporaryDir empty;
    SystemContext::Sources s;
    const QString nothing = empty.filePath(QStringLiteral("missing"));
    s.osRelease = {nothing};
    s.hostname = s.kernelRelease = s.resolvConf = s.uptime = s.cpuInfo = s.memInfo = nothing;
    s.logindSessions = s.utmp = nothing;
    s.dpkgLogs = {nothing};
    SystemContext context(s);
    const ContextCapturedBody body = context.capture();
    utsname uts{};
    ::uname(&uts);
    QCOMPARE(body.hostname, QSysInfo::machineHostName());
    QCOMPARE(body.osBuild, std::optional<QString>(QString::fromUtf8(uts.release)));
    QCOMPARE(body.osVersion, QString::fromUtf8(uts.release));
    QCOMPARE(body.cpuCores, std::nullopt);
    QCOMPARE(body.memoryBytes, std::nullopt);
    QVERIFY(body.updates.isEmpty()); // no dpkg: nothing to tell, and no complaint about it
    QVERIFY(!context.problems().filter(QStringLiteral("os-release")).isEmpty());
    QVERIFY(context.problems().filter(QStringLiteral("dpkg")).isEmpty());
}

void tst_SystemContext::armBoardWithoutModelName()
{
    SystemContext::Sources s = machine(QStringLiteral("debian-workstation"));
    s.cpuInfo = dataPath(QStringLiteral("cpuinfo-raspberrypi4"));
    const ContextCapturedBody body = SystemContext(s).capture();
    QCOMPARE(body.cpu, std::optional<QString>(QStringLiteral("Raspberry Pi 4 Model B Rev 1.4")));
    QCOMPARE(body.cpuCores, std::optional<qint64>(4)); // no core ids: one core per processor
}

void tst_SystemContext::fullyQualifiedHostNameGivesTheDomain()
{
    QTemporaryDir dir;
    const QString hostname = dir.filePath(QStringLiteral("hostname"));
    QFile file(hostname);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("print01.branch.corp.example.com\n");
    file.close();
    SystemContext::Sources s = machine(QStringLiteral("debian-workstation"));
    s.hostname = hostname;
    const ContextCapturedBody body = SystemContext(s).capture();
    QCOMPARE(body.hostname, QStringLiteral("print01.branch.corp.example.com"));
    QCOMPARE(body.domain, std::optional<QString>(QStringLiteral("branch.corp.example.com")));
}

void tst_SystemContext::domainFromResolverDomainLine()
{
    QTemporaryDir dir;
    const QString resolv = dir.filePath(QStringLiteral("resolv.conf"));
    QFile file(resolv);
    QVERIFY(file.open(QIODevice::WriteOnly));
    // The last of "search" and "domain" wins; a trailing dot is not part of the name.
    file.write("search old.example.com\nnameserver 10.0.0.2\ndomain ad.contoso.com.\n");
    file.close();
    SystemContext::Sources s = machine(QStringLiteral("debian-workstation"));
    s.resolvConf = resolv;
    QCOMPARE(SystemContext(s).capture().domain,
             std::optional<QString>(QStringLiteral("ad.contoso.com")));
}

void tst_SystemContext::loggedInUserFromUtmp()
{
    QTemporaryDir dir;
    SystemContext::Sources s = machine(QStringLiteral("debian-workstation"));
    s.logindSessions = dir.filePath(QStringLiteral("no-logind")); // a system without logind
    s.utmp = dir.filePath(QStringLiteral("utmp"));

    writeUtmp(s.utmp, {{BOOT_TIME, "reboot", "~", "6.1.0-18-amd64"},
                       {USER_PROCESS, "deploy", "pts/0", "10.20.4.17"},
                       {DEAD_PROCESS, "gone", "tty3", ""},
                       {USER_PROCESS, "mlopez", "tty1", ""}});
    QCOMPARE(SystemContext(s).capture().user, std::optional<QString>(QStringLiteral("mlopez")));

    // A user name that fills the whole field has no terminating NUL.
    const QByteArray longName(sizeof(utmpx{}.ut_user), 'x');
    writeUtmp(s.utmp, {{USER_PROCESS, longName.constData(), "tty1", ""}});
    QCOMPARE(SystemContext(s).capture().user,
             std::optional<QString>(QString::fromLatin1(longName)));

    writeUtmp(s.utmp, {{USER_PROCESS, "deploy", "pts/0", "10.20.4.17"}});
    QCOMPARE(SystemContext(s).capture().user, std::optional<QString>(QStringLiteral("deploy")));

    writeUtmp(s.utmp, {{LOGIN_PROCESS, "LOGIN", "tty1", ""}});
    QCOMPARE(SystemContext(s).capture().user, std::nullopt);
}

void tst_SystemContext::realMachineGivesAValidBody()
{
    SystemContext context;
    const ContextCapturedBody body = context.capture();
    const CodecError error = EventCodec::validateBody(EventKind::ContextCaptured, body.toJson());
    QVERIFY2(error.isNull(), qPrintable(error.toString()));

    QCOMPARE(body.hostname, QSysInfo::machineHostName());
    QVERIFY(!body.os.isEmpty());
    QVERIFY(!body.osVersion.isEmpty());
    utsname uts{};
    ::uname(&uts);
    QCOMPARE(body.osBuild, std::optional<QString>(QString::fromUtf8(uts.release)));
    QVERIFY(body.uptimeSeconds && *body.uptimeSeconds > 0);
    QVERIFY(body.cpuCores && *body.cpuCores >= 1);
    QVERIFY(body.memoryBytes && *body.memoryBytes > 64LL * 1024 * 1024);
    QVERIFY(body.cpu && !body.cpu->isEmpty());
    QVERIFY(body.updates.size() <= SystemContext::maxUpdates);
    QFile dpkgLog(QStringLiteral("/var/log/dpkg.log"));
    if (dpkgLog.open(QIODevice::ReadOnly) && dpkgLog.readAll().contains(" install "))
        QVERIFY(!body.updates.isEmpty());
    qInfo().noquote() << "captured:" << QJsonDocument(body.toJson()).toJson(QJsonDocument::Compact);
}

QTEST_GUILESS_MAIN(tst_SystemContext)
#include "tst_SystemContext.moc"
