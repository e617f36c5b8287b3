#pragma once

#include "events/Event.h"
#include "redact/Pseudonymizer.h"
#include "redact/RedactionDictionary.h"
#include "redact/RedactionPlan.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

namespace casefile {

// One or many sessions taken apart into the texts a reviewer decides about, scanned, and put
// back together with a RedactionPlan applied. The console builds one to show findings and the
// preview; the server builds one from its own record to publish, with the plan the reviewer
// sent, so what is signed never depends on the console's copy.
//
// Texts are every string of every event body except identifiers and enumerations (ids,
// streams, shells, decisions, statuses), plus one text per command output stream: its chunks
// joined in order, so a value split across two chunks is still found. Text ids are stable
// across copies of the same record: "<session>/<seq>/<field path>" and
// "<session>/output/<command>/<stream>".
class SnapshotPackage
{
public:
    struct Text
    {
        QString id;
        QString session;
        qint64 seq = 0; // the event; outputs: the first chunk's
        EventKind kind = EventKind::NoteAdded;
        QString field;   // "text", "tags/0", "updates/3"; outputs: "data"
        QString command; // outputs only
        QString stream;  // outputs only
        QString text;
        QList<Finding> findings; // after scan(): sorted, not overlapping
    };
    struct Occurrence
    {
        qsizetype text = 0;
        qsizetype finding = 0;
    };
    // Every occurrence of one value (type + key), in package order.
    struct Group
    {
        Finding::Type type = Finding::Type::User;
        QString key;
        QString value; // as first seen
        QList<Occurrence> occurrences;
    };
    struct Replacement
    {
        qsizetype start = 0;
        qsizetype length = 0;
        QString with;
    };
    struct Result
    {
        QList<QList<Event>> sessions; // redacted and chained anew
        QJsonObject report;           // counts per type (redacted, kept), manual spans, whole texts
        QStringList redactedValues;   // every raw value that was replaced, for checks
        Pseudonymizer names;          // the placeholders given, for scrub()
    };

    static QString outputTextId(const QString &session, const QString &command, const QString &stream);
    // What a context.captured event says about the client: its host name, domain and user (without
    // the domain), each as a term of its type. Accounts every machine has (root, SYSTEM …) and
    // localhost are not personal and left out.
    static RedactionDictionary termsFromContext(const Event &contextCaptured);

    // A session's sealed events in seq order. Sessions keep the order they were added in.
    void addSession(const QList<Event> &events);
    // The client dictionary: its terms are redacted unless the reviewer keeps them.
    void setDictionary(const RedactionDictionary &dictionary) { m_dictionary = dictionary; }
    const RedactionDictionary &dictionary() const { return m_dictionary; }
    // Values learned from context.captured (hostname, user, domain) of the added sessions.
    const RedactionDictionary &contextTerms() const { return m_context; }

    // Finds everything in every text with the detectors, the client dictionary, the context
    // terms and the plan's added terms. `progress(done, total)` (in characters) is called
    // about every megabyte; returning false from it stops the scan and scan() returns false.
    bool scan(const RedactionPlan &plan, const std::function<bool(qint64, qint64)> &progress = {});

    const QList<Text> &texts() const { return m_texts; }
    qsizetype indexOf(const QString &textId) const { return m_index.value(textId, -1); }
    QStringList sessionIds() const;
    qint64 totalCharacters() const;
    QList<Group> groups() const;
    // Findings with no decision yet (publishing waits for zero).
    qsizetype undecidedCount(const RedactionPlan &plan) const;
    // The decision that applies: the plan's, else Redact for dictionary terms.
    RedactionPlan::Decision decisionFor(qsizetype text, const Finding &finding, const RedactionPlan &plan) const;

    // Placeholders for every redacted value, numbered in package order: the same for the
    // preview of one text and for the published package.
    Pseudonymizer placeholders(const RedactionPlan &plan) const;
    // What replaces what in one text: redacted findings, the same raw values wherever else
    // they appear (case-insensitively), spans selected by hand and whole texts. Sorted, not
    // overlapping. A replaced stretch keeps its line breaks, so evidence line numbers hold.
    QList<Replacement> replacements(qsizetype text, const RedactionPlan &plan, Pseudonymizer &names) const;
    QString redactedText(qsizetype text, const RedactionPlan &plan, Pseudonymizer &names) const;

    Result apply(const RedactionPlan &plan) const;
    // A text from outside the record (a snapshot's title or summary) with every value the plan
    // redacts replaced by its placeholder.
    QString scrub(const QString &text, const RedactionPlan &plan, Pseudonymizer &names) const;

private:
    struct Chunk
    {
        qsizetype event = 0; // index into the session's events
        qsizetype start = 0; // in the output text
    };
    void addText(Text text);
    void collect(qsizetype session, qsizetype event, const QString &path, const QJsonValue &value);
    RedactionDictionary sweepTerms(const RedactionPlan &plan) const;
    QList<Replacement> replacements(qsizetype text, const RedactionPlan &plan, Pseudonymizer &names,
                                    const RedactionDictionary &sweep) const;

    QList<QList<Event>> m_sessions;
    QList<Text> m_texts;
    QHash<QString, qsizetype> m_index;
    QHash<QString, QList<Chunk>> m_chunks; // output text id → its chunks
    RedactionDictionary m_dictionary;
    RedactionDictionary m_context;
    QSet<QString> m_listedKeys; // type + key of dictionary terms: redacted unless kept
};

} // namespace casefile
