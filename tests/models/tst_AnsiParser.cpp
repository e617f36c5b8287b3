#include "AnsiParser.h"
#include "AnsiScanner.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QStringList>
#include <QTest>

#include <iterator>

using namespace casefile;

namespace {

// A style as a short string, so a failing comparison shows what differs.
QString describe(const AnsiStyle &style)
{
    QStringList parts;
    if (style.foreground.isValid())
        parts << QStringLiteral("fg=") + style.foreground.name();
    if (style.background.isValid())
        parts << QStringLiteral("bg=") + style.background.name();
    const std::pair<bool, const char *> flags[] = {
        {style.bold, "bold"},           {style.faint, "faint"},     {style.italic, "italic"},
        {style.underline, "underline"}, {style.inverse, "inverse"}, {style.strikeOut, "strike"},
    };
    for (const auto &[on, name] : flags) {
        if (on)
            parts << QLatin1String(name);
    }
    return parts.join(QLatin1Char(' '));
}

// "start+length style; …" for every span.
QString describe(const QList<AnsiSpan> &spans)
{
    QStringList parts;
    for (const AnsiSpan &span : spans)
        parts << QStringLiteral("%1+%2 %3")
                     .arg(span.start)
                     .arg(span.length)
                     .arg(describe(span.style));
    return parts.join(QStringLiteral("; "));
}

// What every parse result must satisfy, whatever the input.
void checkInvariants(QStringView input, const AnsiLine &line)
{
    QCOMPARE(AnsiParser::strip(input), line.text);
    QVERIFY(!line.text.contains(QChar(0x1b)));
    QVERIFY(line.text.size() <= input.size());
    qsizetype end = 0;
    for (qsizetype i = 0; i < line.spans.size(); ++i) {
        const AnsiSpan &span = line.spans[i];
        QVERIFY(span.length > 0);
        QVERIFY(span.start >= end);
        QVERIFY(span.start + span.length <= line.text.size());
        QVERIFY(!span.style.isDefault());
        // Touching spans must differ, or they should have been merged.
        if (i > 0 && span.start == end)
            QVERIFY(span.style != line.spans[i - 1].style);
        end = span.start + span.length;
    }
}

// The text AnsiScanner leaves when run over UTF-8 bytes, as OutputBuffer's search runs it.
QString stripBytes(const QByteArray &bytes)
{
    QByteArray out;
    AnsiScanner::scan(
        bytes.constData(), bytes.size(),
        [&](qsizetype from, qsizetype to) { out.append(bytes.constData() + from, to - from); },
        [](qsizetype, qsizetype) {});
    return QString::fromUtf8(out);
}

// Every run of non-ASCII characters as one '#': what an ASCII search can tell apart.
QString asciiShape(const QString &text)
{
    QString shape;
    for (const QChar c : text) {
        if (c.unicode() < 0x80)
            shape.append(c);
        else if (!shape.endsWith(QLatin1Char('#')))
            shape.append(QLatin1Char('#'));
    }
    return shape;
}

} // namespace

class tst_AnsiParser : public QObject
{
    Q_OBJECT

private slots:
    void sgr_data();
    void sgr();
    void malformed_data();
    void malformed();
    void styleCarriedAcrossLines_data();
    void styleCarriedAcrossLines();
    void initialStyleIsKeptWithoutSequences();
    void paletteColor_data();
    void paletteColor();
    void styleEquality();
    void randomInputKeepsInvariants();
    void byteScanAgreesWithTextScan();
    void longSequencesStayLinear();
};

