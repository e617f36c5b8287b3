#pragma once

#include "Finding.h"

#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringView>

#include <bitset>

namespace casefile {

// Terms to redact wherever they appear, whatever a detector thinks of them: the client
// dictionary (company, staff and site names kept per client group), the values learned from
// context.captured (hostname, user, domain), and, when a package is published, every value the
// reviewer chose to redact — so a name also disappears where it stands alone in a chat line.
//
// Matching is case-insensitive, on word boundaries, and linear in the text: a term is looked up
// by its first word only where a word starts, and compared in full only when that word matches.
class RedactionDictionary
{
public:
    struct Term
    {
        QString text;
        Finding::Type type = Finding::Type::Name;
        QString key; // the placeholder key: Finding::keyFor(type, text) unless given
        qsizetype lead = 0; // characters before the first word ("!Summer2024": 1)
    };

    // Terms shorter than two characters, or without a letter or digit, are ignored: they would
    // match everywhere. A term may start or end with other characters ("$ecret!"): only an
    // edge that is a letter or digit must be a word boundary. Adding a term twice keeps the first.
    static bool isUsable(QStringView term);
    void add(const QString &text, Finding::Type type = Finding::Type::Name, const QString &key = {});
    void add(const RedactionDictionary &other);
    bool isEmpty() const { return m_terms.isEmpty(); }
    qsizetype size() const { return m_terms.size(); }
    const QList<Term> &terms() const { return m_terms; }

    // Every occurrence in `text`, sorted by position; where two overlap, the longer one (of equal
    // ones, the earlier).
    QList<Finding> find(QStringView text) const;

    // Detector findings and dictionary findings as one sorted, non-overlapping list: a secret
    // wins any overlap, otherwise the longer finding (a listed "Contoso Ltd" over a detected
    // nothing; a detected C:\Users\jsmith path part over a listed "jsmith" of the same span).
    static QList<Finding> merge(const QList<Finding> &detected, const QList<Finding> &listed);

    // [{"term": "...", "type": "name"}, ...]
    QJsonArray toJson() const;
    static RedactionDictionary fromJson(const QJsonArray &array, QString *error = nullptr);
    // A text file: one term per line; "type: term" picks the type (user, host, domain, name, …);
    // blank lines and lines starting with '#' are skipped.
    static RedactionDictionary fromText(const QString &text, QString *error = nullptr);

private:
    static qsizetype leadOf(QStringView text);
    static QString firstWord(QStringView text); // after the lead, lower-cased

    QList<Term> m_terms;
    QHash<QString, QList<qsizetype>> m_byFirstWord; // lower-cased first word → terms, longest first
    QHash<QString, qsizetype> m_index;              // type + lower-cased text → term
    std::bitset<128> m_firstChars;                  // lower-case ASCII first characters of first words
    bool m_nonAsciiFirst = false;
    quint64 m_wordLengths = 0; // bit n: some first word is n characters long (63: longer)
};

} // namespace casefile
