#pragma once

#include "OutputBuffer.h"
#include "SyntaxHighlighter.h"

#include <QAbstractScrollArea>
#include <QColor>
#include <functional>
#include <QTimer>
#include <optional>

class QTextLayout;
class QTextOption;

namespace casefile {

// A command's output, however long: only the lines on screen are laid out and painted, so a
// million lines scroll, search and select like ten. ANSI colours are rendered, stderr lines are
// tinted and marked in the gutter, KSyntaxHighlighting colours plain lines where available.
// While the view is at the bottom it follows new output; scrolled up, it stays put.
class OutputView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    struct Position
    {
        qsizetype line = 0;
        qsizetype column = 0;
        bool operator<(const Position &o) const
        {
            return line < o.line || (line == o.line && column < o.column);
        }
        bool operator==(const Position &o) const { return line == o.line && column == o.column; }
    };

    explicit OutputView(QWidget *parent = nullptr);
    ~OutputView() override;

    // The buffer stays owned by the caller and must outlive the view's use of it.
    void setBuffer(const OutputBuffer *buffer, const QString &syntax = QString());
    const OutputBuffer *buffer() const { return m_buffer; }
    // More text arrived in the buffer; the view catches up within a frame (refreshNow: at once).
    void bufferChanged();
    void refreshNow();
    QString syntax() const { return m_highlighter.syntax(); }
    void setSyntax(const QString &syntax);
    void setDarkTheme(bool dark);

    bool isAtBottom() const;
    qsizetype firstVisibleLine() const;
    qsizetype visibleLineCount() const;
    void scrollToLine(qsizetype line);

    // Find: moves to the next (or previous) match after the current one and selects it.
    bool find(const QString &needle, bool backward = false, Qt::CaseSensitivity cs = Qt::CaseInsensitive);
    std::optional<OutputBuffer::Match> currentMatch() const { return m_match; }
    void clearFind();

    bool hasSelection() const { return m_anchor.has_value() && !(*m_anchor == m_cursor); }
    QString selectedText() const;
    // First and last line touched by the selection, or by the current line when none.
    std::pair<qsizetype, qsizetype> selectedLines() const;
    void selectLines(qsizetype first, qsizetype last);
    // Selects from one position to another (display columns) and scrolls it into view.
    void select(const Position &from, const Position &to);
    // The selection, start first; both ends equal when nothing is selected.
    std::pair<Position, Position> selection() const;
    Position cursorPosition() const { return m_cursor; }
    // Extra background marks per line (the review dialog's findings and placeholders); called
    // only for the lines being painted.
    struct Mark
    {
        qsizetype column = 0;
        qsizetype length = 0;
        QColor background;
    };
    void setMarker(std::function<QList<Mark>(qsizetype line, const QString &displayText)> marker);
    void selectAll();
    void copy() const;

signals:
    void selectionChanged();
    void followingChanged(bool following);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void updateScrollBars();
    int lineHeight() const;
    int gutterWidth() const;
    Position positionAt(const QPoint &point) const;
    QTextOption textOption() const;
    void setCursor(const Position &pos, bool keepAnchor);
    void ensureVisible(const Position &pos);

    const OutputBuffer *m_buffer = nullptr;
    mutable SyntaxHighlighter m_highlighter;
    bool m_follow = true;
    qsizetype m_knownLines = 0;
    int m_maxWidth = 0; // widest line seen, for the horizontal scroll bar
    std::optional<Position> m_anchor;
    Position m_cursor;
    bool m_selecting = false;
    std::optional<OutputBuffer::Match> m_match;
    QTimer m_refresh;
    QString m_needle;
    std::function<QList<Mark>(qsizetype, const QString &)> m_marker;
    Qt::CaseSensitivity m_cs = Qt::CaseInsensitive;
};

} // namespace casefile
