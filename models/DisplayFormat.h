#pragma once

#include <QDateTime>
#include <QString>

namespace casefile {

// How times and durations read in the console's panes: short enough for a narrow column,
// exact in tooltips, in the user's locale.
class DisplayFormat
{
public:
    // "12 ms", "3.4 s", "2 min 5 s", "1 h 20 min"; empty for a negative value.
    static QString duration(qint64 ms);
    // Today: "14:03:22"; this year: "12 Nov 14:03"; else the locale's short date and time.
    static QString when(const QDateTime &utc);
    // The locale's long date and time, for tooltips.
    static QString exactly(const QDateTime &utc);
};

} // namespace casefile
