#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QStringView>

namespace casefile {

// The character attributes an SGR sequence (ESC [ … m) can set. An invalid colour means the
// viewer's default for that role.
struct AnsiStyle
{
    QColor foreground;
    QColor background;
    bool bold = false;
    bool faint = false;
    bool italic = false;
    bool underline = false;
    bool inverse = false;
    bool strikeOut = false;

    bool isDefault() const { return *this == AnsiStyle(); }
    bool operator==(const AnsiStyle &other) const;
    bool operator!=(const AnsiStyle &other) const { return !(*this == other); }
};

// A run of plain text (indexes into AnsiLine::text) drawn with one style.
struct AnsiSpan
{
    qsizetype start = 0;
    qsizetype length = 0;
    AnsiStyle style;
};

// One line with its escape sequences taken out.
struct AnsiLine
{
    QString text;          // what is shown and copied
    QList<AnsiSpan> spans; // only runs whose style is not the default, ascending, not overlapping
    AnsiStyle endStyle;    // the style in force after the line, for the next one
};

// Turns terminal output into plain text plus colour runs. SGR sequences are applied (reset, bold,
// faint, italic, underline, inverse, strike-out, the 8/16 colours, 256-colour and 24-bit colours,
// default foreground/background); every other CSI, OSC and two-byte escape is removed without
// effect. Malformed or unterminated sequences are removed up to where they end, never shown as
// garbage, and never make the parser read past the line. Linear in the line's length.
class AnsiParser
{
public:
    // `initial` is the style in force at the start of the line (the previous line's endStyle).
    static AnsiLine parse(QStringView line, const AnsiStyle &initial = AnsiStyle());

    // Just the text, for copying and searching; cheaper than parse().
    static QString strip(QStringView line);

    // The colour of the 256-colour palette index (0–15 the xterm defaults, 16–231 the cube,
    // 232–255 the grey ramp).
    static QColor paletteColor(int index);
};

} // namespace casefile
