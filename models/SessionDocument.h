#pragma once

#include "ApprovalModel.h"
#include "ChatModel.h"
#include "ContextModel.h"
#include "HypothesisModel.h"
#include "OutputBuffer.h"
#include "TimelineModel.h"
#include "events/Event.h"

#include <QHash>
#include <QObject>
#include <memory>
#include <unordered_map>

namespace casefile {

// One session as the console shows it: every pane's model, and each command's output, folded
// from the session's events as they arrive (from the cache, then live). The events themselves
// are not kept: a million-line session costs its output bytes and its rows, not its JSON.
class SessionDocument : public QObject
{
    Q_OBJECT
public:
    struct Command
    {
        QString id;
        QString shell;
        QString text;
        bool change = false;
        bool finished = false;
        std::unique_ptr<OutputBuffer> output = std::make_unique<OutputBuffer>();
    };

    explicit SessionDocument(const QString &session, QObject *parent = nullptr);

    QString session() const { return m_session; }
    QString title() const { return m_title; }
    QString endpoint() const { return m_endpoint; }
    bool isClosed() const { return m_closed; }
    qint64 lastSeq() const { return m_lastSeq; }

    TimelineModel *timeline() { return &m_timeline; }
    HypothesisModel *hypotheses() { return &m_hypotheses; }
    ApprovalModel *approvals() { return &m_approvals; }
    ChatModel *chat() { return &m_chat; }
    ContextModel *context() { return &m_context; }

    // Events of this session, ascending; anything at or below lastSeq() is skipped.
    void addEvents(const QList<Event> &events);

    // Loading from the local cache, which keeps outputs apart from the decoded events: after
    // addEvents() with every other event, the output chunks as UTF-8, in seq order, then
    // finishCachedLoad() with the highest seq loaded.
    void appendCachedOutput(const QString &command, OutputStream stream, const QByteArray &utf8);
    // The same, with the data as it stands in the stored JSON (see OutputBuffer::appendJsonEscaped).
    bool appendCachedOutputEscaped(const QString &command, OutputStream stream, QByteArrayView escaped);
    void finishCachedLoad(qint64 lastSeq);

    const Command *command(const QString &id) const;
    const OutputBuffer *output(const QString &command) const;
    QStringList commandIds() const { return m_order; }
    QString lastCommand() const { return m_order.isEmpty() ? QString() : m_order.last(); }

    void setActorName(const QString &id, const QString &name);

signals:
    // New text in a command's output; `firstChangedLine` is the first line that grew or is new.
    void outputAppended(const QString &command, qsizetype firstChangedLine);
    void commandFinished(const QString &command);
    void eventsAdded(qint64 lastSeq);
    void closedChanged(bool closed);

private:
    // Tells the timeline and the viewers which commands' output grew, from which line.
    void announceGrowth(const QHash<QString, qsizetype> &grown);

    QString m_session;
    QString m_title;
    QString m_endpoint;
    bool m_closed = false;
    qint64 m_lastSeq = 0;
    TimelineModel m_timeline;
    HypothesisModel m_hypotheses;
    ApprovalModel m_approvals;
    ChatModel m_chat;
    ContextModel m_context;
    std::unordered_map<QString, Command> m_commands;
    QStringList m_order;
    QHash<QString, qsizetype> m_cachedGrowth; // command → first line changed by the cache load
};

} // namespace casefile
