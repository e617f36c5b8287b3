#include "DisplayFormat.h"

#include <QCoreApplication>
#include <QLocale>

namespace casefile {

QString DisplayFormat::duration(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 1000)
        return QCoreApplication::translate("casefile::DisplayFormat", "%1 ms").arg(ms);
    if (ms < 60'000)
        return QCoreApplication::translate("casefile::DisplayFormat", "%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
    const qint64 s = ms / 1000;
    if (s < 3600)
        return QCoreApplication::translate("casefile::DisplayFormat", "%1 min %2 s").arg(s / 60).arg(s % 60);
    return QCoreApplication::translate("casefile::DisplayFormat", "%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

QString DisplayFormat::when(const QDateTime &utc)
{
    if (!utc.isValid())
        return {};
    const QDateTime local = utc.toLocalTime();
    const QDate today = QDate::currentDate();
    if (local.date() == today)
        return QLocale().toString(local.time(), QStringLiteral("HH:mm:ss"));
    if (local.date().year() == today.year())
        return QLocale().toString(local, QStringLiteral("d MMM HH:mm"));
    return QLocale().toString(local, QLocale::ShortFormat);
}

QString DisplayFormat::exactly(const QDateTime &utc)
{
    return utc.isValid() ? QLocale().toString(utc.toLocalTime(), QLocale::LongFormat) : QString();
}

} // namespace casefile
