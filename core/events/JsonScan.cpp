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

// The first byte from `p` that `plain` refuses. Eight bytes at a time while `flagged` (a word
// test that is non-zero whenever one of its bytes would be refused) finds none; a flagged word
// holds such a byte, so the byte-by-byte loop stops within it.
template<typename Flagged, typename Plain>
const uchar *scan(const uchar *p, const uchar *end, Flagged flagged, Plain plain)
{
    while (end - p >= 8 && !flagged(load(p)))
        p += 8;
    while (p < end && plain(*p))
        ++p;
    return p;
}

} // namespace

const uchar *JsonScan::toEscape(const uchar *p, const uchar *end)
{
    return scan(
        p, end,
        [](quint64 word) {
            return anyBelow(word, 0x20) | anyEqual(word, '"') | anyEqual(word, '\\');
        },
        [](uchar c) { return c >= 0x20 && c != '"' && c != '\\'; });
}

const uchar *JsonScan::toSpecial(const uchar *p, const uchar *end)
{
    return scan(
        p, end,
        [](quint64 word) { return (word & highs) | anyEqual(word, '"') | anyEqual(word, '\\'); },
        [](uchar c) { return c < 0x80 && c != '"' && c != '\\'; });
}

} // namespace casefile
