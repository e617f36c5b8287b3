#include "OutputView.h"

#include "AnsiParser.h"
#include "Theme.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextLayout>
#include <QTimer>

namespace casefile {

namespace {
constexpr int textMargin = 6;
// Lines above the screen read to know the ANSI style and the highlighting state at its top.
constexpr qsizetype styleLookBack = 64;
constexpr qsizetype highlightLookBack = 32;

QTextCharFormat formatFor(const AnsiStyle &s, const QPalette &palette)
{
    QTextCharFormat f;
    QColor fg = s.foreground;
    QColor bg = s.background;
    if (s.inverse) {
        const QColor text = fg.isValid() ? fg : palette.color(QPalette::Text);
        const QColor base = bg.isValid() ? bg : palette.color(QPalette::Base);
        fg = base;
        bg = text;
    }
    if (s.faint) {
        if (!fg.isValid())
            fg = palette.color(QPalette::Text);
        fg.setAlphaF(0.6f);
    }
    if (fg.isValid())
        f.setForeground(fg);
    if (bg.isValid())
        f.setBackground(bg);
    if (s.bold)
        f.setFontWeight(QFont::Bold);
    if (s.italic)
        f.setFontItalic(true);
    if (s.underline)
        f.setFontUnderline(true);
    if (s.strikeOut)
        f.setFontStrikeOut(true);
    return f;
}
} // namespace

OutputView::OutputView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    setFont(mono);
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setCursor(Qt::IBeamCursor);
    setAccessibleName(tr("Command output"));
    m_refresh.setSingleShot(true);
    m_refresh.setInterval(16);
    connect(&m_refresh, &QTimer::timeout, this, &OutputView::refreshNow);
    verticalScrollBar()->setSingleStep(1);
    m_highlighter.setDarkTheme(Theme::isDark(palette()));
}

OutputView::~OutputView() = default;

void OutputView::setBuffer(const OutputBuffer *buffer, const QString &syntax)
{
    m_refresh.stop();
    m_buffer = buffer;
    m_anchor.reset();
    m_cursor = {};
    m_match.reset();
    m_maxWidth = 0;
    m_knownLines = buffer ? buffer->lineCount() : 0;
    m_highlighter.setSyntax(syntax);
    m_follow = true;
    updateScrollBars();
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    horizontalScrollBar()->setValue(0);
    viewport()->update();
}

void OutputView::setSyntax(const QString &syntax)
{
    m_highlighter.setSyntax(syntax);
    viewport()->update();
}

void OutputView::setDarkTheme(bool dark)
{
    m_highlighter.setDarkTheme(dark);
    viewport()->update();
}

void OutputView::bufferChanged()
{
    if (!m_buffer)
        return;
    // At most one refresh a frame: output arrives in many small pieces while a command streams.
    if (!m_refresh.isActive())
        m_refresh.start();
}

void OutputView::refreshNow()
{
    if (!m_buffer)
        return;
    const bool follow = m_follow;
    m_knownLines = m_buffer->lineCount();
    updateScrollBars();
    if (follow)
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    viewport()->update();
}

int OutputView::lineHeight() const
{
    return qMax(1, fontMetrics().lineSpacing());
}

int OutputView::gutterWidth() const
{
    const qsizetype lines = qMax<qsizetype>(m_knownLines, 1);
    const int digits = int(QString::number(lines).size());
    // Digits, a gap, and a 3 px stderr marker.
    return fontMetrics().horizontalAdvance(QLatin1Char('9')) * qMax(digits, 3) + 14;
}

qsizetype OutputView::visibleLineCount() const
{
    return qMax(1, viewport()->height() / lineHeight());
}

qsizetype OutputView::firstVisibleLine() const
{
    return verticalScrollBar()->value();
}

bool OutputView::isAtBottom() const
{
    return verticalScrollBar()->value() >= verticalScrollBar()->maximum();
}

void OutputView::updateScrollBars()
{
    const qsizetype lines = m_knownLines;
    const qsizetype page = visibleLineCount();
    // The range is in lines; int is plenty (2 billion lines).
    verticalScrollBar()->setRange(0, int(qMax<qsizetype>(0, lines - page)));
    verticalScrollBar()->setPageStep(int(page));
    const int textWidth = viewport()->width() - gutterWidth() - textMargin;
    horizontalScrollBar()->setRange(0, qMax(0, m_maxWidth - textWidth + 2 * textMargin));
    horizontalScrollBar()->setPageStep(qMax(1, textWidth));
    horizontalScrollBar()->setSingleStep(fontMetrics().horizontalAdvance(QLatin1Char('m')) * 4);
}

void OutputView::scrollToLine(qsizetype line)
{
    const qsizetype target = qMax<qsizetype>(0, line - visibleLineCount() / 3);
    verticalScrollBar()->setValue(int(qMin<qsizetype>(target, verticalScrollBar()->maximum())));
}

