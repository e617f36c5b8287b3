#include "events/JsonParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

#include <cstring>

using namespace casefile;

// JsonParser against QJsonDocument::fromJson, the parser it replaces: the same verdict and the
// same values for hand-picked edge cases and for thousands of random documents and mutations
// of them. Where it differs on purpose (invalid UTF-8, lone surrogates) it refuses.
class tst_JsonParser : public QObject
{
    Q_OBJECT

private slots:
    void agreesWithQt_data();
    void agreesWithQt();
    void refusesWhatQtWouldReplace_data();
    void refusesWhatQtWouldReplace();
    void randomDocumentsAndMutations();
    void nestingLimit();
    void manyKeys();
    void keysBeyondTheBmpAreFound();
    void droppedDuplicatesAreReleased();
    void errorsSayWhere();
    void utf8Validation_data();
    void utf8Validation();
    void leadingByteOrderMarkIsKept();

private:
    static bool same(const QJsonValue &a, const QJsonValue &b);
    static void compareWithQt(const QByteArray &input);
    static void compareWithQt(const QByteArray &input, bool withQt);
};

bool tst_JsonParser::same(const QJsonValue &a, const QJsonValue &b)
{
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case QJsonValue::Object: {
        const QJsonObject x = a.toObject(), y = b.toObject();
        if (x.keys() != y.keys())
            return false;
        for (auto it = x.begin(); it != x.end(); ++it) {
            if (!same(it.value(), y.value(it.key())))
                return false;
        }
        return true;
    }
    case QJsonValue::Array: {
        const QJsonArray x = a.toArray(), y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!same(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    case QJsonValue::Double: {
        // Kept as an integer or as a double alike, and the same value to the bit (so 0 and
        // -0.0 differ, which == on doubles would not tell).
        const QVariant x = a.toVariant(), y = b.toVariant();
        if (x.typeId() != y.typeId())
            return false;
        if (x.typeId() != QMetaType::Double)
            return x == y;
        const double dx = x.toDouble(), dy = y.toDouble();
        return std::memcmp(&dx, &dy, sizeof dx) == 0;
    }
    default:
        return a == b;
    }
}

void tst_JsonParser::compareWithQt(const QByteArray &input)
{
    // Both routes of parse(): through Qt where it reads the text as ours does, and ours.
    for (const bool withQt : {true, false}) {
        compareWithQt(input, withQt);
        if (QTest::currentTestFailed())
            return;
    }
    // And with each other, deliberate refusals included: text parse() gives Qt must be text
    // ours reads the same way, or the gate let through something Qt bends.
    JsonParser::Error routed;
    JsonParser::Error own;
    const auto viaParse = JsonParser::parse(input, &routed);
    const auto viaOurs = JsonParser::parseWithoutQt(input, &own);
    QVERIFY2(bool(viaParse) == bool(viaOurs),
             qPrintable(QStringLiteral("%1: parse() %2, ours alone %3 (%4)")
                            .arg(QString::fromUtf8(input.toPercentEncoding(" {}[]:,\"")))
                            .arg(viaParse ? QStringLiteral("accepts") : QStringLiteral("refuses"))
                            .arg(viaOurs ? QStringLiteral("accepts") : QStringLiteral("refuses"))
                            .arg(own.message)));
    if (viaParse) {
        QVERIFY2(same(*viaParse, *viaOurs), input.constData());
    } else {
        QCOMPARE(routed.message, own.message);
        QCOMPARE(routed.offset, own.offset);
    }
}

void tst_JsonParser::compareWithQt(const QByteArray &input, bool withQt)
{
    QJsonParseError qtError;
    const QJsonDocument qt = QJsonDocument::fromJson(input, &qtError);
    JsonParser::Error error;
    const auto ours =
        withQt ? JsonParser::parse(input, &error) : JsonParser::parseWithoutQt(input, &error);
    const bool qtOk = qtError.error == QJsonParseError::NoError;
    // Where Qt bends JSON on purpose of its own (see JsonParser.h), refusing is the point.
    static const QStringList deliberate = {
        QStringLiteral("illegal escape sequence"),
        QStringLiteral("a number must start with a digit"),
        QStringLiteral("a fraction needs digits after the point"),
        QStringLiteral("a lone surrogate in a \\u escape")};
    if (qtOk && !ours && deliberate.contains(error.message))
        return;
    QVERIFY2(qtOk == bool(ours),
             qPrintable(QStringLiteral("%1: Qt %2 (%3), ours %4 (%5)")
                            .arg(QString::fromUtf8(input.toPercentEncoding(" {}[]:,\"")))
                            .arg(qtOk ? QStringLiteral("accepts") : QStringLiteral("refuses"))
                            .arg(qtError.errorString())
                            .arg(ours ? QStringLiteral("accepts") : QStringLiteral("refuses"))
                            .arg(error.message)));
    if (!qtOk)
        return;
    const QJsonValue theirs = qt.isObject() ? QJsonValue(qt.object()) : QJsonValue(qt.array());
    QVERIFY2(same(theirs, *ours), input.constData());
}

void tst_JsonParser::agreesWithQt_data()
{
    QTest::addColumn<QByteArray>("input");
    const QList<QByteArray> cases = {
        "{}",
        "[]",
        " \t\r\n{ } \n",
        "{\"a\":1}",
        "{\"a\":1,}",
        "[1,]",
        "[,1]",
        "{\"a\" 1}",
        "{a:1}",
        "{\"a\":1}x",
        "{\"a\":1} {}",
        "",
        "   ",
        "[",
        "]",
        "{",
        "[1 2]",
        "[true,false,null]",
        "[tru]",
        "[nul]",
        "[True]",
        "[\"\\n\\t\\r\\b\\f\\/\\\\\\\"\"]",
        "[\"\\u0041\\u00e9\\u20ac\"]",
        "[\"\\ud83d\\ude00\"]",
        "[\"\\x41\"]",
        "[\"\\u12\"]",
        "[\"\\u12G4\"]",
        "[\"a\tb\"]",
        "[\"a\nb\"]",
        "[\"\x01\"]",
        "[\"\x7f\"]",
        "[\"unterminated]",
        "[0]",
        "[-0]",
        "[01]",
        "[-01]",
        "[1.]",
        "[.5]",
        "[1.5]",
        "[-1.5e10]",
        "[1E+2]",
        "[1e-2]",
        "[1e]",
        "[+1]",
        "[-]",
        "[9007199254740993]",
        "[9223372036854775807]",
        "[9223372036854775808]",
        "[-9223372036854775808]",
        "[-9223372036854775809]",
        "[1e308]",
        "[1e309]",
        "[-1e309]",
        "[1e-400]",
        "[1e-310]",
        "[-0.0]",
        "[1.5e300]",
        "[\"a\\u0000b\"]",
        "[1.e5]",
        "[-.5]",
        "[0.1]",
        "[123456789012345678901234567890]",
        "{\"a\":1,\"a\":2}",
        "{\"b\":1,\"a\":2,\"c\":{\"d\":[1,{\"e\":\"f\"}]}}",
        "{\"\":\"\"}",
        "[\"é€😀\"]",
        "\xEF\xBB\xBF{}",
        "1",
        "\"text\"",
        "true",
        "null",
        "[1]//x",
        "[1]/*x*/",
        "[NaN]",
        "[Infinity]",
        "['a']",
        "{\"a\":[]}",
        "[[[[]]]]",
        // Keys plain and escaped, ASCII and not: equal keys are equal however they are written.
        "{\"a\":1,\"\\u0061\":2}",
        "{\"\\u0061\":1,\"a\":2}",
        "{\"b\":1,\"a\\n\":2,\"a\":3,\"a\\n\":4}",
        "{\"\":1,\"\\u0000\":2,\"\":3}",
        "{\"\xc3\xa9\":1,\"e\":2,\"\\u00e9\":3,\"f\":4}",
        "{\"\xf0\x9f\x98\x80\":1,\"\xe2\x82\xac\":2,\"z\":3}",
        // Objects inside objects, with the same keys at each level, before and after them.
        "{\"a\":{\"a\":{\"a\":1,\"b\":2},\"b\":[{\"b\":1,\"a\":2}]},\"b\":3,\"a\":{\"c\":4}}",
        "[{\"k\":1},{\"k\":2,\"j\":{}},{}]",
        // More keys than an insertion sort takes, duplicates among them.
        "{\"q\":1,\"p\":2,\"o\":3,\"n\":4,\"m\":5,\"l\":6,\"k\":7,\"j\":8,\"i\":9,\"h\":10,"
        "\"g\":11,\"f\":12,\"e\":13,\"d\":14,\"c\":15,\"b\":16,\"a\":17,\"q\":18,\"\\u0061\":19}",
    };
    for (const QByteArray &c : cases)
        QTest::newRow(c.left(40).toPercentEncoding(" {}[]:,\"").constData()) << c;
}

void tst_JsonParser::agreesWithQt()
{
    QFETCH(QByteArray, input);
    compareWithQt(input);
}

void tst_JsonParser::refusesWhatQtWouldReplace_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("lone high surrogate") << QByteArray("[\"\\ud83d\"]");
    QTest::newRow("lone low surrogate") << QByteArray("[\"\\ude00x\"]");
    QTest::newRow("high then not low") << QByteArray("[\"\\ud83d\\u0041\"]");
    QTest::newRow("bad continuation") << QByteArray("[\"\xC3\x28\"]");
    QTest::newRow("overlong slash") << QByteArray("[\"\xC0\xAF\"]");
    QTest::newRow("encoded surrogate") << QByteArray("[\"\xED\xA0\x80\"]");
    QTest::newRow("past U+10FFFF") << QByteArray("[\"\xF4\x90\x80\x80\"]");
    QTest::newRow("truncated sequence") << QByteArray("[\"\xE2\x82\"]");
    QTest::newRow("lone continuation") << QByteArray("[\"\x80\"]");
    QTest::newRow("unknown escape") << QByteArray("[\"\\x41\"]");
    QTest::newRow("no leading digit") << QByteArray("[.5]");
    QTest::newRow("no fraction digits") << QByteArray("[1.]");
    // All ASCII without escapes, as Qt's parser gets it: each '.' is looked at.
    QTest::newRow("minus point") << QByteArray("[-.5]");
    QTest::newRow("point exponent") << QByteArray("{\"a\":1.e5}");
    QTest::newRow("after a good one") << QByteArray("[1.5, 2.25,.5]");
    QTest::newRow("after a point in a string") << QByteArray("{\"a.b\":\"1.\",\"c\":.5}");
    QTest::newRow("last byte") << QByteArray("[1.");
}

