#include "OutputBuffer.h"

#include "JsonStringDecoder.h"

#include "AnsiParser.h"
#include "AnsiScanner.h"

#include <QHash>
#include <QVarLengthArray>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

namespace casefile {

namespace {

constexpr char kEscByte = '\x1b';
constexpr char kReplacementUtf8[] = "\xef\xbf\xbd"; // U+FFFD

// Qt grows its containers by doubling; growing by a quarter keeps the slack within the memory
// target (text plus index ≤ 1.5× the raw bytes) and is still amortised constant time.
template<typename Container>
void reserveFor(Container &container, qsizetype extra, qsizetype minimum)
{
    const qsizetype needed = container.size() + extra;
    if (needed <= container.capacity())
        return;
    container.reserve(std::max({needed, container.capacity() + container.capacity() / 4, minimum}));
}

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

// Where the lines are in the UTF-8 bytes.
class LineIndex
{
public:
    LineIndex(const QByteArray &data, const QList<qsizetype> &starts)
        : m_data(data.constData()), m_size(data.size()), m_starts(starts.constData()),
          m_count(starts.size())
    {}

    const char *data() const { return m_data; }
    qsizetype size() const { return m_size; }
    qsizetype count() const { return m_count; }
    qsizetype begin(qsizetype line) const { return m_starts[line]; }
    // Just past the line's break, or the end of the text.
    qsizetype next(qsizetype line) const
    {
        return line + 1 < m_count ? m_starts[line + 1] : m_size;
    }
    // Just past the line's text. A last line's trailing "\r" stays part of it until a "\n"
    // arrives, as it may be a lone carriage return.
    qsizetype end(qsizetype line) const
    {
        const qsizetype first = begin(line);
        qsizetype last = next(line);
        if (last > first && m_data[last - 1] == '\n') {
            --last;
            if (last > first && m_data[last - 1] == '\r')
                --last;
        }
        return last;
    }
    qsizetype lineAt(qsizetype offset) const
    {
        return std::upper_bound(m_starts, m_starts + m_count, offset) - m_starts - 1;
    }
    QString text(qsizetype line) const
    {
        const qsizetype first = begin(line);
        return QString::fromUtf8(m_data + first, end(line) - first);
    }
    QString displayText(qsizetype line) const { return AnsiParser::strip(text(line)); }

private:
    const char *m_data;
    qsizetype m_size;
    const qsizetype *m_starts;
    qsizetype m_count;
};

// Every BMP character whose case folding is shared with another, grouped by that folding (the
// folding itself included). Taken from Qt's tables, which QString's case-insensitive search
// uses; a character missing here only matches itself. No character outside the BMP folds onto
// one inside it, so the BMP is enough for the characters the search anchors on.
const QHash<char16_t, QList<char16_t>> &foldClasses()
{
    static const QHash<char16_t, QList<char16_t>> classes = [] {
        QHash<char16_t, QList<char16_t>> map;
        for (char32_t c = 0; c <= 0xffff; ++c) {
            const char32_t folded = QChar::toCaseFolded(c);
            if (QChar::isSurrogate(c) || folded == c || folded > 0xffff)
                continue;
            QList<char16_t> &members = map[char16_t(folded)];
            if (members.isEmpty())
                members.append(char16_t(folded));
            members.append(char16_t(c));
        }
        return map;
    }();
    return classes;
}

// The characters a case-insensitive search accepts for `c`, `c` first.
QList<char16_t> foldClassOf(char16_t c)
{
    QList<char16_t> members = foldClasses().value(char16_t(QChar::toCaseFolded(char32_t(c))));
    members.removeOne(c);
    members.prepend(c);
    return members;
}

QByteArray utf8Of(char16_t c)
{
    return QStringView(&c, 1).toUtf8();
}

// Rough order of how common bytes are in command output, most common first: breaks ties when
// the sample below has seen neither byte.
constexpr char kCommonBytes[] = " etaonisrlhdcu0m1p2f.g-:3y5b4w9v/867=k_,x[]j;()zq\"'";

int rarity(char byte)
{
    if (uchar(byte) >= 0x80)
        return 30; // UTF-8 lead and continuation bytes: neither rare nor common
    const char lower = asciiLower(byte);
    const char *hit = lower == '\0' ? nullptr : std::strchr(kCommonBytes, lower);
    return hit ? int(hit - kCommonBytes) : int(sizeof kCommonBytes);
}

// How often each byte occurs in samples spread over the text. The search anchors on what is
// rarest in this very output, so that memchr stops as seldom as possible.
class ByteCounts
{
public:
    ByteCounts(const char *data, qsizetype size)
    {
        constexpr qsizetype kWindow = 4096;
        constexpr qsizetype kWindows = 32;
        const auto count = [&](qsizetype from, qsizetype to) {
            for (qsizetype i = from; i < to; ++i)
                ++m_counts[uchar(data[i])];
        };
        if (size <= kWindow * kWindows) {
            count(0, size);
        } else {
            const qsizetype stride = (size - kWindow) / (kWindows - 1);
            for (qsizetype k = 0; k < kWindows; ++k)
                count(k * stride, k * stride + kWindow);
        }
    }

