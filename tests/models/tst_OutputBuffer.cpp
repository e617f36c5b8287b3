#include "OutputBuffer.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QStringList>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iterator>

using namespace casefile;

namespace {

QStringList linesOf(const OutputBuffer &buffer)
{
    QStringList lines;
    for (qsizetype i = 0; i < buffer.lineCount(); ++i)
        lines << buffer.lineText(i);
    return lines;
}

QString describe(const std::optional<OutputBuffer::Match> &match)
{
    if (!match)
        return QStringLiteral("none");
    return QStringLiteral("%1:%2+%3").arg(match->line).arg(match->column).arg(match->length);
}

OutputBuffer bufferOf(const QByteArray &bytes)
{
    OutputBuffer buffer;
    buffer.append(OutputStream::Stdout, bytes);
    return buffer;
}

// Every match of `needle` in the displayed lines, in order: the reference find() must agree with.
QList<OutputBuffer::Match> allMatches(const OutputBuffer &buffer, const QString &needle,
                                      Qt::CaseSensitivity cs)
{
    QList<OutputBuffer::Match> matches;
    for (qsizetype line = 0; line < buffer.lineCount(); ++line) {
        const QString text = buffer.displayText(line);
        for (qsizetype at = text.indexOf(needle, 0, cs); at >= 0;
             at = text.indexOf(needle, at + 1, cs))
            matches.append({line, at, needle.size()});
    }
    return matches;
}

bool before(const OutputBuffer::Match &m, qsizetype line, qsizetype column)
{
    return m.line < line || (m.line == line && m.column < column);
}

std::optional<OutputBuffer::Match> expectedFind(const QList<OutputBuffer::Match> &matches,
                                                qsizetype line, qsizetype column, bool backward)
{
    if (matches.isEmpty())
        return std::nullopt;
    if (!backward) {
        for (const auto &m : matches) {
            if (!before(m, line, column))
                return m;
        }
        return matches.first();
    }
    for (auto it = matches.crbegin(); it != matches.crend(); ++it) {
        if (before(*it, line, column))
            return *it;
    }
    return matches.last();
}

} // namespace

class tst_OutputBuffer : public QObject
{
    Q_OBJECT

private slots:
    void emptyBuffer();
    void lineSplitting_data();
    void lineSplitting();
    void trailingLineGrows();
    void utf8SplitAcrossAppends();
    void surrogatePairSplitAcrossAppends();
    void stderrMarking();
    void displayTextRanges();
    void find_data();
    void find();
    void findAgreesWithPlainSearch();
    void countMatchingLines_data();
    void countMatchingLines();
    void manySmallAppends();
    void clear();
    void millionLines();
};

void tst_OutputBuffer::emptyBuffer()
{
    OutputBuffer buffer;
    QCOMPARE(buffer.lineCount(), 0);
    QCOMPARE(buffer.byteSize(), 0);
    QCOMPARE(buffer.lineText(0), QString());
    QCOMPARE(buffer.displayText(0), QString());
    QCOMPARE(buffer.displayText(0, 5), QString());
    QVERIFY(!buffer.lineHasStderr(0));
    QCOMPARE(describe(buffer.find(QStringLiteral("x"), 0, 0)), QStringLiteral("none"));
    QCOMPARE(describe(buffer.find(QStringLiteral("x"), 0, 0, true)), QStringLiteral("none"));
    QCOMPARE(buffer.countMatchingLines(QStringLiteral("x")), 0);
    buffer.append(OutputStream::Stdout, QByteArray());
    buffer.append(OutputStream::Stderr, QString());
    QCOMPARE(buffer.lineCount(), 0);
    QCOMPARE(buffer.byteSize(), 0);
}

