#include "events/CanonicalJson.h"
#include "events/JsonParser.h"
#include "events/JsonScan.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QtTest>

using namespace casefile;

// JsonScan reads eight bytes at a time; each stop byte is tried at every offset of a word and
// against every neighbour, and compared with the obvious byte-by-byte loop.
class tst_JsonScan : public QObject
{
    Q_OBJECT

private slots:
    void findsTheFirstStopAtEveryOffset_data();
    void findsTheFirstStopAtEveryOffset();
    void randomTextAgreesWithByteByByte();
    void longStringsRoundTrip();
};

namespace {

const uchar *naiveToEscape(const uchar *p, const uchar *end)
{
    while (p < end && *p >= 0x20 && *p != '"' && *p != '\\')
        ++p;
    return p;
}

const uchar *naiveToSpecial(const uchar *p, const uchar *end)
{
    while (p < end && *p < 0x80 && *p != '"' && *p != '\\')
        ++p;
    return p;
}

} // namespace

void tst_JsonScan::findsTheFirstStopAtEveryOffset_data()
{
    QTest::addColumn<int>("stop");
    QTest::addColumn<int>("filler");
    // Stop bytes of either scan, and bytes just beside them, which must not stop it.
    for (const int stop : {0x00, 0x01, 0x0a, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x7f,
                           0x80, 0xc3, 0xff}) {
        for (const int filler : {0x20, 0x41, 0x7e, 0x21, 0x23, 0x5d}) {
            QTest::addRow("0x%02x in 0x%02x", stop, filler) << stop << filler;
        }
    }
}

void tst_JsonScan::findsTheFirstStopAtEveryOffset()
{
    QFETCH(int, stop);
    QFETCH(int, filler);
    for (int length = 0; length <= 40; ++length) {
        for (int at = 0; at <= length; ++at) {
            QByteArray text(length, char(filler));
            if (at < length)
                text[at] = char(stop);
            const auto *p = reinterpret_cast<const uchar *>(text.constData());
            const uchar *end = p + text.size();
            for (int from = 0; from <= length; ++from) {
                QCOMPARE(JsonScan::toEscape(p + from, end) - p, naiveToEscape(p + from, end) - p);
                QCOMPARE(JsonScan::toSpecial(p + from, end) - p, naiveToSpecial(p + from, end) - p);
            }
        }
    }
}

void tst_JsonScan::randomTextAgreesWithByteByByte()
{
    QRandomGenerator random(20261206);
    for (int round = 0; round < 2000; ++round) {
        QByteArray text(int(random.bounded(1, 200)), Qt::Uninitialized);
        // Mostly plain bytes, with a rare stop byte of each kind.
        for (char &c : text) {
            const quint32 roll = random.bounded(100);
            c = roll == 0   ? '"'
                : roll == 1 ? '\\'
                : roll == 2 ? char(random.bounded(0x20))
                : roll == 3 ? char(0x80 + random.bounded(0x80))
                            : char(0x20 + random.bounded(0x5f));
        }
        const auto *p = reinterpret_cast<const uchar *>(text.constData());
        const uchar *end = p + text.size();
        for (const uchar *from = p; from <= end; ++from) {
            QCOMPARE(JsonScan::toEscape(from, end), naiveToEscape(from, end));
            QCOMPARE(JsonScan::toSpecial(from, end), naiveToSpecial(from, end));
        }
    }
}

// The encoder and the parser built on the scans, over a chunk of output like the agent sends.
void tst_JsonScan::longStringsRoundTrip()
{
    QString text;
    for (int i = 0; i < 3000; ++i)
        text += QStringLiteral("%1 \"quoted\" back\\slash\ttab \x01 caf\u00e9 \U0001F600 line\n")
                    .arg(i);
    const QJsonObject object{{QStringLiteral("data"), text}};
    const QByteArray encoded = CanonicalJson::encode(object);
    // Qt's own writer escapes differently (\u001f, / kept), so compare values, not bytes.
    QCOMPARE(QJsonDocument::fromJson(encoded).object().value(QStringLiteral("data")).toString(),
             text);
    const auto parsed = JsonParser::parse(encoded);
    QVERIFY(parsed);
    QCOMPARE(parsed->toObject().value(QStringLiteral("data")).toString(), text);
    QVERIFY(encoded.contains("\\\"quoted\\\" back\\\\slash\\ttab \\u0001 caf\xc3\xa9"));
}

QTEST_APPLESS_MAIN(tst_JsonScan)
#include "tst_JsonScan.moc"
