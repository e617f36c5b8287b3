#include "HypothesisModel.h"

#include "DisplayFormat.h"

#include "events/bodies/HypothesisAddedBody.h"
#include "events/bodies/HypothesisUpdatedBody.h"

#include <QLocale>

namespace casefile {

HypothesisModel::HypothesisModel(QObject *parent) : QAbstractTableModel(parent) {}

void HypothesisModel::addEvents(const QList<Event> &events)
{
    const int openBefore = openCount();
    for (const Event &e : events) {
        if (e.kind == EventKind::HypothesisAdded) {
            const auto b = e.bodyAs<HypothesisAddedBody>();
            if (m_rowOf.contains(b.hypothesis))
                continue;
            const int row = int(m_rows.size());
            beginInsertRows(QModelIndex(), row, row);
            Row r;
            r.id = b.hypothesis;
            r.text = b.text;
            r.updated = QDateTime::fromString(e.at, Qt::ISODateWithMs);
            m_rows.push_back(std::move(r));
            m_rowOf.insert(b.hypothesis, row);
            endInsertRows();
        } else if (e.kind == EventKind::HypothesisUpdated) {
            const auto b = e.bodyAs<HypothesisUpdatedBody>();
            const auto it = m_rowOf.constFind(b.hypothesis);
            if (it == m_rowOf.cend())
                continue; // the server accepts it; without its text there is nothing to show
            Row &r = m_rows[size_t(*it)];
            r.status = b.status;
            // Reopening keeps what was found so far; a new decision brings its own evidence.
            if (!b.evidence.isEmpty() || b.status != QLatin1String("open")) {
                r.evidence.clear();
                for (const auto &ev : b.evidence)
                    r.evidence.append(
                        {ev.command, ev.fromLine.value_or(-1), ev.toLine.value_or(-1)});
            }
            r.note = b.note.value_or(QString());
            r.updated = QDateTime::fromString(e.at, Qt::ISODateWithMs);
            emit dataChanged(index(*it, 0), index(*it, ColumnCount - 1));
        }
    }
    if (openCount() != openBefore)
        emit openCountChanged(openCount());
}

void HypothesisModel::setCommandText(const QString &command, const QString &text)
{
    m_commandTexts.insert(command, text);
}

void HypothesisModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    m_commandTexts.clear();
    endResetModel();
    emit openCountChanged(0);
}

int HypothesisModel::openCount() const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(),
                             [](const Row &r) { return r.status == QLatin1String("open"); }));
}

QList<HypothesisModel::Evidence> HypothesisModel::evidence(const QString &hypothesis) const
{
    const auto it = m_rowOf.constFind(hypothesis);
    return it == m_rowOf.cend() ? QList<Evidence>() : m_rows[size_t(*it)].evidence;
}

QModelIndex HypothesisModel::indexOf(const QString &hypothesis) const
{
    const auto it = m_rowOf.constFind(hypothesis);
    return it == m_rowOf.cend() ? QModelIndex() : index(*it, 0);
}

int HypothesisModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HypothesisModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString HypothesisModel::evidenceText(const Evidence &e) const
{
    QString command = m_commandTexts.value(e.command, e.command.left(8));
    if (command.size() > 40)
        command = command.left(39) + QChar(0x2026);
    if (e.fromLine < 0)
        return command;
    // Lines are stored from 0 and shown from 1, as in the output viewer.
    if (e.toLine <= e.fromLine)
        return tr("%1, line %2").arg(command).arg(e.fromLine + 1);
    return tr("%1, lines %2–%3").arg(command).arg(e.fromLine + 1).arg(e.toLine + 1);
}

QVariant HypothesisModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StatusColumn:
            return r.status == QLatin1String("ruled_out")   ? tr("Ruled out")
                   : r.status == QLatin1String("confirmed") ? tr("Confirmed")
                                                            : tr("Open");
        case TextColumn:
            return r.text;
        case EvidenceColumn: {
            QStringList parts;
            for (const Evidence &e : r.evidence)
                parts << evidenceText(e);
            return parts.join(QStringLiteral("; "));
        }
        case UpdatedColumn:
            return DisplayFormat::when(r.updated);
        }
        return {};
    case Qt::ToolTipRole:
        return r.note.isEmpty() ? r.text : tr("%1\n\nNote: %2").arg(r.text, r.note);
    case IdRole:
        return r.id;
    case StatusRole:
        return r.status;
    case EvidenceCommandsRole: {
        QStringList ids;
        for (const Evidence &e : r.evidence)
            ids << e.command;
        return ids;
    }
    case NoteRole:
        return r.note;
    default:
        return {};
    }
}

QVariant HypothesisModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StatusColumn:
        return tr("State");
    case TextColumn:
        return tr("Hypothesis");
    case EvidenceColumn:
        return tr("Evidence");
    case UpdatedColumn:
        return tr("Updated");
    }
    return {};
}

} // namespace casefile
