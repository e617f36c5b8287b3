#include "SessionDocument.h"

#include "events/bodies/CommandFinishedBody.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/CommandRequestedBody.h"
#include "events/bodies/ContextCapturedBody.h"
#include "events/bodies/SessionOpenedBody.h"

namespace casefile {

SessionDocument::SessionDocument(const QString &session, QObject *parent)
    : QObject(parent), m_session(session)
{}

void SessionDocument::addEvents(const QList<Event> &incoming)
{
    QList<Event> events;
    events.reserve(incoming.size());
    for (const Event &e : incoming) {
        if (e.session == m_session && e.seq > m_lastSeq) {
            events.append(e);
            m_lastSeq = e.seq;
        }
    }
    if (events.isEmpty())
        return;

    QHash<QString, qsizetype> grown; // command → first line that changed
    QStringList finished;
    bool closedNow = false;
    for (const Event &e : events) {
        switch (e.kind) {
        case EventKind::SessionOpened: {
            const auto b = e.bodyAs<SessionOpenedBody>();
            m_title = b.title;
            m_endpoint = b.endpoint;
            break;
        }
        case EventKind::ContextCaptured:
            setActorName(e.actor.id, e.bodyAs<ContextCapturedBody>().hostname);
            break;
        case EventKind::CommandRequested: {
            const auto b = e.bodyAs<CommandRequestedBody>();
            if (m_commands.count(b.command))
                break;
            Command &c = m_commands[b.command];
            c.id = b.command;
            c.shell = b.shell;
            c.text = b.text;
            c.change = b.change;
            m_order.append(b.command);
            m_hypotheses.setCommandText(b.command, b.text);
            break;
        }
        case EventKind::CommandOutput: {
            const auto b = e.bodyAs<CommandOutputBody>();
            const auto it = m_commands.find(b.command);
            if (it == m_commands.end())
                break;
            OutputBuffer &out = *it->second.output;
            if (!grown.contains(b.command))
                grown.insert(b.command, qMax<qsizetype>(0, out.lineCount() - 1));
            out.append(b.stream == QLatin1String("stderr") ? OutputStream::Stderr
                                                           : OutputStream::Stdout,
                       QStringView(b.data));
            break;
        }
        case EventKind::CommandFinished: {
            const auto b = e.bodyAs<CommandFinishedBody>();
            if (const auto it = m_commands.find(b.command); it != m_commands.end()) {
                it->second.finished = true;
                finished.append(b.command);
            }
            break;
        }
        case EventKind::SessionClosed:
            closedNow = !m_closed;
            m_closed = true;
            // What has not finished never will be recorded as finished: it ends with the session.
            for (auto &[id, command] : m_commands) {
                if (!command.finished) {
                    command.finished = true;
                    finished.append(id);
                }
            }
            break;
        default:
            break;
        }
    }

    m_timeline.addEvents(events);
    m_hypotheses.addEvents(events);
    m_approvals.addEvents(events);
    m_chat.addEvents(events);
    m_context.addEvents(events);

    announceGrowth(grown);
    for (const QString &c : finished)
        emit commandFinished(c);
    emit eventsAdded(m_lastSeq);
    if (closedNow)
        emit closedChanged(true);
}

void SessionDocument::appendCachedOutput(const QString &command, OutputStream stream, const QByteArray &utf8)
{
    const auto it = m_commands.find(command);
    if (it == m_commands.end())
        return;
    OutputBuffer &out = *it->second.output;
    const qsizetype firstChanged = qMax<qsizetype>(0, out.lineCount() - 1);
    out.append(stream, utf8);
    m_cachedGrowth.insert(command, qMin(firstChanged, m_cachedGrowth.value(command, firstChanged)));
}

bool SessionDocument::appendCachedOutputEscaped(const QString &command, OutputStream stream, QByteArrayView escaped)
{
    const auto it = m_commands.find(command);
    if (it == m_commands.end())
        return true; // output of a command the record does not have: nothing to show it under
    OutputBuffer &out = *it->second.output;
    const qsizetype firstChanged = qMax<qsizetype>(0, out.lineCount() - 1);
    if (!out.appendJsonEscaped(stream, escaped))
        return false;
    m_cachedGrowth.insert(command, qMin(firstChanged, m_cachedGrowth.value(command, firstChanged)));
    return true;
}

void SessionDocument::finishCachedLoad(qint64 lastSeq)
{
    m_lastSeq = qMax(m_lastSeq, lastSeq);
    announceGrowth(std::exchange(m_cachedGrowth, {}));
    emit eventsAdded(m_lastSeq);
}

void SessionDocument::announceGrowth(const QHash<QString, qsizetype> &grown)
{
    for (auto it = grown.cbegin(); it != grown.cend(); ++it) {
        const OutputBuffer &out = *m_commands.at(it.key()).output;
        // The last line that says something, for the timeline's output row.
        QString last;
        for (qsizetype line = out.lineCount() - 1; line >= 0 && line >= out.lineCount() - 5; --line) {
            last = out.displayText(line).trimmed();
            if (!last.isEmpty())
                break;
        }
        m_timeline.setOutputLines(it.key(), out.lineCount(), last);
        emit outputAppended(it.key(), it.value());
    }
}

const SessionDocument::Command *SessionDocument::command(const QString &id) const
{
    const auto it = m_commands.find(id);
    return it == m_commands.end() ? nullptr : &it->second;
}

const OutputBuffer *SessionDocument::output(const QString &command) const
{
    const Command *c = this->command(command);
    return c ? c->output.get() : nullptr;
}

void SessionDocument::setActorName(const QString &id, const QString &name)
{
    m_timeline.setActorName(id, name);
    m_chat.setActorName(id, name);
}

} // namespace casefile
