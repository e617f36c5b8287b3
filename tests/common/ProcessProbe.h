#pragma once

#include <QtGlobal>

// What a test can see of another process from outside: is it still there?
class ProcessProbe
{
public:
    // True once the process has ended. A zombie counts as ended: it only waits for a parent to
    // collect it, and in some containers init never does.
    static bool gone(qint64 pid);
};
