#include "ChatModel.h"

#include "DisplayFormat.h"
#include "events/bodies/ChatMessageBody.h"

#include <QLocale>

namespace casefile {

ChatModel::ChatModel(QObject *parent) : QAbstractListModel(parent) {}

void ChatModel::addEvents(const QList<Event> &events)
{
    std::vector<Row> added;
    for (const Event &e : events) {
        if (e.kind != EventKind::ChatMessage)
            continue;
        Row r;
        r.at = QDateTime::fromString(e.at, Qt::ISODateWithMs);
        r.actorId = e.actor.id;
        r.fromEndUser = e.actor.type == QLatin1String("endpoint");
        r.text = e.bodyAs<ChatMessageBody>().text;
        added.push_back(std::move(r));
    }
    if (added.empty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows(QModelIndex(), first, first + int(added.size()) - 1);
    for (Row &r : added)
        m_rows.push_back(std::move(r));
    endInsertRows();
}

void ChatModel::setActorName(const QString &id, const QString &name)
{
    // Called for every endpoint on each sessions refresh: only a real change repaints.
    if (m_names.value(id) == name)
        return;
    m_names.insert(id, name);
    if (!m_rows.empty())
        emit dataChanged(index(0), index(int(m_rows.size()) - 1));
}

void ChatModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int ChatModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QString ChatModel::author(const Row &row) const
{
    const QString name = m_names.value(row.actorId);
    if (row.fromEndUser)
        return name.isEmpty() ? tr("End user") : tr("End user at %1").arg(name);
    return name.isEmpty() ? row.actorId.left(8) : name;
}

QVariant ChatModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return tr("[%1] %2: %3")
            .arg(QLocale().toString(r.at.toLocalTime().time(), QStringLiteral("HH:mm")), author(r),
                 r.text);
    case Qt::ToolTipRole:
        return DisplayFormat::exactly(r.at);
    case Qt::TextAlignmentRole:
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case AuthorRole:
        return author(r);
    case TextRole:
        return r.text;
    case TimestampRole:
        return r.at;
    case FromEndUserRole:
        return r.fromEndUser;
    default:
        return {};
    }
}

} // namespace casefile