    quint64 operator[](char byte) const { return m_counts[uchar(byte)]; }

private:
    quint64 m_counts[256] = {};
};

// Narrows a search to the lines that can hold a match by scanning the raw bytes with memchr, so
// only those lines are decoded and searched exactly.
//
// Bytes mode (ASCII needles, and case-sensitive non-ASCII ones): memchr finds the needle's
// rarest byte; a line is a candidate when its bytes hold the needle's bytes (ASCII letters folded
// when case-insensitive) — with escape sequences taken out if the line holds an ESC — or when it
// holds a non-ASCII character that folds onto one of the needle's letters (KELVIN SIGN for k).
// Class mode (other case-insensitive needles): a line is a candidate when it holds any character
// that folds like the needle's rarest one. Needles that bytes cannot stand for make every line a
// candidate.
class LinePrefilter
{
public:
    LinePrefilter(const LineIndex &lines, const QString &needle, Qt::CaseSensitivity cs);

    bool canMatch() const { return m_mode != Mode::Impossible; }
    // Whether rawMatch is proof of a match in the displayed text, so the line need not be decoded.
    bool rawMatchIsExact() const { return m_rawMatchIsExact; }

    // Calls visit(line, rawMatch) for each candidate line in [first, last] in ascending order
    // until it returns true; rawMatch says the needle's bytes are in the line's bytes as shown
    // (escape sequences taken out). Returns whether a visit returned true.
    template<typename Visit>
    bool forEachCandidate(qsizetype first, qsizetype last, Visit visit) const;

private:
    enum class Mode
    {
        Impossible, // displayed text cannot hold the needle
        EveryLine,
        Bytes,
        Class,
    };
    struct Probe
    {
        char byte;
        qsizetype next;     // offset of the next occurrence, or the scan's limit
        qsizetype sequence; // index into m_sequences; -1 for the Bytes mode anchor
    };

    bool bytesAt(const char *text) const;
    bool displayedBytesHold(qsizetype line, std::string &scratch) const;

