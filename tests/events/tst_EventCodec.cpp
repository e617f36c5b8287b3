#include "events/CanonicalJson.h"
#include "events/EventCodec.h"
#include "events/JsonReader.h"
#include "events/bodies/ApprovalDecidedBody.h"
#include "events/bodies/ApprovalRequestedBody.h"
#include "events/bodies/ChatMessageBody.h"
#include "events/bodies/CommandFinishedBody.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/CommandRequestedBody.h"
#include "events/bodies/CommandStartedBody.h"
#include "events/bodies/ContextCapturedBody.h"
#include "events/bodies/HypothesisAddedBody.h"
#include "events/bodies/HypothesisUpdatedBody.h"
#include "events/bodies/NoteAddedBody.h"
#include "events/bodies/SessionClosedBody.h"
#include "events/bodies/SessionOpenedBody.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace casefile;

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(path));
    return file.readAll();
}

QString dataPath(const QString &relative)
{
    return QStringLiteral(CASEFILE_TEST_DATA "/") + relative;
}

} // namespace

class tst_EventCodec : public QObject
{
    Q_OBJECT

private slots:
    void roundTripsEveryKind_data();
    void roundTripsEveryKind();
    void fixturesCoverEveryKind();
    void typedBodiesKeepEveryField_data();
    void typedBodiesKeepEveryField();
    void madeEventsDecode();
    void newIdsAreTimeOrderedVersion7();
    void derivedIdsAreStableVersion5();
    void unknownFieldsAreKept();
    void fastEncoderMatchesGenericCanonicalForm();
    void outputBodyFromUtf8IsCanonical_data();
    void outputBodyFromUtf8IsCanonical();
    void sealedEventsDecode();
    void malformed_data();
    void malformed();
    void tenMegabyteStringIsRefusedQuickly();
    void sealingMayTakeAnEventPastTheDraftLimit();
    void deepNestingIsRefused();
    void optionalNullIsAbsent();
    void timestamps_data();
    void timestamps();
};

void tst_EventCodec::timestamps_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ok") << QStringLiteral("2026-05-24T14:23:05.123Z") << true;
    QTest::newRow("leap day") << QStringLiteral("2028-02-29T00:00:00.000Z") << true;
    QTest::newRow("end of day") << QStringLiteral("2026-12-31T23:59:59.999Z") << true;
    QTest::newRow("no leap day") << QStringLiteral("2026-02-29T00:00:00.000Z") << false;
    QTest::newRow("hour 24") << QStringLiteral("2026-05-24T24:00:00.000Z") << false;
    QTest::newRow("minute 60") << QStringLiteral("2026-05-24T14:60:00.000Z") << false;
    QTest::newRow("month 13") << QStringLiteral("2026-13-01T14:00:00.000Z") << false;
    QTest::newRow("lower z") << QStringLiteral("2026-05-24T14:23:05.123z") << false;
    QTest::newRow("microseconds") << QStringLiteral("2026-05-24T14:23:05.123456Z") << false;
    QTest::newRow("arabic-indic digits") << QStringLiteral("\u0662026-05-24T14:23:05.123Z") << false;
    QTest::newRow("empty") << QString() << false;
}

void tst_EventCodec::timestamps()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QCOMPARE(JsonReader::isTimestamp(text), valid);
    if (valid)
        QCOMPARE(QDateTime::fromString(text, Qt::ISODateWithMs).toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'")), text);
}

void tst_EventCodec::roundTripsEveryKind_data()
{
    QTest::addColumn<QString>("file");
    const QDir dir(dataPath(QStringLiteral("events/valid")));
    for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files))
        QTest::newRow(qPrintable(name)) << dir.filePath(name);
}

void tst_EventCodec::roundTripsEveryKind()
{
    QFETCH(QString, file);
    const QByteArray bytes = readFile(file).trimmed();
    const auto result = EventCodec::decode(bytes, EventCodec::Mode::Draft);
    QVERIFY2(result.ok(), qPrintable(result.error.toString()));
    // The fixtures are canonical already (written by an independent implementation).
    QCOMPARE(EventCodec::encode(result.event), bytes);
    QCOMPARE(eventKindName(result.event.kind) + QStringLiteral(".json"), QFileInfo(file).fileName());
}

