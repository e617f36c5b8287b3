#include "RedactionDictionary.h"

#include <QJsonObject>
#include <algorithm>
#include <map>
#include <numeric>

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

qsizetype RedactionDictionary::leadOf(QStringView text)
{
    qsizetype i = 0;
    while (i < text.size() && !isWordChar(text[i]))
        ++i;
    return i;
}

QString RedactionDictionary::firstWord(QStringView text)
{
    qsizetype i = leadOf(text);
    const qsizetype start = i;
    while (i < text.size() && isWordChar(text[i]))
        ++i;
    return text.mid(start, i - start).toString().toLower();
}

bool RedactionDictionary::isUsable(QStringView raw)
{
    const QStringView text = raw.trimmed();
    return text.size() >= 2 && std::any_of(text.begin(), text.end(), [](QChar c) { return c.isLetterOrNumber(); });
}

void RedactionDictionary::add(const QString &raw, Finding::Type type, const QString &key)
{
    if (!isUsable(raw))
        return;
    const QString text = raw.trimmed();
    const QString indexKey = Finding::typeName(type) + QLatin1Char('\n') + text.toLower();
    if (m_index.contains(indexKey))
        return;
    const QString word = firstWord(text);
    Term term{text, type, key.isEmpty() ? Finding::keyFor(type, text) : key, leadOf(text)};
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

namespace {

// The findings that win, sorted by position and not overlapping: taken in the order of
// `better` (stable, so among equals the one listed first), each one that overlaps none taken
// before it. Whatever is dropped overlaps a finding at least as good as itself.
template<typename Better>
QList<Finding> resolveOverlaps(QList<Finding> all, Better better)
{
    QList<qsizetype> order(all.size());
    std::iota(order.begin(), order.end(), qsizetype(0));
    std::stable_sort(order.begin(), order.end(), [&](qsizetype a, qsizetype b) { return better(all[a], all[b]); });
    std::map<qsizetype, qsizetype> taken; // start → end
    QList<bool> keep(all.size(), false);
    for (const qsizetype i : order) {
        const Finding &f = all.at(i);
        if (f.length <= 0)
            continue;
        const qsizetype end = f.start + f.length;
        const auto next = taken.lower_bound(f.start);
        if (next != taken.end() && next->first < end)
            continue;
        if (next != taken.begin() && std::prev(next)->second > f.start)
            continue;
        taken.emplace(f.start, end);
        keep[i] = true;
    }
    QList<Finding> out;
    out.reserve(qsizetype(taken.size()));
    for (qsizetype i = 0; i < all.size(); ++i) {
        if (keep.at(i))
            out.append(std::move(all[i]));
    }
    std::stable_sort(out.begin(), out.end(), [](const Finding &a, const Finding &b) { return a.start < b.start; });
    return out;
}

} // namespace

QList<Finding> RedactionDictionary::find(QStringView text) const
{
    QList<Finding> found;
    if (m_terms.isEmpty())
        return found;
    const qsizetype n = text.size();
    qsizetype i = 0;
    bool overlapping = false;
    qsizetype lastEnd = 0;
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
        // The longest term that matches here (terms are sorted longest first).
        for (const qsizetype t : *candidates) {
            const Term &term = m_terms.at(t);
            const qsizetype from = start - term.lead;
            const qsizetype end = from + term.text.size();
            if (from < 0 || end > n || (end < n && isWordChar(text[end]) && isWordChar(text[end - 1])))
                continue;
            if (text.mid(from, term.text.size()).compare(term.text, Qt::CaseInsensitive) != 0)
                continue;
            Finding f;
            f.type = term.type;
            f.start = from;
            f.length = term.text.size();
            f.value = text.mid(from, f.length).toString();
            f.key = term.key;
            overlapping = overlapping || from < lastEnd;
            lastEnd = std::max(lastEnd, end);
            found.append(std::move(f));
            break;
        }
    }
    if (!overlapping)
        return found;
    // Where terms overlap ("Acme Big" and "Big Corp International" in "Acme Big Corp
    // International"), the longer one.
    return resolveOverlaps(std::move(found),
                           [](const Finding &a, const Finding &b) { return a.length > b.length; });
}

QList<Finding> RedactionDictionary::merge(const QList<Finding> &detected, const QList<Finding> &listed)
{
    if (listed.isEmpty())
        return detected;
    QList<Finding> all = detected;
    all.append(listed);
    // A secret first, then the longer; among equals the earlier, then the detected one.
    return resolveOverlaps(std::move(all), [](const Finding &a, const Finding &b) {
        const bool aSecret = a.type == Finding::Type::Secret;
        const bool bSecret = b.type == Finding::Type::Secret;
        if (aSecret != bSecret)
            return aSecret;
        if (a.length != b.length)
            return a.length > b.length;
        return a.start < b.start;
    });
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
        QStringView term = line;
        Finding::Type type = Finding::Type::Name;
        const qsizetype colon = line.indexOf(u':');
        if (colon > 0) {
            if (const auto named = Finding::typeFromName(line.left(colon).trimmed().toString())) {
                type = *named;
                term = line.mid(colon + 1).trimmed();
            }
        }
        if (!isUsable(term)) {
            if (error)
                *error = QStringLiteral("line %1: a term needs at least two characters and a letter or digit").arg(i + 1);
            return {};
        }
        d.add(term.toString(), type);
    }
    return d;
}

} // namespace casefile
