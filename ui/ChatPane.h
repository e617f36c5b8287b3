#pragma once

#include <QWidget>

class QLineEdit;
class QListView;
class QPushButton;

namespace casefile {

class ChatModel;

// Chat with the person at the endpoint; Enter sends.
class ChatPane : public QWidget
{
    Q_OBJECT
public:
    explicit ChatPane(QWidget *parent = nullptr);
    void setModel(ChatModel *model);
    void setEditable(bool editable);
    QLineEdit *input() const { return m_input; }
    QListView *view() const { return m_view; }

signals:
    void sendRequested(const QString &text);

private:
    QListView *m_view;
    QLineEdit *m_input;
    QPushButton *m_send;
};

} // namespace casefile
