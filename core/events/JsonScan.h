#pragma once

#include <QtGlobal>

namespace casefile {

// The inner loops of reading and writing JSON strings, eight bytes at a time: output is mostly
// plain text, and a byte-by-byte loop over every chunk of it was a tenth of what casefiled and
// the agent spend on a stream.
class JsonScan
{
public:
    // The first byte from `p` that a canonical string must escape ('"', '\\', below 0x20),
    // or `end`.
    static const uchar *toEscape(const uchar *p, const uchar *end);
    // The first byte from `p` a string reader stops at ('"', '\\', 0x80 and above), or `end`.
    static const uchar *toSpecial(const uchar *p, const uchar *end);
};

} // namespace casefile
