#pragma once

#include <QList>
#include <QtGlobal>

// What a test can see of another process from outside, through /proc.
class ProcessProbe
{
public:
    // The state letter (R, S, T for stopped, Z for a zombie, …), or 0 when the process is gone.
    static char state(qint64 pid);
    // True once the process has ended. A zombie counts as ended: it only waits for a parent to
    // collect it, and in some containers init never does.
    static bool gone(qint64 pid);
    // The live processes whose parent is `pid`.
    static QList<qint64> children(qint64 pid);
};
