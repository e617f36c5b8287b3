// The client dictionary: listed terms found case-insensitively on word boundaries, the longer
// term where two overlap, merged with the detectors' findings (a secret wins, then the longer),
// read from text and JSON, and fast enough on text built to be slow.
#include "redact/RedactionDictionary.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace casefile;

namespace {

QStringList values(const QList<Finding> &findings)
{
    QStringList out;
    for (const Finding &f : findings)
        out << f.value;
    return out;
}

Finding finding(Finding::Type type, qsizetype start, qsizetype length, const QString &value = {})
{
    Finding f;
    f.type = type;
    f.start = start;
    f.length = length;
    f.value = value.isEmpty() ? QStringLiteral("v%1+%2").arg(start).arg(length) : value;
    f.key = f.value.toLower();
    return f;
}

bool overlaps(const Finding &a, const Finding &b)
{
    return a.start < b.start + b.length && b.start < a.start + a.length;
}

bool beatsOrEquals(const Finding &a, const Finding &b)
{
    const bool aSecret = a.type == Finding::Type::Secret;
    const bool bSecret = b.type == Finding::Type::Secret;
    if (aSecret != bSecret)
        return aSecret;
    return a.length >= b.length;
}

} // namespace

class tst_RedactionDictionary : public QObject
{
    Q_OBJECT
private slots:
    void matchesCaseInsensitivelyOnWordBoundaries_data();
    void matchesCaseInsensitivelyOnWordBoundaries();
    void positionsAndKeys();
    void longestTermWins();
    void overlappingTermsKeepTheLonger();
    void shortOrSymbolOnlyTermsAreIgnored();
    void termsWithPunctuationAtTheEdges();
    void addingTwiceKeepsTheFirst();
    void mergeRules();
    void mergeProperty();
    void fromText();
    void fromTextErrors_data();
    void fromTextErrors();
    void jsonRoundTrip();
    void fromJsonErrors_data();
    void fromJsonErrors();
    void adversarialMegabyte();
};

void tst_RedactionDictionary::matchesCaseInsensitivelyOnWordBoundaries_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("plain") << QStringLiteral("Ticket from Globex about VPN") << QStringList{QStringLiteral("Globex")};
    QTest::newRow("upper") << QStringLiteral("GLOBEX called") << QStringList{QStringLiteral("GLOBEX")};
    QTest::newRow("lower, punctuation around") << QStringLiteral("(globex), globex.") << QStringList{QStringLiteral("globex"), QStringLiteral("globex")};
    QTest::newRow("multi-word") << QStringLiteral("Invoice for contoso ltd, 3 seats") << QStringList{QStringLiteral("contoso ltd")};
    QTest::newRow("multi-word at the end") << QStringLiteral("Customer: Contoso Ltd") << QStringList{QStringLiteral("Contoso Ltd")};
    QTest::newRow("inside a word") << QStringLiteral("GlobexCorp and preGlobex and Globex_2 and Globex2") << QStringList{};
    QTest::newRow("inside a path") << QStringLiteral("\\\\fs01\\Globex\\share") << QStringList{QStringLiteral("Globex")};
    QTest::newRow("multi-word cut short") << QStringLiteral("Contoso Lt and Contoso Ltda") << QStringList{};
    QTest::newRow("site name") << QStringLiteral("moved to north-wing-2 yesterday") << QStringList{QStringLiteral("north-wing-2")};
    QTest::newRow("non-ascii") << QStringLiteral("Müller GmbH und MÜLLER GMBH") << QStringList{QStringLiteral("Müller GmbH"), QStringLiteral("MÜLLER GMBH")};
    QTest::newRow("nothing") << QStringLiteral("Get-Service Spooler | Restart-Service") << QStringList{};
}

void tst_RedactionDictionary::matchesCaseInsensitivelyOnWordBoundaries()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    RedactionDictionary d;
    d.add(QStringLiteral("Globex"));
    d.add(QStringLiteral("Contoso Ltd"));
    d.add(QStringLiteral("north-wing-2"));
    d.add(QStringLiteral("Müller GmbH"));
    QCOMPARE(values(d.find(text)), expected);
}

