// The reviewer's plan: decisions per value and per occurrence, accept-all, spans, whole texts
// and added terms, and its JSON (what the console sends and the server applies).
#include "redact/RedactionPlan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace casefile;
using Decision = RedactionPlan::Decision;

namespace {

Finding finding(Finding::Type type, const QString &value, qsizetype start)
{
    Finding f;
    f.type = type;
    f.value = value;
    f.key = Finding::keyFor(type, value);
    f.start = start;
    f.length = value.size();
    return f;
}

const QString kText = QStringLiteral("3f6c2a9e-8b41-4d27-a5e3-1c9b7d04e6f2/output/0b8e4f27-c61a-4d93-9e52-f7a3b1d6c084/stdout");
const QString kChat = QStringLiteral("3f6c2a9e-8b41-4d27-a5e3-1c9b7d04e6f2/11/text");

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class tst_RedactionPlan : public QObject
{
    Q_OBJECT
private slots:
    void valueDecisions();
    void occurrenceOverridesValue();
    void acceptAll();
    void spans();
    void wholeTexts();
    void terms();
    void jsonRoundTrip();
    void emptyJson();
    void malformedJson_data();
    void malformedJson();
};

void tst_RedactionPlan::valueDecisions()
{
    RedactionPlan plan;
    const Finding jsmith = finding(Finding::Type::User, QStringLiteral("JSmith"), 10);
    QCOMPARE(plan.decisionFor(kText, jsmith), Decision::Undecided);
    plan.setValueDecision(Finding::Type::User, QStringLiteral("jsmith"), Decision::Redact);
    QCOMPARE(plan.decisionFor(kText, jsmith), Decision::Redact);
    QCOMPARE(plan.decisionFor(kChat, finding(Finding::Type::User, QStringLiteral("jsmith"), 99)), Decision::Redact);
    // Another type with the same key is another value.
    QCOMPARE(plan.decisionFor(kText, finding(Finding::Type::Host, QStringLiteral("jsmith"), 10)), Decision::Undecided);
    QCOMPARE(plan.valueDecision(Finding::Type::User, QStringLiteral("jsmith")), Decision::Redact);
    plan.setValueDecision(Finding::Type::User, QStringLiteral("jsmith"), Decision::Keep);
    QCOMPARE(plan.decisionFor(kText, jsmith), Decision::Keep);
    QCOMPARE(plan.decisionCount(), 1);
    plan.setValueDecision(Finding::Type::User, QStringLiteral("jsmith"), Decision::Undecided);
    QCOMPARE(plan.decisionFor(kText, jsmith), Decision::Undecided);
    QCOMPARE(plan.decisionCount(), 0);
}

void tst_RedactionPlan::occurrenceOverridesValue()
{
    RedactionPlan plan;
    plan.setValueDecision(Finding::Type::User, QStringLiteral("jsmith"), Decision::Redact);
    plan.setOccurrenceDecision(kText, 42, Decision::Keep);
    QCOMPARE(plan.decisionFor(kText, finding(Finding::Type::User, QStringLiteral("jsmith"), 42)), Decision::Keep);
    QCOMPARE(plan.decisionFor(kText, finding(Finding::Type::User, QStringLiteral("jsmith"), 43)), Decision::Redact);
    QCOMPARE(plan.decisionFor(kChat, finding(Finding::Type::User, QStringLiteral("jsmith"), 42)), Decision::Redact);
    // The other way round: a kept value, one occurrence redacted.
    plan.setValueDecision(Finding::Type::Ipv4, QStringLiteral("10.0.0.5"), Decision::Keep);
    plan.setOccurrenceDecision(kChat, 7, Decision::Redact);
    QCOMPARE(plan.decisionFor(kChat, finding(Finding::Type::Ipv4, QStringLiteral("10.0.0.5"), 7)), Decision::Redact);
    QCOMPARE(plan.decisionFor(kChat, finding(Finding::Type::Ipv4, QStringLiteral("10.0.0.5"), 8)), Decision::Keep);
    QCOMPARE(plan.occurrenceDecision(kChat, 7), Decision::Redact);
    QCOMPARE(plan.decisionCount(), 4);
    plan.setOccurrenceDecision(kText, 42, Decision::Undecided);
    QCOMPARE(plan.decisionFor(kText, finding(Finding::Type::User, QStringLiteral("jsmith"), 42)), Decision::Redact);
}

void tst_RedactionPlan::acceptAll()
{
    RedactionPlan plan;
    const Finding ip = finding(Finding::Type::Ipv4, QStringLiteral("10.0.0.5"), 0);
    QCOMPARE(plan.decisionFor(kText, ip), Decision::Undecided);
    plan.setAcceptAll(true);
    QCOMPARE(plan.decisionFor(kText, ip), Decision::Redact);
    // An explicit keep still keeps, by value or by occurrence.
    plan.setValueDecision(Finding::Type::Ipv4, QStringLiteral("10.0.0.5"), Decision::Keep);
    QCOMPARE(plan.decisionFor(kText, ip), Decision::Keep);
    const Finding user = finding(Finding::Type::User, QStringLiteral("jsmith"), 3);
    plan.setOccurrenceDecision(kText, 3, Decision::Keep);
    QCOMPARE(plan.decisionFor(kText, user), Decision::Keep);
    QCOMPARE(plan.decisionFor(kChat, user), Decision::Redact);
}

void tst_RedactionPlan::spans()
{
    RedactionPlan plan;
    plan.addSpan({kText, 10, 5});
    plan.addSpan({kText, 10, 5}); // twice: once
    plan.addSpan({kText, 10, 6});
    plan.addSpan({kChat, 0, 0}); // empty: ignored
    plan.addSpan({kChat, 3, -2});
    QCOMPARE(plan.spans().size(), 2);
    QVERIFY(plan.removeSpan({kText, 10, 5}));
    QVERIFY(!plan.removeSpan({kText, 10, 5}));
    QCOMPARE(plan.spans().size(), 1);
    QCOMPARE(plan.spans().first().length, 6);
}

void tst_RedactionPlan::wholeTexts()
{
    RedactionPlan plan;
    plan.setWholeText(kChat, true);
    QVERIFY(plan.isWholeText(kChat));
    QVERIFY(!plan.isWholeText(kText));
    plan.setWholeText(kChat, false);
    QVERIFY(!plan.isWholeText(kChat));
    QVERIFY(plan.wholeTexts().isEmpty());
}

void tst_RedactionPlan::terms()
{
    RedactionPlan plan;
    plan.addTerm(QStringLiteral("Globex"));
    plan.addTerm(QStringLiteral("WS-ACCT-17"), Finding::Type::Host);
    plan.addTerm(QStringLiteral("x")); // too short: ignored like any dictionary term
    QCOMPARE(plan.addedTerms().size(), 2);
    QCOMPARE(plan.addedTerms().find(QStringLiteral("ws-acct-17 of GLOBEX")).size(), 2);
}

void tst_RedactionPlan::jsonRoundTrip()
{
    RedactionPlan plan;
    plan.setValueDecision(Finding::Type::User, QStringLiteral("jsmith"), Decision::Redact);
    plan.setValueDecision(Finding::Type::Domain, QStringLiteral("contoso"), Decision::Keep);
    plan.setValueDecision(Finding::Type::Name, QStringLiteral("line\nbreak key"), Decision::Redact);
    plan.setOccurrenceDecision(kText, 120, Decision::Keep);
    plan.setOccurrenceDecision(kChat, 0, Decision::Redact);
    plan.addSpan({kText, 7, 12});
    plan.addSpan({kChat, 3, 1});
    plan.setWholeText(kChat, true);
    plan.addTerm(QStringLiteral("Globex"));
    plan.addTerm(QStringLiteral("+1 425 555 0100"), Finding::Type::Phone);
    plan.setAcceptAll(true);

    // Through bytes, the way it travels.
    const QByteArray bytes = QJsonDocument(plan.toJson()).toJson(QJsonDocument::Compact);
    QString error;
    const auto back = RedactionPlan::fromJson(QJsonDocument::fromJson(bytes).object(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->valueDecision(Finding::Type::User, QStringLiteral("jsmith")), Decision::Redact);
    QCOMPARE(back->valueDecision(Finding::Type::Domain, QStringLiteral("contoso")), Decision::Keep);
    QCOMPARE(back->valueDecision(Finding::Type::Name, QStringLiteral("line\nbreak key")), Decision::Redact);
    QCOMPARE(back->valueDecision(Finding::Type::Host, QStringLiteral("jsmith")), Decision::Undecided);
    QCOMPARE(back->occurrenceDecision(kText, 120), Decision::Keep);
    QCOMPARE(back->occurrenceDecision(kChat, 0), Decision::Redact);
    QCOMPARE(back->occurrenceDecision(kText, 121), Decision::Undecided);
    QCOMPARE(back->spans(), plan.spans());
    QCOMPARE(back->wholeTexts(), plan.wholeTexts());
    QCOMPARE(back->addedTerms().size(), 2);
    QCOMPARE(back->addedTerms().terms()[1].type, Finding::Type::Phone);
    QCOMPARE(back->acceptAll(), true);
    QCOMPARE(back->decisionCount(), plan.decisionCount());
    // And again: the same JSON.
    QCOMPARE(QJsonDocument(back->toJson()).toJson(QJsonDocument::Compact), bytes);
}

void tst_RedactionPlan::emptyJson()
{
    QString error;
    const auto plan = RedactionPlan::fromJson(QJsonObject{}, &error);
    QVERIFY2(plan, qPrintable(error));
    QCOMPARE(plan->decisionCount(), 0);
    QVERIFY(!plan->acceptAll());
    QVERIFY(plan->spans().isEmpty());
}

void tst_RedactionPlan::malformedJson_data()
{
    QTest::addColumn<QJsonObject>("json");
    QTest::addColumn<QString>("where");
    QTest::newRow("unknown type") << parse(R"({"values": [{"type": "person", "key": "a", "decision": "redact"}]})") << QStringLiteral("plan.values[0]");
    QTest::newRow("unknown decision") << parse(R"({"values": [{"type": "user", "key": "a", "decision": "redact"}, {"type": "user", "key": "b", "decision": "maybe"}]})")
                                      << QStringLiteral("plan.values[1]");
    QTest::newRow("undecided is not a decision") << parse(R"({"values": [{"type": "user", "key": "a", "decision": "undecided"}]})") << QStringLiteral("plan.values[0]");
    QTest::newRow("key not a string") << parse(R"({"values": [{"type": "user", "key": 5, "decision": "keep"}]})") << QStringLiteral("plan.values[0]");
    QTest::newRow("values not an array") << parse(R"({"values": {"type": "user"}})") << QStringLiteral("plan.values");
    QTest::newRow("occurrence negative start") << parse(R"({"occurrences": [{"text": "t", "start": -1, "decision": "keep"}]})") << QStringLiteral("plan.occurrences[0]");
    QTest::newRow("occurrence fractional start") << parse(R"({"occurrences": [{"text": "t", "start": 1.5, "decision": "keep"}]})") << QStringLiteral("plan.occurrences[0]");
    QTest::newRow("occurrence start as text") << parse(R"({"occurrences": [{"text": "t", "start": "3", "decision": "keep"}]})") << QStringLiteral("plan.occurrences[0]");
    QTest::newRow("occurrence without text") << parse(R"({"occurrences": [{"start": 3, "decision": "keep"}]})") << QStringLiteral("plan.occurrences[0]");
    QTest::newRow("span zero length") << parse(R"({"spans": [{"text": "t", "start": 0, "length": 0}]})") << QStringLiteral("plan.spans[0]");
    QTest::newRow("span fractional length") << parse(R"({"spans": [{"text": "t", "start": 0, "length": 0.5}]})") << QStringLiteral("plan.spans[0]");
    QTest::newRow("span huge start") << parse(R"({"spans": [{"text": "t", "start": 1e300, "length": 2}]})") << QStringLiteral("plan.spans[0]");
    QTest::newRow("span without start") << parse(R"({"spans": [{"text": "t", "start": 0, "length": 2}, {"text": "t", "length": 2}]})") << QStringLiteral("plan.spans[1]");
    QTest::newRow("whole text not a string") << parse(R"({"wholeTexts": ["a", 3]})") << QStringLiteral("plan.wholeTexts");
    QTest::newRow("bad term") << parse(R"({"terms": [{"term": "Globex", "type": "company"}]})") << QStringLiteral("plan.dictionary[0]");
    QTest::newRow("acceptAll not a boolean") << parse(R"({"acceptAll": "yes"})") << QStringLiteral("plan.acceptAll");
}

void tst_RedactionPlan::malformedJson()
{
    QFETCH(QJsonObject, json);
    QFETCH(QString, where);
    QVERIFY(!json.isEmpty());
    QString error;
    const auto plan = RedactionPlan::fromJson(json, &error);
    QVERIFY(!plan);
    QVERIFY2(error.startsWith(where + QLatin1Char(':')), qPrintable(error));
}

QTEST_APPLESS_MAIN(tst_RedactionPlan)
#include "tst_RedactionPlan.moc"
