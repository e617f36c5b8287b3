#include "ChatPane.h"

#include "ChatModel.h"
#include "ItemViews.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QVBoxLayout>

namespace casefile {

ChatPane::ChatPane(QWidget *parent)
    : QWidget(parent)
    , m_view(new QListView(this))
    , m_input(new QLineEdit(this))
    , m_send(new QPushButton(tr("Send"), this))
{
    m_view->setWordWrap(true);
    m_view->setUniformItemSizes(false);
    m_view->setAccessibleName(tr("Chat messages"));
    m_input->setPlaceholderText(tr("Message to the end user"));
    m_input->setAccessibleName(tr("Chat message"));
    m_send->setAccessibleName(tr("Send chat message"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_view, 1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_input, 1);
    row->addWidget(m_send);
    layout->addLayout(row);
    auto send = [this] {
        const QString text = m_input->text().trimmed();
        if (text.isEmpty())
            return;
        m_input->clear();
        emit sendRequested(text);
    };
    connect(m_send, &QPushButton::clicked, this, send);
    connect(m_input, &QLineEdit::returnPressed, this, send);
}

void ChatPane::setModel(ChatModel *model)
{
    ItemViews::setModel(m_view, model);
    if (model) {
        connect(model, &QAbstractItemModel::rowsInserted, m_view, &QListView::scrollToBottom);
        m_view->scrollToBottom();
    }
}

void ChatPane::setEditable(bool editable)
{
    m_input->setEnabled(editable);
    m_send->setEnabled(editable);
}

} // namespace casefile