void OutputView::scrollContentsBy(int, int)
{
    const bool follow = isAtBottom();
    if (follow != m_follow) {
        m_follow = follow;
        emit followingChanged(follow);
    }
    viewport()->update();
}

void OutputView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    const bool follow = m_follow;
    updateScrollBars();
    if (follow)
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

void OutputView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_highlighter.setDarkTheme(Theme::isDark(palette()));
    if (event->type() == QEvent::FontChange)
        updateScrollBars();
    QAbstractScrollArea::changeEvent(event);
}

void OutputView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    const QPalette pal = palette();
    p.fillRect(viewport()->rect(), pal.color(QPalette::Base));
    const int gutter = gutterWidth();
    p.fillRect(QRect(0, 0, gutter, viewport()->height()), pal.color(QPalette::AlternateBase));
    if (!m_buffer || m_knownLines == 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(viewport()->rect().adjusted(gutter + textMargin, 0, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                   m_buffer ? tr("No output yet.") : tr("Select a command to see its output."));
        return;
    }

    const qsizetype first = firstVisibleLine();
    const qsizetype last = qMin(m_knownLines - 1, first + visibleLineCount());
    const int lh = lineHeight();
    const bool dark = Theme::isDark(pal);
    const QColor stderrColor = Theme::problemColor(pal);
    const QColor matchBg = dark ? QColor(0x80, 0x6a, 0x00) : QColor(0xff, 0xe5, 0x70);
    const QColor currentBg = dark ? QColor(0xc0, 0x60, 0x00) : QColor(0xff, 0xa0, 0x30);

    // The ANSI style in force at the top of the screen.
    AnsiStyle style;
    for (qsizetype l = qMax<qsizetype>(0, first - styleLookBack); l < first; ++l)
        style = AnsiParser::parse(m_buffer->lineText(l), style).endStyle;

    QList<AnsiLine> parsed;
    parsed.reserve(last - first + 1);
    for (qsizetype l = first; l <= last; ++l) {
        parsed.append(AnsiParser::parse(m_buffer->lineText(l), style));
        style = parsed.last().endStyle;
    }
    QList<QList<SyntaxHighlighter::Range>> syntax;
    if (!m_highlighter.syntax().isEmpty()) {
        QList<QString> texts;
        const qsizetype from = qMax<qsizetype>(0, first - highlightLookBack);
        for (qsizetype l = from; l < first; ++l)
            texts.append(m_buffer->displayText(l));
        for (const AnsiLine &a : parsed)
            texts.append(a.text);
        syntax = m_highlighter.highlight(texts).mid(first - from);
    }

    const bool selecting = hasSelection();
    const Position selStart = selecting ? qMin(*m_anchor, m_cursor) : Position();
    const Position selEnd = selecting ? qMax(*m_anchor, m_cursor) : Position();
    const int xOffset = gutter + textMargin - horizontalScrollBar()->value();
    const QTextOption option = textOption();
    int widest = m_maxWidth;

    p.setClipRect(QRect(gutter, 0, viewport()->width() - gutter, viewport()->height()));
    for (qsizetype l = first; l <= last; ++l) {
        const AnsiLine &a = parsed[l - first];
        const int y = int(l - first) * lh;
        QList<QTextLayout::FormatRange> formats;
        if (!a.spans.isEmpty()) {
            for (const AnsiSpan &s : a.spans)
                formats.append({int(s.start), int(s.length), formatFor(s.style, pal)});
        } else if (!syntax.isEmpty() && !m_buffer->lineHasStderr(l)) {
            for (const auto &r : syntax[l - first])
                formats.append({r.start, r.length, r.format});
        }
        if (m_marker) {
            for (const Mark &m : m_marker(l, a.text)) {
                QTextCharFormat f;
                f.setBackground(m.background);
                formats.append({int(m.column), int(m.length), f});
            }
        }
        if (!m_needle.isEmpty()) {
            qsizetype from = 0;
            while ((from = a.text.indexOf(m_needle, from, m_cs)) >= 0) {
                QTextCharFormat f;
                const bool current = m_match && m_match->line == l && m_match->column == from;
                f.setBackground(current ? currentBg : matchBg);
                formats.append({int(from), int(m_needle.size()), f});
                from += qMax<qsizetype>(1, m_needle.size());
            }
        }
        if (selecting && l >= selStart.line && l <= selEnd.line) {
            const qsizetype s = l == selStart.line ? selStart.column : 0;
            const qsizetype e = l == selEnd.line ? selEnd.column : a.text.size() + 1;
            QTextCharFormat f;
            f.setBackground(pal.color(QPalette::Highlight));
            f.setForeground(pal.color(QPalette::HighlightedText));
            formats.append({int(s), int(qMax<qsizetype>(0, e - s)), f});
        }
        QTextLayout layout(a.text, font());
        layout.setTextOption(option);
        layout.setFormats(formats);
        layout.beginLayout();
        QTextLine tl = layout.createLine();
        if (tl.isValid())
            tl.setPosition(QPointF(0, 0));
        layout.endLayout();
        widest = qMax(widest, int(layout.maximumWidth()));
        p.setPen(m_buffer->lineHasStderr(l) ? stderrColor : pal.color(QPalette::Text));
        layout.draw(&p, QPointF(xOffset, y));
    }
    p.setClipping(false);

    // The gutter: line numbers from 1, a red bar beside stderr lines.
    p.setPen(pal.color(QPalette::PlaceholderText));
    for (qsizetype l = first; l <= last; ++l) {
        const int y = int(l - first) * lh;
        p.drawText(QRect(0, y, gutter - 8, lh), Qt::AlignRight | Qt::AlignVCenter, QString::number(l + 1));
        if (m_buffer->lineHasStderr(l))
            p.fillRect(QRect(gutter - 4, y, 3, lh), stderrColor);
    }
    if (widest > m_maxWidth) {
        m_maxWidth = widest;
        QTimer::singleShot(0, this, &OutputView::updateScrollBars);
    }
}