void tst_JsonParser::refusesWhatQtWouldReplace()
{
    QFETCH(QByteArray, input);
    JsonParser::Error error;
    QVERIFY(!JsonParser::parse(input, &error));
    QVERIFY(!error.message.isEmpty());
}

void tst_JsonParser::randomDocumentsAndMutations()
{
    QRandomGenerator rng(20261206);
    const auto randomString = [&] {
        static const QList<QByteArray> pieces = {"a",
                                                 "Z",
                                                 " ",
                                                 "\\n",
                                                 "\\t",
                                                 "\\\"",
                                                 "\\\\",
                                                 "\\/",
                                                 "\\u0041",
                                                 "\\u00e9",
                                                 "\\ud83d\\ude00",
                                                 "\\u0000",
                                                 "é",
                                                 "€",
                                                 "😀",
                                                 "0x80070005",
                                                 "C:\\\\Windows"};
        QByteArray s = "\"";
        const int n = rng.bounded(0, 12);
        for (int i = 0; i < n; ++i)
            s += pieces.at(rng.bounded(pieces.size()));
        s += '"';
        return s; // not s + "\"": that deduces a QStringBuilder holding a reference to s
    };
    const auto space = [&] {
        static const char *ws[] = {"", "", "", " ", "\n", "\t", "\r\n  "};
        return QByteArray(ws[rng.bounded(7)]);
    };
    std::function<QByteArray(int)> randomValue = [&](int depth) -> QByteArray {
        const int pick = rng.bounded(depth > 4 ? 6 : 8);
        switch (pick) {
        case 0:
            return randomString();
        case 1:
            return QByteArray::number(qint64(rng.generate64() >> rng.bounded(1, 64)));
        case 2:
            return QByteArray::number(rng.generateDouble() * std::pow(10.0, rng.bounded(-20, 20)),
                                      'g', 17);
        case 3: {
            QByteArray n = "-";
            n += QByteArray::number(rng.bounded(0, 1000));
            n += '.';
            n += QByteArray::number(rng.bounded(0, 1000));
            n += 'e';
            n += QByteArray::number(rng.bounded(-5, 5));
            return n;
        }
        case 4:
            return QByteArray(rng.bounded(2) ? "true" : "false");
        case 5:
            return QByteArray("null");
        case 6: {
            // Plain appends, one call per statement: the order the generator is drawn from is
            // then the same with every compiler.
            QByteArray a = "[";
            a += space();
            const int n = rng.bounded(0, 5);
            for (int i = 0; i < n; ++i) {
                if (i) {
                    a += ',';
                    a += space();
                }
                a += randomValue(depth + 1);
                a += space();
            }
            a += ']';
            return a;
        }
        default: {
            QByteArray o = "{";
            o += space();
            const int n = rng.bounded(0, 5);
            for (int i = 0; i < n; ++i) {
                if (i) {
                    o += ',';
                    o += space();
                }
                o += randomString();
                o += space();
                o += ':';
                o += space();
                o += randomValue(depth + 1);
                o += space();
            }
            o += '}';
            return o;
        }
        }
    };
    static const char mutations[] = "{}[]\",:\\ 0-.eE+u\t\nabtfn";
    for (int round = 0; round < 3000; ++round) {
        QByteArray doc = space();
        const bool array = rng.bounded(2);
        doc += array ? "[" : "{\"k\":";
        doc += randomValue(0);
        doc += array ? "]" : "}";
        doc += space();
        compareWithQt(doc);
        if (QTest::currentTestFailed())
            return;
        for (int m = 0; m < 3; ++m) {
            QByteArray mutated = doc;
            const int at = rng.bounded(mutated.size() + 1);
            switch (rng.bounded(3)) {
            case 0:
                if (at < mutated.size())
                    mutated.remove(at, 1);
                break;
            case 1:
                mutated.insert(at, mutations[rng.bounded(int(sizeof mutations) - 1)]);
                break;
            default:
                if (at < mutated.size())
                    mutated[at] = mutations[rng.bounded(int(sizeof mutations) - 1)];
                break;
            }
            compareWithQt(mutated);
            if (QTest::currentTestFailed())
                return;
        }
    }
}