void tst_OutputBuffer::lineSplitting_data()
{
    QTest::addColumn<QStringList>("chunks");
    QTest::addColumn<QStringList>("lines");

    using L = QStringList;
    const auto s = [](const char *utf8) { return QString::fromUtf8(utf8); };
    QTest::newRow("nothing") << L{} << L{};
    QTest::newRow("empty chunk") << L{QString()} << L{};
    QTest::newRow("terminated") << L{s("a\nb\n")} << L{s("a"), s("b")};
    QTest::newRow("unterminated last") << L{s("a\nb")} << L{s("a"), s("b")};
    QTest::newRow("crlf") << L{s("a\r\nb\r\n")} << L{s("a"), s("b")};
    QTest::newRow("crlf split") << L{s("a\r"), s("\nb")} << L{s("a"), s("b")};
    QTest::newRow("cr waiting") << L{s("a\r")} << L{s("a\r")};
    QTest::newRow("lone cr stays") << L{s("a\rb\n")} << L{s("a\rb")};
    QTest::newRow("cr before crlf") << L{s("a\r\r\n")} << L{s("a\r")};
    QTest::newRow("only break") << L{s("\n")} << L{QString()};
    QTest::newRow("only crlf") << L{s("\r\n")} << L{QString()};
    QTest::newRow("empty lines") << L{s("\n\n"), s("\n")} << L{QString(), QString(), QString()};
    QTest::newRow("joined chunks")
        << L{s("ab"), s("cd"), s("\n"), s("ef")} << L{s("abcd"), s("ef")};
    QTest::newRow("break first") << L{s("ab"), s("\ncd")} << L{s("ab"), s("cd")};
    QTest::newRow("mixed breaks") << L{s("1\n2\r\n\r\n3")} << L{s("1"), s("2"), QString(), s("3")};
    QTest::newRow("non-ASCII") << L{s("ä\n😀\r\n€")} << L{s("ä"), s("😀"), s("€")};
    QTest::newRow("escapes kept") << L{s("\033[31mred\033[0m\n")} << L{s("\033[31mred\033[0m")};
}

void tst_OutputBuffer::lineSplitting()
{
    QFETCH(QStringList, chunks);
    QFETCH(QStringList, lines);

    OutputBuffer asText;
    OutputBuffer asBytes;
    OutputBuffer byteByByte;
    QByteArray all;
    for (const QString &chunk : chunks) {
        asText.append(OutputStream::Stdout, chunk);
        asBytes.append(OutputStream::Stdout, chunk.toUtf8());
        all += chunk.toUtf8();
    }
    for (const char byte : all)
        byteByByte.append(OutputStream::Stdout, QByteArray(1, byte));

    QCOMPARE(linesOf(asText), lines);
    QCOMPARE(linesOf(asBytes), lines);
    QCOMPARE(linesOf(byteByByte), lines);
    QCOMPARE(asText.lineCount(), lines.size());
    QCOMPARE(asText.byteSize(), all.size());
    QCOMPARE(byteByByte.byteSize(), all.size());
}

void tst_OutputBuffer::trailingLineGrows()
{
    OutputBuffer buffer;
    buffer.append(OutputStream::Stdout, QStringLiteral("abc"));
    QCOMPARE(buffer.lineCount(), 1);
    QCOMPARE(buffer.lineText(0), QStringLiteral("abc"));
    buffer.append(OutputStream::Stdout, QStringLiteral("def"));
    QCOMPARE(buffer.lineCount(), 1);
    QCOMPARE(buffer.lineText(0), QStringLiteral("abcdef"));
    buffer.append(OutputStream::Stdout, QStringLiteral("\r"));
    QCOMPARE(buffer.lineText(0), QStringLiteral("abcdef\r"));
    buffer.append(OutputStream::Stdout, QStringLiteral("\n"));
    QCOMPARE(buffer.lineCount(), 1);
    QCOMPARE(buffer.lineText(0), QStringLiteral("abcdef"));
    buffer.append(OutputStream::Stdout, QStringLiteral("x"));
    QCOMPARE(buffer.lineCount(), 2);
    QCOMPARE(buffer.lineText(1), QStringLiteral("x"));
    QCOMPARE(describe(buffer.find(QStringLiteral("x"), 0, 0)), QStringLiteral("1:0+1"));
    buffer.append(OutputStream::Stdout, QStringLiteral("yz"));
    QCOMPARE(buffer.lineText(1), QStringLiteral("xyz"));
    QCOMPARE(describe(buffer.find(QStringLiteral("yz"), 0, 0)), QStringLiteral("1:1+2"));
}