void tst_RedactionDictionary::positionsAndKeys()
{
    RedactionDictionary d;
    d.add(QStringLiteral("jsmith"), Finding::Type::User);
    d.add(QStringLiteral("FRONTDESK-03.contoso.com"), Finding::Type::Host);
    d.add(QStringLiteral("Globex"), Finding::Type::Name, QStringLiteral("client-7"));
    const QString text = QStringLiteral("JSmith on frontdesk-03.CONTOSO.com for Globex");
    const QList<Finding> found = d.find(text);
    QCOMPARE(found.size(), 3);
    for (const Finding &f : found)
        QCOMPARE(text.mid(f.start, f.length), f.value);
    QCOMPARE(found[0].type, Finding::Type::User);
    QCOMPARE(found[0].key, QStringLiteral("jsmith"));
    QCOMPARE(found[1].type, Finding::Type::Host);
    QCOMPARE(found[1].key, QStringLiteral("frontdesk-03")); // hosts by their first label
    QCOMPARE(found[2].key, QStringLiteral("client-7"));     // a given key wins
}

void tst_RedactionDictionary::longestTermWins()
{
    RedactionDictionary d;
    d.add(QStringLiteral("Contoso"));
    d.add(QStringLiteral("Contoso Ltd"));
    d.add(QStringLiteral("Contoso Ltd Holdings"));
    QCOMPARE(values(d.find(QStringLiteral("Contoso Ltd Holdings, Contoso Ltd, Contoso"))),
             (QStringList{QStringLiteral("Contoso Ltd Holdings"), QStringLiteral("Contoso Ltd"), QStringLiteral("Contoso")}));
    // The order terms were added in does not matter.
    RedactionDictionary e;
    e.add(QStringLiteral("Contoso Ltd Holdings"));
    e.add(QStringLiteral("Contoso"));
    e.add(QStringLiteral("Contoso Ltd"));
    QCOMPARE(values(e.find(QStringLiteral("contoso ltd holdings"))), QStringList{QStringLiteral("contoso ltd holdings")});
}

void tst_RedactionDictionary::overlappingTermsKeepTheLonger()
{
    RedactionDictionary d;
    d.add(QStringLiteral("Acme Big"));
    d.add(QStringLiteral("Big Corp International"));
    const QList<Finding> found = d.find(QStringLiteral("Acme Big Corp International signed"));
    QCOMPARE(values(found), QStringList{QStringLiteral("Big Corp International")});
    QCOMPARE(found.first().start, 5);
    // Apart, both are found.
    QCOMPARE(values(d.find(QStringLiteral("Acme Big; Big Corp International"))),
             (QStringList{QStringLiteral("Acme Big"), QStringLiteral("Big Corp International")}));
}

void tst_RedactionDictionary::shortOrSymbolOnlyTermsAreIgnored()
{
    RedactionDictionary d;
    d.add(QStringLiteral("a"));
    d.add(QStringLiteral("  x  "));
    d.add(QStringLiteral("--"));
    d.add(QStringLiteral("__"));
    d.add(QString());
    QVERIFY(d.isEmpty());
    QVERIFY(d.find(QStringLiteral("a x -- __ a")).isEmpty());
    d.add(QStringLiteral(" ab "));
    QCOMPARE(d.size(), 1);
    QCOMPARE(d.terms().first().text, QStringLiteral("ab")); // trimmed
    QCOMPARE(values(d.find(QStringLiteral("a ab abc AB"))), (QStringList{QStringLiteral("ab"), QStringLiteral("AB")}));
}

void tst_RedactionDictionary::termsWithPunctuationAtTheEdges()
{
    // Passwords and phone numbers start or end with symbols: only an edge that is a letter or
    // digit needs a word boundary.
    RedactionDictionary d;
    d.add(QStringLiteral("$ecretP@ss9"), Finding::Type::Secret);
    d.add(QStringLiteral("Summer2024!"), Finding::Type::Secret);
    d.add(QStringLiteral("+1 425 555 0100"), Finding::Type::Phone);
    QCOMPARE(d.size(), 3);
    const QString text = QStringLiteral("pw was $ecretP@ss9, now Summer2024!! call +1 425 555 0100 or x$ecretP@ss9 "
                                        "but not Summer2024 nor +1 425 555 01000");
    const QList<Finding> found = d.find(text);
    QCOMPARE(values(found), (QStringList{QStringLiteral("$ecretP@ss9"), QStringLiteral("Summer2024!"),
                                         QStringLiteral("+1 425 555 0100"), QStringLiteral("$ecretP@ss9")}));
    for (const Finding &f : found)
        QCOMPARE(text.mid(f.start, f.length), f.value);
    QCOMPARE(found[0].type, Finding::Type::Secret);
    QCOMPARE(found[2].type, Finding::Type::Phone);
}

