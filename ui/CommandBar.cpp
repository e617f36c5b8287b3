#include "CommandBar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBlock>
#include <QVBoxLayout>

namespace casefile {

namespace {
constexpr int maxHistory = 200;
}

CommandBar::CommandBar(QWidget *parent)
    : QWidget(parent)
    , m_shell(new QComboBox(this))
    , m_change(new QCheckBox(tr("This is a change — ask the end user"), this))
    , m_edit(new QPlainTextEdit(this))
    , m_run(new QPushButton(tr("&Run"), this))
{
    m_shell->addItems({QStringLiteral("sh"), QStringLiteral("bash"), QStringLiteral("pwsh")});
    m_shell->setToolTip(tr("Shell the agent runs the command with"));
    m_shell->setAccessibleName(tr("Shell"));
    m_change->setToolTip(tr("The end user must approve the command before it runs"));
    m_change->setAccessibleName(tr("Change: ask the end user for consent"));
    m_edit->setPlaceholderText(tr("Command to run on the endpoint — Ctrl+Enter runs, Up/Down browse history"));
    m_edit->setAccessibleName(tr("Command"));
    m_edit->setTabChangesFocus(true);
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    const int lineHeight = m_edit->fontMetrics().lineSpacing();
    m_edit->setFixedHeight(lineHeight * 3 + 12);
    m_edit->installEventFilter(this);
    m_run->setToolTip(tr("Run on the endpoint (Ctrl+Enter)"));
    m_run->setAccessibleName(tr("Run command"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(m_shell);
    top->addWidget(m_change);
    top->addStretch(1);
    top->addWidget(m_run);
    layout->addLayout(top);
    layout->addWidget(m_edit);
    connect(m_run, &QPushButton::clicked, this, &CommandBar::submit);
}

QString CommandBar::shell() const
{
    return m_shell->currentText();
}

void CommandBar::setShell(const QString &shell)
{
    const int i = m_shell->findText(shell);
    if (i >= 0)
        m_shell->setCurrentIndex(i);
}

bool CommandBar::isChange() const
{
    return m_change->isChecked();
}

void CommandBar::setChange(bool change)
{
    m_change->setChecked(change);
}

QString CommandBar::text() const
{
    return m_edit->toPlainText();
}

void CommandBar::setText(const QString &text)
{
    m_edit->setPlainText(text);
    m_edit->moveCursor(QTextCursor::End);
}

void CommandBar::setHistory(const QStringList &history)
{
    m_history = history.mid(qMax<qsizetype>(0, history.size() - maxHistory));
    m_historyPos = -1;
}

void CommandBar::setRunEnabled(bool enabled)
{
    m_run->setEnabled(enabled);
    m_edit->setEnabled(enabled);
    m_shell->setEnabled(enabled);
    m_change->setEnabled(enabled);
}

void CommandBar::submit()
{
    const QString text = m_edit->toPlainText().trimmed();
    if (text.isEmpty() || !m_run->isEnabled())
        return;
    m_history.removeAll(text);
    m_history.append(text);
    while (m_history.size() > maxHistory)
        m_history.removeFirst();
    m_historyPos = -1;
    m_edit->clear();
    const bool change = m_change->isChecked();
    // A change is asked for once; the next command is a plain one again unless ticked.
    m_change->setChecked(false);
    emit runRequested(shell(), text, change);
}

void CommandBar::browseHistory(int step)
{
    if (m_history.isEmpty())
        return;
    if (m_historyPos < 0) {
        if (step > 0)
            return;
        m_draft = m_edit->toPlainText();
        m_historyPos = int(m_history.size());
    }
    const int pos = m_historyPos + step;
    if (pos < 0)
        return;
    if (pos >= m_history.size()) {
        m_historyPos = -1;
        setText(m_draft);
        return;
    }
    m_historyPos = pos;
    setText(m_history[pos]);
}

bool CommandBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && (key->modifiers() & Qt::ControlModifier)) {
            submit();
            return true;
        }
        const QTextCursor cursor = m_edit->textCursor();
        if (key->key() == Qt::Key_Up && key->modifiers() == Qt::NoModifier
            && cursor.block() == m_edit->document()->firstBlock()) {
            browseHistory(-1);
            return true;
        }
        if (key->key() == Qt::Key_Down && key->modifiers() == Qt::NoModifier
            && cursor.block() == m_edit->document()->lastBlock()) {
            browseHistory(+1);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace casefile
