#pragma once

#include "events/bodies/ContextCapturedBody.h"

#include <QCoreApplication>
#include <QStringList>

namespace casefile {

// Describes the Linux machine the agent runs on, as the context.captured body the agent sends
// when a session starts: what a technician would otherwise ask for first. Every value comes
// from a file whose path can be changed, so tests can feed recorded machines. A value that
// cannot be read or parsed is left out (and named in problems()) rather than guessed.
class SystemContext
{
    Q_DECLARE_TR_FUNCTIONS(SystemContext)

public:
    // Where each value is read from; the defaults are the real machine's files.
    struct Sources
    {
        QStringList osRelease{QStringLiteral("/etc/os-release"),
                              QStringLiteral("/usr/lib/os-release")}; // the first that exists
        QString hostname = QStringLiteral("/proc/sys/kernel/hostname");
        QString kernelRelease = QStringLiteral("/proc/sys/kernel/osrelease");
        QString resolvConf = QStringLiteral("/etc/resolv.conf");
        QString uptime = QStringLiteral("/proc/uptime");
        QString cpuInfo = QStringLiteral("/proc/cpuinfo");
        QString memInfo = QStringLiteral("/proc/meminfo");
        QString logindSessions = QStringLiteral("/run/systemd/sessions"); // a directory
        QString utmp = QStringLiteral("/var/run/utmp");
        QStringList dpkgLogs{QStringLiteral("/var/log/dpkg.log"),
                             QStringLiteral("/var/log/dpkg.log.1")}; // newest first
    };

    // How many recently installed or upgraded packages `updates` lists.
    static constexpr int maxUpdates = 20;
    // Only the end of a package log is read; it only has to hold the recent entries.
    static constexpr qint64 maxLogTailBytes = 4 * 1024 * 1024;

    SystemContext() = default;
    explicit SystemContext(const Sources &sources) : m_sources(sources) {}

    // Reads everything now. hostname, os and osVersion are always filled (from uname when the
    // files are missing); the optional fields only when their source was readable.
    ContextCapturedBody capture();
    // What could not be read during the last capture(), one line per source.
    QStringList problems() const { return m_problems; }

private:
    void readOs(ContextCapturedBody &body);
    QString readHostname();
    std::optional<QString> readDomain(const QString &hostname);
    std::optional<QString> readLoggedInUser();
    std::optional<QString> userFromLogind();
    std::optional<QString> userFromUtmp();
    std::optional<qint64> readUptime();
    void readCpu(ContextCapturedBody &body);
    std::optional<qint64> readMemory();
    QStringList readUpdates();

    QByteArray readSmallFile(const QString &path, bool reportMissing);
    void problem(const QString &text);

    Sources m_sources;
    QStringList m_problems;
};

} // namespace casefile
