#pragma once

#include "ProcessSession.h"

#include <QString>
#include <QUuid>

#include <optional>

namespace casefile {

// What the agent has done, kept on disk so a restart never runs a command twice: a command is
// marked before it is asked about or started, and marked finished once its end is recorded.
// Commands marked but not finished were cut off by a crash or kill of the agent.
class AgentJournal
{
public:
    AgentJournal();
    ~AgentJournal();
    AgentJournal(const AgentJournal &) = delete;
    AgentJournal &operator=(const AgentJournal &) = delete;

    bool open(const QString &path);
    QString errorString() const { return m_error; }
    // This endpoint's secret namespace for Event::derivedId, made at random when the journal is
    // created and kept in it: the ids it derives are the same across restarts, and nobody else
    // can compute them (and take them first).
    QUuid idNamespace() const { return m_idNamespace; }

    enum class Claim
    {
        Claimed,
        Seen,
        Failed
    };
    // Claimed: the command was new and is now marked. Seen: marked before. Failed: it cannot
    // be marked now (a full disk), so it must not run yet.
    Claim claimCommand(const QString &session, const QString &command);
    // False when the end cannot be marked now (a full disk): the command still counts as
    // unfinished, and a restart would record a second end for it.
    bool finishCommand(const QString &command);
    // Commands claimed by an earlier run that never finished: (session, command) pairs.
    QList<QPair<QString, QString>> unfinishedCommands();
    // The leader of a started command's processes, so that what a killed agent left running can
    // be stopped when it starts again. False when it cannot be noted now.
    bool noteProcess(const QString &command, const ProcessSession::Leader &leader);
    std::optional<ProcessSession::Leader> processOf(const QString &command);

    bool contextSent(const QString &session);
    // False (errorString() says why) when it cannot be noted now: the next start captures the
    // context again, and its derived id keeps that second one off the record.
    bool markContextSent(const QString &session);

private:
    bool loadIdNamespace();

    QString m_connection;
    QString m_error;
    QUuid m_idNamespace;
};

} // namespace casefile
