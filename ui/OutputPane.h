#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace casefile {

class ElidedLabel;
class OutputView;
class SessionDocument;

// The output viewer with its header (which command, how many lines, following or not) and the
// find bar (Ctrl+F, Enter / F3 next, Shift+Enter / Shift+F3 previous, Esc closes).
class OutputPane : public QWidget
{
    Q_OBJECT
public:
    explicit OutputPane(QWidget *parent = nullptr);

    void setDocument(SessionDocument *document);
    void showCommand(const QString &command);
    QString command() const { return m_command; }
    OutputView *view() const { return m_view; }

    void openFind();
    bool findNext(bool backward = false);
    QString findStatus() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onOutputAppended(const QString &command);
    void updateHeader();

    SessionDocument *m_document = nullptr;
    QString m_command;
    ElidedLabel *m_header;
    OutputView *m_view;
    QWidget *m_findBar;
    QLineEdit *m_findEdit;
    QCheckBox *m_caseSensitive;
    QLabel *m_findStatus;
    QToolButton *m_closeFind = nullptr;
    bool m_syntaxDecided = false;
};

} // namespace casefile