void tst_EventCodec::fixturesCoverEveryKind()
{
    const QDir dir(dataPath(QStringLiteral("events/valid")));
    for (const EventKind kind : allEventKinds()) {
        const QString name = eventKindName(kind) + QStringLiteral(".json");
        QVERIFY2(dir.exists(name), qPrintable(name));
        QCOMPARE(eventKindFromName(eventKindName(kind)), std::optional<EventKind>(kind));
    }
    QCOMPARE(allEventKinds().size(), 13);
    QVERIFY(!eventKindFromName(u"command.deleted"));
}

void tst_EventCodec::typedBodiesKeepEveryField_data()
{
    roundTripsEveryKind_data();
}

// Decoding a body into its struct and writing it back must give the same JSON: proves each
// typed body reads every field it writes and keeps what it does not know.
void tst_EventCodec::typedBodiesKeepEveryField()
{
    QFETCH(QString, file);
    const auto result = EventCodec::decode(readFile(file), EventCodec::Mode::Draft);
    QVERIFY(result.ok());
    const Event &e = result.event;
    QJsonObject body = e.body;
    body.insert(QStringLiteral("x-future"), QJsonArray{1, QStringLiteral("two")});
    CodecError error;
    JsonReader reader(body, QStringLiteral("body"), &error);
    QJsonObject written;
    switch (e.kind) {
#define CASE(K, B)                                                                                 \
    case EventKind::K:                                                                             \
        written = B::read(reader).toJson();                                                        \
        break;
        CASE(SessionOpened, SessionOpenedBody)
        CASE(ContextCaptured, ContextCapturedBody)
        CASE(CommandRequested, CommandRequestedBody)
        CASE(ApprovalRequested, ApprovalRequestedBody)
        CASE(ApprovalDecided, ApprovalDecidedBody)
        CASE(CommandStarted, CommandStartedBody)
        CASE(CommandOutput, CommandOutputBody)
        CASE(CommandFinished, CommandFinishedBody)
        CASE(HypothesisAdded, HypothesisAddedBody)
        CASE(HypothesisUpdated, HypothesisUpdatedBody)
        CASE(ChatMessage, ChatMessageBody)
        CASE(NoteAdded, NoteAddedBody)
        CASE(SessionClosed, SessionClosedBody)
#undef CASE
    }
    QVERIFY2(error.isNull(), qPrintable(error.toString()));
    QCOMPARE(written, body);
}

void tst_EventCodec::newIdsAreTimeOrderedVersion7()
{
    // The store's (session, id) index relies on ids made later sorting later.
    QStringList ids;
    QSet<QString> distinct;
    for (int i = 0; i < 5; ++i) {
        for (int k = 0; k < 200; ++k) {
            const QString id = Event::newId();
            QVERIFY2(JsonReader::isUuid(id), qPrintable(id));
            QCOMPARE(id.at(14), QLatin1Char('7'));                        // version
            QVERIFY2(QStringLiteral("89ab").contains(id.at(19)), qPrintable(id)); // RFC variant
            distinct.insert(id);
            if (k == 0)
                ids.append(id);
        }
        QTest::qWait(3);
    }
    QCOMPARE(distinct.size(), 1000);
    QStringList sorted = ids;
    sorted.sort();
    QCOMPARE(sorted, ids);
    // The first 48 bits are the time the id was made.
    const qint64 ms = QStringView(ids.last()).left(8).toLongLong(nullptr, 16) << 16
                      | QStringView(ids.last()).mid(9, 4).toLongLong(nullptr, 16);
    QVERIFY(qAbs(QDateTime::currentMSecsSinceEpoch() - ms) < 60 * 1000);
}

void tst_EventCodec::derivedIdsAreStableVersion5()
{
    // The agent's second end of a command after a crash must carry the first one's id.
    const QUuid ns = QUuid::createUuid();
    const QString name = Event::newId() + QStringLiteral("/command.finished");
    const QString id = Event::derivedId(ns, name);
    QVERIFY2(JsonReader::isUuid(id), qPrintable(id)); // lower case, the form the codec takes
    QCOMPARE(id.at(14), QLatin1Char('5'));
    QVERIFY2(QStringLiteral("89ab").contains(id.at(19)), qPrintable(id));
    QCOMPARE(Event::derivedId(ns, name), id);
    QVERIFY(Event::derivedId(ns, name + QLatin1Char('x')) != id);
    QVERIFY(Event::derivedId(QUuid::createUuid(), name) != id); // another agent's namespace
    // Fixed across versions and machines (a crash before an upgrade still finds the first end):
    // RFC 4122 version 5, as Python's uuid.uuid5 computes it.
    QCOMPARE(
        Event::derivedId(QUuid(QStringLiteral("5d0c9a4e-2f6b-4c1e-9a57-3b8e1f0d6c21")),
                         QStringLiteral("0190f1c2-7a3b-7c4d-8e5f-6a7b8c9d0e1f/command.finished")),
        QStringLiteral("793e2177-a91d-58cf-986d-9cabe062cdd8"));
}