void tst_OutputBuffer::utf8SplitAcrossAppends()
{
    const QString text = QStringLiteral("aä€😀z\nü\033[1m😀");
    const QByteArray bytes = text.toUtf8();
    OutputBuffer buffer;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        buffer.append(OutputStream::Stdout, bytes.mid(i, 1));
        // A line cut inside a character shows a replacement for now, never garbage or a crash.
        const QString last = buffer.lineText(buffer.lineCount() - 1);
        QVERIFY(!last.isEmpty());
    }
    QCOMPARE(buffer.lineCount(), 2);
    QCOMPARE(buffer.lineText(0), QStringLiteral("aä€😀z"));
    QCOMPARE(buffer.lineText(1), QStringLiteral("ü\033[1m😀"));
    QCOMPARE(buffer.displayText(1), QStringLiteral("ü😀"));
    QCOMPARE(describe(buffer.find(QStringLiteral("z"), 0, 0)), QStringLiteral("0:5+1"));
    QCOMPARE(describe(buffer.find(QStringLiteral("ü😀"), 0, 0)), QStringLiteral("1:0+3"));

    // Cut in the middle of a three-byte character: the line shows replacement characters for
    // now, then the character once it is complete.
    OutputBuffer cut;
    cut.append(OutputStream::Stdout, QByteArray("x\xe2\x82"));
    const QString partial = cut.lineText(0);
    QVERIFY(partial.size() > 1);
    QCOMPARE(partial.front(), QLatin1Char('x'));
    QVERIFY(std::all_of(partial.cbegin() + 1, partial.cend(),
                        [](QChar c) { return c == QChar::ReplacementCharacter; }));
    cut.append(OutputStream::Stdout, QByteArray("\xac"));
    QCOMPARE(cut.lineText(0), QStringLiteral("x€"));
}

void tst_OutputBuffer::surrogatePairSplitAcrossAppends()
{
    const QString emoji = QStringLiteral("😀");
    OutputBuffer buffer;
    const QString first = QStringLiteral("a") + emoji.front();
    const QString second = emoji.back() + QStringLiteral("b");
    buffer.append(OutputStream::Stdout, first);
    buffer.append(OutputStream::Stdout, second);
    QCOMPARE(buffer.lineText(0), QStringLiteral("a😀b"));
    QCOMPARE(buffer.byteSize(), 6);

    // A half that never gets its other half becomes U+FFFD, not "?".
    OutputBuffer broken;
    broken.append(OutputStream::Stdout, QString(emoji.front()));
    broken.append(OutputStream::Stderr, QStringLiteral("x"));
    QCOMPARE(broken.lineText(0), QStringLiteral("\ufffdx"));
    QVERIFY(broken.lineHasStderr(0));
}

void tst_OutputBuffer::stderrMarking()
{
    OutputBuffer buffer;
    buffer.append(OutputStream::Stdout, QStringLiteral("out one\n"));
    buffer.append(OutputStream::Stderr, QStringLiteral("err one\n"));
    buffer.append(OutputStream::Stdout, QStringLiteral("mix "));
    buffer.append(OutputStream::Stderr, QByteArray("ERR"));
    buffer.append(OutputStream::Stdout, QStringLiteral(" end\nout two\n"));
    buffer.append(OutputStream::Stderr, QStringLiteral("\n"));   // an empty stderr line
    buffer.append(OutputStream::Stdout, QStringLiteral("text")); // ended by stderr's break:
    buffer.append(OutputStream::Stderr, QStringLiteral("\n"));   // no character from stderr
    buffer.append(OutputStream::Stderr, QStringLiteral("e"));
    buffer.append(OutputStream::Stdout, QStringLiteral("\n"));
    buffer.append(OutputStream::Stdout, QStringLiteral("last"));

    const QStringList expected{
        QStringLiteral("out one"),
        QStringLiteral("err one"),
        QStringLiteral("mix ERR end"),
        QStringLiteral("out two"),
        QString(),
        QStringLiteral("text"),
        QStringLiteral("e"),
        QStringLiteral("last"),
    };
    QCOMPARE(linesOf(buffer), expected);
    const bool stderrLines[] = {false, true, true, false, true, false, true, false};
    for (qsizetype i = 0; i < qsizetype(std::size(stderrLines)); ++i)
        QVERIFY2(buffer.lineHasStderr(i) == stderrLines[i], qPrintable(expected[i]));
    QVERIFY(!buffer.lineHasStderr(-1));
    QVERIFY(!buffer.lineHasStderr(99));
}

