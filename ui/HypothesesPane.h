#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace casefile {

class HypothesisModel;

// Hypotheses of the open session: add, rule out, confirm, reopen, and a count of open ones.
// Ruling out or confirming takes the evidence the main window offers (the selected output
// lines or command); double-clicking a hypothesis jumps to its evidence.
class HypothesesPane : public QWidget
{
    Q_OBJECT
public:
    explicit HypothesesPane(QWidget *parent = nullptr);

    void setModel(HypothesisModel *model);
    QTableView *view() const { return m_view; }
    QString currentHypothesis() const;
    void setEditable(bool editable);

signals:
    void addRequested(const QString &text);
    // status: "ruled_out", "confirmed" or "open".
    void statusChangeRequested(const QString &hypothesis, const QString &status);
    void evidenceActivated(const QString &hypothesis);

private:
    void updateState();

    HypothesisModel *m_model = nullptr;
    QTableView *m_view;
    QLabel *m_count;
    QPushButton *m_add;
    QPushButton *m_ruleOut;
    QPushButton *m_confirm;
    QPushButton *m_reopen;
    bool m_editable = true;
};

} // namespace casefile
