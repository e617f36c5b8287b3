#include "TimelineModel.h"

#include "DisplayFormat.h"

#include "events/bodies/ApprovalDecidedBody.h"
#include "events/bodies/ApprovalRequestedBody.h"
#include "events/bodies/ChatMessageBody.h"
#include "events/bodies/CommandFinishedBody.h"
#include "events/bodies/CommandRequestedBody.h"
#include "events/bodies/CommandStartedBody.h"
#include "events/bodies/ContextCapturedBody.h"
#include "events/bodies/HypothesisAddedBody.h"
#include "events/bodies/HypothesisUpdatedBody.h"
#include "events/bodies/NoteAddedBody.h"
#include "events/bodies/SessionClosedBody.h"
#include "events/bodies/SessionOpenedBody.h"

#include <QLocale>

namespace casefile {

namespace {

// A child (output) row carries its parent's row + 1; top-level rows carry 0.
constexpr quintptr topLevel = 0;

QString firstLine(const QString &text)
{
    const qsizetype nl = text.indexOf(QLatin1Char('\n'));
    return nl < 0 ? text : text.left(nl) + QStringLiteral(" …");
}

} // namespace

TimelineModel::TimelineModel(QObject *parent) : QAbstractItemModel(parent) {}

TimelineModel::Entry &TimelineModel::entryAt(qsizetype i)
{
    const auto n = qsizetype(m_entries.size());
    return i < n ? m_entries[size_t(i)] : m_staged[size_t(i - n)];
}

void TimelineModel::markChanged(qsizetype i)
{
    if (i >= qsizetype(m_entries.size()))
        return; // staged rows are inserted with their final content
    m_changedFirst = m_changedFirst < 0 ? i : qMin(m_changedFirst, i);
    m_changedLast = qMax(m_changedLast, i);
}

void TimelineModel::addEvents(const QList<Event> &events)
{
    m_changedFirst = m_changedLast = -1;
    for (const Event &e : events)
        apply(e);
    if (m_changedFirst >= 0)
        emit dataChanged(index(int(m_changedFirst), 0), index(int(m_changedLast), ColumnCount - 1));
    if (!m_staged.empty()) {
        const int first = int(m_entries.size());
        beginInsertRows(QModelIndex(), first, first + int(m_staged.size()) - 1);
        for (Entry &e : m_staged)
            m_entries.push_back(std::move(e));
        m_staged.clear();
        endInsertRows();
    }
}

void TimelineModel::apply(const Event &e)
{
    Entry row;
    row.seq = e.seq;
    row.at = QDateTime::fromString(e.at, Qt::ISODateWithMs);
    row.actorId = e.actor.id;
    row.actorType = e.actor.type;
    const qsizetype next = qsizetype(m_entries.size() + m_staged.size());

    switch (e.kind) {
    case EventKind::SessionOpened: {
        const auto b = e.bodyAs<SessionOpenedBody>();
        row.type = EntryType::SessionOpened;
        row.summary = b.ticket && !b.ticket->isEmpty()
                          ? tr("Session opened: %1 (ticket %2)").arg(b.title, *b.ticket)
                          : tr("Session opened: %1").arg(b.title);
        if (b.followUpOf)
            row.detail = tr("Follow-up of session %1").arg(*b.followUpOf);
        break;
    }
    case EventKind::ContextCaptured: {
        const auto b = e.bodyAs<ContextCapturedBody>();
        row.type = EntryType::Context;
        row.summary = tr("Machine context: %1, %2 %3").arg(b.hostname, b.os, b.osVersion);
        break;
    }
    case EventKind::CommandRequested: {
        const auto b = e.bodyAs<CommandRequestedBody>();
        row.type = EntryType::Command;
        row.commandId = b.command;
        row.shell = b.shell;
        row.change = b.change;
        row.summary = b.text;
        row.detail = b.text;
        m_commandRow.insert(b.command, next);
        break;
    }
    case EventKind::ApprovalRequested: {
        const auto b = e.bodyAs<ApprovalRequestedBody>();
        row.type = EntryType::Approval;
        row.commandId = b.command;
        row.summary = firstLine(b.prompt);
        row.detail = b.prompt;
        row.status = tr("pending");
        row.pending = true;
        m_approvalRow.insert(b.command, next);
        if (const auto c = m_commandRow.constFind(b.command); c != m_commandRow.cend()) {
            entryAt(*c).phase = Phase::AwaitingApproval;
            markChanged(*c);
        }
        break;
    }
    case EventKind::ApprovalDecided: {
        const auto b = e.bodyAs<ApprovalDecidedBody>();
        if (const auto a = m_approvalRow.constFind(b.command); a != m_approvalRow.cend()) {
            Entry &approval = entryAt(*a);
            approval.status =
                b.decision == QLatin1String("approved") ? tr("approved by %1").arg(b.decidedBy)
                : b.decision == QLatin1String("denied") ? tr("denied by %1").arg(b.decidedBy)
                                                        : tr("timed out");
            approval.problem = b.decision != QLatin1String("approved");
            approval.pending = false;
            markChanged(*a);
        }
        if (const auto c = m_commandRow.constFind(b.command); c != m_commandRow.cend()) {
            entryAt(*c).phase = Phase::Queued;
            markChanged(*c);
        }
        return; // updates rows, adds none
    }
    case EventKind::CommandStarted: {
        const auto b = e.bodyAs<CommandStartedBody>();
        if (const auto c = m_commandRow.constFind(b.command); c != m_commandRow.cend()) {
            Entry &cmd = entryAt(*c);
            cmd.phase = Phase::Running;
            cmd.startedAt = row.at;
            cmd.runAs = b.user;
            markChanged(*c);
        }
        return;
    }
    case EventKind::CommandOutput:
        return; // counted through setOutputLines, which sees the whole buffer
    case EventKind::CommandFinished: {
        const auto b = e.bodyAs<CommandFinishedBody>();
        if (const auto c = m_commandRow.constFind(b.command); c != m_commandRow.cend()) {
            Entry &cmd = entryAt(*c);
            cmd.phase = Phase::Finished;
            cmd.finishStatus = b.status;
            cmd.exitCode = b.exitCode;
            cmd.durationMs = b.durationMs;
            cmd.problem = b.status != QLatin1String("exited") || b.exitCode.value_or(0) != 0;
            if (b.error)
                cmd.detail = cmd.summary + QStringLiteral("\n\n") + *b.error;
            markChanged(*c);
        }
        // A question withdrawn by a cancel is never decided.
        if (const auto a = m_approvalRow.constFind(b.command); a != m_approvalRow.cend()) {
            Entry &approval = entryAt(*a);
            if (approval.pending) {
                approval.pending = false;
                approval.status = tr("withdrawn");
                markChanged(*a);
            }
        }
        return;
    }
    case EventKind::HypothesisAdded: {
        const auto b = e.bodyAs<HypothesisAddedBody>();
        row.type = EntryType::Hypothesis;
        row.hypothesisId = b.hypothesis;
        row.summary = b.text;
        row.status = tr("added");
        m_hypothesisText.insert(b.hypothesis, b.text);
        break;
    }
    case EventKind::HypothesisUpdated: {
        const auto b = e.bodyAs<HypothesisUpdatedBody>();
        row.type = EntryType::Hypothesis;
        row.hypothesisId = b.hypothesis;
        row.summary = m_hypothesisText.value(b.hypothesis, b.hypothesis);
        row.status = b.status == QLatin1String("ruled_out")   ? tr("ruled out")
                     : b.status == QLatin1String("confirmed") ? tr("confirmed")
                                                              : tr("reopened");
        if (b.note)
            row.detail = *b.note;
        if (!b.evidence.isEmpty())
            row.detail += (row.detail.isEmpty() ? QString() : QStringLiteral("\n")) +
                          tr("%n piece(s) of evidence", nullptr, int(b.evidence.size()));
        break;
    }
    case EventKind::ChatMessage:
        row.type = EntryType::Chat;
        row.summary = e.bodyAs<ChatMessageBody>().text;
        row.detail = row.summary;
        break;
    case EventKind::NoteAdded:
        row.type = EntryType::Note;
        row.summary = e.bodyAs<NoteAddedBody>().text;
        row.detail = row.summary;
        break;
    case EventKind::SessionClosed: {
        const auto b = e.bodyAs<SessionClosedBody>();
        row.type = EntryType::SessionClosed;
        row.summary = b.summary ? tr("Session closed: %1").arg(*b.summary) : tr("Session closed");
        // Nothing follows a close: the agent withdraws open questions and stops what runs, and
        // their ends cannot be recorded, so rows still live end here instead of ticking on.
        const qsizetype rows = qsizetype(m_entries.size() + m_staged.size());
        for (qsizetype i = 0; i < rows; ++i) {
            Entry &open = entryAt(i);
            if (!isLive(open))
                continue;
            if (open.type == EntryType::Command) {
                if (open.phase == Phase::Running && open.startedAt.isValid())
                    open.durationMs = open.startedAt.msecsTo(row.at); // ran at least this long
                open.phase = Phase::Finished;
                open.finishStatus = QStringLiteral("closed");
                open.problem = true;
            } else {
                open.pending = false;
                open.status = tr("withdrawn");
            }
            markChanged(i);
        }
        break;
    }
    }
    m_staged.push_back(std::move(row));
}

void TimelineModel::setOutputLines(const QString &command, qsizetype lines, const QString &lastLine)
{
    const auto c = m_commandRow.constFind(command);
    if (c == m_commandRow.cend() || *c >= qsizetype(m_entries.size()))
        return;
    Entry &cmd = m_entries[size_t(*c)];
    cmd.lines = lines;
    cmd.lastLine = lastLine;
    const QModelIndex parentIndex = index(int(*c), 0);
    if (!cmd.hasOutputRow && lines > 0) {
        beginInsertRows(parentIndex, 0, 0);
        cmd.hasOutputRow = true;
        endInsertRows();
    } else if (cmd.hasOutputRow) {
        emit dataChanged(index(0, 0, parentIndex), index(0, ColumnCount - 1, parentIndex));
    }
    emit dataChanged(index(int(*c), SummaryColumn), index(int(*c), ColumnCount - 1));
}

void TimelineModel::setActorName(const QString &id, const QString &name)
{
    if (m_actorNames.value(id) == name)
        return;
    m_actorNames.insert(id, name);
    if (!m_entries.empty())
        emit dataChanged(index(0, ActorColumn), index(int(m_entries.size()) - 1, ActorColumn));
}

void TimelineModel::tick()
{
    for (size_t i = 0; i < m_entries.size(); ++i) {
        if (isLive(m_entries[i]))
            emit dataChanged(index(int(i), StatusColumn), index(int(i), DurationColumn));
    }
}

void TimelineModel::clear()
{
    beginResetModel();
    m_entries.clear();
    m_staged.clear();
    m_commandRow.clear();
    m_approvalRow.clear();
    m_hypothesisText.clear();
    endResetModel();
}

QModelIndex TimelineModel::indexOfCommand(const QString &command, int column) const
{
    const auto c = m_commandRow.constFind(command);
    if (c == m_commandRow.cend() || *c >= qsizetype(m_entries.size()))
        return {};
    return index(int(*c), column);
}

bool TimelineModel::isLive(const Entry &e)
{
    return (e.type == EntryType::Command && e.phase != Phase::Finished) || (e.type == EntryType::Approval && e.pending);
}

int TimelineModel::runningCount() const
{
    return int(std::count_if(m_entries.begin(), m_entries.end(), [](const Entry &e) {
        return e.type == EntryType::Command && e.phase != Phase::Finished;
    }));
}

QModelIndex TimelineModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < int(m_entries.size()) ? createIndex(row, column, topLevel) : QModelIndex();
    if (parent.internalId() != topLevel || parent.row() >= int(m_entries.size()))
        return {};
    const Entry &p = m_entries[size_t(parent.row())];
    if (!p.hasOutputRow || row != 0)
        return {};
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex TimelineModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == topLevel)
        return {};
    return createIndex(int(child.internalId() - 1), 0, topLevel);
}

int TimelineModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_entries.size());
    if (parent.internalId() != topLevel || parent.column() != 0)
        return 0;
    return m_entries[size_t(parent.row())].hasOutputRow ? 1 : 0;
}

int TimelineModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QString TimelineModel::actorName(const Entry &entry) const
{
    const QString known = m_actorNames.value(entry.actorId);
    if (!known.isEmpty())
        return known;
    if (entry.actorType == QLatin1String("server"))
        return tr("server");
    return entry.actorId.left(8);
}

QString TimelineModel::kindText(const Entry &e) const
{
    switch (e.type) {
    case EntryType::SessionOpened:
    case EntryType::SessionClosed:
        return tr("Session");
    case EntryType::Context:
        return tr("Context");
    case EntryType::Command:
        return e.change ? tr("Change") : tr("Command");
    case EntryType::Output:
        return tr("Output");
    case EntryType::Approval:
        return tr("Approval");
    case EntryType::Hypothesis:
        return tr("Hypothesis");
    case EntryType::Chat:
        return e.actorType == QLatin1String("endpoint") ? tr("Chat (end user)") : tr("Chat");
    case EntryType::Note:
        return tr("Note");
    }
    return {};
}

QString TimelineModel::statusText(const Entry &e) const
{
    if (e.type != EntryType::Command)
        return e.status;
    switch (e.phase) {
    case Phase::Queued:
        return tr("queued");
    case Phase::AwaitingApproval:
        return tr("awaiting approval");
    case Phase::Running:
        return tr("running");
    case Phase::Finished:
        break;
    }
    if (e.finishStatus == QLatin1String("exited"))
        return tr("exit %1").arg(e.exitCode.value_or(0));
    if (e.finishStatus == QLatin1String("denied"))
        return tr("denied");
    if (e.finishStatus == QLatin1String("cancelled"))
        return tr("cancelled");
    if (e.finishStatus == QLatin1String("timed_out"))
        return tr("timed out");
    if (e.finishStatus == QLatin1String("crashed"))
        return tr("crashed");
    if (e.finishStatus == QLatin1String("closed"))
        return tr("ended with the session");
    return tr("failed");
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() != topLevel) {
        const Entry &cmd = m_entries[size_t(index.internalId() - 1)];
        switch (role) {
        case Qt::DisplayRole:
            if (index.column() == KindColumn)
                return tr("Output");
            if (index.column() == SummaryColumn)
                return tr("%n line(s) — %1", nullptr, int(cmd.lines)).arg(cmd.lastLine);
            return {};
        case Qt::ToolTipRole:
            return cmd.lastLine;
        case EntryTypeRole:
            return QVariant::fromValue(EntryType::Output);
        case CommandIdRole:
            return cmd.commandId;
        case LineCountRole:
            return qint64(cmd.lines);
        case SeqRole:
            return cmd.seq;
        default:
            return {};
        }
    }
    const Entry &e = m_entries[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return DisplayFormat::when(e.at);
        case KindColumn:
            return kindText(e);
        case SummaryColumn:
            return e.type == EntryType::Command
                       ? QStringLiteral("%1 › %2").arg(e.shell, firstLine(e.summary))
                       : firstLine(e.summary);
        case ActorColumn:
            if (e.type == EntryType::Command && !e.runAs.isEmpty())
                return tr("%1 (as %2)").arg(actorName(e), e.runAs);
            return actorName(e);
        case StatusColumn:
            return statusText(e);
        case DurationColumn:
            if (e.type == EntryType::Command) {
                if (e.phase == Phase::Finished)
                    return DisplayFormat::duration(e.durationMs);
                if (e.phase == Phase::Running && e.startedAt.isValid())
                    return DisplayFormat::duration(e.startedAt.msecsTo(QDateTime::currentDateTimeUtc()));
            }
            if (e.type == EntryType::Approval && e.pending)
                return tr("waiting %1")
                    .arg(DisplayFormat::duration(e.at.msecsTo(QDateTime::currentDateTimeUtc())));
            return {};
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return DisplayFormat::exactly(e.at);
        return e.detail.isEmpty() ? e.summary : e.detail;
    case Qt::TextAlignmentRole:
        if (index.column() == DurationColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EntryTypeRole:
        return QVariant::fromValue(e.type);
    case SeqRole:
        return e.seq;
    case CommandIdRole:
        return e.commandId;
    case HypothesisIdRole:
        return e.hypothesisId;
    case PhaseRole:
        return e.type == EntryType::Command ? QVariant::fromValue(e.phase) : QVariant();
    case RunningRole:
        return isLive(e);
    case ProblemRole:
        return e.problem;
    case TimestampRole:
        return e.at;
    case CommandTextRole:
        return e.type == EntryType::Command ? e.summary : QString();
    case LineCountRole:
        return qint64(e.lines);
    default:
        return {};
    }
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case KindColumn:
        return tr("Kind");
    case SummaryColumn:
        return tr("Summary");
    case ActorColumn:
        return tr("By / runs as");
    case StatusColumn:
        return tr("Status");
    case DurationColumn:
        return tr("Duration");
    }
    return {};
}

} // namespace casefile
