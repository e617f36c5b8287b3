#pragma once

#include "Finding.h"
#include "RedactionDictionary.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace casefile {

// What the reviewer decided about a package: per value (every occurrence of one user, host,
// address …), per single finding (overriding its value), spans selected by hand, whole texts
// (a whole output or field), and terms added to the client dictionary. It says nothing about
// the texts themselves, so the console can build it while reviewing and the server can apply
// the same plan to its own copy of the record when it publishes.
class RedactionPlan
{
public:
    enum class Decision
    {
        Undecided,
        Redact,
        Keep,
    };

    struct Span
    {
        QString text; // the id of a text in the package (SnapshotPackage::Text::id)
        qsizetype start = 0;
        qsizetype length = 0;
        bool operator==(const Span &o) const { return text == o.text && start == o.start && length == o.length; }
    };

    void setValueDecision(Finding::Type type, const QString &key, Decision decision);
    Decision valueDecision(Finding::Type type, const QString &key) const;
    // One finding, by the text it is in and where it starts.
    void setOccurrenceDecision(const QString &text, qsizetype start, Decision decision);
    Decision occurrenceDecision(const QString &text, qsizetype start) const;
    // The decision that applies to this finding: its own, else its value's, else Redact when
    // every finding is accepted (casefile-cli publish --accept-all-findings).
    Decision decisionFor(const QString &text, const Finding &finding) const;

    void addSpan(const Span &span);
    bool removeSpan(const Span &span);
    const QList<Span> &spans() const { return m_spans; }

    void setWholeText(const QString &text, bool redacted);
    bool isWholeText(const QString &text) const { return m_wholeTexts.contains(text); }
    const QSet<QString> &wholeTexts() const { return m_wholeTexts; }

    // Terms the reviewer added while reviewing: found and redacted like client dictionary terms.
    const RedactionDictionary &addedTerms() const { return m_addedTerms; }
    void addTerm(const QString &term, Finding::Type type = Finding::Type::Name);

    void setAcceptAll(bool accept) { m_acceptAll = accept; }
    bool acceptAll() const { return m_acceptAll; }

    qsizetype decisionCount() const { return m_values.size() + m_occurrences.size(); }

    QJsonObject toJson() const;
    static std::optional<RedactionPlan> fromJson(const QJsonObject &json, QString *error);

private:
    static QString valueId(Finding::Type type, const QString &key);
    static QString occurrenceId(const QString &text, qsizetype start);

    QHash<QString, Decision> m_values;      // type name + '\n' + key
    QHash<QString, Decision> m_occurrences; // text id + '\n' + start
    QList<Span> m_spans;
    QSet<QString> m_wholeTexts;
    RedactionDictionary m_addedTerms;
    bool m_acceptAll = false;
};

} // namespace casefile
