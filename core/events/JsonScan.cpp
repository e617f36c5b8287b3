#include "JsonScan.h"

#include <cstring>

namespace casefile {

namespace {

constexpr quint64 ones = 0x0101010101010101ULL;
constexpr quint64 highs = 0x8080808080808080ULL;

quint64 load(const uchar *p)
{
    quint64 word;
    std::memcpy(&word, p, sizeof word);
    return word;
}

// Non-zero exactly when some byte of `word` is below `n` (n ≤ 128); which bits are set says
// nothing reliable about where, so a hit is looked at byte by byte.
constexpr quint64 anyBelow(quint64 word, quint64 n)
{
    return (word - ones * n) & ~word & highs;
}

constexpr quint64 anyEqual(quint64 word, quint64 c)
{
    return anyBelow(word ^ (ones * c), 1);
}

bool plainForWriting(uchar c)
{
    return c >= 0x20 && c != '"' && c != '\\';
}

bool plainForReading(uchar c)
{
    return c < 0x80 && c != '"' && c != '\\';
}

} // namespace

const uchar *JsonScan::toEscape(const uchar *p, const uchar *end)
{
    while (end - p >= 8) {
        const quint64 word = load(p);
        if (anyBelow(word, 0x20) | anyEqual(word, '"') | anyEqual(word, '\\'))
            break;
        p += 8;
    }
    // A flagged word holds the byte looked for: this stops within it.
    while (p < end && plainForWriting(*p))
        ++p;
    return p;
}

const uchar *JsonScan::toSpecial(const uchar *p, const uchar *end)
{
    while (end - p >= 8) {
        const quint64 word = load(p);
        if ((word & highs) | anyEqual(word, '"') | anyEqual(word, '\\'))
            break;
        p += 8;
    }
    while (p < end && plainForReading(*p))
        ++p;
    return p;
}

} // namespace casefile