    const LineIndex &m_lines;
    Mode m_mode = Mode::EveryLine;
    bool m_fold = false;
    bool m_rawMatchIsExact = false;
    QByteArray m_bytes;          // Bytes mode: the needle's UTF-8, ASCII lower-cased if m_fold
    qsizetype m_anchorIndex = 0; // Bytes mode: the anchor's index in m_bytes
    QVarLengthArray<char, 2> m_anchorBytes; // Bytes mode: the anchor, in both cases if folding
    // UTF-8 of characters whose presence makes a line a candidate: those folding onto a letter of
    // the needle (Bytes mode) or every character folding like the anchor (Class mode).
    QList<QByteArray> m_sequences;
};

LinePrefilter::LinePrefilter(const LineIndex &lines, const QString &needle, Qt::CaseSensitivity cs)
    : m_lines(lines), m_fold(cs == Qt::CaseInsensitive)
{
    // Displayed text holds no line break and no ESC: every ESC starts a sequence taken out.
    if (needle.isEmpty() || needle.contains(QLatin1Char('\n')) || needle.contains(QChar(0x1b))) {
        m_mode = Mode::Impossible;
        return;
    }
    const ByteCounts counts(lines.data(), lines.size());
    const bool ascii =
        std::all_of(needle.cbegin(), needle.cend(), [](QChar c) { return c.unicode() < 0x80; });
    if (m_fold && !ascii) {
        // Non-ASCII letters fold in ways the needle's bytes cannot follow, but every match holds,
        // for each character of the needle, one that folds like it. The anchor is the character
        // whose fold class is rarest, judged by the last byte of each member's UTF-8, which is
        // what memchr looks for.
        QList<QByteArray> best;
        quint64 bestWeight = 0;
        for (const QChar c : needle) {
            // U+FFFD also stands for undecodable bytes, which hold no UTF-8 of it.
            if (c.isSurrogate() || c == QChar::ReplacementCharacter)
                continue;
            QList<QByteArray> members;
            quint64 weight = 0;
            for (const char16_t member : foldClassOf(c.unicode())) {
                members.append(utf8Of(member));
                weight += counts[members.constLast().back()];
            }
            if (best.isEmpty() || weight < bestWeight) {
                best = members;
                bestWeight = weight;
            }
        }
        if (best.isEmpty())
            return; // nothing to anchor on: every line
        m_mode = Mode::Class;
        m_sequences = best;
        return;
    }
    if (ascii) {
        m_bytes = needle.toLatin1();
        if (m_fold)
            std::transform(m_bytes.begin(), m_bytes.end(), m_bytes.begin(), asciiLower);
        // ASCII bytes decode to themselves whatever surrounds them, even invalid UTF-8.
        m_rawMatchIsExact = true;
    } else {
        const QByteArray utf8 = needle.toUtf8();
        // Unpaired surrogates do not survive UTF-8, and U+FFFD also stands for undecodable
        // bytes: such needles are searched line by line.
        if (QString::fromUtf8(utf8) != needle ||
            needle.contains(QChar(QChar::ReplacementCharacter)))
            return;
        m_bytes = utf8;
    }
    m_mode = Mode::Bytes;
    const auto weight = [&](char byte) {
        const bool letter = m_fold && byte >= 'a' && byte <= 'z';
        return counts[byte] + (letter ? counts[char(byte - 'a' + 'A')] : 0);
    };
    m_anchorIndex = 0;
    for (qsizetype i = 1; i < m_bytes.size(); ++i) {
        const char a = m_bytes[i];
        const char b = m_bytes[m_anchorIndex];
        if (weight(a) < weight(b) || (weight(a) == weight(b) && rarity(a) > rarity(b)))
            m_anchorIndex = i;
    }
    const char anchor = m_bytes[m_anchorIndex];
    m_anchorBytes.append(anchor);
    if (m_fold && anchor >= 'a' && anchor <= 'z')
        m_anchorBytes.append(char(anchor - 'a' + 'A'));
    if (m_fold) {
        for (const char byte : std::as_const(m_bytes)) {
            for (const char16_t member : foldClassOf(char16_t(uchar(byte)))) {
                const QByteArray sequence = utf8Of(member);
                if (member >= 0x80 && !m_sequences.contains(sequence))
                    m_sequences.append(sequence);
            }
        }
    }
}

bool LinePrefilter::bytesAt(const char *text) const
{
    if (!m_fold)
        return std::memcmp(text, m_bytes.constData(), size_t(m_bytes.size())) == 0;
    for (qsizetype i = 0; i < m_bytes.size(); ++i) {
        if (asciiLower(text[i]) != m_bytes[i])
            return false;
    }
    return true;
}

// Whether the line's bytes, with escape sequences taken out as AnsiParser takes them out, hold
// the needle's bytes.
bool LinePrefilter::displayedBytesHold(qsizetype line, std::string &scratch) const
{
    const char *text = m_lines.data() + m_lines.begin(line);
    scratch.clear();
    AnsiScanner::scan(
        text, m_lines.end(line) - m_lines.begin(line),
        [&](qsizetype from, qsizetype to) { scratch.append(text + from, size_t(to - from)); },
        [](qsizetype, qsizetype) {});
    const char *shown = scratch.data();
    const qsizetype size = qsizetype(scratch.size());
    for (const char anchor : m_anchorBytes) {
        for (qsizetype from = m_anchorIndex; from < size;) {
            const void *hit = std::memchr(shown + from, anchor, size_t(size - from));
            if (!hit)
                break;
            const qsizetype at = static_cast<const char *>(hit) - shown;
            const qsizetype start = at - m_anchorIndex;
            if (start + m_bytes.size() <= size && bytesAt(shown + start))
                return true;
            from = at + 1;
        }
    }
    return false;
}

template<typename Visit>
bool LinePrefilter::forEachCandidate(qsizetype first, qsizetype last, Visit visit) const
{
    if (first > last || m_mode == Mode::Impossible)
        return false;
    if (m_mode == Mode::EveryLine) {
        for (qsizetype line = first; line <= last; ++line) {
            if (visit(line, false))
                return true;
        }
        return false;
    }

    const char *data = m_lines.data();
    const qsizetype limit = m_lines.next(last);
    const auto seek = [&](Probe &probe, qsizetype from) {
        const void *hit =
            from < limit ? std::memchr(data + from, probe.byte, size_t(limit - from)) : nullptr;
        probe.next = hit ? static_cast<const char *>(hit) - data : limit;
    };
    // One memchr cursor per byte of interest; the scan always takes the nearest.
    QVarLengthArray<Probe, 8> probes;
    for (const char byte : m_anchorBytes)
        probes.append({byte, 0, -1});
    // A character is looked for by its last byte: continuation bytes are spread more evenly
    // than lead bytes.
    for (qsizetype i = 0; i < m_sequences.size(); ++i)
        probes.append({m_sequences[i].back(), 0, i});
    for (Probe &probe : probes)
        seek(probe, m_lines.begin(first));

    qsizetype line = first;
    // Hits mostly fall on this line or one of the next few: step there before bisecting.
    const auto moveTo = [&](qsizetype offset) {
        for (int step = 0; step < 4 && offset >= m_lines.next(line); ++step)
            ++line;
        if (offset >= m_lines.next(line))
            line = m_lines.lineAt(offset);
    };
    std::string stripped;
    // The first ESC at or after the current line, found once per stretch without one.
    qsizetype escapeAt = -1;
    const auto lineHasEscape = [&] {
        const qsizetype from = m_lines.begin(line);
        if (escapeAt < from) {
            const void *hit = std::memchr(data + from, kEscByte, size_t(limit - from));
            escapeAt = hit ? static_cast<const char *>(hit) - data : limit;
        }
        return escapeAt < m_lines.end(line);
    };
    for (;;) {
        Probe &probe =
            *std::min_element(probes.begin(), probes.end(),
                              [](const Probe &a, const Probe &b) { return a.next < b.next; });
        const qsizetype at = probe.next;
        if (at >= limit)
            return false;
        moveTo(at);

        bool candidate = false;
        bool rawMatch = false;
        if (probe.sequence >= 0) {
            const QByteArray &sequence = m_sequences[probe.sequence];
            const qsizetype start = at - (sequence.size() - 1);
            candidate = start >= 0 && std::memcmp(data + start, sequence.constData(),
                                                  size_t(sequence.size())) == 0;
        } else if (lineHasEscape()) {
            // Escape sequences may split the needle or fake it: look at the line as shown.
            candidate = rawMatch = displayedBytesHold(line, stripped);
            if (!candidate) {
                // The whole line is settled; only a folding character could still make it one.
                const qsizetype next = m_lines.next(line);
                for (Probe &p : probes) {
                    if (p.sequence < 0 && p.next < next)
                        seek(p, next);
                }
                continue;
            }
        } else {
            const qsizetype start = at - m_anchorIndex;
            candidate = rawMatch = start >= m_lines.begin(line) &&
                                   start + m_bytes.size() <= m_lines.end(line) &&
                                   bytesAt(data + start);
        }
        if (!candidate) {
            seek(probe, at + 1);
            continue;
        }
        if (visit(line, rawMatch))
            return true;
        if (line >= last)
            return false;
        ++line;
        const qsizetype from = m_lines.begin(line);
        for (Probe &p : probes) {
            if (p.next < from)
                seek(p, from);
        }
    }
}

// The last match in `text` that starts before `before`, or -1.
qsizetype lastIndexBefore(const QString &text, const QString &needle, qsizetype before,
                          Qt::CaseSensitivity cs)
{
    // QString::lastIndexOf answers -1 for a start past the end instead of clamping it.
    const qsizetype from = std::min(before - 1, text.size() - needle.size());
    return from < 0 ? -1 : text.lastIndexOf(needle, from, cs);
}

} // namespace

void OutputBuffer::append(OutputStream stream, QStringView text)
{
    if (text.isEmpty())
        return;
    if (m_pendingHighSurrogate) {
        const char16_t high = std::exchange(m_pendingHighSurrogate, char16_t(0));
        if (stream == m_pendingStream && text.front().isLowSurrogate()) {
            const QChar pair[2] = {QChar(high), text.front()};
            const QByteArray bytes = QStringView(pair, 2).toUtf8();
            appendBytes(stream, bytes.constData(), bytes.size());
            text = text.sliced(1);
        } else {
            appendBytes(m_pendingStream, kReplacementUtf8, 3);
        }
    }
    // A chunk may end between the halves of a surrogate pair; UTF-8 cannot hold half of one.
    if (!text.isEmpty() && text.back().isHighSurrogate()) {
        m_pendingHighSurrogate = text.back().unicode();
        m_pendingStream = stream;
        text.chop(1);
    }
    if (text.isEmpty())
        return;
    const QByteArray bytes = text.toUtf8();
    appendBytes(stream, bytes.constData(), bytes.size());
}

void OutputBuffer::append(OutputStream stream, const QByteArray &utf8)
{
    if (m_pendingHighSurrogate) {
        m_pendingHighSurrogate = 0;
        appendBytes(m_pendingStream, kReplacementUtf8, 3);
    }
    appendBytes(stream, utf8.constData(), utf8.size());
}

void OutputBuffer::appendBytes(OutputStream stream, const char *bytes, qsizetype size)
{
    if (size <= 0)
        return;
    const qsizetype oldSize = m_data.size();
    if (m_runs.isEmpty() || m_runs.constLast().stream != stream) {
        reserveFor(m_runs, 1, 4);
        m_runs.append({oldSize, stream});
    }
    reserveFor(m_data, size, 256);
    m_data.append(bytes, size);

    // Only the new bytes are scanned; a line starts after every "\n" that has text after it.
    const char *data = m_data.constData();
    const qsizetype newSize = m_data.size();
    if (oldSize == 0 || data[oldSize - 1] == '\n')
        addLineStart(oldSize);
    qsizetype from = oldSize;
    while (from < newSize) {
        const void *hit = std::memchr(data + from, '\n', size_t(newSize - from));
        if (!hit)
            break;
        const qsizetype next = static_cast<const char *>(hit) - data + 1;
        if (next < newSize)
            addLineStart(next);
        from = next;
    }
}

bool OutputBuffer::appendJsonEscaped(OutputStream stream, QByteArrayView escaped)
{
    if (escaped.isEmpty())
        return true;
    // Where to go back to if an escape is invalid: "false leaves the buffer unchanged".
    const qsizetype rollbackSize = m_data.size();
    const qsizetype rollbackLines = m_lineStarts.size();
    const qsizetype rollbackRuns = m_runs.size();
    const char16_t rollbackSurrogate = m_pendingHighSurrogate;
    if (m_pendingHighSurrogate) {
        m_pendingHighSurrogate = 0;
        appendBytes(m_pendingStream, kReplacementUtf8, 3);
    }
    const qsizetype oldSize = m_data.size();
    if (m_runs.isEmpty() || m_runs.constLast().stream != stream) {
        reserveFor(m_runs, 1, 4);
        m_runs.append({oldSize, stream});
    }
    // Decoding never makes text longer: room for all of it, then cut to what was written.
    reserveFor(m_data, escaped.size(), 256);
    m_data.resize(oldSize + escaped.size());
    char *base = m_data.data();
    char *w = base + oldSize;
    if (oldSize == 0 || base[oldSize - 1] == '\n')
        addLineStart(oldSize);
    const char *in = escaped.data();
    const char *end = in + escaped.size();
    while (in < end) {
        // A valid JSON string has no raw line break: they all come as escapes, where the next
        // line's start is noted, so the text is not scanned a second time. Runs between escapes
        // are short (a line), so they are copied eight bytes at a time while no byte of the
        // eight is a backslash, rather than through a library call per run.
        constexpr quint64 ones = 0x0101010101010101ULL;
        constexpr quint64 highs = 0x8080808080808080ULL;
        constexpr quint64 backslashes = ones * quint64('\\');
        while (end - in >= 8) {
            quint64 word;
            std::memcpy(&word, in, 8);
            const quint64 x = word ^ backslashes;
            if (((x - ones) & ~x & highs) != 0)
                break; // a backslash among these eight
            std::memcpy(w, &word, 8);
            w += 8;
            in += 8;
        }
        while (in < end && *in != '\\')
            *w++ = *in++;
        if (in == end)
            break;
        ++in;
        char *decoded = w;
        if (!JsonStringDecoder::decodeEscape(in, end, w)) {
            m_data.truncate(rollbackSize);
            m_lineStarts.resize(rollbackLines);
            m_runs.resize(rollbackRuns);
            m_pendingHighSurrogate = rollbackSurrogate;
            return false;
        }
        if (w == decoded + 1 && *decoded == '\n' && in < end)
            addLineStart(w - base);
    }
    m_data.truncate(w - base);
    return true;
}

void OutputBuffer::addLineStart(qsizetype offset)
{
    reserveFor(m_lineStarts, 1, 64);
    m_lineStarts.append(offset);
}

void OutputBuffer::clear()
{
    m_data = QByteArray();
    m_lineStarts = QList<qsizetype>();
    m_runs = QList<StreamRun>();
    m_pendingHighSurrogate = 0;
}

qsizetype OutputBuffer::lineCount() const
{
    return m_lineStarts.size();
}

qsizetype OutputBuffer::memoryBytes() const
{
    return m_data.capacity() + m_lineStarts.capacity() * qsizetype(sizeof(qsizetype)) +
           m_runs.capacity() * qsizetype(sizeof(StreamRun));
}

QString OutputBuffer::lineText(qsizetype line) const
{
    if (line < 0 || line >= lineCount())
        return QString();
    return LineIndex(m_data, m_lineStarts).text(line);
}

QString OutputBuffer::displayText(qsizetype line) const
{
    if (line < 0 || line >= lineCount())
        return QString();
    return LineIndex(m_data, m_lineStarts).displayText(line);
}

bool OutputBuffer::lineHasStderr(qsizetype line) const
{
    if (line < 0 || line >= lineCount())
        return false;
    const LineIndex lines(m_data, m_lineStarts);
    const qsizetype first = lines.begin(line);
    qsizetype end = lines.end(line);
    if (end == first)
        end = lines.next(line); // an empty line counts as its break's stream
    // The first run covers offset 0, so the run holding `first` always exists.
    auto run =
        std::upper_bound(m_runs.cbegin(), m_runs.cend(), first,
                         [](qsizetype offset, const StreamRun &r) { return offset < r.offset; });
    for (--run; run != m_runs.cend() && run->offset < end; ++run) {
        if (run->stream == OutputStream::Stderr)
            return true;
    }
    return false;
}

QString OutputBuffer::displayText(qsizetype firstLine, qsizetype lastLine) const
{
    firstLine = std::max<qsizetype>(firstLine, 0);
    lastLine = std::min(lastLine, lineCount() - 1);
    QString text;
    const LineIndex lines(m_data, m_lineStarts);
    for (qsizetype line = firstLine; line <= lastLine; ++line) {
        if (line > firstLine)
            text.append(QLatin1Char('\n'));
        text.append(lines.displayText(line));
    }
    return text;
}

std::optional<OutputBuffer::Match> OutputBuffer::find(const QString &needle, qsizetype line,
                                                      qsizetype column, bool backward,
                                                      Qt::CaseSensitivity cs) const
{
    const LineIndex lines(m_data, m_lineStarts);
    const qsizetype count = lines.count();
    if (needle.isEmpty() || count == 0)
        return std::nullopt;
    const LinePrefilter filter(lines, needle, cs);
    if (!filter.canMatch())
        return std::nullopt;
    line = std::clamp<qsizetype>(line, 0, count - 1);
    column = std::max<qsizetype>(column, 0);
    const auto match = [&](qsizetype l, qsizetype c) { return Match{l, c, needle.size()}; };
    const QString startText = lines.displayText(line);

    if (!backward) {
        qsizetype c = startText.indexOf(needle, column, cs);
        if (c >= 0)
            return match(line, c);
        std::optional<Match> found;
        const auto firstInLine = [&](qsizetype l, bool) {
            const qsizetype at = lines.displayText(l).indexOf(needle, 0, cs);
            if (at >= 0)
                found = match(l, at);
            return at >= 0;
        };
        if (filter.forEachCandidate(line + 1, count - 1, firstInLine) ||
            filter.forEachCandidate(0, line - 1, firstInLine))
            return found;
        // Wrapped round to the start line: what lies before the column.
        c = startText.indexOf(needle, 0, cs);
        if (c >= 0 && c < column)
            return match(line, c);
        return std::nullopt;
    }

    qsizetype c = lastIndexBefore(startText, needle, column, cs);
    if (c >= 0)
        return match(line, c);
    // Backwards in blocks of growing size: each block's candidates are gathered forwards, then
    // tried from its end, so a near match costs little and a far one at most twice the scan.
    const auto lastIn = [&](qsizetype first, qsizetype last) -> std::optional<Match> {
        qsizetype block = 256;
        for (qsizetype high = last; high >= first; block = std::min<qsizetype>(block * 2, 65536)) {
            const qsizetype low = std::max(first, high - block + 1);
            QList<qsizetype> candidates;
            filter.forEachCandidate(low, high, [&](qsizetype l, bool) {
                candidates.append(l);
                return false;
            });
            for (auto it = candidates.crbegin(); it != candidates.crend(); ++it) {
                const QString text = lines.displayText(*it);
                const qsizetype at = lastIndexBefore(text, needle, text.size(), cs);
                if (at >= 0)
                    return match(*it, at);
            }
            high = low - 1;
        }
        return std::nullopt;
    };
    if (auto found = lastIn(0, line - 1))
        return found;
    if (auto found = lastIn(line + 1, count - 1))
        return found;
    // Wrapped round to the start line: what lies at or after the column.
    c = lastIndexBefore(startText, needle, startText.size(), cs);
    if (c >= column)
        return match(line, c);
    return std::nullopt;
}

qsizetype OutputBuffer::countMatchingLines(const QString &needle, Qt::CaseSensitivity cs) const
{
    const LineIndex lines(m_data, m_lineStarts);
    if (needle.isEmpty() || lines.count() == 0)
        return 0;
    const LinePrefilter filter(lines, needle, cs);
    qsizetype matching = 0;
    filter.forEachCandidate(0, lines.count() - 1, [&](qsizetype line, bool rawMatch) {
        if ((rawMatch && filter.rawMatchIsExact()) || lines.displayText(line).contains(needle, cs))
            ++matching;
        return false;
    });
    return matching;
}

} // namespace casefile
