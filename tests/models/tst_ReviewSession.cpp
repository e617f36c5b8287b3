// The review of a package without a server: sessions scanned on the worker thread, findings
// grouped by type and value, decisions per value and per occurrence, spans, whole texts, added
// terms, undo and redo — with the findings model under QAbstractItemModelTester throughout.
#include "FindingsModel.h"
#include "ReviewSession.h"
#include "TestEvents.h"
#include "events/HashChain.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace casefile;
using Decision = RedactionPlan::Decision;

namespace {

QList<Event> sealed(QList<Event> drafts)
{
    QString prev = HashChain::genesis();
    for (qsizetype i = 0; i < drafts.size(); ++i) {
        HashChain::seal(drafts[i], i + 1, prev);
        prev = drafts[i].hash;
    }
    return drafts;
}

const QString kOutput = QStringLiteral(
    "Windows IP Configuration\n"
    "   IPv4 Address. . . . . . . . . . . : 10.20.30.40\n"
    "   Default Gateway . . . . . . . . . : 10.20.30.1\n"
    "Profile: C:\\Users\\jsmith\\AppData\\Local\n"
    "Copied C:\\Users\\jsmith\\Desktop\\report.docx for Contoso Dental\n");

} // namespace

class tst_ReviewSession : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void scanGroupsFindingsByTypeAndValue();
    void decideValueDecidesEveryOccurrence();
    void occurrenceOverridesItsValue();
    void undoAndRedoRestoreTheExactPlan();
    void addedTermRescansAndIsRedacted();
    void wholeLineIsASpanOverTheLine();
    void wholeTextDecidesItsFindings();
    void undecidedCountMatchesThePackage();
    void typeDecisionIsOneStep();
    void manyValuesAtOnce();
    void cancelKeepsNothingHalfDone();
    void publishSaysHowFarItWasReviewed();

private:
    QModelIndex typeRow(Finding::Type type) const;
    qsizetype outputText() const;
    void decideAll(Decision decision);

    std::unique_ptr<ReviewSession> m_review;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QString m_session;
};

