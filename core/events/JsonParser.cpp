#include "JsonParser.h"

#include "JsonScan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

namespace casefile {

namespace {

constexpr int maxDepth = 1024; // QJsonDocument's limit

// The length of the well-formed UTF-8 sequence that starts at p (a byte >= 0x80), or 0.
int sequenceLength(const uchar *p, const uchar *end)
{
    const auto continuation = [](uchar c) { return (c & 0xC0) == 0x80; };
    const uchar c = p[0];
    if (c < 0xC2)
        return 0; // a continuation byte, or an overlong two-byte form
    if (c < 0xE0)
        return end - p >= 2 && continuation(p[1]) ? 2 : 0;
    if (c < 0xF0) {
        if (end - p < 3 || !continuation(p[1]) || !continuation(p[2]))
            return 0;
        if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
            return 0; // overlong, or a surrogate
        return 3;
    }
    if (c < 0xF5) {
        if (end - p < 4 || !continuation(p[1]) || !continuation(p[2]) || !continuation(p[3]))
            return 0;
        if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
            return 0; // overlong, or past U+10FFFF
        return 4;
    }
    return 0;
}

void appendUtf8(QByteArray &out, char32_t cp)
{
    if (cp < 0x80) {
        out.append(char(cp));
    } else if (cp < 0x800) {
        out.append(char(0xC0 | (cp >> 6)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.append(char(0xE0 | (cp >> 12)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else {
        out.append(char(0xF0 | (cp >> 18)));
        out.append(char(0x80 | ((cp >> 12) & 0x3F)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    }
}

class Parser
{
    struct Member
    {
        QLatin1StringView plain; // the key as it stands in the input, when text is null
        QString text;
        QJsonValue value;
        QAnyStringView key() const
        {
            return text.isNull() ? QAnyStringView(plain) : QAnyStringView(text);
        }
    };

public:
    explicit Parser(QByteArrayView in)
        : m_begin(reinterpret_cast<const uchar *>(in.data())), m_p(m_begin),
          m_end(m_begin + in.size())
    {}

    std::optional<QJsonValue> run(JsonParser::Error *error)
    {
        QJsonValue result;
        if (m_end - m_p >= 3 && m_p[0] == 0xEF && m_p[1] == 0xBB && m_p[2] == 0xBF)
            m_p += 3; // a byte order mark, skipped as QJsonDocument does
        skipSpace();
        bool ok = m_p < m_end && (*m_p == '{' || *m_p == '[')
                      ? value(&result, 0)
                      : fail("a document must be an object or an array");
        if (ok) {
            skipSpace();
            if (m_p != m_end)
                ok = fail("garbage at the end of the document");
        }
        if (ok)
            return result;
        if (error)
            *error = {QString::fromLatin1(m_error), m_errorAt};
        return std::nullopt;
    }

private:
    bool fail(const char *message)
    {
        if (!m_error) {
            m_error = message;
            m_errorAt = m_p - m_begin;
        }
        return false;
    }

    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    bool value(QJsonValue *out, int depth)
    {
        if (m_p >= m_end)
            return fail("unexpected end of the document");
        switch (*m_p) {
        case '{':
            return object(out, depth + 1);
        case '[':
            return array(out, depth + 1);
        case '"':
            return string(nullptr, out);
        case 't':
            return literal("true", QJsonValue(true), out);
        case 'f':
            return literal("false", QJsonValue(false), out);
        case 'n':
            return literal("null", QJsonValue(QJsonValue::Null), out);
        default:
            return number(out);
        }
    }

    bool literal(const char *word, const QJsonValue &meaning, QJsonValue *out)
    {
        const size_t n = std::strlen(word);
        if (size_t(m_end - m_p) < n || std::memcmp(m_p, word, n) != 0)
            return fail("illegal value");
        m_p += n;
        *out = meaning;
        return true;
    }

    bool object(QJsonValue *out, int depth)
    {
        if (depth > maxDepth)
            return fail("too deeply nested");
        ++m_p; // {
        // Members are collected and sorted once: QJsonObject keeps its keys sorted, and
        // inserting 100,000 keys in descending order one by one moves ~5·10⁹ elements (a
        // frame of 1 MiB could hold the event loop for seconds). One stack for every level, so
        // an object costs no list of its own.
        const size_t first = m_members.size();
        const auto finish = [&] {
            ++m_p; // }
            const auto begin = m_members.begin() + qsizetype(first);
            const auto before = [](const Member &a, const Member &b) {
                return QAnyStringView::compare(a.key(), b.key()) < 0;
            };
            if (m_members.end() - begin <= 16) {
                // Few keys (an event has eight): an insertion sort, stable, without the buffer
                // std::stable_sort allocates.
                for (auto i = begin + 1; i < m_members.end(); ++i) {
                    for (auto j = i; j > begin && before(*j, *(j - 1)); --j)
                        std::iter_swap(j, j - 1);
                }
            } else {
                std::stable_sort(begin, m_members.end(), before);
            }
            QJsonObject o;
            for (auto i = begin; i < m_members.end(); ++i) {
                // Of equal keys, the last wins, as with QJsonDocument.
                if (i + 1 < m_members.end() && QAnyStringView::equal(i->key(), (i + 1)->key()))
                    continue;
                if (i->text.isNull())
                    o.insert(i->plain, i->value);
                else
                    o.insert(i->text, i->value);
            }
            m_members.resize(first);
            *out = o;
            return true;
        };
        skipSpace();
        if (m_p < m_end && *m_p == '}')
            return finish();
        for (;;) {
            if (m_p >= m_end || *m_p != '"')
                return fail(m_p >= m_end ? "unterminated object" : "expected a string as a key");
            Member member;
            if (!string(&member.text, nullptr, &member.plain))
                return false;
            skipSpace();
            if (m_p >= m_end || *m_p != ':')
                return fail("expected ':' after a key");
            ++m_p;
            skipSpace();
            if (!value(&member.value, depth))
                return false;
            m_members.push_back(std::move(member));
            skipSpace();
            if (m_p >= m_end)
                return fail("unterminated object");
            if (*m_p == '}')
                return finish();
            if (*m_p != ',')
                return fail("expected ',' or '}' in an object");
            ++m_p;
            skipSpace();
        }
    }

    bool array(QJsonValue *out, int depth)
    {
        if (depth > maxDepth)
            return fail("too deeply nested");
        ++m_p; // [
        QJsonArray a;
        skipSpace();
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            *out = a;
            return true;
        }
        for (;;) {
            QJsonValue v;
            if (!value(&v, depth))
                return false;
            a.append(v);
            skipSpace();
            if (m_p >= m_end)
                return fail("unterminated array");
            if (*m_p == ']') {
                ++m_p;
                *out = a;
                return true;
            }
            if (*m_p != ',')
                return fail("expected ',' or ']' in an array");
            ++m_p;
            skipSpace();
        }
    }

    bool hex4(char32_t *unit)
    {
        if (m_end - m_p < 4)
            return fail("unterminated \\u escape");
        char32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const uchar c = m_p[i];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= c - '0';
            else if (c >= 'a' && c <= 'f')
                v |= c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                v |= c - 'A' + 10;
            else
                return fail("illegal \\u escape");
        }
        m_p += 4;
        *unit = v;
        return true;
    }

    // A key into `text`, a value into `value`: as Latin-1 when it is all ASCII, as QJsonValue
    // keeps it, instead of through UTF-16 and back (a chunk of output is a string). With
    // `plain`, a key that is ASCII without escapes is left where it is in the input instead
    // (`text` stays null): it needs no copy of its own.
    bool string(QString *text, QJsonValue *value = nullptr, QLatin1StringView *plain = nullptr)
    {
        ++m_p; // "
        const uchar *run = m_p;
        bool escaped = false;
        bool ascii = true;
        m_buffer.clear();
        for (;;) {
            // Control characters pass unescaped, as QJsonDocument lets them.
            m_p = JsonScan::toSpecial(m_p, m_end);
            if (m_p >= m_end)
                return fail("unterminated string");
            const uchar c = *m_p;
            if (c == '"') {
                const auto bytes = reinterpret_cast<const char *>(run);
                QByteArrayView utf8(bytes, m_p - run);
                if (escaped) {
                    m_buffer.append(utf8);
                    utf8 = m_buffer;
                }
                ++m_p;
                if (plain && ascii && !escaped)
                    *plain = QLatin1StringView(utf8);
                else if (value && ascii)
                    *value = QJsonValue(QLatin1StringView(utf8));
                else if (value)
                    *value = QJsonValue(QString(m_utf8(utf8)));
                else
                    *text = m_utf8(utf8);
                return true;
            }
            if (c >= 0x80) {
                ascii = false;
                const int n = sequenceLength(m_p, m_end);
                if (n == 0)
                    return fail("invalid UTF-8 in a string");
                m_p += n;
                continue;
            }
            // A backslash: keep the run, decode the escape.
            m_buffer.append(reinterpret_cast<const char *>(run), m_p - run);
            escaped = true;
            ++m_p;
            if (m_p >= m_end)
                return fail("unterminated string");
            switch (*m_p++) {
            case '"':
                m_buffer.append('"');
                break;
            case '\\':
                m_buffer.append('\\');
                break;
            case '/':
                m_buffer.append('/');
                break;
            case 'b':
                m_buffer.append('\b');
                break;
            case 'f':
                m_buffer.append('\f');
                break;
            case 'n':
                m_buffer.append('\n');
                break;
            case 'r':
                m_buffer.append('\r');
                break;
            case 't':
                m_buffer.append('\t');
                break;
            case 'u': {
                char32_t unit = 0;
                if (!hex4(&unit))
                    return false;
                if (unit >= 0xD800 && unit < 0xDC00) {
                    char32_t low = 0;
                    if (m_end - m_p < 2 || m_p[0] != '\\' || m_p[1] != 'u')
                        return fail("a lone surrogate in a \\u escape");
                    m_p += 2;
                    if (!hex4(&low))
                        return false;
                    if (low < 0xDC00 || low >= 0xE000)
                        return fail("a lone surrogate in a \\u escape");
                    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                } else if (unit >= 0xDC00 && unit < 0xE000) {
                    return fail("a lone surrogate in a \\u escape");
                }
                ascii = ascii && unit < 0x80;
                appendUtf8(m_buffer, unit);
                break;
            }
            default:
                --m_p;
                return fail("illegal escape sequence");
            }
            run = m_p;
        }
    }

    bool number(QJsonValue *out)
    {
        const uchar *start = m_p;
        const auto digits = [&] {
            const uchar *from = m_p;
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
            return m_p > from;
        };
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        if (m_p < m_end && *m_p == '0') {
            ++m_p;
        } else if (!digits()) {
            const bool point = m_p < m_end && *m_p == '.';
            m_p = start;
            // QJsonDocument takes ".5"; JSON does not, and no encoder writes it.
            return fail(point ? "a number must start with a digit" : "illegal value");
        }
        bool integral = true;
        if (m_p < m_end && *m_p == '.') {
            ++m_p;
            integral = false;
            if (!digits())
                return fail("a fraction needs digits after the point"); // "1." too
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            integral = false;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (!digits())
                return fail("illegal number");
        }
        // std::from_chars: the grammar above is checked, and unlike strtod it ignores the
        // locale (a German LC_NUMERIC read "1.5" as 1).
        const auto first = reinterpret_cast<const char *>(start);
        const auto last = reinterpret_cast<const char *>(m_p);
        if (integral) {
            long long v = 0;
            const auto [end, ec] = std::from_chars(first, last, v);
            if (ec == std::errc() && end == last) {
                *out = QJsonValue(qint64(v));
                return true;
            }
        }
        double d = 0;
        const auto [end, ec] = std::from_chars(first, last, d);
        if (ec != std::errc() || end != last) {
            // Past the range of a double either way (1e400, 1e-400): QJsonDocument refuses
            // these as well.
            m_p = start;
            return fail("number out of range");
        }
        // Like QJsonDocument: a whole number that a qint64 holds is kept as one.
        constexpr double twoTo63 = 9223372036854775808.0;
        if (std::trunc(d) == d && d >= -twoTo63 && d < twoTo63)
            *out = QJsonValue(qint64(d));
        else
            *out = QJsonValue(d);
        return true;
    }

    const uchar *m_begin;
    const uchar *m_p;
    const uchar *m_end;
    const char *m_error = nullptr;
    qsizetype m_errorAt = 0;
    QByteArray m_buffer;           // a string with escapes, decoded as UTF-8
    std::vector<Member> m_members; // of the objects being read, outermost first
    // Valid UTF-8 (checked above) to UTF-16. Unlike QString::fromUtf8 it keeps a byte order
    // mark that starts a string: a chunk of output that begins with one is stored with it.
    QStringDecoder m_utf8{QStringDecoder::Utf8, QStringDecoder::Flag::Stateless |
                                                    QStringDecoder::Flag::ConvertInitialBom};
};

// Whether Qt's parser reads `utf8` as ours would: ASCII without a backslash (so no escapes, no
// UTF-8 or surrogates for it to bend) and every '.' outside a string between two digits (so no
// ".5" or "1.", which it takes and we refuse). Only a document it also parses without an error
// counts; anything else goes to ours, for the same result or the same error.
bool plainForQt(QByteArrayView utf8)
{
    const auto *p = reinterpret_cast<const uchar *>(utf8.data());
    const auto *const begin = p;
    const auto *const end = p + utf8.size();
    const auto digit = [](uchar c) { return c >= '0' && c <= '9'; };
    while (p < end) {
        const uchar c = *p;
        if (c == '"') {
            p = JsonScan::toSpecial(p + 1, end);
            if (p == end || *p != '"')
                return false; // unterminated, an escape or not ASCII
        } else if (c >= 0x80 || c == '\\') {
            return false;
        } else if (c == '.' && (p == begin || p + 1 == end || !digit(p[-1]) || !digit(p[1]))) {
            return false;
        }
        ++p;
    }
    return true;
}

} // namespace

std::optional<QJsonValue> JsonParser::parse(QByteArrayView utf8, Error *error)
{
    // Qt builds a document in one pass, about 2.5 times as fast as the object-by-object inserts
    // below (an append of 100 events: 200 against 510 µs), but reads escapes a character at a
    // time (every chunk of output has one): what it reads as we do goes to it.
    if (plainForQt(utf8)) {
        QJsonParseError qtError;
        const QJsonDocument doc =
            QJsonDocument::fromJson(QByteArray::fromRawData(utf8.data(), utf8.size()), &qtError);
        if (qtError.error == QJsonParseError::NoError && doc.isObject())
            return QJsonValue(doc.object());
        if (qtError.error == QJsonParseError::NoError && doc.isArray())
            return QJsonValue(doc.array());
    }
    return parseWithoutQt(utf8, error);
}

std::optional<QJsonValue> JsonParser::parseWithoutQt(QByteArrayView utf8, Error *error)
{
    return Parser(utf8).run(error);
}

bool JsonParser::isValidUtf8(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    const auto *end = p + bytes.size();
    while (p < end) {
        // Eight ASCII bytes at a time: output is nearly all ASCII.
        while (end - p >= 8) {
            quint64 word;
            std::memcpy(&word, p, 8);
            if (word & 0x8080808080808080ULL)
                break;
            p += 8;
        }
        if (p >= end)
            break;
        if (*p < 0x80) {
            ++p;
            continue;
        }
        const int n = sequenceLength(p, end);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
}

} // namespace casefile
