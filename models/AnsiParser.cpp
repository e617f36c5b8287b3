#include "AnsiParser.h"

#include "AnsiScanner.h"

#include <QVarLengthArray>

namespace casefile {

bool AnsiStyle::operator==(const AnsiStyle &other) const
{
    return foreground == other.foreground && background == other.background && bold == other.bold &&
           faint == other.faint && italic == other.italic && underline == other.underline &&
           inverse == other.inverse && strikeOut == other.strikeOut;
}

namespace {

constexpr char16_t kEsc = 0x1b;

// Parameters saturate here instead of overflowing; every meaningful value is far below it, so a
// saturated one is simply out of range wherever it is used.
constexpr int kParamLimit = 0xFFFFF;

bool inRange(int c, int low, int high)
{
    return c >= low && c <= high;
}

// One SGR parameter. `sub` marks one joined to the previous by ':' (ITU T.416 sub-parameters).
struct SgrParam
{
    int value = -1; // -1: empty
    bool sub = false;
};

using SgrParams = QVarLengthArray<SgrParam, 16>;

// Empty parameters count as 0, as terminals read them.
int valueOr0(const SgrParam &p)
{
    return p.value < 0 ? 0 : p.value;
}

bool parseParams(QStringView text, SgrParams &out)
{
    SgrParam current;
    for (const QChar qc : text) {
        const char16_t c = qc.unicode();
        if (inRange(c, u'0', u'9')) {
            const int digit = c - u'0';
            const int base = current.value < 0 ? 0 : current.value;
            current.value = base > (kParamLimit - digit) / 10 ? kParamLimit : base * 10 + digit;
        } else if (c == u';' || c == u':') {
            out.append(current);
            current = SgrParam();
            current.sub = c == u':';
        } else {
            return false; // private markers ('<', '=', '>', '?') make it something other than SGR
        }
    }
    out.append(current);
    return true;
}

QColor rgbColor(int r, int g, int b)
{
    if (r > 255 || g > 255 || b > 255)
        return QColor();
    return QColor(r, g, b);
}

// The colour of an extended-colour group "38:5:n" or "38:2:[colourspace]:r:g:b"; `values` are the
// sub-parameters after 38/48.
QColor colonColor(const SgrParam *values, qsizetype count)
{
    if (count < 1)
        return QColor();
    const int mode = valueOr0(values[0]);
    if (mode == 5 && count >= 2)
        return AnsiParser::paletteColor(valueOr0(values[1]));
    if (mode == 2 && count >= 4) {
        // With a colour-space id (the standard form) the components start one later.
        const qsizetype first = count >= 5 ? 2 : 1;
        return rgbColor(valueOr0(values[first]), valueOr0(values[first + 1]),
                        valueOr0(values[first + 2]));
    }
    return QColor();
}

// The semicolon form "38;5;n" / "38;2;r;g;b": reads the parameters after 38/48 at `next` and
// returns how many it used. Components missing at the end use up the rest and set nothing.
qsizetype semicolonColor(const SgrParams &params, qsizetype next, QColor &color)
{
    const qsizetype left = params.size() - next;
    if (left < 1)
        return 0;
    const int mode = valueOr0(params[next]);
    if (mode == 5) {
        if (left < 2)
            return left;
        color = AnsiParser::paletteColor(valueOr0(params[next + 1]));
        return 2;
    }
    if (mode == 2) {
        if (left < 4)
            return left;
        color = rgbColor(valueOr0(params[next + 1]), valueOr0(params[next + 2]),
                         valueOr0(params[next + 3]));
        return 4;
    }
    return 1;
}

void applyCode(int code, const SgrParam *subs, qsizetype subCount, AnsiStyle &style)
{
    switch (code) {
    case 0:
        style = AnsiStyle();
        return;
    case 1:
        style.bold = true;
        return;
    case 2:
        style.faint = true;
        return;
    case 3:
        style.italic = true;
        return;
    case 4:
        // "4:0" is the sub-parameter way to say no underline; 4:1–4:5 are underline styles.
        style.underline = subCount == 0 || valueOr0(subs[0]) != 0;
        return;
    case 7:
        style.inverse = true;
        return;
    case 9:
        style.strikeOut = true;
        return;
    case 21: // doubly underlined (ECMA-48); drawn as a plain underline
        style.underline = true;
        return;
    case 22:
        style.bold = false;
        style.faint = false;
        return;
    case 23:
        style.italic = false;
        return;
    case 24:
        style.underline = false;
        return;
    case 27:
        style.inverse = false;
        return;
    case 29:
        style.strikeOut = false;
        return;
    case 39:
        style.foreground = QColor();
        return;
    case 49:
        style.background = QColor();
        return;
    default:
        break;
    }
    if (inRange(code, 30, 37))
        style.foreground = AnsiParser::paletteColor(code - 30);
    else if (inRange(code, 90, 97))
        style.foreground = AnsiParser::paletteColor(code - 90 + 8);
    else if (inRange(code, 40, 47))
        style.background = AnsiParser::paletteColor(code - 40);
    else if (inRange(code, 100, 107))
        style.background = AnsiParser::paletteColor(code - 100 + 8);
    // Anything else (blink, conceal, overline, fonts …) has no effect in the viewer.
}

void applySgr(QStringView paramText, AnsiStyle &style)
{
    SgrParams params;
    if (!parseParams(paramText, params))
        return;
    qsizetype i = 0;
    while (i < params.size()) {
        qsizetype groupEnd = i + 1;
        while (groupEnd < params.size() && params[groupEnd].sub)
            ++groupEnd;
        const int code = valueOr0(params[i]);
        const SgrParam *subs = params.constData() + i + 1;
        const qsizetype subCount = groupEnd - i - 1;
        if (code == 38 || code == 48 || code == 58) {
            QColor color;
            if (subCount > 0) {
                color = colonColor(subs, subCount);
                i = groupEnd;
            } else {
                i += 1 + semicolonColor(params, i + 1, color);
            }
            // A missing or invalid index or component leaves the colour as it was; 58 (underline
            // colour) is parsed only so its parameters are not read as codes.
            if (color.isValid()) {
                if (code == 38)
                    style.foreground = color;
                else if (code == 48)
                    style.background = color;
            }
            continue;
        }
        applyCode(code, subs, subCount, style);
        i = groupEnd;
    }
}

} // namespace

AnsiLine AnsiParser::parse(QStringView line, const AnsiStyle &initial)
{
    AnsiLine out;
    out.text.reserve(line.size());
    AnsiStyle style = initial;
    AnsiStyle runStyle = initial;
    qsizetype runStart = 0;
    bool styleTouched = false;

    const auto closeRun = [&] {
        const qsizetype length = out.text.size() - runStart;
        if (length > 0 && !runStyle.isDefault())
            out.spans.append(AnsiSpan{runStart, length, runStyle});
    };
    const auto onText = [&](qsizetype from, qsizetype to) {
        // Styles are compared only when text follows them, so sequences that change nothing
        // visible (or change and change back) never split a run.
        if (styleTouched) {
            styleTouched = false;
            if (style != runStyle) {
                closeRun();
                runStart = out.text.size();
                runStyle = style;
            }
        }
        out.text.append(line.sliced(from, to - from));
    };
    const auto onSgr = [&](qsizetype from, qsizetype to) {
        applySgr(line.sliced(from, to - from), style);
        styleTouched = true;
    };
    AnsiScanner::scan(line.utf16(), line.size(), onText, onSgr);
    closeRun();
    out.endStyle = style;
    return out;
}

QString AnsiParser::strip(QStringView line)
{
    if (!line.contains(QChar(kEsc)))
        return line.toString();
    QString out;
    out.reserve(line.size());
    AnsiScanner::scan(
        line.utf16(), line.size(),
        [&](qsizetype from, qsizetype to) { out.append(line.sliced(from, to - from)); },
        [](qsizetype, qsizetype) {});
    return out;
}

QColor AnsiParser::paletteColor(int index)
{
    // xterm's defaults for the 16 system colours.
    static constexpr QRgb kSystem[16] = {
        0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
        0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
    };
    if (index < 0 || index > 255)
        return QColor();
    if (index < 16)
        return QColor::fromRgb(kSystem[index]);
    if (index < 232) {
        const int cube = index - 16;
        const auto level = [](int step) { return step == 0 ? 0 : 55 + step * 40; };
        return QColor(level(cube / 36), level(cube / 6 % 6), level(cube % 6));
    }
    const int grey = 8 + (index - 232) * 10;
    return QColor(grey, grey, grey);
}

} // namespace casefile