void tst_RedactionDictionary::addingTwiceKeepsTheFirst()
{
    RedactionDictionary d;
    d.add(QStringLiteral("Globex"), Finding::Type::Name, QStringLiteral("first"));
    d.add(QStringLiteral("GLOBEX"), Finding::Type::Name, QStringLiteral("second"));
    d.add(QStringLiteral("globex"), Finding::Type::Host); // another type: another term
    QCOMPARE(d.size(), 2);
    const QList<Finding> found = d.find(QStringLiteral("globex"));
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().key, QStringLiteral("first"));
    RedactionDictionary e;
    e.add(d);
    e.add(d);
    QCOMPARE(e.size(), 2);
}

void tst_RedactionDictionary::mergeRules()
{
    using T = Finding::Type;
    // A listed term over a detected part of it: longer wins.
    {
        const auto out = RedactionDictionary::merge({finding(T::User, 8, 6, QStringLiteral("jsmith"))},
                                                    {finding(T::Name, 0, 14, QStringLiteral("Contoso jsmith"))});
        QCOMPARE(values(out), QStringList{QStringLiteral("Contoso jsmith")});
    }
    // The same span: the detected finding (listed second) stays.
    {
        const auto out = RedactionDictionary::merge({finding(T::User, 9, 6, QStringLiteral("jsmith"))},
                                                    {finding(T::Name, 9, 6, QStringLiteral("jsmith"))});
        QCOMPARE(out.size(), 1);
        QCOMPARE(out.first().type, T::User);
    }
    // A short secret beats a long listed term.
    {
        const auto out = RedactionDictionary::merge({finding(T::Secret, 10, 4, QStringLiteral("pw12"))},
                                                    {finding(T::Name, 0, 30, QStringLiteral("long listed name"))});
        QCOMPARE(out.size(), 1);
        QCOMPARE(out.first().type, T::Secret);
    }
    // Nothing overlaps: everything kept, sorted.
    {
        const auto out = RedactionDictionary::merge({finding(T::Ipv4, 20, 5), finding(T::User, 0, 3)},
                                                    {finding(T::Name, 10, 4)});
        QCOMPARE(out.size(), 3);
        QCOMPARE(out[0].start, 0);
        QCOMPARE(out[1].start, 10);
        QCOMPARE(out[2].start, 20);
    }
    // A chain: A [0,10) loses to B [5,20), B loses to C [15,40). A must come back: it overlaps
    // nothing that was kept, and dropping it would publish its text.
    {
        const auto out = RedactionDictionary::merge({finding(T::User, 0, 10), finding(T::Host, 15, 25)},
                                                    {finding(T::Name, 5, 15)});
        QCOMPARE(out.size(), 2);
        QCOMPARE(out[0].start, 0);
        QCOMPARE(out[1].start, 15);
    }
    // Empty lists.
    QCOMPARE(RedactionDictionary::merge({}, {finding(T::Name, 1, 2)}).size(), 1);
    QCOMPARE(RedactionDictionary::merge({finding(T::Name, 1, 2)}, {}).size(), 1);
}

