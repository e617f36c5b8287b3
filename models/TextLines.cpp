#include "TextLines.h"

#include <algorithm>

namespace casefile {

TextLines::TextLines(QStringView text)
{
    m_starts.push_back(0);
    const QChar *data = text.data();
    for (qsizetype i = 0, n = text.size(); i < n; ++i) {
        if (data[i] == u'\n')
            m_starts.push_back(i + 1);
    }
}

qsizetype TextLines::lineOf(qsizetype offset) const
{
    if (m_starts.empty())
        return 0;
    const auto it = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
    return qsizetype(it - m_starts.begin()) - 1;
}

qsizetype TextLines::lineStart(qsizetype line) const
{
    if (m_starts.empty())
        return 0;
    return m_starts.at(size_t(std::clamp<qsizetype>(line, 0, lineCount() - 1)));
}

qsizetype TextLines::lineEnd(QStringView text, qsizetype line) const
{
    qsizetype end = line + 1 < lineCount() ? lineStart(line + 1) - 1 : text.size();
    if (end > lineStart(line) && end <= text.size() && text.at(end - 1) == u'\r')
        --end;
    return end;
}

} // namespace casefile