void tst_OutputBuffer::displayTextRanges()
{
    OutputBuffer buffer =
        bufferOf(QByteArray("\033[31mred\033[0m\r\nplain\n\033]0;title\aosc\n\033[1mlast"));
    QCOMPARE(buffer.lineCount(), 4);
    QCOMPARE(buffer.lineText(0), QStringLiteral("\033[31mred\033[0m"));
    QCOMPARE(buffer.displayText(0), QStringLiteral("red"));
    QCOMPARE(buffer.displayText(2), QStringLiteral("osc"));
    QCOMPARE(buffer.displayText(1, 2), QStringLiteral("plain\nosc"));
    QCOMPARE(buffer.displayText(0, 3), QStringLiteral("red\nplain\nosc\nlast"));
    QCOMPARE(buffer.displayText(2, 99), QStringLiteral("osc\nlast"));
    QCOMPARE(buffer.displayText(-5, 0), QStringLiteral("red"));
    QCOMPARE(buffer.displayText(3, 3), QStringLiteral("last"));
    QCOMPARE(buffer.displayText(3, 1), QString());
    QCOMPARE(buffer.displayText(4), QString());
    QCOMPARE(buffer.displayText(-1), QString());
}

void tst_OutputBuffer::find_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("needle");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("backward");
    QTest::addColumn<bool>("caseSensitive");
    QTest::addColumn<QString>("expected");

    const QByteArray greek("alpha beta\ngamma ALPHA\ndelta alpha\n");
    const QString alpha = QStringLiteral("alpha");
    QTest::newRow("at start") << greek << alpha << 0 << 0 << false << false
                              << QStringLiteral("0:0+5");
    QTest::newRow("after start") << greek << alpha << 0 << 1 << false << false
                                 << QStringLiteral("1:6+5");
    QTest::newRow("next line") << greek << alpha << 1 << 7 << false << false
                               << QStringLiteral("2:6+5");
    QTest::newRow("wraps forward")
        << greek << alpha << 2 << 7 << false << false << QStringLiteral("0:0+5");
    QTest::newRow("case sensitive upper")
        << greek << QStringLiteral("ALPHA") << 0 << 0 << false << true << QStringLiteral("1:6+5");
    QTest::newRow("case sensitive skips")
        << greek << alpha << 0 << 1 << false << true << QStringLiteral("2:6+5");
    QTest::newRow("case sensitive miss")
        << greek << QStringLiteral("Alpha") << 0 << 0 << false << true << QStringLiteral("none");
    QTest::newRow("backward") << greek << alpha << 2 << 6 << true << false
                              << QStringLiteral("1:6+5");
    QTest::newRow("backward same line")
        << greek << alpha << 2 << 7 << true << false << QStringLiteral("2:6+5");
    QTest::newRow("backward wraps")
        << greek << alpha << 0 << 0 << true << false << QStringLiteral("2:6+5");
    QTest::newRow("backward in line")
        << greek << alpha << 0 << 1 << true << false << QStringLiteral("0:0+5");
    QTest::newRow("backward case sensitive")
        << greek << alpha << 1 << 99 << true << true << QStringLiteral("0:0+5");
    QTest::newRow("column past end")
        << greek << QStringLiteral("a") << 0 << 99 << false << false << QStringLiteral("1:1+1");
    QTest::newRow("line past end clamps")
        << greek << QStringLiteral("delta") << 99 << 0 << false << false << QStringLiteral("2:0+5");
    QTest::newRow("negative start")
        << greek << QStringLiteral("beta") << -4 << -4 << false << false << QStringLiteral("0:6+4");
    QTest::newRow("no match") << greek << QStringLiteral("omega") << 1 << 3 << false << false
                              << QStringLiteral("none");
    QTest::newRow("no match backward")
        << greek << QStringLiteral("omega") << 1 << 3 << true << false << QStringLiteral("none");
    QTest::newRow("empty needle") << greek << QString() << 0 << 0 << false << false
                                  << QStringLiteral("none");
    QTest::newRow("needle with break") << greek << QStringLiteral("beta\ngamma") << 0 << 0 << false
                                       << false << QStringLiteral("none");

    const QByteArray single("xx ab xx ab");
    QTest::newRow("wraps to own line")
        << single << QStringLiteral("ab") << 0 << 10 << false << false << QStringLiteral("0:3+2");
    QTest::newRow("backward wraps to own line")
        << single << QStringLiteral("ab") << 0 << 3 << true << false << QStringLiteral("0:9+2");
    QTest::newRow("only match, from itself") << QByteArray("one\ntwo\n") << QStringLiteral("two")
                                             << 1 << 1 << false << false << QStringLiteral("1:0+3");

    const QByteArray colored("\033[31mer\033[1mror\033[0m here\nplain error\n\033[1mab\033[0mab");
    QTest::newRow("split by escapes") << colored << QStringLiteral("error") << 0 << 0 << false
                                      << false << QStringLiteral("0:0+5");
    QTest::newRow("column after escapes")
        << colored << QStringLiteral("here") << 0 << 0 << false << false << QStringLiteral("0:6+4");
    QTest::newRow("escape text not found")
        << colored << QStringLiteral("31m") << 0 << 0 << false << false << QStringLiteral("none");
    QTest::newRow("escape text not found cs")
        << colored << QStringLiteral("[0m") << 0 << 0 << false << true << QStringLiteral("none");
    QTest::newRow("across escapes from later") << colored << QStringLiteral("ror here") << 0 << 1
                                               << false << false << QStringLiteral("0:2+8");
    QTest::newRow("displayed columns forward")
        << colored << QStringLiteral("ab") << 2 << 1 << false << false << QStringLiteral("2:2+2");
    QTest::newRow("displayed columns backward")
        << colored << QStringLiteral("ab") << 2 << 2 << true << false << QStringLiteral("2:0+2");
    QTest::newRow("error backward from end")
        << colored << QStringLiteral("ERROR") << 2 << 0 << true << false << QStringLiteral("1:6+5");

    const QByteArray german("Größe und GRÖSSE\nÄÖÜ äöü\n😀😀 x\n");
    QTest::newRow("non-ASCII insensitive")
        << german << QStringLiteral("GRÖßE") << 0 << 0 << false << false << QStringLiteral("0:0+5");
    QTest::newRow("non-ASCII lower finds upper")
        << german << QStringLiteral("äöü") << 0 << 0 << false << false << QStringLiteral("1:0+3");
    QTest::newRow("non-ASCII sensitive")
        << german << QStringLiteral("äöü") << 0 << 0 << false << true << QStringLiteral("1:4+3");
    QTest::newRow("non-ASCII sensitive wraps")
        << german << QStringLiteral("ÄÖÜ") << 1 << 1 << false << true << QStringLiteral("1:0+3");
    QTest::newRow("non-ASCII backward")
        << german << QStringLiteral("ö") << 1 << 4 << true << false << QStringLiteral("1:1+1");
    QTest::newRow("non-ASCII only letters")
        << german << QStringLiteral("öü") << 2 << 0 << true << false << QStringLiteral("1:5+2");
    QTest::newRow("UTF-16 columns")
        << german << QStringLiteral("x") << 0 << 0 << false << false << QStringLiteral("2:5+1");
    QTest::newRow("emoji needle") << german << QStringLiteral("😀 ") << 0 << 0 << false << true
                                  << QStringLiteral("2:2+3");

    const QByteArray folds("temp 300\xe2\x84\xaa\nkelvin\n\xc5\xbfo\n");
    QTest::newRow("kelvin sign is k")
        << folds << QStringLiteral("K") << 0 << 0 << false << false << QStringLiteral("0:8+1");
    QTest::newRow("kelvin sign in word")
        << folds << QStringLiteral("300k") << 1 << 0 << false << false << QStringLiteral("0:5+4");
    QTest::newRow("kelvin sign not k when sensitive")
        << folds << QStringLiteral("k") << 0 << 0 << false << true << QStringLiteral("1:0+1");
    QTest::newRow("long s is s") << folds << QStringLiteral("SO") << 0 << 0 << false << false
                                 << QStringLiteral("2:0+2");

    const QByteArray invalid("\xff\xfe key \xc3(\n\xe2\x82 key\n");
    QTest::newRow("after invalid UTF-8")
        << invalid << QStringLiteral("KEY") << 0 << 0 << false << false << QStringLiteral("0:3+3");
    QTest::newRow("after truncated character")
        << invalid << QStringLiteral("key") << 0 << 4 << false << true << QStringLiteral("1:3+3");
    QTest::newRow("replacement needle") << invalid << QStringLiteral("\ufffd(") << 0 << 0 << false
                                        << true << QStringLiteral("0:7+2");

    const QByteArray crlf("one\r\ntwo\r\na\rb\r\n");
    QTest::newRow("crlf lines") << crlf << QStringLiteral("two") << 0 << 0 << true << false
                                << QStringLiteral("1:0+3");
    QTest::newRow("lone cr searchable")
        << crlf << QStringLiteral("\r") << 0 << 0 << false << false << QStringLiteral("2:1+1");
    QTest::newRow("line end not in text")
        << crlf << QStringLiteral("o\r") << 0 << 0 << false << false << QStringLiteral("none");
}