QTextOption OutputView::textOption() const
{
    // One line each, never wrapped; tabs every 8 columns, as terminals have them.
    QTextOption option;
    option.setWrapMode(QTextOption::NoWrap);
    option.setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 8);
    return option;
}

OutputView::Position OutputView::positionAt(const QPoint &point) const
{
    if (!m_buffer || m_knownLines == 0)
        return {};
    const qsizetype line = qBound<qsizetype>(0, firstVisibleLine() + point.y() / lineHeight(), m_knownLines - 1);
    const QString text = m_buffer->displayText(line);
    QTextLayout layout(text, font());
    layout.setTextOption(textOption());
    layout.beginLayout();
    QTextLine tl = layout.createLine();
    layout.endLayout();
    const qreal x = point.x() - gutterWidth() - textMargin + horizontalScrollBar()->value();
    const int column = tl.isValid() ? tl.xToCursor(qMax<qreal>(0, x)) : 0;
    return {line, column};
}

void OutputView::setCursor(const Position &pos, bool keepAnchor)
{
    if (!keepAnchor)
        m_anchor = pos;
    m_cursor = pos;
    viewport()->update();
    emit selectionChanged();
}

void OutputView::ensureVisible(const Position &pos)
{
    if (pos.line < firstVisibleLine() || pos.line >= firstVisibleLine() + visibleLineCount())
        scrollToLine(pos.line);
    // Horizontally: bring the column into view.
    const int x = fontMetrics().horizontalAdvance(QLatin1Char('m')) * int(pos.column);
    const int width = viewport()->width() - gutterWidth() - 2 * textMargin;
    if (x < horizontalScrollBar()->value() || x > horizontalScrollBar()->value() + width) {
        m_maxWidth = qMax(m_maxWidth, x + width / 2);
        updateScrollBars();
        horizontalScrollBar()->setValue(qMax(0, x - width / 2));
    }
}

void OutputView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QAbstractScrollArea::mousePressEvent(event);
    const Position pos = positionAt(event->position().toPoint());
    if (event->position().x() < gutterWidth()) {
        // A click in the gutter selects the whole line; shift extends by lines.
        if (event->modifiers() & Qt::ShiftModifier && m_anchor)
            selectLines(qMin(m_anchor->line, pos.line), qMax(m_anchor->line, pos.line));
        else
            selectLines(pos.line, pos.line);
        return;
    }
    setCursor(pos, event->modifiers() & Qt::ShiftModifier);
    m_selecting = true;
}

void OutputView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_selecting)
        return;
    QPoint p = event->position().toPoint();
    // Dragging past the edge scrolls.
    if (p.y() < 0)
        verticalScrollBar()->setValue(verticalScrollBar()->value() - 1);
    else if (p.y() > viewport()->height())
        verticalScrollBar()->setValue(verticalScrollBar()->value() + 1);
    setCursor(positionAt(p), true);
}

void OutputView::mouseReleaseEvent(QMouseEvent *)
{
    m_selecting = false;
}

void OutputView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const Position pos = positionAt(event->position().toPoint());
    const QString text = m_buffer ? m_buffer->displayText(pos.line) : QString();
    qsizetype s = pos.column;
    qsizetype e = pos.column;
    auto wordChar = [&](qsizetype i) { return i >= 0 && i < text.size() && (text[i].isLetterOrNumber() || text[i] == u'_' || text[i] == u'.' || text[i] == u'-'); };
    while (wordChar(s - 1))
        --s;
    while (wordChar(e))
        ++e;
    m_anchor = Position{pos.line, s};
    m_cursor = Position{pos.line, e};
    viewport()->update();
    emit selectionChanged();
}

