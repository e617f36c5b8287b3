#include "TimelineDelegate.h"

#include "Theme.h"
#include "TimelineModel.h"

#include <QHash>
#include <QIcon>

namespace casefile {

void TimelineDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(TimelineModel::ProblemRole).toBool())
        option->palette.setColor(QPalette::Text, Theme::problemColor(option->palette));
    if (index.column() == TimelineModel::KindColumn) {
        static const QHash<TimelineModel::EntryType, QString> icons{
            {TimelineModel::EntryType::SessionOpened, QStringLiteral(":/icons/session.svg")},
            {TimelineModel::EntryType::SessionClosed, QStringLiteral(":/icons/session.svg")},
            {TimelineModel::EntryType::Context, QStringLiteral(":/icons/context.svg")},
            {TimelineModel::EntryType::Command, QStringLiteral(":/icons/run.svg")},
            {TimelineModel::EntryType::Output, QStringLiteral(":/icons/find.svg")},
            {TimelineModel::EntryType::Approval, QStringLiteral(":/icons/approval.svg")},
            {TimelineModel::EntryType::Hypothesis, QStringLiteral(":/icons/hypothesis.svg")},
            {TimelineModel::EntryType::Chat, QStringLiteral(":/icons/chat.svg")},
        };
        const QString icon = icons.value(index.data(TimelineModel::EntryTypeRole).value<TimelineModel::EntryType>());
        if (!icon.isEmpty()) {
            option->icon = QIcon(icon);
            option->features |= QStyleOptionViewItem::HasDecoration;
        }
    }
    if (index.data(TimelineModel::RunningRole).toBool())
        option->font.setBold(true);
}

} // namespace casefile
