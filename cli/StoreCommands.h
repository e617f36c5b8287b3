#pragma once

#include <QStringList>
#include <QTextStream>

namespace casefile {

// `casefile-cli store …`: work with a local Casefile store directly, without a server —
// import a record, list sessions, read events, search, verify chains. Everything prints
// text for people or, with --json, one JSON document per line for scripts.
class StoreCommands
{
public:
    StoreCommands(QTextStream &out, QTextStream &err);

    // args[0] is the subcommand; returns the process exit code.
    int run(const QStringList &args);
    static QString defaultDataDir();

private:
    int dispatch(const QStringList &args);
    int importEvents(const QStringList &args);
    int sessions(const QStringList &args);
    int events(const QStringList &args);
    int search(const QStringList &args);
    int verify(const QStringList &args);
    int usage(const QString &problem = {});

    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace casefile