void tst_EventCodec::madeEventsDecode()
{
    const QString session = Event::newId();
    CommandFinishedBody finished;
    finished.command = Event::newId();
    finished.status = QStringLiteral("exited");
    finished.exitCode = 3;
    finished.durationMs = 1234;
    const Event made = Event::make(session, Actor{QStringLiteral("endpoint"), Event::newId()}, finished);

    const auto decoded = EventCodec::decode(EventCodec::encode(made), EventCodec::Mode::Draft);
    QVERIFY2(decoded.ok(), qPrintable(decoded.error.toString()));
    QCOMPARE(decoded.event.kind, EventKind::CommandFinished);
    QCOMPARE(decoded.event.seq, 0);
    const auto body = decoded.event.bodyAs<CommandFinishedBody>();
    QCOMPARE(body.exitCode, std::optional<qint64>(3));
    QCOMPARE(body.durationMs, 1234);
    QCOMPARE(body.command, finished.command);
    QVERIFY(JsonReader::isTimestamp(made.at));

    // A draft is not enough where a sealed event is required.
    const auto sealed = EventCodec::decode(EventCodec::encode(made), EventCodec::Mode::Sealed);
    QVERIFY(!sealed.ok());
    QCOMPARE(sealed.error.field, QStringLiteral("seq"));
}

void tst_EventCodec::unknownFieldsAreKept()
{
    QByteArray bytes = readFile(dataPath(QStringLiteral("events/valid/command.output.json")));
    QJsonObject o = QJsonDocument::fromJson(bytes).object();
    o.insert(QStringLiteral("x-envelope"), QJsonObject{{QStringLiteral("v"), 2}});
    QJsonObject body = o.value(QStringLiteral("body")).toObject();
    body.insert(QStringLiteral("encoding"), QStringLiteral("utf-16le"));
    o.insert(QStringLiteral("body"), body);

    const auto decoded = EventCodec::fromJson(o, EventCodec::Mode::Draft);
    QVERIFY2(decoded.ok(), qPrintable(decoded.error.toString()));
    QCOMPARE(decoded.event.unknown.value(QStringLiteral("x-envelope")).toObject().value(QStringLiteral("v")).toInt(), 2);
    const QJsonObject again = QJsonDocument::fromJson(EventCodec::encode(decoded.event)).object();
    QCOMPARE(again, o);
    QCOMPARE(decoded.event.bodyAs<CommandOutputBody>().unknown.value(QStringLiteral("encoding")).toString(),
             QStringLiteral("utf-16le"));
}

