#pragma once

#include <QStyledItemDelegate>

namespace casefile {

// Icons for the sessions browser: client group, endpoint (online or not), session (live or
// closed); live sessions in bold.
class SessionTreeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace casefile
