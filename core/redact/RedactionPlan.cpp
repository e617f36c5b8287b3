#include "RedactionPlan.h"

#include <QJsonArray>

namespace casefile {

namespace {

QString decisionName(RedactionPlan::Decision d)
{
    return d == RedactionPlan::Decision::Redact ? QStringLiteral("redact") : QStringLiteral("keep");
}

std::optional<RedactionPlan::Decision> decisionFromName(const QString &name)
{
    if (name == QLatin1String("redact"))
        return RedactionPlan::Decision::Redact;
    if (name == QLatin1String("keep"))
        return RedactionPlan::Decision::Keep;
    return std::nullopt;
}

// A whole number ≥ `minimum` that fits: 1.5, "3" or 1e300 are not offsets.
std::optional<qint64> integer(const QJsonValue &value, qint64 minimum)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!(d >= double(minimum)) || d > 9007199254740992.0 || d != double(qint64(d)))
        return std::nullopt;
    return qint64(d);
}

// An absent section is empty; a present one must be an array.
std::optional<QJsonArray> array(const QJsonObject &json, const QString &key)
{
    const QJsonValue v = json.value(key);
    if (v.isUndefined() || v.isNull())
        return QJsonArray();
    if (!v.isArray())
        return std::nullopt;
    return v.toArray();
}

} // namespace

QString RedactionPlan::valueId(Finding::Type type, const QString &key)
{
    return Finding::typeName(type) + QLatin1Char('\n') + key;
}

QString RedactionPlan::occurrenceId(const QString &text, qsizetype start)
{
    return text + QLatin1Char('\n') + QString::number(start);
}

void RedactionPlan::setValueDecision(Finding::Type type, const QString &key, Decision decision)
{
    if (decision == Decision::Undecided)
        m_values.remove(valueId(type, key));
    else
        m_values.insert(valueId(type, key), decision);
}

RedactionPlan::Decision RedactionPlan::valueDecision(Finding::Type type, const QString &key) const
{
    return m_values.value(valueId(type, key), Decision::Undecided);
}

void RedactionPlan::setOccurrenceDecision(const QString &text, qsizetype start, Decision decision)
{
    if (decision == Decision::Undecided)
        m_occurrences.remove(occurrenceId(text, start));
    else
        m_occurrences.insert(occurrenceId(text, start), decision);
}

RedactionPlan::Decision RedactionPlan::occurrenceDecision(const QString &text, qsizetype start) const
{
    return m_occurrences.value(occurrenceId(text, start), Decision::Undecided);
}

RedactionPlan::Decision RedactionPlan::decisionFor(const QString &text, const Finding &finding) const
{
    if (!m_occurrences.isEmpty()) {
        const Decision own = occurrenceDecision(text, finding.start);
        if (own != Decision::Undecided)
            return own;
    }
    const Decision value = valueDecision(finding.type, finding.key);
    if (value != Decision::Undecided)
        return value;
    return m_acceptAll ? Decision::Redact : Decision::Undecided;
}

void RedactionPlan::addSpan(const Span &span)
{
    if (span.start >= 0 && span.length > 0 && !m_spans.contains(span))
        m_spans.append(span);
}

bool RedactionPlan::removeSpan(const Span &span)
{
    return m_spans.removeOne(span);
}

void RedactionPlan::setWholeText(const QString &text, bool redacted)
{
    if (redacted)
        m_wholeTexts.insert(text);
    else
        m_wholeTexts.remove(text);
}

void RedactionPlan::addTerm(const QString &term, Finding::Type type)
{
    m_addedTerms.add(term, type);
}

