#pragma once

#include <QString>

#include <optional>

namespace casefile {

struct CommandFinishedBody;

// What `casefile-cli run` exits with for a command's end: its own exit code when it exited
// with one a process can return (0–255), else a fixed code per outcome (README).
class RunExit
{
public:
    enum Code
    {
        OutOfRange = 1,
        Denied = 77,
        TimedOut = 124,
        Failed = 127,
        Crashed = 128,
        Cancelled = 130
    };

    // `note` (if given) says why the exit code differs from the command's own one, if it does.
    static int code(const CommandFinishedBody &end, QString *note = nullptr);
};

} // namespace casefile