void tst_ReviewSession::init()
{
    m_review = std::make_unique<ReviewSession>();
    m_tester = std::make_unique<QAbstractItemModelTester>(m_review->findings(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_session = Event::newId();
    const QString command = Event::newId();
    TestEvents::SessionSpec spec;
    spec.title = QStringLiteral("VPN drops");
    const QList<Event> events = sealed({
        TestEvents::opened(m_session, spec),
        TestEvents::requested(m_session, command, QStringLiteral("ipconfig /all; net use \\\\FILESRV01\\share /user:admin -Password Hunter2Secret")),
        TestEvents::output(m_session, command, 0, kOutput.left(60)), // a value may straddle chunks
        TestEvents::output(m_session, command, 1, kOutput.mid(60)),
        TestEvents::note(m_session, QStringLiteral("jsmith says the VPN drops at 10.20.30.40 every hour")),
    });
    m_review->addSession(events);
    QSignalSpy scanned(m_review.get(), &ReviewSession::scanned);
    m_review->scan();
    QCOMPARE(m_review->state(), ReviewSession::State::Scanning);
    QTRY_COMPARE(scanned.size(), 1);
    QCOMPARE(m_review->state(), ReviewSession::State::Ready);
}

void tst_ReviewSession::cleanup()
{
    m_tester.reset();
    m_review.reset();
}

QModelIndex tst_ReviewSession::typeRow(Finding::Type type) const
{
    FindingsModel *m = m_review->findings();
    for (int r = 0; r < m->rowCount(); ++r) {
        if (m->index(r, 0).data(FindingsModel::FindingTypeRole).toInt() == int(type))
            return m->index(r, 0);
    }
    return {};
}

qsizetype tst_ReviewSession::outputText() const
{
    const auto &texts = m_review->package().texts();
    for (qsizetype i = 0; i < texts.size(); ++i) {
        if (texts.at(i).kind == EventKind::CommandOutput && texts.at(i).stream == QLatin1String("stdout"))
            return i;
    }
    return -1;
}

void tst_ReviewSession::decideAll(Decision decision)
{
    FindingsModel *m = m_review->findings();
    for (int r = 0; r < m->rowCount(); ++r)
        m_review->decideType(Finding::Type(m->index(r, 0).data(FindingsModel::FindingTypeRole).toInt()), decision);
}

void tst_ReviewSession::scanGroupsFindingsByTypeAndValue()
{
    FindingsModel *m = m_review->findings();
    const QModelIndex users = typeRow(Finding::Type::User);
    const QModelIndex ips = typeRow(Finding::Type::Ipv4);
    const QModelIndex secrets = typeRow(Finding::Type::Secret);
    QVERIFY(users.isValid());
    QVERIFY(ips.isValid());
    QVERIFY(secrets.isValid());
    // jsmith in two profile paths is one value with two occurrences (the note's bare "jsmith"
    // is no detector finding; the sweep redacts it with the value).
    const QModelIndex jsmith = m->indexOfValue(Finding::Type::User, QStringLiteral("jsmith"));
    QVERIFY(jsmith.isValid());
    QCOMPARE(jsmith.parent(), users);
    QCOMPARE(m->rowCount(jsmith), 2);
    QCOMPARE(jsmith.siblingAtColumn(FindingsModel::CountColumn).data().toString(), QStringLiteral("2"));
    // 10.20.30.40: once in the output, once in the note; the most frequent value comes first.
    const QModelIndex ip = m->indexOfValue(Finding::Type::Ipv4, QStringLiteral("10.20.30.40"));
    QCOMPARE(m->rowCount(ip), 2);
    QCOMPARE(ip.row(), 0);
    // Each occurrence shows its line in context and where it is.
    const QModelIndex first = m->index(0, 0, ip);
    QCOMPARE(first.data(FindingsModel::NodeKindRole).value<FindingsModel::NodeKind>(), FindingsModel::NodeKind::Occurrence);
    QVERIFY2(first.data().toString().contains(QStringLiteral("IPv4 Address")), qPrintable(first.data().toString()));
    QVERIFY2(first.siblingAtColumn(FindingsModel::WhereColumn).data().toString().contains(QStringLiteral("output of ipconfig")),
             qPrintable(first.siblingAtColumn(FindingsModel::WhereColumn).data().toString()));
    QVERIFY(first.siblingAtColumn(FindingsModel::WhereColumn).data().toString().endsWith(QStringLiteral("line 2")));
    const QModelIndex hunter = m->index(0, 0, m->index(0, 0, secrets));
    QCOMPARE(hunter.data(FindingsModel::LengthRole).toLongLong(), QStringLiteral("Hunter2Secret").size());
    // Nothing is decided yet.
    QCOMPARE(m_review->undecidedCount(), m_review->package().undecidedCount(m_review->plan()));
    QVERIFY(m_review->undecidedCount() >= 6);
    QCOMPARE(users.data(FindingsModel::DecisionRole).toInt(), int(Decision::Undecided));
}

void tst_ReviewSession::decideValueDecidesEveryOccurrence()
{
    FindingsModel *m = m_review->findings();
    const qsizetype before = m_review->undecidedCount();
    QSignalSpy changed(m, &QAbstractItemModel::dataChanged);
    m_review->decideValue(Finding::Type::User, QStringLiteral("jsmith"), Decision::Redact);
    QCOMPARE(m_review->undecidedCount(), before - 2);
    QVERIFY(!changed.isEmpty());
    const QModelIndex jsmith = m->indexOfValue(Finding::Type::User, QStringLiteral("jsmith"));
    QCOMPARE(jsmith.data(FindingsModel::DecisionRole).toInt(), int(Decision::Redact));
    for (int r = 0; r < m->rowCount(jsmith); ++r)
        QCOMPARE(m->index(r, 0, jsmith).data(FindingsModel::DecisionRole).toInt(), int(Decision::Redact));
    // The preview has a placeholder where the user was, in the output and in the note.
    const qsizetype out = outputText();
    QVERIFY(out >= 0);
    const QString preview = m_review->redactedText(out);
    QVERIFY(!preview.contains(QStringLiteral("jsmith")));
    QVERIFY(preview.contains(QStringLiteral("C:\\Users\\<USER_1>")));
    QCOMPARE(preview.count(QLatin1Char('\n')), kOutput.count(QLatin1Char('\n')));
}

void tst_ReviewSession::occurrenceOverridesItsValue()
{
    FindingsModel *m = m_review->findings();
    m_review->decideValue(Finding::Type::Ipv4, QStringLiteral("10.20.30.40"), Decision::Redact);
    const QModelIndex ip = m->indexOfValue(Finding::Type::Ipv4, QStringLiteral("10.20.30.40"));
    const QModelIndex second = m->index(1, 0, ip);
    m_review->decideOccurrence(second.data(FindingsModel::TextIndexRole).toLongLong(),
                               second.data(FindingsModel::FindingIndexRole).toLongLong(), Decision::Keep);
    QCOMPARE(m->index(0, 0, ip).data(FindingsModel::DecisionRole).toInt(), int(Decision::Redact));
    QCOMPARE(m->index(1, 0, ip).data(FindingsModel::DecisionRole).toInt(), int(Decision::Keep));
    QVERIFY(m->index(1, 0, ip).data(FindingsModel::OwnDecisionRole).toBool());
    QCOMPARE(ip.data(FindingsModel::DecisionRole).toInt(), FindingsModel::Mixed);
    QCOMPARE(ip.data(FindingsModel::UndecidedRole).toLongLong(), 0);
    // "For all occurrences" again takes the single decision back.
    m_review->decideValue(Finding::Type::Ipv4, QStringLiteral("10.20.30.40"), Decision::Keep);
    QCOMPARE(ip.data(FindingsModel::DecisionRole).toInt(), int(Decision::Keep));
    QVERIFY(!m->index(1, 0, ip).data(FindingsModel::OwnDecisionRole).toBool());
}

void tst_ReviewSession::undoAndRedoRestoreTheExactPlan()
{
    QUndoStack *undo = m_review->undoStack();
    QList<QJsonObject> plans{m_review->plan().toJson()};
    QList<qsizetype> counts{m_review->undecidedCount()};
    const auto step = [&] {
        plans.append(m_review->plan().toJson());
        counts.append(m_review->undecidedCount());
    };
    m_review->decideValue(Finding::Type::User, QStringLiteral("jsmith"), Decision::Keep);
    step();
    const QModelIndex ip = m_review->findings()->indexOfValue(Finding::Type::Ipv4, QStringLiteral("10.20.30.40"));
    const QModelIndex occ = m_review->findings()->index(0, 0, ip);
    m_review->decideOccurrence(occ.data(FindingsModel::TextIndexRole).toLongLong(),
                               occ.data(FindingsModel::FindingIndexRole).toLongLong(), Decision::Redact);
    step();
    m_review->redactSpan(outputText(), 0, 7);
    step();
    m_review->setWholeTextRedacted(0, true);
    step();
    QCOMPARE(undo->count(), 4);
    for (int i = 4; i > 0; --i) {
        QCOMPARE(m_review->plan().toJson(), plans.at(i));
        undo->undo();
        QCOMPARE(m_review->plan().toJson(), plans.at(i - 1));
        QCOMPARE(m_review->undecidedCount(), counts.at(i - 1));
    }
    for (int i = 1; i <= 4; ++i) {
        undo->redo();
        QCOMPARE(m_review->plan().toJson(), plans.at(i));
        QCOMPARE(m_review->undecidedCount(), counts.at(i));
    }
    QCOMPARE(undo->undoText(), QStringLiteral("Redact all of %1").arg(m_review->describeText(0)));
}

void tst_ReviewSession::addedTermRescansAndIsRedacted()
{
    FindingsModel *m = m_review->findings();
    QVERIFY(!m->indexOfValue(Finding::Type::Name, QStringLiteral("contoso dental")).isValid());
    const qsizetype before = m_review->undecidedCount();
    QSignalSpy scanned(m_review.get(), &ReviewSession::scanned);
    QVERIFY(m_review->addTerm(QStringLiteral("  Contoso Dental ")));
    QVERIFY(!m_review->addTerm(QStringLiteral("Contoso Dental"))); // once
    QCOMPARE(m_review->state(), ReviewSession::State::Scanning);
    QTRY_COMPARE(scanned.size(), 1);
    const QModelIndex term = m->indexOfValue(Finding::Type::Name, QStringLiteral("contoso dental"));
    QVERIFY(term.isValid());
    QCOMPARE(m->rowCount(term), 1);
    // A dictionary term is redacted unless the reviewer keeps it.
    QCOMPARE(term.data(FindingsModel::DecisionRole).toInt(), int(Decision::Redact));
    QCOMPARE(m_review->undecidedCount(), before);
    QVERIFY(m_review->redactedText(outputText()).contains(QStringLiteral("<NAME_1>")));
    // Undo scans again without it.
    m_review->undoStack()->undo();
    QTRY_COMPARE(scanned.size(), 2);
    QVERIFY(!m->indexOfValue(Finding::Type::Name, QStringLiteral("contoso dental")).isValid());
    QVERIFY(m_review->redactedText(outputText()).contains(QStringLiteral("Contoso Dental")));
}

void tst_ReviewSession::wholeLineIsASpanOverTheLine()
{
    const qsizetype out = outputText();
    m_review->redactLine(out, 2); // "   Default Gateway …"
    QCOMPARE(m_review->plan().spans().size(), 1);
    const auto span = m_review->plan().spans().first();
    const QString &text = m_review->package().texts().at(out).text;
    QCOMPARE(text.mid(span.start, span.length), kOutput.section(QLatin1Char('\n'), 2, 2));
    const QStringList lines = m_review->redactedText(out).split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), kOutput.split(QLatin1Char('\n')).size());
    QCOMPARE(lines.at(2), QStringLiteral("<REDACTED>"));
    QCOMPARE(lines.at(0), QStringLiteral("Windows IP Configuration"));
    // A selection is a span too.
    m_review->redactSpan(out, 0, 7);
    QVERIFY(m_review->redactedText(out).startsWith(QStringLiteral("<REDACTED> IP Configuration")));
}

