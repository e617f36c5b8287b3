#include "OutputChunkReader.h"

#include "JsonStringDecoder.h"

namespace casefile {

namespace {

// A cursor over one JSON document; every step checks the bounds.
class Cursor
{
public:
    explicit Cursor(QByteArrayView text)
        : m_p(text.data())
        , m_end(text.data() + text.size())
    {
    }

    bool take(char c)
    {
        skipSpace();
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }

    char peek()
    {
        skipSpace();
        return m_p < m_end ? *m_p : '\0';
    }

    // A string at the cursor; `raw` gets its contents, escapes as they stand.
    bool string(QByteArrayView *raw)
    {
        if (!take('"'))
            return false;
        const char *close = JsonStringDecoder::closingQuote(m_p, m_end);
        if (!close)
            return false;
        if (raw)
            *raw = QByteArrayView(m_p, close - m_p);
        m_p = close + 1;
        return true;
    }

    // A short string (a key, an id) decoded.
    bool decodedString(QByteArray *out)
    {
        QByteArrayView raw;
        if (!string(&raw))
            return false;
        out->resize(raw.size());
        const qsizetype n = JsonStringDecoder::decode(raw.data(), raw.size(), out->data());
        if (n < 0)
            return false;
        out->truncate(n);
        return true;
    }

    // Any value, skipped; nesting is followed with a depth count.
    bool skipValue()
    {
        const char c = peek();
        if (c == '"')
            return string(nullptr);
        if (c == '{' || c == '[') {
            int depth = 0;
            while (m_p < m_end) {
                const char d = *m_p;
                if (d == '"') {
                    if (!string(nullptr))
                        return false;
                    continue;
                }
                ++m_p;
                if (d == '{' || d == '[') {
                    ++depth;
                } else if ((d == '}' || d == ']') && --depth == 0) {
                    return true;
                }
            }
            return false;
        }
        // A number, true, false or null: up to the next delimiter.
        const char *start = m_p;
        while (m_p < m_end && *m_p != ',' && *m_p != '}' && *m_p != ']' && *m_p != ' ' && *m_p != '\n')
            ++m_p;
        return m_p > start;
    }

private:
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    const char *m_p;
    const char *m_end;
};

} // namespace

QByteArray OutputChunkReader::Chunk::data() const
{
    QByteArray out(escapedData.size(), Qt::Uninitialized);
    const qsizetype n = JsonStringDecoder::decode(escapedData.data(), escapedData.size(), out.data());
    if (n < 0)
        return {};
    out.truncate(n);
    return out;
}

std::optional<OutputChunkReader::Chunk> OutputChunkReader::read(QByteArrayView doc)
{
    Cursor c(doc);
    if (!c.take('{') || c.peek() == '}')
        return std::nullopt;
    Chunk chunk;
    bool sawKind = false, sawCommand = false, sawStream = false, sawData = false;
    do {
        QByteArray key;
        if (!c.decodedString(&key) || !c.take(':'))
            return std::nullopt;
        if (key == "kind") {
            QByteArray kind;
            if (!c.decodedString(&kind) || kind != "command.output")
                return std::nullopt;
            sawKind = true;
        } else if (key == "body") {
            if (!c.take('{'))
                return std::nullopt;
            if (c.peek() != '}') {
                do {
                    QByteArray field;
                    if (!c.decodedString(&field) || !c.take(':'))
                        return std::nullopt;
                    if (field == "command") {
                        if (!c.decodedString(&chunk.command))
                            return std::nullopt;
                        sawCommand = true;
                    } else if (field == "stream") {
                        QByteArray stream;
                        if (!c.decodedString(&stream) || (stream != "stdout" && stream != "stderr"))
                            return std::nullopt;
                        chunk.stderrStream = stream == "stderr";
                        sawStream = true;
                    } else if (field == "data") {
                        if (!c.string(&chunk.escapedData))
                            return std::nullopt;
                        sawData = true;
                    } else if (!c.skipValue()) {
                        return std::nullopt;
                    }
                } while (c.take(','));
            }
            if (!c.take('}'))
                return std::nullopt;
        } else if (!c.skipValue()) {
            return std::nullopt;
        }
    } while (c.take(','));
    if (!c.take('}') || !sawKind || !sawCommand || !sawStream || !sawData)
        return std::nullopt;
    return chunk;
}

} // namespace casefile