void tst_RedactionDictionary::mergeProperty()
{
    // Random detected (non-overlapping, as the scanner returns them) and listed findings: the
    // result is sorted and non-overlapping, every kept finding is one of the inputs, and every
    // dropped one overlaps a kept finding that beats or equals it (so a secret is only ever
    // dropped for another secret).
    const quint32 seed = QRandomGenerator::global()->generate();
    QRandomGenerator rng(seed);
    const Finding::Type types[] = {Finding::Type::User, Finding::Type::Host, Finding::Type::Secret,
                                   Finding::Type::Ipv4, Finding::Type::Name};
    for (int iteration = 0; iteration < 2000; ++iteration) {
        const auto make = [&](bool nonOverlapping) {
            QList<Finding> list;
            qsizetype pos = 0;
            const int n = rng.bounded(0, 12);
            for (int i = 0; i < n; ++i) {
                const qsizetype start = nonOverlapping ? pos + rng.bounded(0, 6) : rng.bounded(0, 80);
                const qsizetype length = rng.bounded(1, 15);
                list.append(finding(types[rng.bounded(0, 5)], start, length));
                pos = start + length;
            }
            if (!nonOverlapping)
                std::sort(list.begin(), list.end(), [](const Finding &a, const Finding &b) { return a.start < b.start; });
            return list;
        };
        const QList<Finding> detected = make(true);
        const QList<Finding> listed = make(false);
        const QList<Finding> out = RedactionDictionary::merge(detected, listed);
        const QString context = QStringLiteral("seed %1, iteration %2").arg(seed).arg(iteration);
        for (qsizetype i = 1; i < out.size(); ++i) {
            if (out[i].start < out[i - 1].start + out[i - 1].length)
                QFAIL(qPrintable(QStringLiteral("overlap or unsorted at %1 (%2)").arg(i).arg(context)));
        }
        QList<Finding> inputs = detected + listed;
        for (const Finding &f : out) {
            const bool known = std::any_of(inputs.begin(), inputs.end(), [&](const Finding &g) {
                return g.start == f.start && g.length == f.length && g.type == f.type && g.value == f.value;
            });
            if (!known)
                QFAIL(qPrintable(QStringLiteral("a finding that was not given (%1)").arg(context)));
        }
        for (const Finding &g : inputs) {
            const bool kept = std::any_of(out.begin(), out.end(), [&](const Finding &f) {
                return g.start == f.start && g.length == f.length && g.type == f.type;
            });
            if (kept)
                continue;
            const bool covered = std::any_of(out.begin(), out.end(),
                                             [&](const Finding &f) { return overlaps(f, g) && beatsOrEquals(f, g); });
            if (!covered)
                QFAIL(qPrintable(QStringLiteral("[%1,+%2) dropped for nothing that beats it (%3)")
                                     .arg(g.start)
                                     .arg(g.length)
                                     .arg(context)));
        }
    }
}

void tst_RedactionDictionary::fromText()
{
    QString error;
    const RedactionDictionary d = RedactionDictionary::fromText(QStringLiteral("# client dictionary of Contoso\n"
                                                                               "Contoso Ltd\r\n"
                                                                               "\n"
                                                                               "   user: jsmith  \n"
                                                                               "host:FRONTDESK-03\n"
                                                                               "phone: +1 425 555 0100\n"
                                                                               "Note: not a type, a term\n"
                                                                               "Globex\n"),
                                                                &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(d.size(), 6);
    const auto &t = d.terms();
    QCOMPARE(t[0].text, QStringLiteral("Contoso Ltd"));
    QCOMPARE(t[0].type, Finding::Type::Name);
    QCOMPARE(t[1].text, QStringLiteral("jsmith"));
    QCOMPARE(t[1].type, Finding::Type::User);
    QCOMPARE(t[2].text, QStringLiteral("FRONTDESK-03"));
    QCOMPARE(t[2].type, Finding::Type::Host);
    QCOMPARE(t[3].type, Finding::Type::Phone);
    QCOMPARE(t[4].text, QStringLiteral("Note: not a type, a term"));
    QCOMPARE(t[4].type, Finding::Type::Name);
    QCOMPARE(values(d.find(QStringLiteral("JSMITH at frontdesk-03 for contoso ltd, call +1 425 555 0100"))),
             (QStringList{QStringLiteral("JSMITH"), QStringLiteral("frontdesk-03"), QStringLiteral("contoso ltd"),
                          QStringLiteral("+1 425 555 0100")}));
}

void tst_RedactionDictionary::fromTextErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("line");
    QTest::newRow("one character") << QStringLiteral("Globex\nx\n") << QStringLiteral("line 2");
    QTest::newRow("typed, one character") << QStringLiteral("# c\n\nuser: j\n") << QStringLiteral("line 3");
    QTest::newRow("typed, empty") << QStringLiteral("host:\n") << QStringLiteral("line 1");
    QTest::newRow("symbols only") << QStringLiteral("Globex\n----\n") << QStringLiteral("line 2");
}

void tst_RedactionDictionary::fromTextErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, line);
    QString error;
    const RedactionDictionary d = RedactionDictionary::fromText(text, &error);
    QVERIFY(d.isEmpty());
    QVERIFY2(error.startsWith(line + QLatin1Char(':')), qPrintable(error));
    // Without an error pointer it must not crash either.
    QVERIFY(RedactionDictionary::fromText(text).isEmpty());
}