void tst_ReviewSession::wholeTextDecidesItsFindings()
{
    const qsizetype out = outputText();
    const qsizetype inOutput = m_review->package().texts().at(out).findings.size();
    QVERIFY(inOutput >= 4);
    const qsizetype before = m_review->undecidedCount();
    m_review->setWholeTextRedacted(out, true);
    QCOMPARE(m_review->undecidedCount(), before - inOutput);
    QCOMPARE(m_review->redactedText(out), QStringLiteral("<REDACTED>") + QString(kOutput.count(QLatin1Char('\n')), u'\n'));
    const QModelIndex ip = m_review->findings()->indexOfValue(Finding::Type::Ipv4, QStringLiteral("10.20.30.40"));
    QVERIFY(m_review->findings()->index(0, 0, ip).data(FindingsModel::WholeTextRole).toBool());
}

void tst_ReviewSession::undecidedCountMatchesThePackage()
{
    FindingsModel *m = m_review->findings();
    const auto check = [&] {
        QCOMPARE(m_review->undecidedCount(), m_review->package().undecidedCount(m_review->plan()));
        qsizetype sum = 0;
        for (int r = 0; r < m->rowCount(); ++r)
            sum += m->index(r, 0).data(FindingsModel::UndecidedRole).toLongLong();
        QCOMPARE(sum, m_review->undecidedCount());
    };
    check();
    m_review->decideValue(Finding::Type::User, QStringLiteral("jsmith"), Decision::Redact);
    check();
    m_review->setWholeTextRedacted(outputText(), true);
    check();
    m_review->undoStack()->undo();
    check();
    decideAll(Decision::Redact);
    check();
    QCOMPARE(m_review->undecidedCount(), 0);
    m_review->undoStack()->undo();
    check();
    QVERIFY(m_review->undecidedCount() > 0);
}