void tst_AnsiParser::sgr_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("spans");

    QTest::newRow("plain") << QStringLiteral("plain text") << QStringLiteral("plain text")
                           << QString();
    QTest::newRow("red then reset")
        << QStringLiteral("\033[31mred\033[0m plain") << QStringLiteral("red plain")
        << QStringLiteral("0+3 fg=#cd0000");
    QTest::newRow("all eight") << QStringLiteral("\033[30ma\033[32mb\033[33mc\033[34md\033[35me"
                                                 "\033[36mf\033[37mg")
                               << QStringLiteral("abcdefg")
                               << QStringLiteral("0+1 fg=#000000; 1+1 fg=#00cd00; 2+1 fg=#cdcd00; "
                                                 "3+1 fg=#0000ee; 4+1 fg=#cd00cd; "
                                                 "5+1 fg=#00cdcd; 6+1 fg=#e5e5e5");
    QTest::newRow("bright fg") << QStringLiteral("\033[90ma\033[91mb\033[97mc")
                               << QStringLiteral("abc")
                               << QStringLiteral("0+1 fg=#7f7f7f; 1+1 fg=#ff0000; 2+1 fg=#ffffff");
    QTest::newRow("bg") << QStringLiteral("\033[42ma\033[104mb\033[47mc") << QStringLiteral("abc")
                        << QStringLiteral("0+1 bg=#00cd00; 1+1 bg=#5c5cff; 2+1 bg=#e5e5e5");
    QTest::newRow("several in one") << QStringLiteral("\033[1;4;31;43mx") << QStringLiteral("x")
                                    << QStringLiteral("0+1 fg=#cd0000 bg=#cdcd00 bold underline");
    QTest::newRow("attributes") << QStringLiteral("\033[2ma\033[0;3mb\033[0;7mc\033[0;9md")
                                << QStringLiteral("abcd")
                                << QStringLiteral("0+1 faint; 1+1 italic; 2+1 inverse; 3+1 strike");
    QTest::newRow("attribute resets")
        << QStringLiteral("\033[1;3;4;7;9mA\033[22mB\033[23mC\033[24mD\033[27mE\033[29mF")
        << QStringLiteral("ABCDEF")
        << QStringLiteral("0+1 bold italic underline inverse strike; "
                          "1+1 italic underline inverse strike; 2+1 underline inverse strike; "
                          "3+1 inverse strike; 4+1 strike");
    QTest::newRow("22 ends faint too") << QStringLiteral("\033[1;2mA\033[22mB")
                                       << QStringLiteral("AB") << QStringLiteral("0+1 bold faint");
    QTest::newRow("default fg and bg")
        << QStringLiteral("\033[31;42mA\033[39mB\033[49mC") << QStringLiteral("ABC")
        << QStringLiteral("0+1 fg=#cd0000 bg=#00cd00; 1+1 bg=#00cd00");
    QTest::newRow("empty is reset") << QStringLiteral("\033[1;31mA\033[mB") << QStringLiteral("AB")
                                    << QStringLiteral("0+1 fg=#cd0000 bold");
    QTest::newRow("256 fg cube") << QStringLiteral("\033[38;5;196mA") << QStringLiteral("A")
                                 << QStringLiteral("0+1 fg=#ff0000");
    QTest::newRow("256 bg cube") << QStringLiteral("\033[48;5;21mA") << QStringLiteral("A")
                                 << QStringLiteral("0+1 bg=#0000ff");
    QTest::newRow("256 grey") << QStringLiteral("\033[38;5;244mA") << QStringLiteral("A")
                              << QStringLiteral("0+1 fg=#808080");
    QTest::newRow("256 system") << QStringLiteral("\033[38;5;9mA") << QStringLiteral("A")
                                << QStringLiteral("0+1 fg=#ff0000");
    QTest::newRow("truecolor fg") << QStringLiteral("\033[38;2;1;2;3mA") << QStringLiteral("A")
                                  << QStringLiteral("0+1 fg=#010203");
    QTest::newRow("truecolor bg") << QStringLiteral("\033[48;2;255;128;0mA") << QStringLiteral("A")
                                  << QStringLiteral("0+1 bg=#ff8000");
    QTest::newRow("codes after 256") << QStringLiteral("\033[38;5;1;1mA") << QStringLiteral("A")
                                     << QStringLiteral("0+1 fg=#cd0000 bold");
    QTest::newRow("codes after truecolor")
        << QStringLiteral("\033[48;2;0;0;255;4mA") << QStringLiteral("A")
        << QStringLiteral("0+1 bg=#0000ff underline");
    QTest::newRow("colon 256") << QStringLiteral("\033[38:5:208mA") << QStringLiteral("A")
                               << QStringLiteral("0+1 fg=#ff8700");
    QTest::newRow("colon rgb empty space")
        << QStringLiteral("\033[38:2::10:20:30mA") << QStringLiteral("A")
        << QStringLiteral("0+1 fg=#0a141e");
    QTest::newRow("colon rgb no space") << QStringLiteral("\033[38:2:10:20:30mA")
                                        << QStringLiteral("A") << QStringLiteral("0+1 fg=#0a141e");
    QTest::newRow("colon rgb with space")
        << QStringLiteral("\033[48:2:0:1:2:3;1mA") << QStringLiteral("A")
        << QStringLiteral("0+1 bg=#010203 bold");
    QTest::newRow("same style merges") << QStringLiteral("\033[31mA\033[31mB\033[1m\033[22mC")
                                       << QStringLiteral("ABC") << QStringLiteral("0+3 fg=#cd0000");
    QTest::newRow("change and back merges")
        << QStringLiteral("\033[31mA\033[32m\033[31mB") << QStringLiteral("AB")
        << QStringLiteral("0+2 fg=#cd0000");
    QTest::newRow("default runs have no span")
        << QStringLiteral("\033[31mab\033[0mcd\033[32mef\033[0m") << QStringLiteral("abcdef")
        << QStringLiteral("0+2 fg=#cd0000; 4+2 fg=#00cd00");
    QTest::newRow("touching runs stay apart")
        << QStringLiteral("\033[31mab\033[1mcd") << QStringLiteral("abcd")
        << QStringLiteral("0+2 fg=#cd0000; 2+2 fg=#cd0000 bold");
    QTest::newRow("underline sub-parameters")
        << QStringLiteral("\033[4mA\033[4:0mB\033[4:3mC") << QStringLiteral("ABC")
        << QStringLiteral("0+1 underline; 2+1 underline");
    QTest::newRow("unsupported codes ignored")
        << QStringLiteral("\033[5;6;8;53mA") << QStringLiteral("A") << QString();
    QTest::newRow("bad index keeps colour")
        << QStringLiteral("\033[31m\033[38;5;300mA") << QStringLiteral("A")
        << QStringLiteral("0+1 fg=#cd0000");
    QTest::newRow("bad component keeps colour")
        << QStringLiteral("\033[41m\033[48;2;300;0;0mA") << QStringLiteral("A")
        << QStringLiteral("0+1 bg=#cd0000");
    QTest::newRow("unknown colour mode")
        << QStringLiteral("\033[38;7;1mA") << QStringLiteral("A") << QStringLiteral("0+1 bold");
    // 58 is the underline colour: its "5;1" must not read as blink and bold.
    QTest::newRow("underline colour skipped")
        << QStringLiteral("\033[58;5;1;4mA") << QStringLiteral("A")
        << QStringLiteral("0+1 underline");
    QTest::newRow("text between sequences") << QStringLiteral("a\033[1mb\033[0mc")
                                            << QStringLiteral("abc") << QStringLiteral("1+1 bold");
    QTest::newRow("non-ASCII text") << QStringLiteral("ä\033[32m😀ü") << QStringLiteral("ä😀ü")
                                    << QStringLiteral("1+3 fg=#00cd00");
}

