#pragma once

#include <QtGlobal>
#include <cstring>

namespace casefile {

// The contents of a JSON string (what stands between its quotes), decoded to UTF-8 by hand: the
// fast paths that read stored events without a JSON parser share these few rules.
class JsonStringDecoder
{
public:
    // The closing quote of a string whose contents start at `p`, or nullptr. Quotes are rare in
    // command output, so this jumps from quote to quote and counts the backslashes before each.
    static const char *closingQuote(const char *p, const char *end)
    {
        while (p < end) {
            const void *hit = std::memchr(p, '"', size_t(end - p));
            if (!hit)
                return nullptr;
            const char *q = static_cast<const char *>(hit);
            const char *b = q;
            while (b > p && b[-1] == '\\')
                --b;
            if ((q - b) % 2 == 0)
                return q;
            p = q + 1;
        }
        return nullptr;
    }

    // Decodes the escape sequence at `in` (just after a backslash) to `out`, advancing both. At
    // most 4 bytes are written. false for anything JSON does not allow (lone surrogates too).
    static bool decodeEscape(const char *&in, const char *end, char *&out)
    {
        if (in >= end)
            return false;
        const char e = *in++;
        switch (e) {
        case '"': *out++ = '"'; return true;
        case '\\': *out++ = '\\'; return true;
        case '/': *out++ = '/'; return true;
        case 'b': *out++ = '\b'; return true;
        case 'f': *out++ = '\f'; return true;
        case 'n': *out++ = '\n'; return true;
        case 'r': *out++ = '\r'; return true;
        case 't': *out++ = '\t'; return true;
        case 'u': break;
        default: return false;
        }
        uint code = 0;
        if (!hex4(in, end, code))
            return false;
        if (code >= 0xd800 && code < 0xdc00) {
            uint low = 0;
            if (end - in < 6 || in[0] != '\\' || in[1] != 'u')
                return false;
            in += 2;
            if (!hex4(in, end, low) || low < 0xdc00 || low > 0xdfff)
                return false;
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        } else if (code >= 0xdc00 && code < 0xe000) {
            return false;
        }
        if (code < 0x80) {
            *out++ = char(code);
        } else if (code < 0x800) {
            *out++ = char(0xc0 | (code >> 6));
            *out++ = char(0x80 | (code & 0x3f));
        } else if (code < 0x10000) {
            *out++ = char(0xe0 | (code >> 12));
            *out++ = char(0x80 | ((code >> 6) & 0x3f));
            *out++ = char(0x80 | (code & 0x3f));
        } else {
            *out++ = char(0xf0 | (code >> 18));
            *out++ = char(0x80 | ((code >> 12) & 0x3f));
            *out++ = char(0x80 | ((code >> 6) & 0x3f));
            *out++ = char(0x80 | (code & 0x3f));
        }
        return true;
    }

    // Contents of `size` bytes decoded into `out`, which has room for `size` bytes (decoding
    // never makes text longer); the number of bytes written, or -1 when it is not valid JSON.
    static qsizetype decode(const char *in, qsizetype size, char *out)
    {
        const char *end = in + size;
        char *w = out;
        while (in < end) {
            const void *hit = std::memchr(in, '\\', size_t(end - in));
            const char *run = hit ? static_cast<const char *>(hit) : end;
            std::memcpy(w, in, size_t(run - in));
            w += run - in;
            in = run;
            if (in == end)
                break;
            ++in;
            if (!decodeEscape(in, end, w))
                return -1;
        }
        return w - out;
    }

private:
    static bool hex4(const char *&in, const char *end, uint &code)
    {
        if (end - in < 4)
            return false;
        uint v = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = *in++;
            v <<= 4;
            if (h >= '0' && h <= '9')
                v |= uint(h - '0');
            else if (h >= 'a' && h <= 'f')
                v |= uint(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                v |= uint(h - 'A' + 10);
            else
                return false;
        }
        code = v;
        return true;
    }
};

} // namespace casefile
