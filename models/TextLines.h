#pragma once

#include <QStringView>

#include <vector>

namespace casefile {

// Where each line of a text starts (UTF-16 offsets, lines end at '\n' as in OutputBuffer), so
// a finding's offset becomes a line and a column in O(log n) without counting breaks again.
class TextLines
{
public:
    TextLines() = default;
    explicit TextLines(QStringView text);

    qsizetype lineCount() const { return qsizetype(m_starts.size()); }
    qsizetype lineOf(qsizetype offset) const;
    qsizetype lineStart(qsizetype line) const;
    // Where the line's text ends: before its '\n' (and a '\r' before that).
    qsizetype lineEnd(QStringView text, qsizetype line) const;

private:
    std::vector<qsizetype> m_starts;
};

} // namespace casefile
