#pragma once

#include <QStyledItemDelegate>

namespace casefile {

// Colours the decision column of the findings tree (redact, keep, undecided, mixed) from the
// palette's lightness, so the state of a review reads at a glance in both themes.
class FindingsDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    static QColor decisionColor(int decision, const QPalette &palette);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace casefile
