#include "RedactionDictionary.h"

#include <QJsonObject>
#include <algorithm>

namespace casefile {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

int lengthBit(qsizetype length)
{
    return int(std::min<qsizetype>(length, 63));
}

} // namespace

QString RedactionDictionary::firstWord(QStringView text)
{
    qsizetype i = 0;
    while (i < text.size() && isWordChar(text[i]))
        ++i;
    return text.left(i).toString().toLower();
}

void RedactionDictionary::add(const QString &raw, Finding::Type type, const QString &key)
{
    const QString text = raw.trimmed();
    if (text.size() < 2 || !isWordChar(text.front()))
        return;
    const QString indexKey = Finding::typeName(type) + QLatin1Char('\n') + text.toLower();
    if (m_index.contains(indexKey))
        return;
    const QString word = firstWord(text);
    Term term{text, type, key.isEmpty() ? Finding::keyFor(type, text) : key};
    m_index.insert(indexKey, m_terms.size());
    auto &list = m_byFirstWord[word];
    list.append(m_terms.size());
    m_terms.append(std::move(term));
    std::stable_sort(list.begin(), list.end(),
                     [this](qsizetype a, qsizetype b) { return m_terms[a].text.size() > m_terms[b].text.size(); });
    const QChar first = word.front();
    if (first.unicode() < 128)
        m_firstChars.set(first.unicode());
    else
        m_nonAsciiFirst = true;
    m_wordLengths |= quint64(1) << lengthBit(word.size());
}

void RedactionDictionary::add(const RedactionDictionary &other)
{
    for (const Term &t : other.m_terms)
        add(t.text, t.type, t.key);
}

QList<Finding> RedactionDictionary::find(QStringView text) const
{
    QList<Finding> found;
    if (m_terms.isEmpty())
        return found;
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        if (!isWordChar(text[i])) {
            ++i;
            continue;
        }
        const qsizetype start = i;
        while (i < n && isWordChar(text[i]))
            ++i;
        // Cheap checks first: most words of a transcript start with a letter no term starts
        // with, or have a length no first word has.
        const QChar first = text[start].toLower();
        if (first.unicode() < 128 ? !m_firstChars.test(first.unicode()) : !m_nonAsciiFirst)
            continue;
        if (!(m_wordLengths & (quint64(1) << lengthBit(i - start))))
            continue;
        const auto candidates = m_byFirstWord.constFind(text.mid(start, i - start).toString().toLower());
        if (candidates == m_byFirstWord.cend())
            continue;
        for (const qsizetype t : *candidates) {
            const Term &term = m_terms.at(t);
            const qsizetype end = start + term.text.size();
            if (end > n || (end < n && isWordChar(text[end]) && isWordChar(text[end - 1])))
                continue;
            if (text.mid(start, term.text.size()).compare(term.text, Qt::CaseInsensitive) != 0)
                continue;
            Finding f;
            f.type = term.type;
            f.start = start;
            f.length = term.text.size();
            f.value = text.mid(start, f.length).toString();
            f.key = term.key;
            found.append(std::move(f));
            i = std::max(i, end); // the longest term at this word wins; carry on after it
            break;
        }
    }
    return found;
}

QList<Finding> RedactionDictionary::merge(const QList<Finding> &detected, const QList<Finding> &listed)
{
    if (listed.isEmpty())
        return detected;
    QList<Finding> all = detected;
    all.append(listed);
    std::stable_sort(all.begin(), all.end(), [](const Finding &a, const Finding &b) { return a.start < b.start; });
    const auto beats = [](const Finding &a, const Finding &b) {
        const bool aSecret = a.type == Finding::Type::Secret;
        const bool bSecret = b.type == Finding::Type::Secret;
        if (aSecret != bSecret)
            return aSecret;
        return a.length > b.length;
    };
    QList<Finding> out;
    out.reserve(all.size());
    for (Finding &f : all) {
        if (!out.isEmpty() && f.start < out.last().start + out.last().length) {
            if (beats(f, out.last())) {
                out.removeLast();
                // The winner may now overlap earlier kept findings too.
                while (!out.isEmpty() && f.start < out.last().start + out.last().length
                       && beats(f, out.last()))
                    out.removeLast();
                if (!out.isEmpty() && f.start < out.last().start + out.last().length)
                    continue;
                out.append(std::move(f));
            }
            continue;
        }
        out.append(std::move(f));
    }
    return out;
}

QJsonArray RedactionDictionary::toJson() const
{
    QJsonArray array;
    for (const Term &t : m_terms)
        array.append(QJsonObject{{QStringLiteral("term"), t.text}, {QStringLiteral("type"), Finding::typeName(t.type)}});
    return array;
}

RedactionDictionary RedactionDictionary::fromJson(const QJsonArray &array, QString *error)
{
    RedactionDictionary d;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject o = array.at(i).toObject();
        const QString term = o.value(QStringLiteral("term")).toString();
        const auto type = Finding::typeFromName(o.value(QStringLiteral("type")).toString(QStringLiteral("name")));
        if (term.trimmed().isEmpty() || !type) {
            if (error)
                *error = QStringLiteral("dictionary[%1]: expected {\"term\": text, \"type\": a finding type}").arg(i);
            return {};
        }
        d.add(term, *type);
    }
    return d;
}

RedactionDictionary RedactionDictionary::fromText(const QString &text, QString *error)
{
    RedactionDictionary d;
    const auto lines = QStringView(text).split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QStringView line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype colon = line.indexOf(u':');
        if (colon > 0) {
            if (const auto type = Finding::typeFromName(line.left(colon).trimmed().toString())) {
                d.add(line.mid(colon + 1).toString(), *type);
                continue;
            }
        }
        if (line.size() < 2) {
            if (error)
                *error = QStringLiteral("line %1: a term needs at least two characters").arg(i + 1);
            return {};
        }
        d.add(line.toString());
    }
    return d;
}

} // namespace casefile