void tst_AnsiParser::sgr()
{
    QFETCH(QString, input);
    QFETCH(QString, text);
    QFETCH(QString, spans);

    const AnsiLine line = AnsiParser::parse(input);
    QCOMPARE(line.text, text);
    QCOMPARE(describe(line.spans), spans);
    checkInvariants(input, line);
}

void tst_AnsiParser::malformed_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("spans");

    const QString digits(10000, QLatin1Char('7'));
    QString manyParams;
    for (int i = 0; i < 5000; ++i)
        manyParams += QStringLiteral("1;");

    QTest::newRow("ESC at end") << QStringLiteral("abc\033") << QStringLiteral("abc") << QString();
    QTest::newRow("only ESC") << QStringLiteral("\033") << QString() << QString();
    QTest::newRow("ESC [ at end") << QStringLiteral("ab\033[") << QStringLiteral("ab") << QString();
    QTest::newRow("unterminated CSI")
        << QStringLiteral("a\033[31;1") << QStringLiteral("a") << QString();
    QTest::newRow("10k digits") << QStringLiteral("\033[") + digits + QStringLiteral("mX")
                                << QStringLiteral("X") << QString();
    QTest::newRow("10k digits unterminated")
        << QStringLiteral("A\033[") + digits << QStringLiteral("A") << QString();
    QTest::newRow("5000 parameters")
        << QStringLiteral("\033[") + manyParams + QStringLiteral("31mX") << QStringLiteral("X")
        << QStringLiteral("0+1 fg=#cd0000 bold");
    QTest::newRow("overflowing number") << QStringLiteral("\033[99999999999999999999;1mX")
                                        << QStringLiteral("X") << QStringLiteral("0+1 bold");
    QTest::newRow("overflow wraps to nothing")
        << QStringLiteral("\033[4294967327mX") << QStringLiteral("X") << QString();
    QTest::newRow("38;5 without index")
        << QStringLiteral("\033[38;5mX") << QStringLiteral("X") << QString();
    QTest::newRow("38;5; empty index") << QStringLiteral("\033[38;5;mX") << QStringLiteral("X")
                                       << QStringLiteral("0+1 fg=#000000");
    QTest::newRow("38 alone") << QStringLiteral("\033[38mX") << QStringLiteral("X") << QString();
    QTest::newRow("38;2 without components")
        << QStringLiteral("\033[38;2mX") << QStringLiteral("X") << QString();
    QTest::newRow("38;2 two components")
        << QStringLiteral("\033[38;2;10;20mX") << QStringLiteral("X") << QString();
    QTest::newRow("48;2 one component")
        << QStringLiteral("\033[1;48;2;10mX") << QStringLiteral("X") << QStringLiteral("0+1 bold");
    QTest::newRow("38;2 empty components")
        << QStringLiteral("\033[38;2;;;mX") << QStringLiteral("X")
        << QStringLiteral("0+1 fg=#000000");
    QTest::newRow("colon rgb too short")
        << QStringLiteral("\033[38:2:1mX") << QStringLiteral("X") << QString();
    QTest::newRow("colon 256 without index")
        << QStringLiteral("\033[38:5;1mX") << QStringLiteral("X") << QStringLiteral("0+1 bold");
    QTest::newRow("OSC with BEL") << QStringLiteral("\033]0;title\aText") << QStringLiteral("Text")
                                  << QString();
    QTest::newRow("OSC with ESC backslash")
        << QStringLiteral("\033]8;;http://x.example\033\\link\033]8;;\033\\ after")
        << QStringLiteral("link after") << QString();
    QTest::newRow("OSC with C1 ST")
        << QStringLiteral("\033]2;t\u009cX") << QStringLiteral("X") << QString();
    QTest::newRow("OSC unterminated")
        << QStringLiteral("before\033]0;never ends") << QStringLiteral("before") << QString();
    QTest::newRow("OSC cut by CSI") << QStringLiteral("\033]0;t\033[31mX") << QStringLiteral("X")
                                    << QStringLiteral("0+1 fg=#cd0000");
    QTest::newRow("DCS and APC") << QStringLiteral("\033Pq#0;2\033\\a\033_x\ab")
                                 << QStringLiteral("ab") << QString();
    QTest::newRow("other CSI") << QStringLiteral("\033[2K\033[1;1Hhello\033[?25l\033[3~")
                               << QStringLiteral("hello") << QString();
    QTest::newRow("private marker is not SGR")
        << QStringLiteral("\033[>4;2mX\033[?1m") << QStringLiteral("X") << QString();
    QTest::newRow("intermediate is not SGR")
        << QStringLiteral("\033[1 mX") << QStringLiteral("X") << QString();
    QTest::newRow("CSI cut by other character")
        << QStringLiteral("\033[31ämX") << QStringLiteral("ämX") << QString();
    QTest::newRow("CSI cut by ESC")
        << QStringLiteral("\033[31\033[1mX") << QStringLiteral("X") << QStringLiteral("0+1 bold");
    QTest::newRow("CSI final letter")
        << QStringLiteral("a\033[b") << QStringLiteral("a") << QString();
    QTest::newRow("charset") << QStringLiteral("\033(Bx\033)0y\033(") << QStringLiteral("xy")
                             << QString();
    QTest::newRow("two-byte") << QStringLiteral("\033=a\033>b\0337c\0338") << QStringLiteral("abc")
                              << QString();
    QTest::newRow("ESC before non-ASCII")
        << QStringLiteral("\033äx") << QStringLiteral("äx") << QString();
    QTest::newRow("ESC before control")
        << QStringLiteral("a\033\tb") << QStringLiteral("a\tb") << QString();
    QTest::newRow("ESC ESC") << QStringLiteral("\033\033[1mX") << QStringLiteral("X")
                             << QStringLiteral("0+1 bold");
    QTest::newRow("ESC ESC at end")
        << QStringLiteral("X\033\033") << QStringLiteral("X") << QString();
}

