#pragma once
// Builds sealed sessions the way the server records them (seq 1, 2, … chained with HashChain),
// with realistic bodies, for the snapshot tests.

#include "events/Event.h"
#include "events/HashChain.h"
#include "events/bodies/ApprovalDecidedBody.h"
#include "events/bodies/ApprovalRequestedBody.h"
#include "events/bodies/ChatMessageBody.h"
#include "events/bodies/CommandFinishedBody.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/CommandRequestedBody.h"
#include "events/bodies/CommandStartedBody.h"
#include "events/bodies/ContextCapturedBody.h"
#include "events/bodies/HypothesisAddedBody.h"
#include "events/bodies/HypothesisUpdatedBody.h"
#include "events/bodies/NoteAddedBody.h"
#include "events/bodies/SessionClosedBody.h"
#include "events/bodies/SessionOpenedBody.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

class SessionBuilder
{
public:
    explicit SessionBuilder(QString session = casefile::Event::newId())
        : session(std::move(session))
    {
    }

    QString session;
    QList<casefile::Event> events;
    casefile::Actor tech{QStringLiteral("user"), QStringLiteral("a81d4c3b-2f6e-4b90-9c17-5e2d8f3a6b04")};
    casefile::Actor agent{QStringLiteral("endpoint"), QStringLiteral("c2e97f15-6a3d-4e58-b1c4-9d07a2f58e31")};

    template<typename Body>
    casefile::Event &append(const Body &body, const casefile::Actor &actor)
    {
        casefile::Event e = casefile::Event::make(session, actor, body);
        e.at = QDateTime::fromString(QStringLiteral("2026-03-11T09:14:02Z"), Qt::ISODate)
                   .addSecs(events.size() * 7)
                   .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
        casefile::HashChain::seal(e, events.size() + 1, events.isEmpty() ? casefile::HashChain::genesis()
                                                                          : events.last().hash);
        events.append(e);
        return events.last();
    }
    qint64 lastSeq() const { return events.size(); }

    void opened(const QString &title, const QString &ticket = {}, const QStringList &tags = {})
    {
        casefile::SessionOpenedBody b;
        b.org = QStringLiteral("5b0e3d72-91c4-4f6a-8d25-e7a16c9f4b38");
        b.clientGroup = QStringLiteral("e4a19c60-3b7d-4a25-9f83-2c6d5e1b7a90");
        b.endpoint = agent.id;
        b.technician = tech.id;
        b.title = title;
        if (!ticket.isEmpty())
            b.ticket = ticket;
        b.tags = tags;
        append(b, tech);
    }
    void context(const QString &hostname, const QString &domain, const QString &user)
    {
        casefile::ContextCapturedBody b;
        b.hostname = hostname;
        b.os = QStringLiteral("Windows 11 Pro");
        b.osVersion = QStringLiteral("23H2");
        b.osBuild = QStringLiteral("22631.3296");
        if (!domain.isEmpty())
            b.domain = domain;
        if (!user.isEmpty())
            b.user = user;
        b.uptimeSeconds = 1209733;
        b.cpu = QStringLiteral("Intel(R) Core(TM) i5-10500T CPU @ 2.30GHz");
        b.cpuCores = 6;
        b.memoryBytes = 17179869184;
        b.updates = {QStringLiteral("KB5035853"), QStringLiteral("KB5035942")};
        append(b, agent);
    }
    QString requested(const QString &text, bool change = false, const QString &shell = QStringLiteral("powershell"))
    {
        casefile::CommandRequestedBody b;
        b.command = casefile::Event::newId();
        b.shell = shell;
        b.text = text;
        b.change = change;
        b.timeoutMs = 120000;
        append(b, tech);
        return b.command;
    }
    void approvalRequested(const QString &command, const QString &prompt)
    {
        casefile::ApprovalRequestedBody b;
        b.command = command;
        b.prompt = prompt;
        append(b, agent);
    }
    void approvalDecided(const QString &command, const QString &decision, const QString &by)
    {
        casefile::ApprovalDecidedBody b;
        b.command = command;
        b.decision = decision;
        b.decidedBy = by;
        b.decidedAt = QStringLiteral("2026-03-11T09:16:31.482Z");
        append(b, agent);
    }
    void started(const QString &command, const QString &user, const QString &cwd = QStringLiteral("C:\\Windows\\system32"))
    {
        casefile::CommandStartedBody b;
        b.command = command;
        b.pid = 7412;
        b.user = user;
        b.cwd = cwd;
        append(b, agent);
    }
    void output(const QString &command, const QString &data, const QString &stream = QStringLiteral("stdout"))
    {
        casefile::CommandOutputBody b;
        b.command = command;
        b.stream = stream;
        b.chunk = m_chunks[command]++;
        b.data = data;
        append(b, agent);
    }
    void finished(const QString &command, qint64 exitCode = 0, const QString &status = QStringLiteral("exited"))
    {
        casefile::CommandFinishedBody b;
        b.command = command;
        b.status = status;
        b.exitCode = exitCode;
        b.durationMs = 3917;
        append(b, agent);
    }
    QString hypothesis(const QString &text)
    {
        casefile::HypothesisAddedBody b;
        b.hypothesis = casefile::Event::newId();
        b.text = text;
        append(b, tech);
        return b.hypothesis;
    }
    void hypothesisUpdated(const QString &hypothesis, const QString &status, const QString &command = {},
                           qint64 fromLine = -1, qint64 toLine = -1, const QString &note = {})
    {
        casefile::HypothesisUpdatedBody b;
        b.hypothesis = hypothesis;
        b.status = status;
        if (!command.isEmpty()) {
            casefile::HypothesisUpdatedBody::Evidence e;
            e.command = command;
            if (fromLine >= 0)
                e.fromLine = fromLine;
            if (toLine >= 0)
                e.toLine = toLine;
            b.evidence.append(e);
        }
        if (!note.isEmpty())
            b.note = note;
        append(b, tech);
    }
    void chat(const QString &text, bool fromEndpoint = false)
    {
        casefile::ChatMessageBody b;
        b.text = text;
        append(b, fromEndpoint ? agent : tech);
    }
    void note(const QString &text)
    {
        casefile::NoteAddedBody b;
        b.text = text;
        append(b, tech);
    }
    void closed(const QString &summary = {})
    {
        casefile::SessionClosedBody b;
        if (!summary.isEmpty())
            b.summary = summary;
        append(b, tech);
    }

private:
    QHash<QString, qint64> m_chunks;
};
