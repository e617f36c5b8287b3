#include "TimelineDelegate.h"

#include "TimelineModel.h"

namespace casefile {

void TimelineDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const bool dark = option->palette.color(QPalette::Base).lightness() < 128;
    if (index.data(TimelineModel::ProblemRole).toBool())
        option->palette.setColor(QPalette::Text, dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb0, 0x1c, 0x1c));
    if (index.data(TimelineModel::RunningRole).toBool())
        option->font.setBold(true);
}

} // namespace casefile