void tst_JsonParser::nestingLimit()
{
    for (const int depth : {1023, 1024, 1025, 5000}) {
        compareWithQt(QByteArray(depth, '[') + QByteArray(depth, ']'));
        compareWithQt(QByteArray(depth - 1, '[') + "{\"a\":1}" + QByteArray(depth - 1, ']'));
    }
}

// Keys in every order, duplicates among them: the object Qt makes, the last of equal keys.
void tst_JsonParser::manyKeys()
{
    for (const bool descending : {true, false}) {
        QByteArray doc = "{";
        for (int i = 0; i < 20000; ++i) {
            const int k = descending ? 20000 - i : i;
            if (i)
                doc += ',';
            doc += "\"key" + QByteArray::number(k % 15000) + "\":" + QByteArray::number(i);
        }
        doc += '}';
        compareWithQt(doc);
        const auto parsed = JsonParser::parse(doc);
        QVERIFY(parsed);
        QCOMPARE(parsed->toObject().size(), 15000);
    }
}

// Qt's own parser puts U+FFFF before U+1F600 (code point order) where QJsonObject::insert puts
// it after (UTF-16 order), so the two objects compare unequal and this is not compared with Qt.
// Ours is in insert()'s order and finds every key.
void tst_JsonParser::keysBeyondTheBmpAreFound()
{
    const auto parsed = JsonParser::parse(
        "{\"\xf0\x9f\x98\x80\":1,\"\xef\xbf\xbf\":2,\"z\":3,\"\\ud83d\\ude01\":4}");
    QVERIFY(parsed);
    const QJsonObject o = parsed->toObject();
    QCOMPARE(o.size(), 4);
    QCOMPARE(o.value(QString::fromUtf8("\xf0\x9f\x98\x80")), QJsonValue(1));
    QCOMPARE(o.value(QString::fromUtf8("\xef\xbf\xbf")), QJsonValue(2));
    QCOMPARE(o.value(QStringLiteral("z")), QJsonValue(3));
    QCOMPARE(o.value(QString::fromUtf8("\xf0\x9f\x98\x81")), QJsonValue(4));
    QJsonObject inserted;
    for (auto it = o.begin(); it != o.end(); ++it)
        inserted.insert(it.key(), it.value());
    QCOMPARE(o.keys(), inserted.keys());
}