void tst_RedactionDictionary::jsonRoundTrip()
{
    RedactionDictionary d;
    d.add(QStringLiteral("Contoso Ltd"));
    d.add(QStringLiteral("jsmith"), Finding::Type::User);
    d.add(QStringLiteral("10.20.30.40"), Finding::Type::Ipv4);
    d.add(QStringLiteral("$ecretP@ss9"), Finding::Type::Secret);
    const QJsonArray json = d.toJson();
    QCOMPARE(json.size(), 4);
    QCOMPARE(json.at(1).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("user"));
    QString error;
    const RedactionDictionary back = RedactionDictionary::fromJson(json, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(back.size(), d.size());
    for (qsizetype i = 0; i < d.size(); ++i) {
        QCOMPARE(back.terms()[i].text, d.terms()[i].text);
        QCOMPARE(back.terms()[i].type, d.terms()[i].type);
        QCOMPARE(back.terms()[i].key, d.terms()[i].key);
    }
    // "type" may be left out: a name.
    const RedactionDictionary named = RedactionDictionary::fromJson(QJsonArray{QJsonObject{{QStringLiteral("term"), QStringLiteral("Globex")}}}, &error);
    QCOMPARE(named.size(), 1);
    QCOMPARE(named.terms().first().type, Finding::Type::Name);
}

void tst_RedactionDictionary::fromJsonErrors_data()
{
    QTest::addColumn<QJsonArray>("json");
    QTest::addColumn<QString>("where");
    const QJsonObject good{{QStringLiteral("term"), QStringLiteral("Globex")}, {QStringLiteral("type"), QStringLiteral("name")}};
    QTest::newRow("unknown type") << QJsonArray{good, QJsonObject{{QStringLiteral("term"), QStringLiteral("x1")}, {QStringLiteral("type"), QStringLiteral("person")}}}
                                  << QStringLiteral("dictionary[1]");
    QTest::newRow("no term") << QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("name")}}} << QStringLiteral("dictionary[0]");
    QTest::newRow("blank term") << QJsonArray{good, good, QJsonObject{{QStringLiteral("term"), QStringLiteral("   ")}}} << QStringLiteral("dictionary[2]");
    QTest::newRow("not an object") << QJsonArray{QStringLiteral("Globex")} << QStringLiteral("dictionary[0]");
    QTest::newRow("term not a string") << QJsonArray{QJsonObject{{QStringLiteral("term"), 42}}} << QStringLiteral("dictionary[0]");
}

void tst_RedactionDictionary::fromJsonErrors()
{
    QFETCH(QJsonArray, json);
    QFETCH(QString, where);
    QString error;
    const RedactionDictionary d = RedactionDictionary::fromJson(json, &error);
    QVERIFY(d.isEmpty());
    QVERIFY2(error.startsWith(where + QLatin1Char(':')), qPrintable(error));
}

void tst_RedactionDictionary::adversarialMegabyte()
{
    // Terms sharing first words with almost every word of the text, one very long term that
    // almost matches everywhere, and words of every length: each must still end, with the
    // right counts.
    RedactionDictionary d;
    d.add(QStringLiteral("Contoso Ltd"));
    d.add(QStringLiteral("Contoso Limited Holdings"));
    QString longTerm;
    for (int i = 0; i < 200; ++i)
        longTerm += QStringLiteral("aa ");
    d.add(longTerm + QStringLiteral("zz"));
    for (int i = 2; i < 70; ++i)
        d.add(QString(i, QLatin1Char('b')) + QStringLiteral("x"));

    QString text;
    text.reserve(1 << 20);
    const QString nearMiss = QStringLiteral("Contoso Limited Holding Contoso Lt ");
    const QString hit = QStringLiteral("contoso LTD ");
    qsizetype hits = 0;
    while (text.size() < (1 << 20) - 4096) {
        for (int i = 0; i < 50; ++i)
            text += nearMiss;
        text += hit;
        ++hits;
        for (int i = 0; i < 300; ++i)
            text += QStringLiteral("aa ");
        text += QString(40, QLatin1Char('b')) + QStringLiteral("y ");
    }
    // The long term, once, at the end.
    text += longTerm + QStringLiteral("zz");
    const QList<Finding> found = d.find(text);
    QCOMPARE(found.size(), hits + 1);
    QCOMPARE(found.last().length, longTerm.size() + 2);
    for (qsizetype i = 0; i + 1 < found.size(); ++i)
        QCOMPARE(found[i].value, QStringLiteral("contoso LTD"));
}

QTEST_APPLESS_MAIN(tst_RedactionDictionary)
#include "tst_RedactionDictionary.moc"
