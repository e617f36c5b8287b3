#pragma once

#include <QAbstractItemView>
#include <QItemSelectionModel>

namespace casefile {

// Small helpers for the item views of the console.
class ItemViews
{
public:
    // QAbstractItemView::setModel leaves the old selection model to the caller; every pane
    // switching sessions would otherwise keep one per session it ever showed.
    static void setModel(QAbstractItemView *view, QAbstractItemModel *model)
    {
        QItemSelectionModel *old = view->selectionModel();
        view->setModel(model);
        delete old;
    }
};

} // namespace casefile
