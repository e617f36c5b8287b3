#include "DiskFull.h"

DiskFull::DiskFull(qint64 pid) : m_pid(pid_t(pid))
{
    m_ok = ::prlimit(m_pid, RLIMIT_FSIZE, nullptr, &m_room) == 0;
    rlimit full = m_room;
    full.rlim_cur = 4096;
    m_ok = m_ok && ::prlimit(m_pid, RLIMIT_FSIZE, &full, nullptr) == 0;
}

DiskFull::~DiskFull()
{
    end();
}

bool DiskFull::end()
{
    const bool ok = !m_ok || ::prlimit(m_pid, RLIMIT_FSIZE, &m_room, nullptr) == 0;
    m_ok = false;
    return ok;
}
