#pragma once

#include <QStyledItemDelegate>

namespace casefile {

// Timeline rows at a glance: problems (failed, denied, non-zero exit) in the palette's warning
// red, running commands and pending approvals in bold.
class TimelineDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace casefile
