#include "SessionTreeDelegate.h"

#include "SessionTreeModel.h"

#include <QIcon>

namespace casefile {

void SessionTreeDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.column() != SessionTreeModel::NameColumn)
        return;
    const auto type = index.data(SessionTreeModel::NodeTypeRole).value<SessionTreeModel::NodeType>();
    const bool live = index.data(SessionTreeModel::LiveRole).toBool();
    QString icon;
    switch (type) {
    case SessionTreeModel::NodeType::ClientGroup:
        icon = QStringLiteral(":/icons/client-group.svg");
        break;
    case SessionTreeModel::NodeType::Endpoint:
        icon = live ? QStringLiteral(":/icons/online.svg") : QStringLiteral(":/icons/endpoint.svg");
        break;
    case SessionTreeModel::NodeType::Session:
        icon = live ? QStringLiteral(":/icons/live.svg") : QStringLiteral(":/icons/session.svg");
        if (live)
            option->font.setBold(true);
        break;
    }
    option->icon = QIcon(icon);
    option->features |= QStyleOptionViewItem::HasDecoration;
}

} // namespace casefile
