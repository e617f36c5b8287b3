#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace casefile {

// The processes of one command. Its shell leads a session of its own (setsid), and everything
// it starts stays in that session unless it starts one of its own (a daemon). The leader is
// known again after an agent restart by its pid, its start time and the boot it started in:
// so what a killed agent left running can be found and stopped, and nothing else.
class ProcessSession
{
public:
    struct Leader
    {
        qint64 pid = 0;
        qint64 startTicks = 0; // /proc/PID/stat field 22: clock ticks after boot
        QString bootId;
    };

    // The running process `pid` as a leader to remember; nullopt if it is gone.
    static std::optional<Leader> leaderOf(qint64 pid);
    // Every live process of session `sid`, zombies skipped (dead already, waiting for a parent
    // that may be an init that never reaps them).
    static QList<qint64> liveMembers(qint64 sid);
    // SIGKILLs whatever is left of the session `leader` led, if it is still that session
    // (same boot, and its pid not taken by another process); how many processes it killed.
    static int killLeftovers(const Leader &leader);
};

} // namespace casefile
