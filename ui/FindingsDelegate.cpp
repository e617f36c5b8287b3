#include "FindingsDelegate.h"

#include "FindingsModel.h"
#include "Theme.h"

namespace casefile {

QColor FindingsDelegate::decisionColor(int decision, const QPalette &palette)
{
    const bool dark = Theme::isDark(palette);
    switch (decision) {
    case int(RedactionPlan::Decision::Redact): return dark ? QColor(0xf8, 0x71, 0x71) : QColor(0xb9, 0x1c, 0x1c);
    case int(RedactionPlan::Decision::Keep): return dark ? QColor(0x4a, 0xde, 0x80) : QColor(0x15, 0x80, 0x3d);
    case FindingsModel::Mixed: return dark ? QColor(0x93, 0xc5, 0xfd) : QColor(0x1d, 0x4e, 0xd8);
    default: return dark ? QColor(0xfb, 0xbf, 0x24) : QColor(0xb4, 0x53, 0x09);
    }
}

void FindingsDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.column() == FindingsModel::DecisionColumn) {
        const int decision = index.data(FindingsModel::DecisionRole).toInt();
        if (!(option->state & QStyle::State_Selected))
            option->palette.setColor(QPalette::Text, decisionColor(decision, option->palette));
    } else if (index.column() == FindingsModel::WhereColumn || index.column() == FindingsModel::CountColumn) {
        if (!(option->state & QStyle::State_Selected))
            option->palette.setColor(QPalette::Text, option->palette.color(QPalette::PlaceholderText));
    }
}

} // namespace casefile