void tst_AnsiParser::malformed()
{
    QFETCH(QString, input);
    QFETCH(QString, text);
    QFETCH(QString, spans);

    const AnsiLine line = AnsiParser::parse(input);
    QCOMPARE(line.text, text);
    QCOMPARE(describe(line.spans), spans);
    checkInvariants(input, line);
}

void tst_AnsiParser::styleCarriedAcrossLines_data()
{
    QTest::addColumn<QStringList>("lines");
    QTest::addColumn<QStringList>("spans"); // per line
    QTest::addColumn<QString>("endStyle");

    QTest::newRow("red over three lines")
        << QStringList{QStringLiteral("\033[31mred"), QStringLiteral("still red"),
                       QStringLiteral("\033[0mplain")}
        << QStringList{QStringLiteral("0+3 fg=#cd0000"), QStringLiteral("0+9 fg=#cd0000"),
                       QString()}
        << QString();
    // Sequences do not continue on the next line: the cut one is dropped, its rest is text.
    QTest::newRow("cut sequence") << QStringList{QStringLiteral("\033[1mA\033[4"),
                                                 QStringLiteral("mB")}
                                  << QStringList{QStringLiteral("0+1 bold"),
                                                 QStringLiteral("0+2 bold")}
                                  << QStringLiteral("bold");
    QTest::newRow("through an empty line")
        << QStringList{QStringLiteral("\033[44m"), QString(), QStringLiteral("x")}
        << QStringList{QString(), QString(), QStringLiteral("0+1 bg=#0000ee")}
        << QStringLiteral("bg=#0000ee");
    QTest::newRow("reset mid-line")
        << QStringList{QStringLiteral("\033[32mgo"), QStringLiteral("a\033[mb")}
        << QStringList{QStringLiteral("0+2 fg=#00cd00"), QStringLiteral("0+1 fg=#00cd00")}
        << QString();
    QTest::newRow("added attribute")
        << QStringList{QStringLiteral("\033[38;2;1;2;3mx"), QStringLiteral("a\033[3mb")}
        << QStringList{QStringLiteral("0+1 fg=#010203"), QStringLiteral("0+1 fg=#010203; "
                                                                        "1+1 fg=#010203 italic")}
        << QStringLiteral("fg=#010203 italic");
}

