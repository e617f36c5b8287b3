#include "OutputPane.h"

#include "ElidedLabel.h"

#include "OutputView.h"
#include "SessionDocument.h"
#include "SyntaxHighlighter.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QShortcut>
#include <QToolButton>
#include <QVBoxLayout>

namespace casefile {

OutputPane::OutputPane(QWidget *parent)
    : QWidget(parent)
    , m_header(new ElidedLabel(this))
    , m_view(new OutputView(this))
    , m_findBar(new QWidget(this))
    , m_findEdit(new QLineEdit(m_findBar))
    , m_caseSensitive(new QCheckBox(tr("Match case"), m_findBar))
    , m_findStatus(new QLabel(m_findBar))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_header->setContentsMargins(4, 2, 4, 2);
    m_header->setAccessibleName(tr("Output header"));
    layout->addWidget(m_header);
    layout->addWidget(m_view, 1);

    auto *find = new QHBoxLayout(m_findBar);
    find->setContentsMargins(4, 0, 4, 2);
    m_findEdit->setPlaceholderText(tr("Find in output"));
    m_findEdit->setAccessibleName(tr("Find in output"));
    m_findEdit->setClearButtonEnabled(true);
    auto *prev = new QToolButton(m_findBar);
    prev->setText(tr("Previous"));
    prev->setToolTip(tr("Previous match (Shift+F3)"));
    prev->setAccessibleName(tr("Previous match"));
    auto *next = new QToolButton(m_findBar);
    next->setText(tr("Next"));
    next->setToolTip(tr("Next match (F3)"));
    next->setAccessibleName(tr("Next match"));
    auto *close = new QToolButton(m_findBar);
    close->setText(tr("Close"));
    close->setAccessibleName(tr("Close find bar"));
    m_caseSensitive->setAccessibleName(tr("Match case"));
    m_findStatus->setAccessibleName(tr("Find result"));
    find->addWidget(m_findEdit, 1);
    find->addWidget(prev);
    find->addWidget(next);
    find->addWidget(m_caseSensitive);
    find->addWidget(m_findStatus);
    find->addWidget(close);
    layout->addWidget(m_findBar);
    m_findBar->hide();

    connect(next, &QToolButton::clicked, this, [this] { findNext(false); });
    connect(prev, &QToolButton::clicked, this, [this] { findNext(true); });
    connect(close, &QToolButton::clicked, this, [this] {
        m_findBar->hide();
        m_view->clearFind();
        m_view->setFocus();
    });
    connect(m_findEdit, &QLineEdit::returnPressed, this, [this] {
        findNext(QApplication::keyboardModifiers() & Qt::ShiftModifier);
    });
    connect(m_findEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty()) {
            m_view->clearFind();
            m_findStatus->clear();
        }
    });

    // Ctrl+F is the window's "Find in output" action; a second Ctrl+F here would make it
    // ambiguous, and Qt would run neither.
    new QShortcut(QKeySequence::FindNext, this, this, [this] { findNext(false); }, Qt::WidgetWithChildrenShortcut);
    new QShortcut(QKeySequence::FindPrevious, this, this, [this] { findNext(true); }, Qt::WidgetWithChildrenShortcut);
    m_findEdit->installEventFilter(this);
    m_closeFind = close;
    connect(m_view, &OutputView::followingChanged, this, &OutputPane::updateHeader);
    updateHeader();
}

void OutputPane::setDocument(SessionDocument *document)
{
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    m_command.clear();
    m_view->setBuffer(nullptr);
    if (document) {
        connect(document, &SessionDocument::outputAppended, this,
                [this](const QString &command) { onOutputAppended(command); });
        connect(document, &SessionDocument::commandFinished, this, [this](const QString &command) {
            if (command == m_command)
                updateHeader();
        });
        connect(document, &QObject::destroyed, this, [this] {
            m_document = nullptr;
            m_command.clear();
            m_view->setBuffer(nullptr);
            updateHeader();
        });
    }
    updateHeader();
}

void OutputPane::showCommand(const QString &command)
{
    if (!m_document || command == m_command)
        return;
    const SessionDocument::Command *c = m_document->command(command);
    if (!c)
        return;
    m_command = command;
    const OutputBuffer *out = c->output.get();
    // The first line is whole once a second one has begun.
    m_syntaxDecided = out->lineCount() > 1 || c->finished;
    const QString firstLine = out->lineCount() > 0 ? out->displayText(0) : QString();
    m_view->setBuffer(out, SyntaxHighlighter::guessSyntax(c->shell, c->text, firstLine));
    updateHeader();
}

void OutputPane::onOutputAppended(const QString &command)
{
    if (command != m_command)
        return;
    // Shown before it printed anything (a command just run): its first line decides the syntax.
    if (!m_syntaxDecided && m_document) {
        const SessionDocument::Command *c = m_document->command(command);
        if (c && c->output->lineCount() > 1) {
            m_syntaxDecided = true;
            const QString syntax = SyntaxHighlighter::guessSyntax(c->shell, c->text, c->output->displayText(0));
            if (!syntax.isEmpty())
                m_view->setSyntax(syntax);
        }
    }
    m_view->bufferChanged();
    updateHeader();
}

void OutputPane::updateHeader()
{
    const SessionDocument::Command *c = m_document && !m_command.isEmpty() ? m_document->command(m_command) : nullptr;
    if (!c) {
        m_header->setText(tr("Output"));
        return;
    }
    const qsizetype lines = c->output->lineCount();
    QString text = tr("%1 › %2 — %n line(s)", nullptr, int(lines)).arg(c->shell, c->text.section(QLatin1Char('\n'), 0, 0));
    if (!c->finished)
        text += m_view->isAtBottom() ? tr(" — running, following") : tr(" — running, scrolled up (Ctrl+End follows)");
    if (!m_view->syntax().isEmpty())
        text += tr(" — %1").arg(m_view->syntax());
    m_header->setText(text);
}

void OutputPane::openFind()
{
    m_findBar->show();
    const QString selected = m_view->selectedText();
    if (!selected.isEmpty() && !selected.contains(QLatin1Char('\n')))
        m_findEdit->setText(selected);
    m_findEdit->setFocus();
    m_findEdit->selectAll();
}

bool OutputPane::findNext(bool backward)
{
    const QString needle = m_findEdit->text();
    if (needle.isEmpty()) {
        openFind();
        return false;
    }
    const auto cs = m_caseSensitive->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
    const bool found = m_view->find(needle, backward, cs);
    if (!found) {
        m_findStatus->setText(tr("Not found"));
    } else {
        const auto match = *m_view->currentMatch();
        m_findStatus->setText(tr("Line %1").arg(match.line + 1));
    }
    return found;
}

bool OutputPane::eventFilter(QObject *watched, QEvent *event)
{
    // Esc in the find field closes the find bar; the window's Esc (cancel a command) must not
    // see it, so the field claims it before shortcuts are matched.
    if (watched == m_findEdit) {
        if (event->type() == QEvent::ShortcutOverride && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
            event->accept();
            return true;
        }
        if (event->type() == QEvent::KeyPress && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
            m_closeFind->click();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QString OutputPane::findStatus() const
{
    return m_findStatus->text();
}

} // namespace casefile