// A duplicate key's earlier value is dropped, on either route (an older Qt's parser kept a
// dropped object or array alive): a client repeating such messages must not grow the server.
void tst_JsonParser::droppedDuplicatesAreReleased()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.exists())
        QSKIP("needs /proc/self/statm");
    const auto residentKiB = [&] {
        statm.open(QIODevice::ReadOnly);
        const QList<QByteArray> fields = statm.readAll().split(' ');
        statm.close();
        return fields.value(1).toLongLong() * 4;
    };
    const QByteArray plain = "{\"type\":\"x\",\"a\":{\"k\":\"" + QByteArray(2000, 'z') +
                             "\",\"l\":[1,2,3]},\"a\":1,\"b\":[{\"c\":\"" + QByteArray(1000, 'y') +
                             "\"}],\"b\":2}";
    QByteArray escaped = plain;
    escaped.replace("zzzz", "z\\nz");
    for (const QByteArray &doc : {plain, escaped}) {
        const qint64 before = residentKiB();
        // Leaked, 3 KB each would be ~150 MB.
        for (int i = 0; i < 50000; ++i) {
            const auto parsed = JsonParser::parse(doc);
            QVERIFY(parsed && parsed->toObject().value(QStringLiteral("a")) == QJsonValue(1));
        }
        const qint64 grown = residentKiB() - before;
        QVERIFY2(grown < 32 * 1024, qPrintable(QStringLiteral("%1 KiB more").arg(grown)));
    }
}

