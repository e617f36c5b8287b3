#include "events/CanonicalJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace casefile;

class tst_CanonicalJson : public QObject
{
    Q_OBJECT

private slots:
    void encodes_data();
    void encodes();
    void keyOrderDoesNotMatter();
    void reparseIsStable();
};

void tst_CanonicalJson::encodes_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("canonical");

    QTest::newRow("sorted keys, no whitespace") << QByteArray(R"({ "b": 1, "a": [ true, null ] })")
                                                << QByteArray(R"({"a":[true,null],"b":1})");
    QTest::newRow("nested objects sorted")
        << QByteArray(R"({"z":{"y":1,"x":2},"a":0})") << QByteArray(R"({"a":0,"z":{"x":2,"y":1}})");
    QTest::newRow("integral double as integer") << QByteArray(R"({"n":1.0e3})")
                                                << QByteArray(R"({"n":1000})");
    QTest::newRow("negative zero") << QByteArray(R"({"n":-0.0})") << QByteArray(R"({"n":0})");
    QTest::newRow("fraction shortest") << QByteArray(R"({"n":0.1})") << QByteArray(R"({"n":0.1})");
    QTest::newRow("large integer") << QByteArray(R"({"n":17179869184})")
                                   << QByteArray(R"({"n":17179869184})");
    QTest::newRow("escapes") << QByteArray(R"({"s":"q\"b\\n\nt\tc\u0001\u001f/"})")
                             << QByteArray(R"({"s":"q\"b\\n\nt\tc\u0001\u001f/"})");
    QTest::newRow("short escapes") << QByteArray(R"({"s":"\b\f\r"})")
                                   << QByteArray(R"({"s":"\b\f\r"})");
    QTest::newRow("unicode kept raw") << QByteArray("{\"s\":\"\\u00e9t\\u00e9 \\ud83d\\ude00\"}")
                                      << QByteArray("{\"s\":\"\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80\"}");
    QTest::newRow("escape sequence") << QByteArray(R"({"s":"\u001b[33m"})")
                                     << QByteArray(R"({"s":"\u001b[33m"})");
    // UTF-16 order: U+00E9 sorts before U+FF21, and both after ASCII.
    QTest::newRow("utf16 key order") << QByteArray("{\"\xef\xbc\xa1\":1,\"\xc3\xa9\":2,\"z\":3}")
                                     << QByteArray("{\"z\":3,\"\xc3\xa9\":2,\"\xef\xbc\xa1\":1}");
}

void tst_CanonicalJson::encodes()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, canonical);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(input, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(CanonicalJson::encode(doc.object()), canonical);
}

void tst_CanonicalJson::keyOrderDoesNotMatter()
{
    QJsonObject a;
    a.insert(QStringLiteral("kind"), QStringLiteral("x"));
    a.insert(QStringLiteral("at"), 5);
    QJsonObject b;
    b.insert(QStringLiteral("at"), 5);
    b.insert(QStringLiteral("kind"), QStringLiteral("x"));
    QCOMPARE(CanonicalJson::encode(a), CanonicalJson::encode(b));
    b.insert(QStringLiteral("at"), 6);
    QVERIFY(CanonicalJson::encode(a) != CanonicalJson::encode(b));
}

void tst_CanonicalJson::reparseIsStable()
{
    const QByteArray input = R"({"x":[1,2.5,"a\"b",{"k":false}],"e":{},"f":[]})";
    const QByteArray once = CanonicalJson::encode(QJsonDocument::fromJson(input).object());
    const QByteArray twice = CanonicalJson::encode(QJsonDocument::fromJson(once).object());
    QCOMPARE(twice, once);
    QCOMPARE(once, QByteArray(R"({"e":{},"f":[],"x":[1,2.5,"a\"b",{"k":false}]})"));
}

QTEST_GUILESS_MAIN(tst_CanonicalJson)
#include "tst_CanonicalJson.moc"
