#include "FtsQuery.h"

#include <QStringList>

namespace casefile {

namespace {
QString quoted(const QString &term)
{
    QString escaped = term;
    escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}
} // namespace

QString FtsQuery::fromUserText(const QString &text)
{
    QStringList terms;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && text.at(i).isSpace())
            ++i;
        if (i >= n)
            break;
        if (text.at(i) == QLatin1Char('"')) {
            const qsizetype close = text.indexOf(QLatin1Char('"'), i + 1);
            const qsizetype end = close < 0 ? n : close;
            const QString phrase = text.mid(i + 1, end - i - 1).simplified();
            if (!phrase.isEmpty())
                terms.append(quoted(phrase));
            i = end + 1;
            continue;
        }
        qsizetype end = i;
        while (end < n && !text.at(end).isSpace())
            ++end;
        QString word = text.mid(i, end - i);
        i = end;
        bool prefix = false;
        while (word.endsWith(QLatin1Char('*'))) {
            word.chop(1);
            prefix = true;
        }
        word.remove(QLatin1Char('"'));
        if (word.isEmpty())
            continue;
        terms.append(prefix ? quoted(word) + QLatin1Char('*') : quoted(word));
    }
    return terms.join(QLatin1Char(' '));
}

} // namespace casefile
