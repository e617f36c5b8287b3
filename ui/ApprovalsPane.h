#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTableView;
class QTimer;

namespace casefile {

class ApprovalModel;

// The consent record: each request with its decision; the exact prompt of the selected one.
// Pending requests are bold, counted at the top and show how long they have waited.
class ApprovalsPane : public QWidget
{
    Q_OBJECT
public:
    explicit ApprovalsPane(QWidget *parent = nullptr);
    void setModel(ApprovalModel *model);
    QTableView *view() const { return m_view; }
    QString pendingText() const;

private:
    void updateState();
    void showPrompt();

    ApprovalModel *m_model = nullptr;
    QLabel *m_pending;
    QTableView *m_view;
    QPlainTextEdit *m_prompt;
};

} // namespace casefile
