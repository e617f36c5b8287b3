#pragma once

#include <QStringView>

#include <cstring>

namespace casefile {

// The escape-sequence grammar, shared by AnsiParser (on UTF-16 text) and OutputBuffer's search
// (on the raw UTF-8 bytes) so that both take out exactly the same characters: every byte of a
// sequence is ASCII, and a non-ASCII character ends a sequence the same way whether it is seen
// as one UTF-16 unit or as several bytes.
//
// Each sequence is taken out whole: CSI (ESC [ …), the strings OSC, DCS, SOS, PM and APC (ended
// by BEL, ST, or before an ESC that starts something else), nF escapes (ESC ( B) and two-byte
// escapes. A malformed sequence ends at the first character that cannot belong to it, which is
// then read as text (or as the start of the next sequence); an unterminated one runs to the end.
class AnsiScanner
{
public:
    // Walks text[0, size) once. Calls onText(from, to) for each run of plain text and
    // onSgr(from, to) with the parameter characters of each SGR sequence (ESC [ params m).
    template<typename Char, typename OnText, typename OnSgr>
    static void scan(const Char *text, qsizetype size, OnText onText, OnSgr onSgr)
    {
        qsizetype i = 0;
        while (i < size) {
            const qsizetype esc = nextEscape(text, i, size);
            if (esc < 0) {
                onText(i, size);
                return;
            }
            if (esc > i)
                onText(i, esc);
            qsizetype j = esc + 1;
            if (j >= size)
                return; // a lone ESC at the end
            const unsigned kind = unit(text[j]);
            ++j;
            if (kind == '[') {
                const qsizetype paramStart = j;
                while (j < size && inRange(unit(text[j]), 0x30, 0x3f))
                    ++j;
                const qsizetype paramEnd = j;
                while (j < size && inRange(unit(text[j]), 0x20, 0x2f))
                    ++j;
                if (j < size && inRange(unit(text[j]), 0x40, 0x7e)) {
                    if (unit(text[j]) == 'm' && j == paramEnd)
                        onSgr(paramStart, paramEnd);
                    ++j;
                }
            } else if (kind == ']' || kind == 'P' || kind == 'X' || kind == '^' || kind == '_') {
                j = stringEnd(text, j, size);
            } else if (inRange(kind, 0x20, 0x2f)) {
                // nF escapes such as ESC ( B: intermediates, then one final character.
                while (j < size && inRange(unit(text[j]), 0x20, 0x2f))
                    ++j;
                if (j < size && inRange(unit(text[j]), 0x30, 0x7e))
                    ++j;
            } else if (!inRange(kind, 0x30, 0x7e)) {
                --j; // ESC before a control or non-ASCII character: only the ESC goes
            }
            i = j;
        }
    }

private:
    static constexpr unsigned kEsc = 0x1b;
    static constexpr unsigned kBel = 0x07;

    static unsigned unit(char16_t c) { return c; }
    static unsigned unit(char c) { return static_cast<unsigned char>(c); }
    static bool inRange(unsigned c, unsigned low, unsigned high) { return c >= low && c <= high; }

    static qsizetype nextEscape(const char16_t *text, qsizetype from, qsizetype size)
    {
        return QStringView(text, size).indexOf(QChar(char16_t(kEsc)), from);
    }
    static qsizetype nextEscape(const char *text, qsizetype from, qsizetype size)
    {
        const void *hit = std::memchr(text + from, int(kEsc), size_t(size - from));
        return hit ? static_cast<const char *>(hit) - text : -1;
    }

    // Whether text[i] starts the C1 string terminator U+009C: one unit in UTF-16, C2 9C in UTF-8
    // (C2 is never a continuation byte, so the pair always decodes to U+009C).
    static bool isC1Terminator(const char16_t *text, qsizetype i, qsizetype)
    {
        return text[i] == 0x9c;
    }
    static bool isC1Terminator(const char *text, qsizetype i, qsizetype size)
    {
        return unit(text[i]) == 0xc2 && i + 1 < size && unit(text[i + 1]) == 0x9c;
    }
    static qsizetype c1TerminatorSize(const char16_t *) { return 1; }
    static qsizetype c1TerminatorSize(const char *) { return 2; }

    // The end of a string sequence whose content starts at `i`: after BEL or ST, before an ESC
    // that starts something else, or the end of the text.
    template<typename Char>
    static qsizetype stringEnd(const Char *text, qsizetype i, qsizetype size)
    {
        for (; i < size; ++i) {
            const unsigned c = unit(text[i]);
            if (c == kBel)
                return i + 1;
            if (isC1Terminator(text, i, size))
                return i + c1TerminatorSize(text);
            if (c == kEsc)
                return i + 1 < size && unit(text[i + 1]) == '\\' ? i + 2 : i;
        }
        return size;
    }
};

} // namespace casefile