void tst_OutputBuffer::find()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, needle);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(bool, backward);
    QFETCH(bool, caseSensitive);
    QFETCH(QString, expected);

    const Qt::CaseSensitivity cs = caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive;
    const OutputBuffer buffer = bufferOf(bytes);
    QCOMPARE(describe(buffer.find(needle, line, column, backward, cs)), expected);
}

void tst_OutputBuffer::findAgreesWithPlainSearch()
{
    // Random output mixing everything the byte-level search takes shortcuts around: escapes
    // inside words, folding characters, invalid UTF-8, CRLF, uneven chunks. find() and
    // countMatchingLines() must answer exactly what searching every displayed line gives.
    const QByteArray pieces[] = {
        "alpha",    "Beta",     "k",        "K",        "\xe2\x84\xaa",
        "\xc5\xbf", "s",        "\xc3\xa4", "\xc3\x84", "\xf0\x9f\x98\x80",
        "er",       "ror",      "\033[31m", "\033[0m",  "\033]0;x\a",
        " ",        "\r",       "\xff",     "\xe2\x82", "a",
        "\033",     "\033[1;3", "\033]8;",  "\xc2\x9c", "\033\\",
        "\a",       "\033[",    "m",
    };
    const QString needles[] = {
        QStringLiteral("alpha"),  QStringLiteral("ALPHA"), QStringLiteral("k"),
        QStringLiteral("s"),      QStringLiteral("error"), QStringLiteral("rr"),
        QStringLiteral("ä"),      QStringLiteral("Ä"),     QStringLiteral("ks"),
        QStringLiteral("😀"),      QStringLiteral("a b"),   QStringLiteral("31m"),
        QStringLiteral(" "),      QStringLiteral("ſ"),     QStringLiteral("\ufffd"),
        QStringLiteral("äk"),     QStringLiteral("a\r"),   QStringLiteral("betak"),
        QStringLiteral("😀a"),     QStringLiteral("m"),     QStringLiteral("]"),
        QStringLiteral("\u009c"), QStringLiteral("\\"),    QStringLiteral("ÄS"),
    };
    QRandomGenerator random(77);
    for (int round = 0; round < 16; ++round) {
        QByteArray bytes;
        const int lineCount = 1 + random.bounded(200);
        for (int l = 0; l < lineCount; ++l) {
            const int count = random.bounded(12);
            for (int i = 0; i < count; ++i)
                bytes += pieces[random.bounded(int(std::size(pieces)))];
            bytes += random.bounded(3) == 0 ? "\r\n" : "\n";
        }
        if (random.bounded(2))
            bytes.chop(1);
        OutputBuffer buffer;
        for (qsizetype at = 0; at < bytes.size();) {
            const qsizetype size = 1 + random.bounded(40);
            buffer.append(random.bounded(2) ? OutputStream::Stdout : OutputStream::Stderr,
                          bytes.mid(at, size));
            at += size;
        }

        for (const QString &needle : needles) {
            for (const auto cs : {Qt::CaseInsensitive, Qt::CaseSensitive}) {
                const auto matches = allMatches(buffer, needle, cs);
                qsizetype matchingLines = 0;
                for (qsizetype i = 0; i < matches.size(); ++i)
                    matchingLines += i == 0 || matches[i].line != matches[i - 1].line;
                if (buffer.countMatchingLines(needle, cs) != matchingLines)
                    qWarning() << "needle" << needle << "cs" << cs;
                QCOMPARE(buffer.countMatchingLines(needle, cs), matchingLines);
                for (int probe = 0; probe < 20; ++probe) {
                    const qsizetype line = random.bounded(int(buffer.lineCount()));
                    const qsizetype column =
                        random.bounded(int(buffer.displayText(line).size()) + 2);
                    for (const bool backward : {false, true}) {
                        const auto got = buffer.find(needle, line, column, backward, cs);
                        const auto want = expectedFind(matches, line, column, backward);
                        if (describe(got) != describe(want)) {
                            qWarning() << "needle" << needle << "cs" << cs << "from" << line
                                       << column << "backward" << backward << "line text"
                                       << buffer.displayText(line);
                        }
                        QCOMPARE(describe(got), describe(want));
                    }
                }
            }
        }
    }
}

