#include "ProcessProbe.h"

#include <QFile>

char ProcessProbe::state(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    // The state follows the name in parentheses, which may itself hold ") ".
    const qsizetype close = line.lastIndexOf(')');
    return close > 0 && close + 2 < line.size() ? line.at(close + 2) : 0;
}

bool ProcessProbe::gone(qint64 pid)
{
    const char s = state(pid);
    return s == 0 || s == 'Z';
}
