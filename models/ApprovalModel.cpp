#include "ApprovalModel.h"

#include "DisplayFormat.h"
#include "events/bodies/ApprovalDecidedBody.h"
#include "events/bodies/ApprovalRequestedBody.h"
#include "events/bodies/CommandFinishedBody.h"
#include "events/bodies/CommandRequestedBody.h"

#include <QBrush>
#include <QFont>
#include <QLocale>

namespace casefile {

ApprovalModel::ApprovalModel(QObject *parent) : QAbstractTableModel(parent) {}

void ApprovalModel::addEvents(const QList<Event> &events)
{
    const int pendingBefore = pendingCount();
    for (const Event &e : events) {
        switch (e.kind) {
        case EventKind::CommandRequested: {
            const auto b = e.bodyAs<CommandRequestedBody>();
            m_commandTexts.insert(b.command, b.text);
            break;
        }
        case EventKind::ApprovalRequested: {
            const auto b = e.bodyAs<ApprovalRequestedBody>();
            if (m_rowOf.contains(b.command))
                break;
            const int row = int(m_rows.size());
            beginInsertRows(QModelIndex(), row, row);
            Row r;
            r.command = b.command;
            r.commandText = m_commandTexts.value(b.command);
            r.prompt = b.prompt;
            r.requestedAt = QDateTime::fromString(e.at, Qt::ISODateWithMs);
            m_rows.push_back(std::move(r));
            m_rowOf.insert(b.command, row);
            endInsertRows();
            break;
        }
        case EventKind::ApprovalDecided: {
            const auto b = e.bodyAs<ApprovalDecidedBody>();
            const auto it = m_rowOf.constFind(b.command);
            if (it == m_rowOf.cend())
                break;
            Row &r = m_rows[size_t(*it)];
            r.decision = b.decision;
            r.decidedBy = b.decidedBy;
            r.decidedAt = QDateTime::fromString(b.decidedAt, Qt::ISODateWithMs);
            r.reason = b.reason.value_or(QString());
            emit dataChanged(index(*it, 0), index(*it, ColumnCount - 1));
            break;
        }
        case EventKind::CommandFinished: {
            // Cancelled while the question was open: the agent withdraws it undecided.
            const auto b = e.bodyAs<CommandFinishedBody>();
            const auto it = m_rowOf.constFind(b.command);
            if (it == m_rowOf.cend() || !m_rows[size_t(*it)].decision.isEmpty())
                break;
            Row &r = m_rows[size_t(*it)];
            r.decision = QStringLiteral("withdrawn");
            r.decidedAt = QDateTime::fromString(e.at, Qt::ISODateWithMs);
            emit dataChanged(index(*it, 0), index(*it, ColumnCount - 1));
            break;
        }
        case EventKind::SessionClosed:
            // The agent withdraws every question still open when the session closes.
            for (int i = 0; i < int(m_rows.size()); ++i) {
                Row &r = m_rows[size_t(i)];
                if (!r.decision.isEmpty())
                    continue;
                r.decision = QStringLiteral("withdrawn");
                r.decidedAt = QDateTime::fromString(e.at, Qt::ISODateWithMs);
                emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
            }
            break;
        default:
            break;
        }
    }
    if (pendingCount() != pendingBefore)
        emit pendingCountChanged(pendingCount());
}

void ApprovalModel::tick()
{
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (m_rows[size_t(i)].decision.isEmpty())
            emit dataChanged(index(i, DecisionColumn), index(i, DecidedAtColumn));
    }
}

void ApprovalModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    m_commandTexts.clear();
    endResetModel();
    emit pendingCountChanged(0);
}

int ApprovalModel::pendingCount() const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(),
                             [](const Row &r) { return r.decision.isEmpty(); }));
}

int ApprovalModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ApprovalModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ApprovalModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[size_t(index.row())];
    const bool pending = r.decision.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case RequestedColumn:
            return DisplayFormat::when(r.requestedAt);
        case CommandColumn:
            return r.commandText.isEmpty() ? r.prompt.section(QLatin1Char('\n'), 0, 0)
                                           : r.commandText;
        case DecisionColumn:
            if (pending)
                return tr("Pending");
            if (r.decision == QLatin1String("approved"))
                return tr("Approved");
            if (r.decision == QLatin1String("denied"))
                return tr("Denied");
            if (r.decision == QLatin1String("timed_out"))
                return tr("Timed out");
            return tr("Withdrawn");
        case DecidedByColumn:
            return r.decidedBy;
        case DecidedAtColumn:
            if (pending)
                return tr("waiting %1")
                    .arg(DisplayFormat::duration(
                        r.requestedAt.msecsTo(QDateTime::currentDateTimeUtc())));
            return DisplayFormat::when(r.decidedAt);
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = tr("Requested %1").arg(DisplayFormat::exactly(r.requestedAt));
        if (!pending)
            tip += QLatin1Char('\n') + tr("Decided %1 by %2").arg(DisplayFormat::exactly(r.decidedAt), r.decidedBy);
        tip += QStringLiteral("\n\n") + r.prompt;
        if (!r.reason.isEmpty())
            tip += QStringLiteral("\n\n") + tr("Reason: %1").arg(r.reason);
        return tip;
    }
    case Qt::FontRole:
        if (pending) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case CommandIdRole:
        return r.command;
    case PromptRole:
        return r.prompt;
    case PendingRole:
        return pending;
    case DecisionRole:
        return r.decision;
    default:
        return {};
    }
}

QVariant ApprovalModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RequestedColumn:
        return tr("Requested");
    case CommandColumn:
        return tr("Command");
    case DecisionColumn:
        return tr("Decision");
    case DecidedByColumn:
        return tr("Decided by");
    case DecidedAtColumn:
        return tr("Decided at");
    }
    return {};
}

} // namespace casefile
