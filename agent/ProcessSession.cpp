#include "ProcessSession.h"

#include <QFile>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace casefile {

namespace {

struct Stat
{
    char state = 0;
    long session = 0;
    unsigned long long startTicks = 0;
};

// /proc/PID/stat: "pid (comm) state ppid pgrp session … starttime(22) …"; comm may itself
// contain ')' and spaces. Plain POSIX reads: this runs over every process of the machine.
std::optional<Stat> readStat(const char *pid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%s/stat", pid);
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    char buffer[1024];
    const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
    ::close(fd);
    if (n <= 0)
        return std::nullopt;
    buffer[n] = '\0';
    const char *afterComm = std::strrchr(buffer, ')');
    Stat stat;
    long ppid = 0, pgrp = 0;
    if (!afterComm ||
        std::sscanf(
            afterComm + 1,
            " %c %ld %ld %ld %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
            &stat.state, &ppid, &pgrp, &stat.session, &stat.startTicks) != 5)
        return std::nullopt;
    return stat;
}

// Read once: it cannot change while this process runs.
QString bootId()
{
    static const QString id = [] {
        QFile file(QStringLiteral("/proc/sys/kernel/random/boot_id"));
        return file.open(QIODevice::ReadOnly) ? QString::fromLatin1(file.readAll().trimmed())
                                              : QString();
    }();
    return id;
}

} // namespace

std::optional<ProcessSession::Leader> ProcessSession::leaderOf(qint64 pid)
{
    const auto stat = readStat(QByteArray::number(pid).constData());
    if (!stat)
        return std::nullopt;
    return Leader{pid, qint64(stat->startTicks), bootId()};
}

QList<qint64> ProcessSession::liveMembers(qint64 sid)
{
    QList<qint64> members;
    DIR *proc = ::opendir("/proc");
    if (!proc)
        return members;
    while (const dirent *entry = ::readdir(proc)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
            continue;
        const auto stat = readStat(entry->d_name);
        if (stat && stat->session == sid && stat->state != 'Z' && stat->state != 'X')
            members.append(std::atoll(entry->d_name));
    }
    ::closedir(proc);
    return members;
}

int ProcessSession::killLeftovers(const Leader &leader)
{
    if (leader.pid <= 0 || leader.bootId.isEmpty() || leader.bootId != bootId())
        return 0; // rebooted since: nothing of it can be left
    // A session id is not handed out again while a process of that session lives. So the pid is
    // either still this leader, or free, or another process's with no member of the old
    // session left.
    if (const auto now = readStat(QByteArray::number(leader.pid).constData());
        now && qint64(now->startTicks) != leader.startTicks)
        return 0;
    int killed = 0;
    for (const qint64 pid : liveMembers(leader.pid)) {
        if (::kill(pid_t(pid), SIGKILL) == 0)
            ++killed;
    }
    return killed;
}

} // namespace casefile
