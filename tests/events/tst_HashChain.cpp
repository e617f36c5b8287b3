#include "events/ChainVerifier.h"
#include "events/EventCodec.h"
#include "events/HashChain.h"
#include "events/Sha256.h"

#include <QJsonDocument>
#include <QtTest>

using namespace casefile;

namespace {

QList<QByteArray> readLines(const QString &relative)
{
    QFile file(QStringLiteral(CASEFILE_TEST_DATA "/") + relative);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(relative));
    QList<QByteArray> lines;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.isEmpty())
            lines.append(line);
    }
    return lines;
}

ChainReport verifyLines(const QList<QByteArray> &lines)
{
    ChainVerifier verifier;
    for (const QByteArray &line : lines) {
        if (!verifier.addRaw(line))
            break;
    }
    return verifier.report();
}

QList<Event> decodeAll(const QList<QByteArray> &lines)
{
    QList<Event> events;
    for (const QByteArray &line : lines)
        events.append(EventCodec::decode(line, EventCodec::Mode::Sealed).event);
    return events;
}

QList<QByteArray> encodeAll(const QList<Event> &events)
{
    QList<QByteArray> lines;
    for (const Event &e : events)
        lines.append(EventCodec::encode(e));
    return lines;
}

} // namespace

class tst_HashChain : public QObject
{
    Q_OBJECT

private slots:
    void init() { m_lines = readLines(QStringLiteral("chains/printer-session.jsonl")); }

    void fixtureVerifies();
    void sealingMatchesIndependentImplementation();
    void sealingFromPartsMatches();
    void sha256InPiecesIsTheSame();
    void committedTamperedFixture();
    void everyChangedByteIsCaughtAtItsSeq();
    void droppedEvent();
    void swappedEvents();
    void swappedAndRenumbered();
    void forgedPrev();
    void rewrittenTailNeedsAnAnchor();
    void duplicateId();
    void foreignSession();
    void unknownFieldsAreHashed();
    void stopsAtFirstProblem();

private:
    QList<QByteArray> m_lines;
};

void tst_HashChain::fixtureVerifies()
{
    const ChainReport report = verifyLines(m_lines);
    QVERIFY2(report.ok, qPrintable(report.toString()));
    QCOMPARE(report.eventsChecked, 15);
    QCOMPARE(report.lastHash,
             QJsonDocument::fromJson(m_lines.last()).object().value(QStringLiteral("hash")).toString());
    QCOMPARE(report.toString(), QStringLiteral("chain verified: 15 events"));
}

void tst_HashChain::sealingMatchesIndependentImplementation()
{
    QString prev = HashChain::genesis();
    QCOMPARE(prev, QString(64, QLatin1Char('0')));
    qint64 seq = 0;
    for (Event e : decodeAll(m_lines)) {
        const QString expected = e.hash;
        e.hash.clear();
        HashChain::seal(e, ++seq, prev);
        QCOMPARE(e.hash, expected);
        prev = e.hash;
    }
}

// The server seals from the envelope encoded ahead on its event loop: the same hash and the
// same bytes as sealing the whole event, which the independent implementation wrote.
void tst_HashChain::sealingFromPartsMatches()
{
    QString prev = HashChain::genesis();
    qint64 seq = 0;
    const QList<Event> events = decodeAll(m_lines);
    int fromParts = 0;
    for (qsizetype i = 0; i < events.size(); ++i) {
        Event draft = events.at(i);
        const QString expected = draft.hash;
        draft.seq = 0;
        draft.prev.clear();
        draft.hash.clear();
        const EnvelopeParts parts = EnvelopeParts::of(draft);
        // Members this version does not know (the fixture has some): no parts, sealed whole.
        QCOMPARE(parts.isEmpty(), !draft.unknown.isEmpty());
        fromParts += parts.isEmpty() ? 0 : 1;
        Event whole = draft;
        const QByteArray wholeDoc = HashChain::seal(whole, ++seq, prev);
        const QByteArray partsDoc = HashChain::seal(draft, seq, prev, parts);
        QCOMPARE(draft.hash, expected);
        QCOMPARE(partsDoc, wholeDoc);
        QCOMPARE(partsDoc, m_lines.at(i).trimmed());
        prev = draft.hash;
    }
    QVERIFY(fromParts >= 10);
}

