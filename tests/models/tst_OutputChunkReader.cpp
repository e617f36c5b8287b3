// The fast path that loads stored output chunks: it must read exactly what the strict codec
// reads, and refuse what it cannot read rather than guess.
#include "OutputBuffer.h"
#include "OutputChunkReader.h"
#include "events/EventCodec.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/NoteAddedBody.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace casefile;

namespace {
Event sealedOutput(const QString &data, const QString &stream = QStringLiteral("stdout"))
{
    CommandOutputBody body;
    body.command = Event::newId();
    body.stream = stream;
    body.chunk = 7;
    body.data = data;
    Event e = Event::make(Event::newId(), Actor{QStringLiteral("endpoint"), Event::newId()}, body);
    e.seq = 12;
    e.prev = QString(64, QLatin1Char('a'));
    e.hash = QString(64, QLatin1Char('b'));
    return e;
}

void compareLines(const OutputBuffer &a, const OutputBuffer &b)
{
    QCOMPARE(a.lineCount(), b.lineCount());
    QCOMPARE(a.byteSize(), b.byteSize());
    for (qsizetype i = 0; i < a.lineCount(); ++i) {
        QCOMPARE(a.lineText(i), b.lineText(i));
        QCOMPARE(a.lineHasStderr(i), b.lineHasStderr(i));
    }
}
} // namespace

class tst_OutputChunkReader : public QObject
{
    Q_OBJECT
private slots:
    void readsWhatTheCodecReads_data();
    void readsWhatTheCodecReads();
    void fixtureChunk();
    void randomTextRoundTrips();
    void refusesWhatItCannotRead_data();
    void refusesWhatItCannotRead();
    void badEscapeLeavesBufferUnchanged();
};

void tst_OutputChunkReader::readsWhatTheCodecReads_data()
{
    QTest::addColumn<QString>("data");
    QTest::addColumn<QString>("stream");
    QTest::newRow("plain lines") << QStringLiteral("a\nb\nc\n") << QStringLiteral("stdout");
    QTest::newRow("no final break") << QStringLiteral("partial") << QStringLiteral("stdout");
    QTest::newRow("crlf") << QStringLiteral("Windows IP Configuration\r\n\r\n   Host Name . . : PC\r\n") << QStringLiteral("stdout");
    QTest::newRow("quotes and backslashes") << QStringLiteral("C:\\Users\\\"x\"\\ \\\\server\\share\n") << QStringLiteral("stderr");
    QTest::newRow("controls and ansi") << QStringLiteral("\x1b[1;31mred\x1b[0m\t\b\f\x01\x1f end\n") << QStringLiteral("stdout");
    QTest::newRow("non-ascii") << QStringLiteral("Grüße — 日本語 — emoji \U0001F5A8 done\n") << QStringLiteral("stdout");
    QTest::newRow("empty") << QString() << QStringLiteral("stdout");
    QTest::newRow("only breaks") << QStringLiteral("\n\n\n") << QStringLiteral("stderr");
}

void tst_OutputChunkReader::readsWhatTheCodecReads()
{
    QFETCH(QString, data);
    QFETCH(QString, stream);
    const Event e = sealedOutput(data, stream);
    const QByteArray doc = EventCodec::encode(e);
    QVERIFY(EventCodec::decode(doc, EventCodec::Mode::Sealed).ok()); // a real stored document
    const auto chunk = OutputChunkReader::read(doc);
    QVERIFY(chunk);
    const auto body = e.bodyAs<CommandOutputBody>();
    QCOMPARE(QString::fromLatin1(chunk->command), body.command);
    QCOMPARE(chunk->stderrStream, stream == QLatin1String("stderr"));
    QCOMPARE(QString::fromUtf8(chunk->data()), data);

    // Decoded straight into a buffer, line for line what the QString path makes.
    const OutputStream s = chunk->stderrStream ? OutputStream::Stderr : OutputStream::Stdout;
    OutputBuffer fast;
    OutputBuffer slow;
    fast.append(OutputStream::Stdout, QStringView(u"before "));
    slow.append(OutputStream::Stdout, QStringView(u"before "));
    QVERIFY(fast.appendJsonEscaped(s, chunk->escapedData));
    slow.append(s, QStringView(data));
    fast.append(OutputStream::Stdout, QStringView(u"after\n"));
    slow.append(OutputStream::Stdout, QStringView(u"after\n"));
    compareLines(fast, slow);
}