// EventCodec writes the envelope itself for speed; it must agree with the generic encoder.
void tst_EventCodec::fastEncoderMatchesGenericCanonicalForm()
{
    QFile file(dataPath(QStringLiteral("chains/printer-session.jsonl")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    int checked = 0;
    while (!file.atEnd()) {
        Event e = EventCodec::decode(file.readLine().trimmed(), EventCodec::Mode::Sealed).event;
        QCOMPARE(EventCodec::encode(e), CanonicalJson::encode(e.toJson()));
        QCOMPARE(EventCodec::encode(e, false), CanonicalJson::encode(e.toJsonWithoutHash()));
        // Unknown envelope members sort among the known ones; a clash never overrides them.
        e.unknown.insert(QStringLiteral("b-first"), 1);
        e.unknown.insert(QStringLiteral("zz-last"), QJsonArray{true, QStringLiteral("\u00e9\n")});
        e.unknown.insert(QStringLiteral("\u00e9-non-ascii"), QJsonObject{{QStringLiteral("k"), 0.25}});
        e.unknown.insert(QStringLiteral("seq"), 999);
        QCOMPARE(EventCodec::encode(e), CanonicalJson::encode(e.toJson()));
        e.seq = 0;
        e.prev.clear();
        e.hash.clear();
        QCOMPARE(EventCodec::encode(e), CanonicalJson::encode(e.toJson()));
        ++checked;
    }
    QCOMPARE(checked, 15);
}

void tst_EventCodec::outputBodyFromUtf8IsCanonical_data()
{
    QTest::addColumn<QString>("stream");
    QTest::addColumn<qint64>("chunk");
    QTest::addColumn<QString>("data");
    QTest::newRow("empty") << QStringLiteral("stdout") << qint64(0) << QString();
    QTest::newRow("lines") << QStringLiteral("stdout") << qint64(7)
                           << QStringLiteral("Name  Status\r\nSpooler  Running\n\tdone\n");
    QTest::newRow("escapes") << QStringLiteral("stderr") << qint64(123456789)
                             << QStringLiteral("\"C:\\Temp\" \x01\x1f\b\f / \x7f");
    QTest::newRow("non-ascii") << QStringLiteral("stdout") << qint64(2)
                               << QStringLiteral("caf\u00e9 \u20ac \U0001F600 \ufffd \ufeff");
    QString large;
    while (large.size() < 70000)
        large += QStringLiteral("%1 \u00e9 line of \"output\"\n").arg(large.size());
    QTest::newRow("a full chunk") << QStringLiteral("stdout") << qint64(99) << large;
}

// The agent encodes output straight from its UTF-8: the same bytes as the generic encoder's,
// and a document that decodes to the same event.
void tst_EventCodec::outputBodyFromUtf8IsCanonical()
{
    QFETCH(QString, stream);
    QFETCH(qint64, chunk);
    QFETCH(QString, data);
    CommandOutputBody body;
    body.command = Event::newId();
    body.stream = stream;
    body.chunk = chunk;
    body.data = data;
    const QByteArray canonical =
        CommandOutputBody::canonical(body.command, stream, chunk, data.toUtf8());
    QCOMPARE(canonical, CanonicalJson::encode(body.toJson()));

    const Event draft =
        Event::make(Event::newId(), Actor{QStringLiteral("endpoint"), Event::newId()}, body);
    const QByteArray doc = EventCodec::encodeEnvelope(draft, canonical, false);
    QCOMPARE(doc, EventCodec::encode(draft));
    const auto decoded = EventCodec::decode(doc, EventCodec::Mode::Draft);
    QVERIFY2(decoded.ok(), qPrintable(decoded.error.toString()));
    QCOMPARE(decoded.event.bodyAs<CommandOutputBody>().data, data);
}

void tst_EventCodec::sealedEventsDecode()
{
    QFile file(dataPath(QStringLiteral("chains/printer-session.jsonl")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    qint64 seq = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        const auto result = EventCodec::decode(line, EventCodec::Mode::Sealed);
        QVERIFY2(result.ok(), qPrintable(result.error.toString()));
        QCOMPARE(result.event.seq, ++seq);
        QCOMPARE(EventCodec::encode(result.event), line);
    }
    QCOMPARE(seq, 15);
}

void tst_EventCodec::malformed_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("fragment");

    const QString dir = dataPath(QStringLiteral("events/broken/"));
    const QList<QByteArray> lines = readFile(dir + QStringLiteral("expected.tsv")).split('\n');
    int rows = 0;
    for (const QByteArray &line : lines) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> cols = line.split('\t');
        QCOMPARE(cols.size(), 4);
        QTest::newRow(cols[0].constData())
            << dir + QString::fromUtf8(cols[0]) << QString::fromUtf8(cols[1])
            << QString::fromUtf8(cols[2]) << QString::fromUtf8(cols[3]);
        ++rows;
    }
    QVERIFY(rows >= 40);
}

void tst_EventCodec::malformed()
{
    QFETCH(QString, file);
    QFETCH(QString, mode);
    QFETCH(QString, field);
    QFETCH(QString, fragment);

    const auto result = EventCodec::decode(readFile(file), mode == QLatin1String("sealed")
                                                               ? EventCodec::Mode::Sealed
                                                               : EventCodec::Mode::Draft);
    QVERIFY2(!result.ok(), "a broken fixture decoded");
    QCOMPARE(result.error.field, field);
    QVERIFY2(result.error.message.contains(fragment), qPrintable(result.error.toString()));
}

void tst_EventCodec::tenMegabyteStringIsRefusedQuickly()
{
    QJsonObject o = QJsonDocument::fromJson(
                        readFile(dataPath(QStringLiteral("events/valid/command.output.json"))))
                        .object();
    QJsonObject body = o.value(QStringLiteral("body")).toObject();
    body.insert(QStringLiteral("data"), QString(10 * 1024 * 1024, QLatin1Char('A')));
    o.insert(QStringLiteral("body"), body);
    const QByteArray bytes = QJsonDocument(o).toJson(QJsonDocument::Compact);
    QVERIFY(bytes.size() > 10 * 1024 * 1024);

    QElapsedTimer timer;
    timer.start();
    const auto result = EventCodec::decode(bytes, EventCodec::Mode::Draft);
    QVERIFY(!result.ok());
    QVERIFY2(result.error.message.contains(QStringLiteral("more than the limit of 1048576")),
             qPrintable(result.error.message));
    QVERIFY(result.error.field.isEmpty());
    // Refused by size before any parsing: generous bound, this is not a benchmark.
    QVERIFY(timer.elapsed() < 2000);

    // Just under the limit is fine: the limit is the whole event, not the string.
    body.insert(QStringLiteral("data"), QString(1000 * 1000, QLatin1Char('A')));
    o.insert(QStringLiteral("body"), body);
    QVERIFY(EventCodec::decode(QJsonDocument(o).toJson(QJsonDocument::Compact),
                               EventCodec::Mode::Draft)
                .ok());
}

void tst_EventCodec::sealingMayTakeAnEventPastTheDraftLimit()
{
    // A draft the server took in one 1 MiB message grows by seq, prev and hash when sealed;
    // every client must still read it back.
    QJsonObject o = QJsonDocument::fromJson(
                        readFile(dataPath(QStringLiteral("events/valid/command.output.json"))))
                        .object();
    o.insert(QStringLiteral("seq"), 2);
    o.insert(QStringLiteral("prev"), QString(64, QLatin1Char('a')));
    o.insert(QStringLiteral("hash"), QString(64, QLatin1Char('b')));
    const auto sized = [&o](qsizetype bytes) {
        QJsonObject body = o.value(QStringLiteral("body")).toObject();
        body.insert(QStringLiteral("data"), QString());
        o.insert(QStringLiteral("body"), body);
        const qsizetype rest = QJsonDocument(o).toJson(QJsonDocument::Compact).size();
        body.insert(QStringLiteral("data"), QString(bytes - rest, QLatin1Char('A')));
        o.insert(QStringLiteral("body"), body);
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    };
    const QByteArray sealed = sized(EventCodec::maxEventBytes + 200);
    QCOMPARE(sealed.size(), EventCodec::maxEventBytes + 200);
    const auto read = EventCodec::decode(sealed, EventCodec::Mode::Sealed);
    QVERIFY2(read.ok(), qPrintable(read.error.toString()));
    QCOMPARE(read.event.seq, 2);
    // A draft of that size is still refused: the server never takes it in the first place.
    QVERIFY(!EventCodec::decode(sealed, EventCodec::Mode::Draft).ok());
    const auto tooLarge =
        EventCodec::decode(sized(EventCodec::maxSealedEventBytes + 1), EventCodec::Mode::Sealed);
    QVERIFY(!tooLarge.ok());
    QVERIFY2(tooLarge.error.message.contains(QStringLiteral("more than the limit of 1049600")),
             qPrintable(tooLarge.error.message));
}

void tst_EventCodec::deepNestingIsRefused()
{
    QByteArray bytes = readFile(dataPath(QStringLiteral("events/valid/note.added.json"))).trimmed();
    bytes.chop(1); // drop the closing brace, then add a deeply nested unknown field
    bytes += ",\"x\":" + QByteArray(100000, '[') + QByteArray(100000, ']') + '}';
    const auto result = EventCodec::decode(bytes, EventCodec::Mode::Draft);
    QVERIFY(!result.ok());
    QVERIFY2(result.error.message.contains(QStringLiteral("not valid JSON")),
             qPrintable(result.error.message));
    QVERIFY2(result.error.message.contains(QStringLiteral("nested")), qPrintable(result.error.message));
}

void tst_EventCodec::optionalNullIsAbsent()
{
    QJsonObject o = QJsonDocument::fromJson(
                        readFile(dataPath(QStringLiteral("events/valid/session.opened.json"))))
                        .object();
    QJsonObject body = o.value(QStringLiteral("body")).toObject();
    body.insert(QStringLiteral("ticket"), QJsonValue::Null);
    body.remove(QStringLiteral("tags"));
    o.insert(QStringLiteral("body"), body);
    const auto result = EventCodec::fromJson(o, EventCodec::Mode::Draft);
    QVERIFY2(result.ok(), qPrintable(result.error.toString()));
    const auto typed = result.event.bodyAs<SessionOpenedBody>();
    QVERIFY(!typed.ticket);
    QVERIFY(typed.tags.isEmpty());
    QVERIFY(!typed.toJson().contains(QStringLiteral("ticket")));
}

QTEST_GUILESS_MAIN(tst_EventCodec)
#include "tst_EventCodec.moc"
