#pragma once

#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QPlainTextEdit;
class QPushButton;

namespace casefile {

// Where a technician types: the shell, "this is a change — ask the end user", the command, and
// the history (Up on the first line / Down on the last). Ctrl+Enter runs.
class CommandBar : public QWidget
{
    Q_OBJECT
public:
    explicit CommandBar(QWidget *parent = nullptr);

    QString shell() const;
    void setShell(const QString &shell);
    bool isChange() const;
    void setChange(bool change);
    QString text() const;
    void setText(const QString &text);
    QStringList history() const { return m_history; }
    void setHistory(const QStringList &history);
    void setRunEnabled(bool enabled);
    QPlainTextEdit *editor() const { return m_edit; }

    // Runs what is typed, as Ctrl+Enter does.
    void submit();

signals:
    void runRequested(const QString &shell, const QString &text, bool change);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void browseHistory(int step);

    QComboBox *m_shell;
    QCheckBox *m_change;
    QPlainTextEdit *m_edit;
    QPushButton *m_run;
    QStringList m_history;
    int m_historyPos = -1; // -1: not browsing
    QString m_draft;       // what was typed before browsing
};

} // namespace casefile
