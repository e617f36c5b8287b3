#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringView>
#include <optional>

namespace casefile {

enum class OutputStream : quint8
{
    Stdout,
    Stderr,
};

// The whole output of one command, as it streams in: the text kept once, as UTF-8, with an index
// of where each line starts, so a million-line output costs little more than its bytes and any
// line is reached in constant time. Lines end at "\n" ("\r\n" counts as one break and neither
// character is part of the line); a last line without a break is a line too and grows as more
// text arrives. Text keeps its ANSI escape sequences; AnsiParser takes them out for display.
class OutputBuffer
{
public:
    struct Match
    {
        qsizetype line = -1;
        qsizetype column = 0; // in the line's displayed text (escape sequences removed), UTF-16
        qsizetype length = 0; // UTF-16 code units
        bool operator==(const Match &o) const
        {
            return line == o.line && column == o.column && length == o.length;
        }
    };

    void append(OutputStream stream, QStringView text);
    void append(OutputStream stream, const QByteArray &utf8);
    // The contents of a valid JSON string (between its quotes, escapes as they stand), decoded
    // straight into the buffer in one pass: how stored output chunks load without a JSON parser.
    // false, and the buffer unchanged, when an escape is invalid.
    bool appendJsonEscaped(OutputStream stream, QByteArrayView escaped);
    void clear();

    qsizetype lineCount() const;
    qsizetype byteSize() const { return m_data.size(); }
    // Bytes held, for the memory figures: the text plus the index.
    qsizetype memoryBytes() const;

    // The line as received (escape sequences kept), without its line break.
    QString lineText(qsizetype line) const;
    // The line as shown: escape sequences removed.
    QString displayText(qsizetype line) const;
    // True when any character of the line came from stderr.
    bool lineHasStderr(qsizetype line) const;
    // Lines [first, last] as shown, joined with "\n", for copying.
    QString displayText(qsizetype firstLine, qsizetype lastLine) const;

    // The next match of `needle` in the displayed text at or after (line, column), or with
    // `backward` the last one that starts before (line, column). Matches never span lines. Wraps
    // around the end (or the start) once; nullopt when there is none at all or needle is empty.
    std::optional<Match> find(const QString &needle, qsizetype line, qsizetype column,
                              bool backward = false,
                              Qt::CaseSensitivity cs = Qt::CaseInsensitive) const;
    // How many lines hold at least one match (for "n matches" in the find bar).
    qsizetype countMatchingLines(const QString &needle,
                                 Qt::CaseSensitivity cs = Qt::CaseInsensitive) const;

private:
    void appendBytes(OutputStream stream, const char *bytes, qsizetype size);
    void addLineStart(qsizetype offset);

    QByteArray m_data;
    QList<qsizetype> m_lineStarts; // byte offset of every line's first byte; empty when no text
    // Byte offsets where the stream switches, with the stream from there on.
    struct StreamRun
    {
        qsizetype offset;
        OutputStream stream;
    };
    QList<StreamRun> m_runs;
    // A high surrogate that ended the last QStringView chunk, kept until its low half arrives.
    char16_t m_pendingHighSurrogate = 0;
    OutputStream m_pendingStream = OutputStream::Stdout;
};

} // namespace casefile