void tst_ReviewSession::typeDecisionIsOneStep()
{
    const int steps = m_review->undoStack()->count();
    m_review->decideType(Finding::Type::Ipv4, Decision::Keep);
    QCOMPARE(m_review->undoStack()->count(), steps + 1);
    const QModelIndex ips = typeRow(Finding::Type::Ipv4);
    QCOMPARE(ips.data(FindingsModel::DecisionRole).toInt(), int(Decision::Keep));
    QCOMPARE(ips.data(FindingsModel::UndecidedRole).toLongLong(), 0);
    QVERIFY(m_review->findings()->nextUndecided(ips).isValid());
    QVERIFY(m_review->findings()->nextUndecided(ips).data(FindingsModel::FindingTypeRole).toInt() != int(Finding::Type::Ipv4));
}

void tst_ReviewSession::manyValuesAtOnce()
{
    // Forty addresses: deciding them is one relayout, not forty sets of signals; the counts and
    // every row still follow (the tester checks the model throughout).
    QString text;
    for (int i = 1; i <= 40; ++i)
        text += QStringLiteral("host %1 answered from 10.1.2.%1\n").arg(i);
    const QString session = Event::newId();
    TestEvents::SessionSpec spec;
    m_review->addSession(sealed({TestEvents::opened(session, spec), TestEvents::note(session, text)}));
    QSignalSpy scanned(m_review.get(), &ReviewSession::scanned);
    m_review->scan();
    QTRY_COMPARE(scanned.size(), 1);
    const QModelIndex ips = typeRow(Finding::Type::Ipv4);
    QVERIFY(m_review->findings()->rowCount(ips) > 40);
    QSignalSpy layout(m_review->findings(), &QAbstractItemModel::layoutChanged);
    m_review->decideType(Finding::Type::Ipv4, Decision::Redact);
    QCOMPARE(layout.size(), 1);
    QCOMPARE(typeRow(Finding::Type::Ipv4).data(FindingsModel::UndecidedRole).toLongLong(), 0);
    for (int v = 0; v < m_review->findings()->rowCount(ips); ++v)
        QCOMPARE(m_review->findings()->index(v, 0, ips).data(FindingsModel::DecisionRole).toInt(), int(Decision::Redact));
    m_review->undoStack()->undo();
    QVERIFY(typeRow(Finding::Type::Ipv4).data(FindingsModel::UndecidedRole).toLongLong() > 40);
}