void tst_OutputBuffer::countMatchingLines_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("needle");
    QTest::addColumn<bool>("caseSensitive");
    QTest::addColumn<int>("expected");

    const QByteArray text("error one error\nfine\nERROR two\n\033[31mer\033[0mror\nerr or\nerror");
    QTest::newRow("insensitive") << text << QStringLiteral("error") << false << 4;
    QTest::newRow("sensitive") << text << QStringLiteral("error") << true << 3;
    QTest::newRow("upper sensitive") << text << QStringLiteral("ERROR") << true << 1;
    QTest::newRow("none") << text << QStringLiteral("warning") << false << 0;
    QTest::newRow("empty needle") << text << QString() << false << 0;
    QTest::newRow("escape text") << text << QStringLiteral("[31m") << false << 0;
    QTest::newRow("most lines") << text << QStringLiteral("r") << false << 5;
    QTest::newRow("empty buffer") << QByteArray() << QStringLiteral("x") << false << 0;
    QTest::newRow("non-ASCII") << QByteArray("Größe\ngröße\nGROSSE\n") << QStringLiteral("GRÖSSE")
                               << false << 0;
    QTest::newRow("non-ASCII folding")
        << QByteArray("Größe\ngröße\nGROSSE\n") << QStringLiteral("GRÖßE") << false << 2;
    QTest::newRow("non-ASCII simple")
        << QByteArray("Größe\ngröße\nGROSSE\n") << QStringLiteral("RÖ") << false << 2;
}

