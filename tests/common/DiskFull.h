#pragma once

#include <QtGlobal>

#include <sys/resource.h>

// Lets a process write only the first page of each file while this lives: every write past it
// fails (EFBIG, or SIGXFSZ where not ignored) as writes to a full disk fail (ENOSPC). The limit
// it found is restored by end() or the destructor, whatever the test did in between.
class DiskFull
{
public:
    explicit DiskFull(qint64 pid);
    ~DiskFull();
    DiskFull(const DiskFull &) = delete;
    DiskFull &operator=(const DiskFull &) = delete;

    bool isOk() const { return m_ok; }
    // Room again; false if the limit could not be restored.
    bool end();

private:
    pid_t m_pid;
    rlimit m_room{};
    bool m_ok = false;
};