void tst_JsonParser::errorsSayWhere()
{
    JsonParser::Error error;
    QVERIFY(!JsonParser::parse("{\"a\": [1, 2,, 3]}", &error));
    QCOMPARE(error.offset, 12);
    QVERIFY2(error.message.contains(QStringLiteral("illegal value")), qPrintable(error.message));
    QVERIFY(!JsonParser::parse("{\"a\": \"b\\q\"}", &error));
    QCOMPARE(error.offset, 9);
    QVERIFY(!JsonParser::parse("{\"a\": 1} x", &error));
    QCOMPARE(error.offset, 9);
    QVERIFY2(error.message.contains(QStringLiteral("garbage")), qPrintable(error.message));
}

void tst_JsonParser::utf8Validation_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("ascii") << QByteArray("hello, world, and more than eight bytes") << true;
    QTest::newRow("mixed") << QByteArray("Grüße aus Köln — 😀 ok") << true;
    QTest::newRow("bad after 8 ascii") << QByteArray("abcdefgh\xFF") << false;
    QTest::newRow("overlong") << QByteArray("\xC0\x80") << false;
    QTest::newRow("surrogate") << QByteArray("\xED\xB2\x80") << false;
    QTest::newRow("truncated at end") << QByteArray("abc\xF0\x9F\x98") << false;
    QTest::newRow("past max") << QByteArray("\xF5\x80\x80\x80") << false;
}

void tst_JsonParser::utf8Validation()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(JsonParser::isValidUtf8(bytes), valid);
    // Qt's decoder agrees.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString ignored = decoder.decode(bytes);
    Q_UNUSED(ignored)
    QCOMPARE(!decoder.hasError(), valid);
}

// QString::fromUtf8 drops a byte order mark at the start; a string is kept as it was written,
// so a chunk of output that starts with one is stored and hashed with it.
void tst_JsonParser::leadingByteOrderMarkIsKept()
{
    const auto parsed =
        JsonParser::parse(QByteArray("{\"\xef\xbb\xbfkey\":\"\xef\xbb\xbfx\",\"escaped\":"
                                     "\"\xef\xbb\xbf\\n\",\"u\":\"\\ufeffy\"}"));
    QVERIFY(parsed);
    const QJsonObject o = parsed->toObject();
    QCOMPARE(o.value(QStringLiteral("\ufeffkey")).toString(), QStringLiteral("\ufeffx"));
    QCOMPARE(o.value(QStringLiteral("escaped")).toString(), QStringLiteral("\ufeff\n"));
    QCOMPARE(o.value(QStringLiteral("u")).toString(), QStringLiteral("\ufeffy"));
}

QTEST_GUILESS_MAIN(tst_JsonParser)
#include "tst_JsonParser.moc"