void tst_AnsiParser::styleCarriedAcrossLines()
{
    QFETCH(QStringList, lines);
    QFETCH(QStringList, spans);
    QFETCH(QString, endStyle);

    AnsiStyle style;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const AnsiLine line = AnsiParser::parse(lines[i], style);
        QCOMPARE(describe(line.spans), spans[i]);
        checkInvariants(lines[i], line);
        style = line.endStyle;
    }
    QCOMPARE(describe(style), endStyle);
}

void tst_AnsiParser::initialStyleIsKeptWithoutSequences()
{
    AnsiStyle initial;
    initial.bold = true;
    initial.background = QColor(1, 2, 3);
    const AnsiLine line = AnsiParser::parse(u"text", initial);
    QCOMPARE(line.endStyle, initial);
    QCOMPARE(describe(line.spans), QStringLiteral("0+4 bg=#010203 bold"));
    QCOMPARE(AnsiParser::parse(u"", initial).endStyle, initial);
    QVERIFY(AnsiParser::parse(u"", initial).spans.isEmpty());
}

void tst_AnsiParser::paletteColor_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("color"); // empty: invalid

    const std::pair<int, const char *> rows[] = {
        {0, "#000000"},   {1, "#cd0000"},   {4, "#0000ee"},   {7, "#e5e5e5"},   {8, "#7f7f7f"},
        {12, "#5c5cff"},  {15, "#ffffff"},  {16, "#000000"},  {17, "#00005f"},  {21, "#0000ff"},
        {67, "#5f87af"},  {196, "#ff0000"}, {208, "#ff8700"}, {231, "#ffffff"}, {232, "#080808"},
        {244, "#808080"}, {255, "#eeeeee"}, {-1, ""},         {256, ""},        {100000, ""},
    };
    for (const auto &[index, color] : rows)
        QTest::addRow("%d", index) << index << QString::fromLatin1(color);
}

void tst_AnsiParser::paletteColor()
{
    QFETCH(int, index);
    QFETCH(QString, color);

    const QColor c = AnsiParser::paletteColor(index);
    QCOMPARE(c.isValid(), !color.isEmpty());
    if (c.isValid())
        QCOMPARE(c.name(), color);
}