void OutputView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copy();
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
        return;
    }
    QScrollBar *v = verticalScrollBar();
    switch (event->key()) {
    case Qt::Key_Up:
        v->setValue(v->value() - 1);
        return;
    case Qt::Key_Down:
        v->setValue(v->value() + 1);
        return;
    case Qt::Key_PageUp:
        v->setValue(v->value() - v->pageStep());
        return;
    case Qt::Key_PageDown:
        v->setValue(v->value() + v->pageStep());
        return;
    case Qt::Key_Home:
        if (event->modifiers() & Qt::ControlModifier)
            v->setValue(0);
        else
            horizontalScrollBar()->setValue(0);
        return;
    case Qt::Key_End:
        if (event->modifiers() & Qt::ControlModifier)
            v->setValue(v->maximum());
        return;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

bool OutputView::find(const QString &needle, bool backward, Qt::CaseSensitivity cs)
{
    if (!m_buffer || needle.isEmpty()) {
        clearFind();
        return false;
    }
    const bool sameSearch = m_needle.compare(needle, Qt::CaseSensitive) == 0 && m_cs == cs;
    m_needle = needle;
    m_cs = cs;
    qsizetype line = 0;
    qsizetype column = 0;
    if (m_match && sameSearch) {
        line = m_match->line;
        column = backward ? m_match->column : m_match->column + 1;
    } else if (m_match || hasSelection()) {
        const Position from = m_match ? Position{m_match->line, m_match->column} : qMin(*m_anchor, m_cursor);
        line = from.line;
        column = from.column;
    } else {
        line = backward ? m_knownLines : firstVisibleLine();
    }
    m_match = m_buffer->find(needle, line, column, backward, cs);
    if (!m_match) {
        viewport()->update();
        return false;
    }
    m_anchor = Position{m_match->line, m_match->column};
    m_cursor = Position{m_match->line, m_match->column + m_match->length};
    ensureVisible(m_cursor);
    viewport()->update();
    emit selectionChanged();
    return true;
}

void OutputView::clearFind()
{
    m_needle.clear();
    m_match.reset();
    viewport()->update();
}

QString OutputView::selectedText() const
{
    if (!m_buffer || !hasSelection())
        return {};
    const Position s = qMin(*m_anchor, m_cursor);
    const Position e = qMax(*m_anchor, m_cursor);
    if (s.line == e.line)
        return m_buffer->displayText(s.line).mid(s.column, e.column - s.column);
    QString text = m_buffer->displayText(s.line).mid(s.column);
    if (e.line - s.line > 1)
        text += QLatin1Char('\n') + m_buffer->displayText(s.line + 1, e.line - 1);
    text += QLatin1Char('\n') + m_buffer->displayText(e.line).left(e.column);
    return text;
}

std::pair<qsizetype, qsizetype> OutputView::selectedLines() const
{
    if (!hasSelection())
        return {m_cursor.line, m_cursor.line};
    const Position s = qMin(*m_anchor, m_cursor);
    Position e = qMax(*m_anchor, m_cursor);
    // A selection that ends at the start of a line does not take that line.
    if (e.column == 0 && e.line > s.line)
        --e.line;
    return {s.line, e.line};
}

void OutputView::selectLines(qsizetype first, qsizetype last)
{
    if (!m_buffer || m_knownLines == 0)
        return;
    first = qBound<qsizetype>(0, first, m_knownLines - 1);
    last = qBound<qsizetype>(first, last, m_knownLines - 1);
    m_anchor = Position{first, 0};
    m_cursor = Position{last, m_buffer->displayText(last).size()};
    ensureVisible(Position{first, 0});
    viewport()->update();
    emit selectionChanged();
}

void OutputView::select(const Position &from, const Position &to)
{
    if (!m_buffer || m_knownLines == 0)
        return;
    m_anchor = from;
    m_cursor = to;
    ensureVisible(to);
    ensureVisible(from);
    viewport()->update();
    emit selectionChanged();
}

std::pair<OutputView::Position, OutputView::Position> OutputView::selection() const
{
    if (!hasSelection())
        return {m_cursor, m_cursor};
    return {qMin(*m_anchor, m_cursor), qMax(*m_anchor, m_cursor)};
}

void OutputView::setMarker(std::function<QList<Mark>(qsizetype, const QString &)> marker)
{
    m_marker = std::move(marker);
    viewport()->update();
}

void OutputView::selectAll()
{
    if (m_buffer && m_knownLines > 0)
        selectLines(0, m_knownLines - 1);
}

void OutputView::copy() const
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

} // namespace casefile
