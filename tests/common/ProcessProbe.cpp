#include "ProcessProbe.h"

#include <QDir>
#include <QFile>

namespace {

// The fields of /proc/PID/stat after the name ("state ppid …"), or none when the process is
// gone. The name is in parentheses and may itself hold ") ".
QList<QByteArray> statFields(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    if (close <= 0 || close + 2 >= line.size())
        return {};
    return line.mid(close + 2).split(' ');
}

} // namespace

char ProcessProbe::state(qint64 pid)
{
    const QList<QByteArray> fields = statFields(pid);
    return fields.isEmpty() || fields.first().isEmpty() ? 0 : fields.first().at(0);
}

bool ProcessProbe::gone(qint64 pid)
{
    const char s = state(pid);
    return s == 0 || s == 'Z';
}

QList<qint64> ProcessProbe::children(qint64 pid)
{
    QList<qint64> found;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 child = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        const QList<QByteArray> fields = statFields(child);
        if (fields.size() > 1 && fields.at(1).toLongLong() == pid)
            found.append(child);
    }
    return found;
}
