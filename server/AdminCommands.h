#pragma once

#include <QStringList>
#include <QTextStream>

namespace casefile {

// `casefiled admin --data DIR …`: manage orgs, users, tokens, client groups and enrollment
// codes without a GUI. Each command prints what it made; a token or code is shown only here,
// once — the server keeps only its digest.
class AdminCommands
{
public:
    AdminCommands(QTextStream &out, QTextStream &err);
    int run(const QStringList &args, const QString &defaultDataDir);
    // "90s", "15m", "1h", "7d" → seconds; -1 when malformed.
    static qint64 parseDuration(const QString &text);

private:
    int usage(const QString &problem = {});

    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace casefile
