#include "events/Event.h"
#include "events/JsonParser.h"
#include "protocol/WireMessage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace casefile;

// The replies the server writes straight out must be the messages it used to build through
// QJsonObject: the same bytes where the strings are plain, the same JSON where they are not.
class tst_WireMessage : public QObject
{
    Q_OBJECT

private slots:
    void appendResultIsTheEncodedResult_data();
    void appendResultIsTheEncodedResult();
    void appendResultEscapesWhatItWrites();
    void integersAreWholeNumbersInRange();
};

namespace {

Event sealed(qint64 seq, const QString &id, const QString &hash)
{
    Event e;
    e.id = id;
    e.seq = seq;
    e.hash = hash;
    return e;
}

// What the server sent before: result(req, {acks}) through QJsonDocument.
QByteArray throughJsonObject(qint64 req, const QList<Event> &events, const QList<bool> &duplicate,
                             qsizetype from, qsizetype count)
{
    QJsonArray acks;
    for (qsizetype i = from; i < from + count; ++i) {
        acks.append(QJsonObject{{QStringLiteral("id"), events.at(i).id},
                                {QStringLiteral("seq"), events.at(i).seq},
                                {QStringLiteral("hash"), events.at(i).hash},
                                {QStringLiteral("duplicate"), bool(duplicate.at(i))}});
    }
    return WireMessage::encode(WireMessage::result(req, {{QStringLiteral("acks"), acks}}));
}

} // namespace

void tst_WireMessage::appendResultIsTheEncodedResult_data()
{
    QTest::addColumn<qsizetype>("from");
    QTest::addColumn<qsizetype>("count");
    QTest::addColumn<qint64>("req");
    QTest::newRow("all") << qsizetype(0) << qsizetype(5) << qint64(7);
    QTest::newRow("a stretch in the middle")
        << qsizetype(1) << qsizetype(3) << qint64(9007199254740991);
    QTest::newRow("the last one") << qsizetype(4) << qsizetype(1) << qint64(1);
    QTest::newRow("none") << qsizetype(2) << qsizetype(0) << qint64(12);
}

void tst_WireMessage::appendResultIsTheEncodedResult()
{
    QFETCH(qsizetype, from);
    QFETCH(qsizetype, count);
    QFETCH(qint64, req);
    QList<Event> events;
    QList<bool> duplicate;
    for (int i = 0; i < 5; ++i) {
        events.append(sealed(Q_INT64_C(4294967296) * i + 1, Event::newId(),
                             QString::fromLatin1(QByteArray(32, char('a' + i)).toHex())));
        duplicate.append(i % 2 == 1);
    }
    QCOMPARE(WireMessage::appendResult(req, events, duplicate, from, count),
             throughJsonObject(req, events, duplicate, from, count));
}

void tst_WireMessage::appendResultEscapesWhatItWrites()
{
    // Ids are checked as UUIDs before anything is stored, but the writer must not rely on it.
    const QList<Event> events{
        sealed(3, QStringLiteral("a\"b\\c\n\x01 é 😀"), QStringLiteral("</script>"))};
    const QByteArray written = WireMessage::appendResult(5, events, {false}, 0, 1);
    const auto parsed = JsonParser::parse(written);
    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->toObject(),
             QJsonDocument::fromJson(throughJsonObject(5, events, {false}, 0, 1)).object());
    QCOMPARE(parsed->toObject()
                 .value(QStringLiteral("acks"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("id")),
             QJsonValue(QStringLiteral("a\"b\\c\n\x01 é 😀")));
}

// req, pipeline, a search's offset and a publish's `through` are all read this one way.
void tst_WireMessage::integersAreWholeNumbersInRange()
{
    QCOMPARE(WireMessage::integer(QJsonValue(7), 0, 10), std::optional<qint64>(7));
    QCOMPARE(WireMessage::integer(QJsonValue(0), 0, 10), std::optional<qint64>(0));
    QCOMPARE(WireMessage::integer(QJsonValue(10), 0, 10), std::optional<qint64>(10));
    QCOMPARE(WireMessage::integer(QJsonValue(9007199254740991.0), 1),
             std::optional<qint64>(9007199254740991));
    for (const QJsonValue &bad : {QJsonValue(11), QJsonValue(-1), QJsonValue(1.5), QJsonValue(1e12),
                                  QJsonValue(QStringLiteral("7")), QJsonValue(true), QJsonValue()})
        QVERIFY2(!WireMessage::integer(bad, 0, 10),
                 QJsonDocument(QJsonArray{bad}).toJson().constData());
    QCOMPARE(WireMessage::requestId({{QStringLiteral("req"), 0}}), 0);
    QCOMPARE(WireMessage::requestId({{QStringLiteral("req"), 12}}), 12);
    QCOMPARE(WireMessage::pipeline({}), 0);
    QCOMPARE(WireMessage::pipeline({{QStringLiteral("pipeline"), 2.5}}), -1);
}

QTEST_GUILESS_MAIN(tst_WireMessage)
#include "tst_WireMessage.moc"