QJsonObject RedactionPlan::toJson() const
{
    QJsonArray values;
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it) {
        const qsizetype nl = it.key().indexOf(QLatin1Char('\n'));
        values.append(QJsonObject{{QStringLiteral("type"), it.key().left(nl)},
                                  {QStringLiteral("key"), it.key().mid(nl + 1)},
                                  {QStringLiteral("decision"), decisionName(it.value())}});
    }
    QJsonArray occurrences;
    for (auto it = m_occurrences.cbegin(); it != m_occurrences.cend(); ++it) {
        const qsizetype nl = it.key().lastIndexOf(QLatin1Char('\n'));
        occurrences.append(QJsonObject{{QStringLiteral("text"), it.key().left(nl)},
                                       {QStringLiteral("start"), it.key().mid(nl + 1).toLongLong()},
                                       {QStringLiteral("decision"), decisionName(it.value())}});
    }
    QJsonArray spans;
    for (const Span &s : m_spans)
        spans.append(QJsonObject{{QStringLiteral("text"), s.text},
                                 {QStringLiteral("start"), s.start},
                                 {QStringLiteral("length"), s.length}});
    QJsonArray whole;
    for (const QString &t : m_wholeTexts)
        whole.append(t);
    return {{QStringLiteral("values"), values},
            {QStringLiteral("occurrences"), occurrences},
            {QStringLiteral("spans"), spans},
            {QStringLiteral("wholeTexts"), whole},
            {QStringLiteral("terms"), m_addedTerms.toJson()},
            {QStringLiteral("acceptAll"), m_acceptAll}};
}

std::optional<RedactionPlan> RedactionPlan::fromJson(const QJsonObject &json, QString *error)
{
    RedactionPlan plan;
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QJsonArray sections[5];
    const char *names[5] = {"values", "occurrences", "spans", "wholeTexts", "terms"};
    for (int i = 0; i < 5; ++i) {
        const auto a = array(json, QLatin1String(names[i]));
        if (!a)
            return fail(QStringLiteral("plan.%1: expected an array").arg(QLatin1String(names[i])));
        sections[i] = *a;
    }
    const QJsonArray &values = sections[0];
    for (qsizetype i = 0; i < values.size(); ++i) {
        const QJsonObject o = values.at(i).toObject();
        const auto type = Finding::typeFromName(o.value(QStringLiteral("type")).toString());
        const auto decision = decisionFromName(o.value(QStringLiteral("decision")).toString());
        if (!type || !decision || !o.value(QStringLiteral("key")).isString())
            return fail(QStringLiteral("plan.values[%1]: expected type, key and decision (redact or keep)").arg(i));
        plan.setValueDecision(*type, o.value(QStringLiteral("key")).toString(), *decision);
    }
    const QJsonArray &occurrences = sections[1];
    for (qsizetype i = 0; i < occurrences.size(); ++i) {
        const QJsonObject o = occurrences.at(i).toObject();
        const auto decision = decisionFromName(o.value(QStringLiteral("decision")).toString());
        const auto start = integer(o.value(QStringLiteral("start")), 0);
        if (!decision || !o.value(QStringLiteral("text")).isString() || !start)
            return fail(QStringLiteral("plan.occurrences[%1]: expected text, start (a whole number ≥ 0) and decision").arg(i));
        plan.setOccurrenceDecision(o.value(QStringLiteral("text")).toString(), *start, *decision);
    }
    const QJsonArray &spans = sections[2];
    for (qsizetype i = 0; i < spans.size(); ++i) {
        const QJsonObject o = spans.at(i).toObject();
        const auto start = integer(o.value(QStringLiteral("start")), 0);
        const auto length = integer(o.value(QStringLiteral("length")), 1);
        if (!o.value(QStringLiteral("text")).isString() || !start || !length)
            return fail(QStringLiteral("plan.spans[%1]: expected text, start ≥ 0 and length > 0 (whole numbers)").arg(i));
        plan.addSpan({o.value(QStringLiteral("text")).toString(), *start, *length});
    }
    for (const QJsonValue &t : sections[3]) {
        if (!t.isString())
            return fail(QStringLiteral("plan.wholeTexts: expected text ids"));
        plan.setWholeText(t.toString(), true);
    }
    QString termError;
    plan.m_addedTerms = RedactionDictionary::fromJson(sections[4], &termError);
    if (!termError.isEmpty())
        return fail(QStringLiteral("plan.") + termError);
    const QJsonValue acceptAll = json.value(QStringLiteral("acceptAll"));
    if (!acceptAll.isUndefined() && !acceptAll.isNull() && !acceptAll.isBool())
        return fail(QStringLiteral("plan.acceptAll: expected true or false"));
    plan.m_acceptAll = acceptAll.toBool();
    return plan;
}

} // namespace casefile