void tst_HashChain::sha256InPiecesIsTheSame()
{
    // FIPS 180-2 examples, then a large input cut at odd places.
    QCOMPARE(Sha256::hash("abc").toHex(),
             QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    Sha256 empty;
    QCOMPARE(empty.result().toHex(),
             QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QByteArray big;
    for (int i = 0; i < 20000; ++i)
        big += QByteArray::number(i) + " line of output\n";
    Sha256 pieces;
    for (qsizetype at = 0, step = 1; at < big.size(); at += step, step = step * 3 % 9973 + 1)
        pieces.add(QByteArrayView(big.constData() + at, qMin(step, big.size() - at)));
    QCOMPARE(pieces.result(), Sha256::hash(big));
}

void tst_HashChain::committedTamperedFixture()
{
    const ChainReport report = verifyLines(readLines(QStringLiteral("chains/printer-session-tampered-seq6.jsonl")));
    QVERIFY(!report.ok);
    QCOMPARE(report.firstBadSeq, 6);
    QCOMPARE(report.problem, ChainReport::Problem::HashMismatch);
    QCOMPARE(report.eventsChecked, 5);
    QVERIFY(report.toString().startsWith(QStringLiteral("chain broken at seq 6")));
}

// Flip one bit of every byte of every event in turn: each change is caught, at that event.
void tst_HashChain::everyChangedByteIsCaughtAtItsSeq()
{
    int checked = 0;
    for (int index = 0; index < m_lines.size(); ++index) {
        for (int pos = 0; pos < m_lines[index].size(); ++pos) {
            QList<QByteArray> lines = m_lines;
            lines[index][pos] = char(lines[index][pos] ^ 0x01);
            const ChainReport report = verifyLines(lines);
            if (report.ok || report.firstBadSeq != index + 1) {
                QFAIL(qPrintable(QStringLiteral("byte %1 of seq %2 changed: %3")
                                     .arg(pos)
                                     .arg(index + 1)
                                     .arg(report.toString())));
            }
            ++checked;
        }
    }
    QVERIFY(checked > 4000);
}

void tst_HashChain::droppedEvent()
{
    QList<QByteArray> lines = m_lines;
    lines.removeAt(7); // seq 8
    const ChainReport report = verifyLines(lines);
    QVERIFY(!report.ok);
    QCOMPARE(report.firstBadSeq, 8);
    QCOMPARE(report.problem, ChainReport::Problem::SeqGap);

    // The last event dropped cannot be seen from the chain alone: the head hash changes.
    lines = m_lines;
    lines.removeLast();
    const ChainReport truncated = verifyLines(lines);
    QVERIFY(truncated.ok);
    QVERIFY(truncated.lastHash != verifyLines(m_lines).lastHash);
}

void tst_HashChain::swappedEvents()
{
    QList<QByteArray> lines = m_lines;
    lines.swapItemsAt(3, 4); // seq 4 and 5
    const ChainReport report = verifyLines(lines);
    QVERIFY(!report.ok);
    QCOMPARE(report.firstBadSeq, 4);
    QCOMPARE(report.problem, ChainReport::Problem::SeqGap);
}

void tst_HashChain::swappedAndRenumbered()
{
    QList<Event> events = decodeAll(m_lines);
    events.swapItemsAt(3, 4);
    events[3].seq = 4;
    events[4].seq = 5;
    const ChainReport report = verifyLines(encodeAll(events));
    QVERIFY(!report.ok);
    QCOMPARE(report.firstBadSeq, 4);
    QCOMPARE(report.problem, ChainReport::Problem::BrokenLink);
}

void tst_HashChain::forgedPrev()
{
    QList<Event> events = decodeAll(m_lines);
    // A forger who also recomputes the hash still cannot make prev point at the real chain.
    events[6].prev = QString(64, QLatin1Char('a'));
    events[6].hash = HashChain::computeHash(events[6]);
    const ChainReport report = verifyLines(encodeAll(events));
    QVERIFY(!report.ok);
    QCOMPARE(report.firstBadSeq, 7);
    QCOMPARE(report.problem, ChainReport::Problem::BrokenLink);
}

void tst_HashChain::rewrittenTailNeedsAnAnchor()
{
    QList<Event> events = decodeAll(m_lines);
    events[9].body.insert(QStringLiteral("text"), QStringLiteral("Remove-Item C:\\ -Recurse"));
    for (int i = 9; i < events.size(); ++i)
        HashChain::seal(events[i], i + 1, events[i - 1].hash);
    const ChainReport report = verifyLines(encodeAll(events));
    // Internally consistent, but the head no longer matches the one anyone has seen or signed.
    QVERIFY(report.ok);
    QVERIFY(report.lastHash != verifyLines(m_lines).lastHash);
}

void tst_HashChain::duplicateId()
{
    QList<Event> events = decodeAll(m_lines);
    events[10].id = events[2].id;
    for (int i = 10; i < events.size(); ++i)
        HashChain::seal(events[i], i + 1, events[i - 1].hash);
    const ChainReport report = verifyLines(encodeAll(events));
    QVERIFY(!report.ok);
    QCOMPARE(report.firstBadSeq, 11);
    QCOMPARE(report.problem, ChainReport::Problem::DuplicateId);
}

void tst_HashChain::foreignSession()
{
    QList<Event> events = decodeAll(m_lines);
    events[4].session = Event::newId();
    HashChain::seal(events[4], 5, events[3].hash);
    ChainVerifier verifier(events[0].session);
    for (const Event &e : events)
        verifier.add(e);
    QVERIFY(!verifier.report().ok);
    QCOMPARE(verifier.report().firstBadSeq, 5);
    QCOMPARE(verifier.report().problem, ChainReport::Problem::WrongSession);
}

void tst_HashChain::unknownFieldsAreHashed()
{
    QList<Event> events = decodeAll(m_lines);
    QVERIFY(events[12].unknown.contains(QStringLiteral("x-client")));
    events[12].unknown.insert(QStringLiteral("x-client"), QStringLiteral("other"));
    const ChainReport report = verifyLines(encodeAll(events));
    QVERIFY(!report.ok);
    QCOMPARE(report.firstBadSeq, 13);
    QCOMPARE(report.problem, ChainReport::Problem::HashMismatch);
}

void tst_HashChain::stopsAtFirstProblem()
{
    QList<QByteArray> lines = m_lines;
    lines[2] = "not json";
    lines[9] = "also not json";
    ChainVerifier verifier;
    int accepted = 0;
    for (const QByteArray &line : lines)
        accepted += verifier.addRaw(line) ? 1 : 0;
    QCOMPARE(accepted, 2);
    QCOMPARE(verifier.report().firstBadSeq, 3);
    QCOMPARE(verifier.report().problem, ChainReport::Problem::Undecodable);
    QVERIFY(verifier.report().message.contains(QStringLiteral("not valid JSON")));
}

QTEST_GUILESS_MAIN(tst_HashChain)
#include "tst_HashChain.moc"