void tst_AnsiParser::styleEquality()
{
    AnsiStyle a;
    QVERIFY(a.isDefault());
    AnsiStyle b;
    QVERIFY(a == b);
    b.strikeOut = true;
    QVERIFY(!b.isDefault());
    QVERIFY(a != b);
    b = AnsiStyle();
    b.foreground = AnsiParser::paletteColor(1);
    QVERIFY(a != b);
    a.foreground = QColor(0xcd, 0, 0);
    QVERIFY(a == b);
    a.faint = true;
    QVERIFY(a != b);
}

void tst_AnsiParser::randomInputKeepsInvariants()
{
    // Fragments that make and break sequences in every order.
    const QString pieces[] = {
        QStringLiteral("\033"),    QStringLiteral("["),       QStringLiteral("]"),
        QStringLiteral(";"),       QStringLiteral(":"),       QStringLiteral("3"),
        QStringLiteral("8"),       QStringLiteral("5"),       QStringLiteral("2"),
        QStringLiteral("m"),       QStringLiteral("H"),       QStringLiteral("\a"),
        QStringLiteral("\\"),      QStringLiteral("a"),       QStringLiteral("ä"),
        QStringLiteral("😀"),       QStringLiteral("?"),       QStringLiteral(" "),
        QStringLiteral("("),       QStringLiteral("P"),       QStringLiteral("\u009c"),
        QStringLiteral("\033[1m"), QStringLiteral("\033[0m"), QStringLiteral("999999999999"),
    };
    QRandomGenerator random(20240501);
    AnsiStyle style;
    for (int round = 0; round < 20000; ++round) {
        QString input;
        const int count = random.bounded(40);
        for (int i = 0; i < count; ++i)
            input += pieces[random.bounded(int(std::size(pieces)))];
        const AnsiLine line = AnsiParser::parse(input, style);
        checkInvariants(input, line);
        if (QTest::currentTestFailed()) {
            qWarning() << "input" << input;
            return;
        }
        style = round % 7 == 0 ? AnsiStyle() : line.endStyle;
    }
}

void tst_AnsiParser::byteScanAgreesWithTextScan()
{
    // OutputBuffer's search takes sequences out of the raw bytes; the result must be the text
    // AnsiParser shows. Exactly so for valid UTF-8; with invalid bytes, at least where ASCII
    // characters are and what separates them.
    const QByteArray valid[] = {
        "\033",     "[",        "]", ";", "3", "1", "m", "\a", "\\",           "a",
        "\xc3\xa4", "\xc2\x9c", "P", "(", " ", "?", "_", "\t", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
        "\033[1m",
    };
    const QByteArray invalid[] = {"\xc3", "\x82", "\xe2\x82", "\xff", "\xf0\x9f"};
    QRandomGenerator random(4242);
    for (int round = 0; round < 20000; ++round) {
        const bool withInvalid = round % 2;
        QByteArray bytes;
        const int count = random.bounded(30);
        for (int i = 0; i < count; ++i) {
            if (withInvalid && random.bounded(5) == 0)
                bytes += invalid[random.bounded(int(std::size(invalid)))];
            else
                bytes += valid[random.bounded(int(std::size(valid)))];
        }
        const QString shown = AnsiParser::strip(QString::fromUtf8(bytes));
        const QString fromBytes = stripBytes(bytes);
        if (withInvalid)
            QCOMPARE(asciiShape(fromBytes), asciiShape(shown));
        else
            QCOMPARE(fromBytes, shown);
        if (QTest::currentTestFailed()) {
            qWarning() << "input" << bytes.toHex(' ');
            return;
        }
    }
}

void tst_AnsiParser::longSequencesStayLinear()
{
    // A quadratic parser would take minutes here; a linear one milliseconds.
    QString params;
    for (int i = 0; i < 200000; ++i)
        params += QStringLiteral("38;5;");
    const QString manyParams = QStringLiteral("\033[") + params + QStringLiteral("1mX");
    QString manyEscapes;
    for (int i = 0; i < 200000; ++i)
        manyEscapes += QStringLiteral("\033[1m\033[22mab");

    QElapsedTimer timer;
    timer.start();
    const AnsiLine a = AnsiParser::parse(manyParams);
    const AnsiLine b = AnsiParser::parse(manyEscapes);
    qInfo("1 MB of parameters and 2.4 MB of sequences parsed in %lld ms", timer.elapsed());
    QCOMPARE(a.text, QStringLiteral("X"));
    QCOMPARE(b.text.size(), 400000);
    QVERIFY(b.spans.isEmpty());
}

QTEST_GUILESS_MAIN(tst_AnsiParser)
#include "tst_AnsiParser.moc"