void tst_OutputBuffer::countMatchingLines()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, needle);
    QFETCH(bool, caseSensitive);
    QFETCH(int, expected);

    const OutputBuffer buffer = bufferOf(bytes);
    QCOMPARE(
        buffer.countMatchingLines(needle, caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive),
        expected);
}

void tst_OutputBuffer::manySmallAppends()
{
    OutputBuffer buffer;
    const QByteArray pieces[] = {"ab", "c\r", "\n", "", "d"};
    for (int i = 0; i < 100000; ++i) {
        for (const QByteArray &piece : pieces)
            buffer.append(OutputStream::Stdout, piece);
    }
    QCOMPARE(buffer.lineCount(), 100001);
    QCOMPARE(buffer.byteSize(), 600000);
    QCOMPARE(buffer.lineText(0), QStringLiteral("abc"));
    QCOMPARE(buffer.lineText(1), QStringLiteral("dabc"));
    QCOMPARE(buffer.lineText(99999), QStringLiteral("dabc"));
    // Growth by a quarter, not doubling: the slack stays small next to text plus index.
    const qsizetype raw = buffer.byteSize() + buffer.lineCount() * qsizetype(sizeof(qsizetype));
    QVERIFY2(buffer.memoryBytes() <= raw * 13 / 10 + 4096,
             qPrintable(QStringLiteral("%1 bytes for %2").arg(buffer.memoryBytes()).arg(raw)));

    QCOMPARE(buffer.lineText(100000), QStringLiteral("d"));
    buffer.append(OutputStream::Stdout, QByteArray("\n"));
    QCOMPARE(buffer.lineCount(), 100001);
    buffer.append(OutputStream::Stdout, QByteArray("x"));
    QCOMPARE(buffer.lineCount(), 100002);
    QCOMPARE(buffer.lineText(100001), QStringLiteral("x"));
}