void tst_ReviewSession::cancelKeepsNothingHalfDone()
{
    // A big package: cancelled while scanning, the last finished scan's findings stay.
    const QString session = Event::newId();
    const QString command = Event::newId();
    QList<Event> drafts{TestEvents::opened(session, {}), TestEvents::requested(session, command, QStringLiteral("big"))};
    const QString line = QStringLiteral("user C:\\Users\\alice\\x from 192.168.1.%1 ok\n");
    QString chunk;
    for (int i = 0; i < 2000; ++i)
        chunk += line.arg(i % 250);
    for (int c = 0; c < 60; ++c)
        drafts.append(TestEvents::output(session, command, c, chunk));
    m_review->addSession(sealed(drafts));
    const qsizetype values = m_review->findings()->valueCount();
    QSignalSpy progress(m_review.get(), &ReviewSession::progress);
    m_review->scan();
    m_review->cancel();
    QTRY_VERIFY(m_review->state() != ReviewSession::State::Scanning);
    QCOMPARE(m_review->state(), ReviewSession::State::Ready);
    QCOMPARE(m_review->findings()->valueCount(), values);
    QVERIFY(!progress.isEmpty());
    // Scanning to the end finds every address.
    QSignalSpy scanned(m_review.get(), &ReviewSession::scanned);
    m_review->scan();
    QTRY_COMPARE_WITH_TIMEOUT(scanned.size(), 1, 30000);
    QVERIFY(m_review->findings()->valueCount() > 250);
}

// An open session goes on after its review: the publish request says up to which event each
// session was reviewed, so the server publishes nothing the reviewer has not seen.
void tst_ReviewSession::publishSaysHowFarItWasReviewed()
{
    const QJsonObject params =
        m_review->publishParams(QStringLiteral("Handoff"), QString(), 7, QStringLiteral("org"));
    QCOMPARE(params.value(QStringLiteral("sessions")).toArray(), QJsonArray{m_session});
    const QJsonObject through = params.value(QStringLiteral("through")).toObject();
    QCOMPARE(through.keys(), QStringList{m_session});
    QCOMPARE(through.value(m_session).toInteger(), 5); // opened, requested, two outputs, note
}

QTEST_GUILESS_MAIN(tst_ReviewSession)
#include "tst_ReviewSession.moc"