void tst_OutputChunkReader::fixtureChunk()
{
    QFile file(QStringLiteral(CASEFILE_TEST_DATA "/events/valid/command.output.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray doc = file.readAll();
    auto decoded = EventCodec::decode(doc, EventCodec::Mode::Sealed);
    if (!decoded.ok())
        decoded = EventCodec::decode(doc, EventCodec::Mode::Draft); // the fixture may be a draft
    QVERIFY(decoded.ok());
    const auto chunk = OutputChunkReader::read(doc); // pretty-printed, not canonical: still read
    QVERIFY(chunk);
    QCOMPARE(QString::fromUtf8(chunk->data()), decoded.event.bodyAs<CommandOutputBody>().data);
    QCOMPARE(QString::fromLatin1(chunk->command), decoded.event.bodyAs<CommandOutputBody>().command);
}

void tst_OutputChunkReader::randomTextRoundTrips()
{
    QRandomGenerator rng(4242);
    const QString alphabet = QStringLiteral("abc XYZ\n\r\t\"\\/\x1b[m\x01\x7fé—日\U0001F600");
    for (int round = 0; round < 300; ++round) {
        QString data;
        const int len = int(rng.bounded(200));
        for (int i = 0; i < len; ++i) {
            const int at = int(rng.bounded(int(alphabet.size())));
            // Keep surrogate pairs whole.
            if (alphabet.at(at).isLowSurrogate())
                continue;
            data += alphabet.at(at);
            if (alphabet.at(at).isHighSurrogate())
                data += alphabet.at(at + 1);
        }
        const auto chunk = OutputChunkReader::read(EventCodec::encode(sealedOutput(data)));
        QVERIFY(chunk);
        QCOMPARE(QString::fromUtf8(chunk->data()), data);
        OutputBuffer fast;
        OutputBuffer slow;
        QVERIFY(fast.appendJsonEscaped(OutputStream::Stdout, chunk->escapedData));
        slow.append(OutputStream::Stdout, QStringView(data));
        compareLines(fast, slow);
    }
}

void tst_OutputChunkReader::refusesWhatItCannotRead_data()
{
    QTest::addColumn<QByteArray>("doc");
    const QByteArray good = EventCodec::encode(sealedOutput(QStringLiteral("x\n")));
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not an object") << QByteArray("[1,2]");
    QTest::newRow("truncated") << good.left(good.size() - 20);
    QTest::newRow("cut in a string") << good.left(good.indexOf("\"data\"") + 10);
    NoteAddedBody note;
    note.text = QStringLiteral("not output");
    QTest::newRow("another kind")
        << EventCodec::encode(Event::make(Event::newId(), Actor{QStringLiteral("user"), Event::newId()}, note));
    QByteArray noStream = good;
    noStream.replace("\"stream\":\"stdout\"", "\"other\":\"stdout\"");
    QTest::newRow("no stream") << noStream;
    QByteArray badStream = good;
    badStream.replace("\"stream\":\"stdout\"", "\"stream\":\"stdlog\"");
    QTest::newRow("unknown stream") << badStream;
    QByteArray badEscapeInCommand = good;
    badEscapeInCommand.replace("\"command\":\"", "\"command\":\"\\q");
    QTest::newRow("bad escape in command") << badEscapeInCommand;
}

void tst_OutputChunkReader::refusesWhatItCannotRead()
{
    QFETCH(QByteArray, doc);
    QVERIFY(!OutputChunkReader::read(doc));
}

void tst_OutputChunkReader::badEscapeLeavesBufferUnchanged()
{
    OutputBuffer buffer;
    buffer.append(OutputStream::Stdout, QStringView(u"one\ntwo"));
    const QByteArray bad[] = {QByteArray("x\\n\\q"), QByteArray("\\ud800 lone"), QByteArray("\\u12"),
                              QByteArray("ends with \\"), QByteArray("\\udc00")};
    for (const QByteArray &escaped : bad) {
        QVERIFY2(!buffer.appendJsonEscaped(OutputStream::Stderr, escaped), escaped.constData());
        QCOMPARE(buffer.lineCount(), 2);
        QCOMPARE(buffer.byteSize(), 7);
        QCOMPARE(buffer.lineText(1), QStringLiteral("two"));
        QVERIFY(!buffer.lineHasStderr(1));
    }
    // A high surrogate left pending by a QString append stays pending after a failed call.
    OutputBuffer pending;
    const QChar high = QChar(char16_t(0xd83d));
    pending.append(OutputStream::Stdout, QStringView(&high, 1));
    const qsizetype before = pending.byteSize();
    QVERIFY(!pending.appendJsonEscaped(OutputStream::Stdout, QByteArray("x\\q")));
    QCOMPARE(pending.byteSize(), before);
    const QChar low = QChar(char16_t(0xde00));
    pending.append(OutputStream::Stdout, QStringView(&low, 1)); // completes the pair: 😀
    QCOMPARE(pending.displayText(0), QString::fromUtf8("\xf0\x9f\x98\x80"));

    QVERIFY(buffer.appendJsonEscaped(OutputStream::Stdout, QByteArray("s\\nthree\\u00e9")));
    QCOMPARE(buffer.lineCount(), 3);
    QCOMPARE(buffer.lineText(1), QStringLiteral("twos"));
    QCOMPARE(buffer.lineText(2), QStringLiteral("threeé"));
}

QTEST_GUILESS_MAIN(tst_OutputChunkReader)
#include "tst_OutputChunkReader.moc"