void tst_OutputBuffer::clear()
{
    OutputBuffer buffer = bufferOf(QByteArray("one\ntwo"));
    buffer.append(OutputStream::Stderr, QStringLiteral("!"));
    buffer.clear();
    QCOMPARE(buffer.lineCount(), 0);
    QCOMPARE(buffer.byteSize(), 0);
    QCOMPARE(buffer.memoryBytes(), 0);
    QVERIFY(!buffer.find(QStringLiteral("one"), 0, 0));
    buffer.append(OutputStream::Stdout, QStringLiteral("fresh\n"));
    QCOMPARE(linesOf(buffer), QStringList{QStringLiteral("fresh")});
    QVERIFY(!buffer.lineHasStderr(0));
}

void tst_OutputBuffer::millionLines()
{
    constexpr int kLines = 1000000;
    constexpr int kPerChunk = 1000;
    OutputBuffer buffer;
    QElapsedTimer timer;
    timer.start();
    QByteArray chunk;
    for (int first = 0; first < kLines; first += kPerChunk) {
        chunk.clear();
        for (int n = first; n < first + kPerChunk; ++n) {
            char line[128];
            const int size = std::snprintf(
                line, sizeof line,
                "2024-05-01 12:%02d:%02d host kernel: [%07d] eth0: link is up, full\n", n / 60 % 60,
                n % 60, n);
            chunk.append(line, size);
        }
        buffer.append(OutputStream::Stdout, chunk);
    }
    const qint64 buildMs = timer.elapsed();
    QCOMPARE(buffer.lineCount(), kLines);
    QCOMPARE(buffer.lineText(0),
             QStringLiteral("2024-05-01 12:00:00 host kernel: [0000000] eth0: link is up, full"));
    QCOMPARE(buffer.lineText(kLines - 1),
             QStringLiteral("2024-05-01 12:46:39 host kernel: [0999999] eth0: link is up, full"));
    const double ratio = double(buffer.memoryBytes()) / double(buffer.byteSize());
    qInfo("%d lines, %lld bytes (%.1f per line), held in %lld bytes (%.3fx), built in %lld ms",
          kLines, qint64(buffer.byteSize()), double(buffer.byteSize()) / kLines,
          qint64(buffer.memoryBytes()), ratio, buildMs);
    QVERIFY2(ratio <= 1.5, qPrintable(QString::number(ratio)));

    struct Timed
    {
        const char *what;
        std::function<QString()> run;
        QString expected;
    };
    const Timed runs[] = {
        {"absent ASCII, insensitive",
         [&] { return describe(buffer.find(QStringLiteral("Not There"), 0, 0)); },
         QStringLiteral("none")},
        {"absent ASCII, sensitive",
         [&] {
             return describe(buffer.find(QStringLiteral("eth1"), 0, 0, false, Qt::CaseSensitive));
         },
         QStringLiteral("none")},
        {"absent ASCII, backward",
         [&] { return describe(buffer.find(QStringLiteral("link down"), 500000, 0, true)); },
         QStringLiteral("none")},
        {"absent non-ASCII, insensitive",
         [&] { return describe(buffer.find(QStringLiteral("Größe"), 0, 0)); },
         QStringLiteral("none")},
        {"absent non-ASCII, sensitive",
         [&] {
             return describe(buffer.find(QStringLiteral("µs"), 0, 0, false, Qt::CaseSensitive));
         },
         QStringLiteral("none")},
        {"last line, forward",
         [&] { return describe(buffer.find(QStringLiteral("[0999999]"), 0, 0)); },
         QStringLiteral("999999:33+9")},
        {"second line, backward from the first",
         [&] { return describe(buffer.find(QStringLiteral("0000001"), 0, 0, true)); },
         QStringLiteral("1:34+7")},
        {"count, every line",
         [&] { return QString::number(buffer.countMatchingLines(QStringLiteral("ETH0"))); },
         QString::number(kLines)},
        {"count, some lines",
         [&] { return QString::number(buffer.countMatchingLines(QStringLiteral("12:00:00"))); },
         QString::number(kLines / 3600 + 1)},
        {"count, absent",
         [&] { return QString::number(buffer.countMatchingLines(QStringLiteral("error"))); },
         QStringLiteral("0")},
    };
    for (const Timed &t : runs) {
        timer.restart();
        const QString result = t.run();
        qInfo("%-40s %5lld ms", t.what, timer.elapsed());
        QCOMPARE(result, t.expected);
    }
}

QTEST_GUILESS_MAIN(tst_OutputBuffer)
#include "tst_OutputBuffer.moc"
