#include "RunExit.h"

#include "events/bodies/CommandFinishedBody.h"

#include <QCoreApplication>

namespace casefile {

int RunExit::code(const CommandFinishedBody &end, QString *note)
{
    if (end.status == QLatin1String("exited")) {
        const qint64 exitCode = end.exitCode.value_or(0);
        if (exitCode >= 0 && exitCode <= 255)
            return int(exitCode);
        // A Windows exit code (3010, -1073741510 …): taken modulo 256 by the caller's shell,
        // a multiple of 256 would read as success.
        if (note)
            *note =
                QCoreApplication::translate("RunExit", "the command exited with %1, outside 0–255; "
                                                       "casefile-cli exits with %2")
                    .arg(exitCode)
                    .arg(int(OutOfRange));
        return OutOfRange;
    }
    if (end.status == QLatin1String("denied"))
        return Denied;
    if (end.status == QLatin1String("timed_out"))
        return TimedOut;
    if (end.status == QLatin1String("cancelled"))
        return Cancelled;
    if (end.status == QLatin1String("crashed"))
        return Crashed;
    return Failed;
}

} // namespace casefile
