// A package of sealed sessions taken apart into texts, scanned, and put back together with a
// plan applied: stable text ids, outputs joined and split back into their chunks, chains that
// verify, line numbers that hold, consistent placeholders, keep/override/sweep/whole-text
// decisions — and, on generated packages, no redacted value anywhere in what is published.
#include "SessionBuilder.h"

#include "events/CanonicalJson.h"
#include "events/ChainVerifier.h"
#include "events/EventCodec.h"
#include "snapshot/SnapshotDocument.h"
#include "snapshot/SnapshotHtml.h"
#include "snapshot/SnapshotPackage.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTest>

using namespace casefile;
using Decision = RedactionPlan::Decision;

namespace {

struct Record
{
    SessionBuilder a{QStringLiteral("3f6c2a9e-8b41-4d27-a5e3-1c9b7d04e6f2")};
    SessionBuilder b{QStringLiteral("7d1e4b2a-9c3f-4e58-a6d1-2b8c0f5e9a73")};
    QString listCommand;  // a: output split inside C:\Users\jsm|ith
    QString removeCommand;
    QString ipCommand;    // b
};

// Two sessions of one client: a broken Outlook profile of jsmith on FRONTDESK-03, then a
// network check on another machine where jsmith's and mlopez's names turn up.
Record makeRecord()
{
    Record r;
    SessionBuilder &a = r.a;
    a.opened(QStringLiteral("Outlook cannot connect for jsmith on FRONTDESK-03"), QStringLiteral("INC-0048213"),
             {QStringLiteral("outlook"), QStringLiteral("profile")});
    a.context(QStringLiteral("FRONTDESK-03"), QStringLiteral("CONTOSO"), QStringLiteral("CONTOSO\\jsmith"));
    const QString h = a.hypothesis(QStringLiteral("The Outlook profile of jsmith is corrupt"));
    r.listCommand = a.requested(QStringLiteral("Get-ChildItem C:\\Users\\jsmith\\AppData\\Local\\Microsoft\\Outlook"));
    a.started(r.listCommand, QStringLiteral("CONTOSO\\jsmith"));
    a.output(r.listCommand, QStringLiteral("\r\n    Directory: C:\\Users\\jsm"));
    a.output(r.listCommand, QStringLiteral("ith\\AppData\\Local\\Microsoft\\Outlook\r\n\r\n"
                                           "Mode          LastWriteTime     Length Name\r\n"
                                           "-a----   11.03.2026 09:02   2097152 jsmith@contoso.com.ost\r\n"));
    a.output(r.listCommand, QStringLiteral("WARNING: \\\\fs01.contoso.local\\profiles unreachable from 10.20.30.40\r\n"),
             QStringLiteral("stderr"));
    a.output(r.listCommand, QStringLiteral("-a----   11.03.2026 09:03      4096 outcmd.dat\r\n"));
    a.finished(r.listCommand);
    r.removeCommand = a.requested(QStringLiteral("Remove-Item -Recurse C:\\Users\\jsmith\\AppData\\Local\\Microsoft\\Outlook\\*.ost"), true);
    a.approvalRequested(r.removeCommand, QStringLiteral("Technician requests to delete the Outlook cache of jsmith. Approve?"));
    a.approvalDecided(r.removeCommand, QStringLiteral("approved"), QStringLiteral("CONTOSO\\jsmith"));
    a.started(r.removeCommand, QStringLiteral("CONTOSO\\jsmith"));
    a.finished(r.removeCommand);
    a.hypothesisUpdated(h, QStringLiteral("confirmed"), r.listCommand, 5, 5, QStringLiteral("the .ost of jsmith was damaged"));
    a.chat(QStringLiteral("Hi, jsmith here. Outlook works again, thanks!"), true);
    a.note(QStringLiteral("Invoice Contoso Ltd for 15 minutes."));
    a.closed(QStringLiteral("Rebuilt the Outlook cache of jsmith on FRONTDESK-03."));

    SessionBuilder &b = r.b;
    b.opened(QStringLiteral("Slow network on WS-ACCT-17"));
    b.context(QStringLiteral("WS-ACCT-17"), QStringLiteral("CONTOSO"), QStringLiteral("CONTOSO\\bwilliams"));
    r.ipCommand = b.requested(QStringLiteral("ipconfig /all"), false, QStringLiteral("cmd"));
    b.started(r.ipCommand, QStringLiteral("CONTOSO\\bwilliams"));
    b.output(r.ipCommand, QStringLiteral("   Host Name . . . . . . . . . . . . : WS-ACCT-17\r\n"
                                         "   Physical Address. . . . . . . . . : 00-15-5D-01-02-03\r\n"
                                         "   IPv4 Address. . . . . . . . . . . : 10.20.30.41(Preferred)\r\n"
                                         "   Last profile: C:\\Users\\mlopez\\NTUSER.DAT\r\n"
                                         "   Old profile: C:\\Users\\jsmith\\NTUSER.DAT\r\n"
                                         "   Again: C:\\Users\\mlopez\\Desktop\r\n"));
    b.finished(r.ipCommand);
    b.chat(QStringLiteral("mlopez will call back about the printer, and Contoso Ltd pays."));
    b.closed();
    return r;
}

SnapshotPackage packageOf(const Record &r, const RedactionPlan &plan = {})
{
    SnapshotPackage p;
    p.addSession(r.a.events);
    p.addSession(r.b.events);
    RedactionDictionary dictionary;
    dictionary.add(QStringLiteral("Contoso Ltd"));
    p.setDictionary(dictionary);
    p.scan(plan);
    return p;
}

RedactionPlan redactEverything(const SnapshotPackage &p)
{
    RedactionPlan plan;
    for (const auto &g : p.groups())
        plan.setValueDecision(g.type, g.key, Decision::Redact);
    return plan;
}

// The redacted text of a text id, read back from the result's events (outputs joined).
QString publishedText(const SnapshotPackage::Result &result, const SnapshotPackage::Text &t)
{
    QString out;
    for (const auto &events : result.sessions) {
        for (const Event &e : events) {
            if (e.session != t.session)
                continue;
            if (t.kind == EventKind::CommandOutput) {
                if (e.kind == EventKind::CommandOutput && e.body.value(QStringLiteral("command")).toString() == t.command
                    && e.body.value(QStringLiteral("stream")).toString() == t.stream)
                    out += e.body.value(QStringLiteral("data")).toString();
            } else if (e.seq == t.seq) {
                QJsonValue v = e.body;
                for (const QString &part : t.field.split(QLatin1Char('/')))
                    v = v.isArray() ? v.toArray().at(part.toInt()) : v.toObject().value(part);
                return v.toString();
            }
        }
    }
    return out;
}

QString allJson(const SnapshotPackage::Result &result)
{
    QString out;
    for (const auto &events : result.sessions) {
        for (const Event &e : events)
            out += QString::fromUtf8(CanonicalJson::encode(e.toJson())) + QLatin1Char('\n');
    }
    return out;
}

const SnapshotPackage::Text *textOf(const SnapshotPackage &p, const QString &id)
{
    const qsizetype i = p.indexOf(id);
    return i < 0 ? nullptr : &p.texts().at(i);
}

QString jsonEscaped(const QString &s)
{
    QString json = QString::fromUtf8(CanonicalJson::encode(QJsonObject{{QStringLiteral("v"), s}}));
    return json.mid(6, json.size() - 8); // {"v":"…"}
}

} // namespace

class tst_SnapshotPackage : public QObject
{
    Q_OBJECT
private slots:
    void textIdsAreStableAndAsDocumented();
    void outputChunksAreJoined();
    void findsAValueSplitAcrossChunks();
    void contextValuesAreFoundEverywhere();
    void applyKeepsChunksStreamsAndChains();
    void lineCountsHold();
    void placeholdersAreConsistentAcrossSessions();
    void keepKeeps();
    void occurrenceOverride();
    void sweepRedactsAloneButNotAKeptOccurrence();
    void wholeText();
    void undecidedCount();
    void dictionaryTermsRedactedByDefault();
    void reportCounts();
    void scrubTitle();
    void scrubTitleOfHandSelections();
    void keyAcrossAScanPieceIsRedactedWhole();
    void valuesSplitByTerminalEscapesAreRedacted();
    void noRedactedValueIsPublished();
};

void tst_SnapshotPackage::textIdsAreStableAndAsDocumented()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    const QString a = r.a.session;
    // <session>/<seq>/<field path>; identifiers and enumerations are no texts.
    for (const QString &id : QStringList{a + QStringLiteral("/1/title"), a + QStringLiteral("/1/ticket"), a + QStringLiteral("/1/tags/0"),
                              a + QStringLiteral("/1/tags/1"), a + QStringLiteral("/2/hostname"), a + QStringLiteral("/2/user"),
                              a + QStringLiteral("/2/updates/1"), a + QStringLiteral("/2/cpu"), a + QStringLiteral("/3/text"),
                              a + QStringLiteral("/4/text"), a + QStringLiteral("/4/shell"), a + QStringLiteral("/5/user"), a + QStringLiteral("/5/cwd"),
                              a + QStringLiteral("/12/prompt"), a + QStringLiteral("/13/decidedBy"),
                              a + QStringLiteral("/16/note"), a + QStringLiteral("/17/text"), a + QStringLiteral("/19/summary"),
                              SnapshotPackage::outputTextId(a, r.listCommand, QStringLiteral("stdout")),
                              SnapshotPackage::outputTextId(a, r.listCommand, QStringLiteral("stderr"))})
        QVERIFY2(p.indexOf(id) >= 0, qPrintable(id));
    for (const QString &id : QStringList{a + QStringLiteral("/1/org"), a + QStringLiteral("/1/technician"), a + QStringLiteral("/4/command"),
                              a + QStringLiteral("/13/decision"), a + QStringLiteral("/13/decidedAt"),
                              a + QStringLiteral("/10/status"), a + QStringLiteral("/16/hypothesis"),
                              a + QStringLiteral("/16/evidence/0/command"), a + QStringLiteral("/6/data")})
        QVERIFY2(p.indexOf(id) < 0, qPrintable(id));
    QCOMPARE(SnapshotPackage::outputTextId(a, r.listCommand, QStringLiteral("stdout")),
             a + QStringLiteral("/output/") + r.listCommand + QStringLiteral("/stdout"));
    const auto *out = textOf(p, SnapshotPackage::outputTextId(a, r.listCommand, QStringLiteral("stdout")));
    QCOMPARE(out->seq, 6); // the first chunk's
    QCOMPARE(out->field, QStringLiteral("data"));
    QCOMPARE(out->stream, QStringLiteral("stdout"));
    QCOMPARE(out->command, r.listCommand);
    QCOMPARE(textOf(p, a + QStringLiteral("/1/tags/1"))->text, QStringLiteral("profile"));
    QCOMPARE(p.sessionIds(), (QStringList{r.a.session, r.b.session}));

    // Another copy of the same record (as the server holds it): the same ids, in the same order.
    QList<Event> copyA;
    for (const Event &e : r.a.events)
        copyA.append(EventCodec::fromJson(e.toJson(), EventCodec::Mode::Sealed).event);
    SnapshotPackage q;
    q.addSession(copyA);
    q.addSession(r.b.events);
    QCOMPARE(q.texts().size(), p.texts().size());
    for (qsizetype i = 0; i < p.texts().size(); ++i)
        QCOMPARE(q.texts()[i].id, p.texts()[i].id);
}

void tst_SnapshotPackage::outputChunksAreJoined()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    QString stdoutText;
    QString stderrText;
    for (const Event &e : r.a.events) {
        if (e.kind != EventKind::CommandOutput)
            continue;
        (e.body.value(QStringLiteral("stream")).toString() == QLatin1String("stdout") ? stdoutText : stderrText) +=
            e.body.value(QStringLiteral("data")).toString();
    }
    QCOMPARE(textOf(p, SnapshotPackage::outputTextId(r.a.session, r.listCommand, QStringLiteral("stdout")))->text, stdoutText);
    QCOMPARE(textOf(p, SnapshotPackage::outputTextId(r.a.session, r.listCommand, QStringLiteral("stderr")))->text, stderrText);
    QVERIFY(stdoutText.contains(QStringLiteral("C:\\Users\\jsmith\\AppData")));
}

void tst_SnapshotPackage::findsAValueSplitAcrossChunks()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    const auto *t = textOf(p, SnapshotPackage::outputTextId(r.a.session, r.listCommand, QStringLiteral("stdout")));
    const qsizetype split = r.a.events[5].body.value(QStringLiteral("data")).toString().size();
    bool across = false;
    for (const Finding &f : t->findings)
        across = across || (f.type == Finding::Type::User && f.start < split && f.start + f.length > split && f.key == u"jsmith");
    QVERIFY(across);

    // Redacted, the first chunk carries the placeholder and the second goes on after the name.
    RedactionPlan plan = redactEverything(p);
    const auto result = p.apply(plan);
    QCOMPARE(result.sessions[0][5].body.value(QStringLiteral("data")).toString(), QStringLiteral("\r\n    Directory: C:\\Users\\<USER_1>"));
    QVERIFY(result.sessions[0][6].body.value(QStringLiteral("data")).toString().startsWith(QStringLiteral("\\AppData\\Local")));
}

void tst_SnapshotPackage::contextValuesAreFoundEverywhere()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    QVERIFY(p.contextTerms().size() >= 4); // FRONTDESK-03, CONTOSO, jsmith, WS-ACCT-17, bwilliams
    // The host name stands alone in the title and in ipconfig's output: found as a host.
    bool titleHost = false;
    for (const Finding &f : textOf(p, r.a.session + QStringLiteral("/1/title"))->findings)
        titleHost = titleHost || (f.type == Finding::Type::Host && f.key == u"frontdesk-03");
    QVERIFY(titleHost);
    bool outputHost = false;
    for (const Finding &f : textOf(p, SnapshotPackage::outputTextId(r.b.session, r.ipCommand, QStringLiteral("stdout")))->findings)
        outputHost = outputHost || (f.type == Finding::Type::Host && f.value == u"WS-ACCT-17");
    QVERIFY(outputHost);
    // The user alone in a chat line (no detector would see it).
    bool chatUser = false;
    for (const Finding &f : textOf(p, r.a.session + QStringLiteral("/17/text"))->findings)
        chatUser = chatUser || (f.type == Finding::Type::User && f.key == u"jsmith");
    QVERIFY(chatUser);
}

void tst_SnapshotPackage::applyKeepsChunksStreamsAndChains()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    RedactionPlan plan = redactEverything(p);
    plan.addSpan({SnapshotPackage::outputTextId(r.a.session, r.listCommand, QStringLiteral("stdout")), 3, 40});
    const auto result = p.apply(plan);
    QCOMPARE(result.sessions.size(), 2);
    const QList<QList<Event>> originals{r.a.events, r.b.events};
    for (qsizetype s = 0; s < 2; ++s) {
        const auto &events = result.sessions[s];
        QCOMPARE(events.size(), originals[s].size());
        ChainVerifier chain(originals[s].first().session);
        for (qsizetype i = 0; i < events.size(); ++i) {
            const Event &e = events[i];
            const Event &o = originals[s][i];
            QCOMPARE(e.seq, o.seq);
            QCOMPARE(e.kind, o.kind);
            QCOMPARE(e.id, o.id);
            QVERIFY2(chain.add(e), qPrintable(chain.report().toString()));
            // The redacted event still decodes as a valid sealed event.
            QVERIFY(EventCodec::fromJson(e.toJson(), EventCodec::Mode::Sealed).ok());
            if (o.kind == EventKind::CommandOutput) {
                for (const char *k : {"command", "stream", "chunk"})
                    QCOMPARE(e.body.value(QLatin1String(k)), o.body.value(QLatin1String(k)));
            }
            for (const char *k : {"command", "hypothesis", "org", "decision", "status", "shell"})
                QCOMPARE(e.body.value(QLatin1String(k)), o.body.value(QLatin1String(k)));
        }
        QCOMPARE(chain.report().eventsChecked, originals[s].size());
    }
    // Something was redacted at all.
    QVERIFY(!allJson(result).contains(QStringLiteral("jsmith"), Qt::CaseInsensitive));
}

void tst_SnapshotPackage::lineCountsHold()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    RedactionPlan plan = redactEverything(p);
    const QString out = SnapshotPackage::outputTextId(r.a.session, r.listCommand, QStringLiteral("stdout"));
    const QString &text = textOf(p, out)->text;
    // A hand-selected span over three lines, from inside the first chunk into the second.
    const qsizetype from = text.indexOf(QStringLiteral("Directory"));
    const qsizetype to = text.indexOf(QStringLiteral("Mode"));
    QVERIFY(from > 0 && to > from);
    plan.addSpan({out, from, to - from + 2});
    const QString summary = r.a.session + QStringLiteral("/19/summary");
    plan.setWholeText(r.a.session + QStringLiteral("/3/text"), true);
    const auto result = p.apply(plan);
    for (const auto &t : p.texts()) {
        const QString published = publishedText(result, t);
        QVERIFY2(published.count(QLatin1Char('\n')) == t.text.count(QLatin1Char('\n')), qPrintable(t.id));
        // Evidence lines: the line that held the .ost file is still that line.
        if (t.id == out) {
            const QStringList before = t.text.split(QLatin1Char('\n'));
            const QStringList after = published.split(QLatin1Char('\n'));
            QCOMPARE(after.size(), before.size());
            QVERIFY(before[4].contains(QStringLiteral(".ost")));
            QVERIFY2(after[4].contains(QStringLiteral(" <USER_1>@<DOMAIN_")), qPrintable(after[4]));
            QVERIFY(after[1].contains(QStringLiteral("<REDACTED>")));
            QVERIFY(!after[1].contains(QStringLiteral("Directory")));
        }
    }
    QVERIFY(publishedText(result, *textOf(p, summary)).contains(QStringLiteral("Outlook cache")));
}

void tst_SnapshotPackage::placeholdersAreConsistentAcrossSessions()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    const RedactionPlan plan = redactEverything(p);
    const auto result = p.apply(plan);
    Pseudonymizer names = p.placeholders(plan);
    Finding jsmith;
    jsmith.type = Finding::Type::User;
    jsmith.key = QStringLiteral("jsmith");
    const QString user = names.placeholder(jsmith);
    QCOMPARE(user, QStringLiteral("<USER_1>")); // first seen in package order
    Finding mlopez = jsmith;
    mlopez.key = QStringLiteral("mlopez");
    const QString other = names.placeholder(mlopez);
    QVERIFY(other != user);
    // jsmith in session a's profile path and in session b's "Old profile" line: one placeholder.
    const QString a = publishedText(result, *textOf(p, SnapshotPackage::outputTextId(r.a.session, r.listCommand, QStringLiteral("stdout"))));
    const QString b = publishedText(result, *textOf(p, SnapshotPackage::outputTextId(r.b.session, r.ipCommand, QStringLiteral("stdout"))));
    QVERIFY(a.contains(QStringLiteral("C:\\Users\\") + user + QStringLiteral("\\AppData")));
    QVERIFY(b.contains(QStringLiteral("Old profile: C:\\Users\\") + user + QStringLiteral("\\NTUSER.DAT")));
    QVERIFY(b.contains(QStringLiteral("Last profile: C:\\Users\\") + other + QStringLiteral("\\NTUSER.DAT")));
    // DOMAIN\jsmith, jsmith@contoso.com and C:\Users\jsmith are one user.
    QVERIFY(publishedText(result, *textOf(p, r.a.session + QStringLiteral("/5/user"))).endsWith(QStringLiteral("\\") + user));
    QVERIFY(a.contains(user + QStringLiteral("@")));
    // The preview of one text uses the same placeholders as the package.
    Pseudonymizer preview = p.placeholders(plan);
    QCOMPARE(p.redactedText(p.indexOf(SnapshotPackage::outputTextId(r.b.session, r.ipCommand, QStringLiteral("stdout"))), plan, preview), b);
}

void tst_SnapshotPackage::keepKeeps()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    RedactionPlan plan = redactEverything(p);
    plan.setValueDecision(Finding::Type::Domain, QStringLiteral("contoso"), Decision::Keep);
    plan.setValueDecision(Finding::Type::Mac, QStringLiteral("00155d010203"), Decision::Keep);
    const auto result = p.apply(plan);
    const QString json = allJson(result);
    QVERIFY(json.contains(QStringLiteral("CONTOSO\\\\<USER_")));
    QVERIFY(json.contains(QStringLiteral("00-15-5D-01-02-03")));
    QVERIFY(!json.contains(QStringLiteral("<MAC_")));
    QVERIFY(!json.contains(QStringLiteral("10.20.30.41")));
    QVERIFY(!result.redactedValues.contains(QStringLiteral("CONTOSO")));
}

void tst_SnapshotPackage::occurrenceOverride()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    const QString id = SnapshotPackage::outputTextId(r.b.session, r.ipCommand, QStringLiteral("stdout"));
    const auto *t = textOf(p, id);
    const qsizetype second = t->text.indexOf(QStringLiteral("mlopez\\Desktop"));
    QVERIFY(second > 0);
    RedactionPlan plan = redactEverything(p);
    plan.setOccurrenceDecision(id, second, Decision::Keep);
    const QString published = publishedText(p.apply(plan), *t);
    QVERIFY(published.contains(QStringLiteral("Again: C:\\Users\\mlopez\\Desktop")));
    QVERIFY(published.contains(QStringLiteral("Last profile: C:\\Users\\<USER_")));
    QCOMPARE(published.count(QStringLiteral("mlopez")), 1);

    // And a kept value with one occurrence redacted.
    RedactionPlan keep = redactEverything(p);
    keep.setValueDecision(Finding::Type::User, QStringLiteral("mlopez"), Decision::Keep);
    keep.setOccurrenceDecision(id, second, Decision::Redact);
    const QString published2 = publishedText(p.apply(keep), *t);
    QVERIFY(published2.contains(QStringLiteral("Last profile: C:\\Users\\mlopez\\")));
    QVERIFY(!published2.contains(QStringLiteral("mlopez\\Desktop")));
}

void tst_SnapshotPackage::sweepRedactsAloneButNotAKeptOccurrence()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    const QString chat = r.b.session + QStringLiteral("/7/text");
    const auto *c = textOf(p, chat);
    QVERIFY(c);
    // No detector and no context term sees mlopez in the chat line.
    for (const Finding &f : c->findings)
        QVERIFY(f.key != u"mlopez");
    RedactionPlan plan = redactEverything(p);
    QVERIFY(!publishedText(p.apply(plan), *c).contains(QStringLiteral("mlopez")));
    Pseudonymizer names = p.placeholders(plan);
    QVERIFY(p.redactedText(p.indexOf(chat), plan, names).startsWith(QStringLiteral("<USER_")));

    // Kept everywhere but in one place: the sweep leaves the kept occurrences alone and still
    // takes the name from the chat line.
    const QString id = SnapshotPackage::outputTextId(r.b.session, r.ipCommand, QStringLiteral("stdout"));
    const auto *t = textOf(p, id);
    RedactionPlan some = redactEverything(p);
    some.setValueDecision(Finding::Type::User, QStringLiteral("mlopez"), Decision::Keep);
    some.setOccurrenceDecision(id, t->text.indexOf(QStringLiteral("mlopez\\NTUSER")), Decision::Redact);
    const auto result = p.apply(some);
    const QString out = publishedText(result, *t);
    QVERIFY(out.contains(QStringLiteral("Again: C:\\Users\\mlopez\\Desktop")));
    QVERIFY(!out.contains(QStringLiteral("mlopez\\NTUSER")));
    QVERIFY(!publishedText(result, *c).contains(QStringLiteral("mlopez")));

    // Nothing redacted: nothing swept.
    RedactionPlan none = redactEverything(p);
    none.setValueDecision(Finding::Type::User, QStringLiteral("mlopez"), Decision::Keep);
    QVERIFY(publishedText(p.apply(none), *c).contains(QStringLiteral("mlopez will call back")));
}

void tst_SnapshotPackage::wholeText()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    RedactionPlan plan = redactEverything(p);
    const QString stderrId = SnapshotPackage::outputTextId(r.a.session, r.listCommand, QStringLiteral("stderr"));
    const QString chat = r.b.session + QStringLiteral("/7/text");
    plan.setWholeText(stderrId, true);
    plan.setWholeText(chat, true);
    const auto result = p.apply(plan);
    QCOMPARE(publishedText(result, *textOf(p, chat)), QStringLiteral("<REDACTED>"));
    QCOMPARE(publishedText(result, *textOf(p, stderrId)), QStringLiteral("<REDACTED>\n"));
    QVERIFY(result.redactedValues.contains(textOf(p, chat)->text));
    QCOMPARE(result.report.value(QStringLiteral("wholeTexts")).toInt(), 2);
}

void tst_SnapshotPackage::undecidedCount()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    qsizetype total = 0;
    qsizetype listed = 0;
    for (const auto &t : p.texts()) {
        for (const Finding &f : t.findings) {
            ++total;
            listed += f.type == Finding::Type::Name;
        }
    }
    QVERIFY(listed >= 2);
    RedactionPlan plan;
    QCOMPARE(p.undecidedCount(plan), total - listed); // dictionary terms need no decision
    const auto groups = p.groups();
    qsizetype decided = 0;
    for (qsizetype g = 0; g + 1 < groups.size(); ++g) {
        plan.setValueDecision(groups[g].type, groups[g].key, g % 2 ? Decision::Keep : Decision::Redact);
        if (groups[g].type != Finding::Type::Name)
            decided += groups[g].occurrences.size();
    }
    const auto &last = groups.last();
    QCOMPARE(p.undecidedCount(plan), total - listed - decided);
    QCOMPARE(p.undecidedCount(plan), last.type == Finding::Type::Name ? 0 : last.occurrences.size());
    // A withheld text needs no decision.
    if (last.type != Finding::Type::Name) {
        QSet<qsizetype> texts;
        for (const auto &o : last.occurrences)
            texts.insert(o.text);
        for (qsizetype t : texts)
            plan.setWholeText(p.texts()[t].id, true);
        QCOMPARE(p.undecidedCount(plan), 0);
    }
    plan.setAcceptAll(true);
    QCOMPARE(p.undecidedCount(plan), 0);
    QCOMPARE(p.undecidedCount(redactEverything(p)), 0);
}

void tst_SnapshotPackage::dictionaryTermsRedactedByDefault()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    RedactionPlan plan = redactEverything(p);
    plan.setValueDecision(Finding::Type::Name, QStringLiteral("contoso ltd"), Decision::Undecided);
    QCOMPARE(p.undecidedCount(plan), 0);
    const QString note = publishedText(p.apply(plan), *textOf(p, r.a.session + QStringLiteral("/18/text")));
    QCOMPARE(note, QStringLiteral("Invoice <NAME_1> for 15 minutes."));
    plan.setValueDecision(Finding::Type::Name, QStringLiteral("contoso ltd"), Decision::Keep);
    QVERIFY(publishedText(p.apply(plan), *textOf(p, r.a.session + QStringLiteral("/18/text"))).contains(QStringLiteral("Contoso Ltd")));

    // A term the reviewer added is found and redacted the same way, once scanned.
    SnapshotPackage q = packageOf(r);
    RedactionPlan added = redactEverything(q);
    added.addTerm(QStringLiteral("printer"));
    q.scan(added);
    QCOMPARE(q.undecidedCount(added), 0);
    QVERIFY(publishedText(q.apply(added), *textOf(q, r.b.session + QStringLiteral("/7/text"))).contains(QStringLiteral("about the <NAME_")));
}

void tst_SnapshotPackage::reportCounts()
{
    SessionBuilder s;
    s.opened(QStringLiteral("Counting"));
    s.note(QStringLiteral("from 10.0.0.5 to 10.0.0.6 and 10.0.0.5 again, see C:\\Users\\alice\\x.log"));
    s.chat(QStringLiteral("Globex says hi"));
    s.chat(QStringLiteral("nothing here at all"));
    SnapshotPackage p;
    p.addSession(s.events);
    RedactionDictionary d;
    d.add(QStringLiteral("Globex"));
    d.add(QStringLiteral("Initech"));
    p.setDictionary(d);
    RedactionPlan plan;
    plan.addTerm(QStringLiteral("Umbrella Corp"));
    p.scan(plan);
    plan.setValueDecision(Finding::Type::Ipv4, QStringLiteral("10.0.0.5"), Decision::Redact);
    plan.setValueDecision(Finding::Type::Ipv4, QStringLiteral("10.0.0.6"), Decision::Redact);
    plan.setValueDecision(Finding::Type::User, QStringLiteral("alice"), Decision::Keep);
    plan.addSpan({s.session + QStringLiteral("/1/title"), 0, 3});
    plan.addSpan({QStringLiteral("no-such-text"), 0, 3});
    plan.setWholeText(s.session + QStringLiteral("/4/text"), true);
    const auto report = p.apply(plan).report;
    QCOMPARE(report.value(QStringLiteral("redacted")).toObject(),
             (QJsonObject{{QStringLiteral("ipv4"), 3}, {QStringLiteral("name"), 1}}));
    QCOMPARE(report.value(QStringLiteral("kept")).toObject(), (QJsonObject{{QStringLiteral("user"), 1}}));
    QCOMPARE(report.value(QStringLiteral("manualSpans")).toInt(), 1);
    QCOMPARE(report.value(QStringLiteral("wholeTexts")).toInt(), 1);
    QCOMPARE(report.value(QStringLiteral("dictionaryTerms")).toInt(), 3);
}

void tst_SnapshotPackage::scrubTitle()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    const RedactionPlan plan = redactEverything(p);
    Pseudonymizer names = p.placeholders(plan);
    const QString title = p.scrub(QStringLiteral("jsmith's Outlook on frontdesk-03 (Contoso Ltd)"), plan, names);
    QVERIFY2(!title.contains(QStringLiteral("jsmith")) && !title.contains(QStringLiteral("frontdesk"), Qt::CaseInsensitive)
                 && !title.contains(QStringLiteral("Contoso Ltd")),
             qPrintable(title));
    QVERIFY(title.startsWith(QStringLiteral("<USER_1>'s Outlook on <HOST_")));
}

// grep --color and ls colour their output: escape sequences sit inside the values. The page
// drops the escapes, so the parts of a value must not be found apart (or not at all) in the raw
// text and meet again on the page.
void tst_SnapshotPackage::valuesSplitByTerminalEscapesAreRedacted()
{
    SessionBuilder s(QStringLiteral("2c4e6a8b-1d3f-4a5c-8e7b-9f0a1b2c3d4e"));
    s.opened(QStringLiteral("Mail"));
    const QString command =
        s.requested(QStringLiteral("grep --color=always -r jsmith /etc/aliases"));
    s.output(command, QStringLiteral("Mail: \x1b[01;31m\x1b[Kjsmith\x1b[m\x1b[K@contoso.com\n"
                                     "owner \x1b[1mjsmith\x1b[0m of 10.20.\x1b[32m30.40\x1b[0m\n"));
    SnapshotPackage p;
    p.addSession(s.events);
    RedactionPlan plan;
    p.scan(plan);
    QStringList values;
    for (const auto &g : p.groups())
        values.append(g.value);
    // The address is found whole (its user and domain are grouped apart), not as a user "K".
    QVERIFY2(values.contains(QStringLiteral("jsmith")) &&
                 values.contains(QStringLiteral("contoso.com")) &&
                 !values.contains(QStringLiteral("K")),
             qPrintable(values.join(QLatin1Char(','))));
    QVERIFY2(values.contains(QStringLiteral("10.20.30.40")),
             qPrintable(values.join(QLatin1Char(','))));
    plan = redactEverything(p);
    const auto result = p.apply(plan);
    const QString json = allJson(result);
    QVERIFY2(!json.contains(QStringLiteral("jsmith")), qPrintable(json));
    QVERIFY(!json.contains(QStringLiteral("30.40")));

    SnapshotDocument::Meta meta;
    meta.id = Event::newId();
    meta.org = QStringLiteral("5b0e3d72-91c4-4f6a-8d25-e7a16c9f4b38");
    meta.title = QStringLiteral("Mail");
    meta.audience = QStringLiteral("link");
    meta.publishedAt = QStringLiteral("2026-03-12T10:00:00.000Z");
    meta.expiresAt = QStringLiteral("2026-03-19T10:00:00.000Z");
    meta.publisher = QJsonObject{{QStringLiteral("id"), Event::newId()},
                                 {QStringLiteral("name"), QStringLiteral("Reviewer")}};
    const QString html =
        QString::fromUtf8(SnapshotHtml::render(SnapshotDocument::build(meta, {s.events}, result)));
    QVERIFY(html.contains(QStringLiteral("Mail: ")));
    QVERIFY2(!html.contains(QStringLiteral("jsmith")),
             qPrintable(html.mid(html.indexOf(QStringLiteral("Mail: ")), 200)));
    QVERIFY(!html.contains(QStringLiteral("30.40")));
}

// Long outputs are scanned a megabyte at a time. A private key that starts just before such a
// cut must be redacted to its END, not only to the cut.
void tst_SnapshotPackage::keyAcrossAScanPieceIsRedactedWhole()
{
    SessionBuilder s(QStringLiteral("0b6f3c1e-4a2d-4e8b-9c7f-5d1e2a3b4c5d"));
    s.opened(QStringLiteral("Certificates"));
    const QString command = s.requested(QStringLiteral("cat /etc/ssl/private/*"));
    QString key = QStringLiteral("-----BEGIN RSA PRIVATE KEY-----\n");
    QStringList lines;
    for (int i = 0; i < 40; ++i) {
        lines.append(QString::fromLatin1(
            QCryptographicHash::hash(QByteArray::number(i), QCryptographicHash::Sha512)
                .toBase64()
                .left(64)));
        key += lines.last() + QLatin1Char('\n');
    }
    key += QStringLiteral("-----END RSA PRIVATE KEY-----\n");
    // The cut falls a few lines into the key.
    const QString filler = QString((1 << 20) - 100, QLatin1Char('a')) + QLatin1Char('\n');
    s.output(command, filler + key + QStringLiteral("done\n"));
    SnapshotPackage p;
    p.addSession(s.events);
    RedactionPlan plan;
    p.scan(plan);
    plan = redactEverything(p);
    const auto result = p.apply(plan);
    const QString published = allJson(result);
    for (const QString &line : std::as_const(lines))
        QVERIFY2(!published.contains(line), qPrintable(line));
    QVERIFY(published.contains(QStringLiteral("done")));
}

// The snapshot's title defaults to the session's: what the reviewer selected there by hand, or
// redacted as a whole text, must be gone from it too, not only from the record.
void tst_SnapshotPackage::scrubTitleOfHandSelections()
{
    const Record r = makeRecord();
    const SnapshotPackage p = packageOf(r);
    const QString titleId = r.a.session + QStringLiteral("/1/title");
    const QString sessionTitle = textOf(p, titleId)->text;
    QVERIFY(sessionTitle.size() > 8);
    RedactionPlan plan;
    const QString selected = sessionTitle.mid(2, 6);
    plan.addSpan({titleId, 2, 6});
    Pseudonymizer names = p.placeholders(plan);
    QString scrubbed = p.scrub(QStringLiteral("Handoff: ") + sessionTitle, plan, names);
    QVERIFY2(!scrubbed.contains(selected, Qt::CaseInsensitive), qPrintable(scrubbed));
    QVERIFY(scrubbed.contains(QStringLiteral("<REDACTED>")));
    QVERIFY(scrubbed.startsWith(QStringLiteral("Handoff: ")));
    // Any case, as the sweep: the reviewer wrote the title anew.
    scrubbed = p.scrub(selected.toUpper() + QStringLiteral(" again"), plan, names);
    QVERIFY2(!scrubbed.contains(selected, Qt::CaseInsensitive), qPrintable(scrubbed));
    // The whole title redacted: not in the snapshot's title either.
    RedactionPlan whole;
    whole.setWholeText(titleId, true);
    Pseudonymizer wholeNames = p.placeholders(whole);
    scrubbed = p.scrub(sessionTitle, whole, wholeNames);
    QCOMPARE(scrubbed, QStringLiteral("<REDACTED>"));
}

// ---------------------------------------------------------------------------------------------
// The invariant: with every value redacted, no redacted value is anywhere in the signed JSON or
// the page, on generated packages.

namespace {

struct Pools
{
    QStringList users{QStringLiteral("jsmith"), QStringLiteral("mlopez"), QStringLiteral("akowalczyk"),
                      QStringLiteral("t.nguyen"), QStringLiteral("bwilliams"), QStringLiteral("Jane Doe"),
                      QStringLiteral("rpatel")};
    QStringList domains{QStringLiteral("CONTOSO"), QStringLiteral("FABRIKAM"), QStringLiteral("NORTHWIND")};
    QStringList mailDomains{QStringLiteral("contoso.com"), QStringLiteral("fabrikam.co.uk"), QStringLiteral("northwindtraders.net")};
    QStringList hosts{QStringLiteral("FRONTDESK-03"), QStringLiteral("WS-ACCT-17"), QStringLiteral("LAPTOP-7QK2M"),
                      QStringLiteral("PRN-LOBBY"), QStringLiteral("SRV-FILES"), QStringLiteral("KIOSK-ZW")};
    QStringList ips{QStringLiteral("10.20.30.40"), QStringLiteral("192.168.10.24"), QStringLiteral("172.16.5.9"),
                    QStringLiteral("52.97.133.2"), QStringLiteral("10.1.77.250")};
    QStringList ipv6{QStringLiteral("2001:db8:85a3::8a2e:370:7334"), QStringLiteral("fe80::1c2b:3a4d:5e6f:7081")};
    QStringList macs{QStringLiteral("00-15-5D-01-02-03"), QStringLiteral("3C:52:82:1A:2B:3C"), QStringLiteral("A4-BB-6D-77-10-9F")};
    QStringList secrets{QStringLiteral("Summer2024!"), QStringLiteral("$ecretP@ss9"), QStringLiteral("Tr0ub4dor&3"),
                        QStringLiteral("!Winter#77"), QStringLiteral("hunter2hunter2")};
    QStringList phones{QStringLiteral("+1 425 555 0100"), QStringLiteral("+44 20 7946 0958"), QStringLiteral("(030) 1234567")};
    QStringList names{QStringLiteral("Contoso Ltd"), QStringLiteral("Globex"), QStringLiteral("Northwind Traders"),
                      QStringLiteral("Aurelia Vance")};
    QStringList sids{QStringLiteral("S-1-5-21-1004336348-1177238915-682003330-1104"),
                     QStringLiteral("S-1-5-21-3623811015-3361044348-30300820-1013")};
};

class Generator
{
public:
    explicit Generator(quint32 seed) : m_rng(seed) {}

    QString pick(const QStringList &list) { return list.at(m_rng.bounded(int(list.size()))); }
    int bounded(int from, int to) { return m_rng.bounded(from, to); }
    QString cased(const QString &s)
    {
        switch (m_rng.bounded(4)) {
        case 0:
            return s.toUpper();
        case 1:
            return s.toLower();
        default:
            return s;
        }
    }

    QString line(const QString &user, const QString &host, const QString &domain)
    {
        const Pools &p = m_pools;
        switch (m_rng.bounded(16)) {
        case 0:
            return QStringLiteral("    Directory: C:\\Users\\%1\\AppData\\Local\\Temp").arg(cased(pick(p.users)));
        case 1:
            return QStringLiteral("User Name  %1\\%2").arg(domain, cased(user));
        case 2:
            return QStringLiteral("UserPrincipalName : %1@%2").arg(cased(pick(p.users)).remove(QLatin1Char(' ')), pick(p.mailDomains));
        case 3:
            return QStringLiteral("   IPv4 Address. . . . . . . . . . . : %1(Preferred)").arg(pick(p.ips));
        case 4:
            return QStringLiteral("   Physical Address. . . . . . . . . : %1").arg(cased(pick(p.macs)));
        case 5:
            return QStringLiteral("   Host Name . . . . . . . . . . . . : %1").arg(cased(host));
        case 6:
            return QStringLiteral("net use Z: \\\\%1\\profiles /persistent:no").arg(cased(pick(p.hosts)));
        case 7:
            return QStringLiteral("net user %1 %2 /add").arg(cased(pick(p.users)).remove(QLatin1Char(' ')), pick(p.secrets));
        case 8:
            return QStringLiteral("Server=sql01;Database=crm;User Id=svc_crm7;Password=%1;").arg(pick(p.secrets));
        case 9:
            return QStringLiteral("$cred = ConvertTo-SecureString '%1' -AsPlainText -Force").arg(pick(p.secrets));
        case 10:
            return QStringLiteral("Owner: %1, phone %2").arg(cased(pick(p.names)), pick(p.phones));
        case 11:
            return QStringLiteral("SID %1  %2\\%3").arg(pick(p.sids), domain, cased(user));
        case 12:
            return QStringLiteral("Pinging %1 with 32 bytes of data: Reply from %2").arg(pick(p.ipv6), pick(p.ips));
        case 13:
            return QStringLiteral("Windows 10.0.19045.3693, KB5035853 installed, error 0x80070005, event 7031");
        case 14:
            return QStringLiteral("TCP    %1:49712   %2:443   ESTABLISHED").arg(pick(p.ips), pick(p.ips));
        default:
            return QStringLiteral("Ping statistics: Packets: Sent = 4, Received = 4, Lost = 0 (0% loss)");
        }
    }

    QString prose(const QString &user)
    {
        const Pools &p = m_pools;
        switch (m_rng.bounded(6)) {
        case 0:
            return QStringLiteral("%1 says the password %2 still fails").arg(cased(user), pick(p.secrets));
        case 1:
            return QStringLiteral("Spoke with %1 of %2, call back on %3").arg(pick(p.names), pick(p.names), pick(p.phones));
        case 2:
            return QStringLiteral("Mail from %1@%2 about %3").arg(cased(user).remove(QLatin1Char(' ')), pick(p.mailDomains), cased(pick(p.hosts)));
        case 3:
            return QStringLiteral("It works now, thanks! (%1)").arg(cased(pick(p.users)));
        case 4:
            return QStringLiteral("Checked %1 and %2, both fine").arg(pick(p.ips), cased(pick(p.hosts)));
        default:
            return QStringLiteral("Print queue cleared, spooler restarted.");
        }
    }

    QList<QString> split(const QString &data)
    {
        QList<QString> parts;
        int chunks = bounded(1, 5);
        qsizetype from = 0;
        for (int c = 1; c < chunks && from < data.size(); ++c) {
            const qsizetype at = from + m_rng.bounded(int(data.size() - from));
            parts.append(data.mid(from, at - from));
            from = at;
        }
        parts.append(data.mid(from));
        return parts;
    }

    QList<Event> session()
    {
        SessionBuilder s;
        const QString user = pick(m_pools.users);
        const QString host = pick(m_pools.hosts);
        const QString domain = pick(m_pools.domains);
        s.opened(QStringLiteral("%1 cannot print on %2").arg(cased(user), cased(host)), QStringLiteral("INC-%1").arg(bounded(1000, 9999)),
                 {cased(user).remove(QLatin1Char(' ')), QStringLiteral("printing")});
        s.context(host, domain, domain + QLatin1Char('\\') + user);
        const QString h = s.hypothesis(prose(user));
        const int commands = bounded(1, 4);
        QString lastCommand;
        for (int c = 0; c < commands; ++c) {
            const QString cmd = s.requested(line(user, host, domain), bounded(0, 2) == 1);
            lastCommand = cmd;
            if (bounded(0, 2)) {
                s.approvalRequested(cmd, QStringLiteral("Technician wants to run this on %1 as %2. Approve?").arg(cased(host), cased(user)));
                s.approvalDecided(cmd, QStringLiteral("approved"), domain + QLatin1Char('\\') + cased(user));
            }
            s.started(cmd, domain + QLatin1Char('\\') + user, QStringLiteral("C:\\Users\\%1").arg(user));
            QString out;
            const int lines = bounded(2, 14);
            for (int l = 0; l < lines; ++l)
                out += line(user, host, domain) + (bounded(0, 2) ? QStringLiteral("\r\n") : QStringLiteral("\n"));
            for (const QString &part : split(out))
                s.output(cmd, part);
            if (bounded(0, 2)) {
                for (const QString &part : split(line(user, host, domain) + QStringLiteral("\n")))
                    s.output(cmd, part, QStringLiteral("stderr"));
            }
            s.finished(cmd, bounded(0, 2));
        }
        s.hypothesisUpdated(h, bounded(0, 2) ? QStringLiteral("confirmed") : QStringLiteral("ruled_out"), lastCommand, 0, 1, prose(user));
        for (int i = bounded(1, 4); i > 0; --i)
            s.chat(prose(user), bounded(0, 2));
        s.note(prose(user));
        s.closed(prose(user));
        return s.events;
    }

    RedactionDictionary dictionary()
    {
        RedactionDictionary d;
        for (const QString &n : m_pools.names)
            d.add(n);
        for (const QString &n : m_pools.phones)
            d.add(n, Finding::Type::Phone);
        return d;
    }

private:
    QRandomGenerator m_rng;
    Pools m_pools;
};

QString htmlEscaped(const QString &s)
{
    return SnapshotHtml::escape(s);
}

} // namespace

void tst_SnapshotPackage::noRedactedValueIsPublished()
{
    const quint32 base = QRandomGenerator::global()->generate();
    const SnapshotSigner signer = SnapshotSigner::generate();
    for (int iteration = 0; iteration < 50; ++iteration) {
        const quint32 seed = base + quint32(iteration);
        Generator gen(seed);
        SnapshotPackage p;
        QList<QList<Event>> originals;
        for (int s = gen.bounded(2, 5); s > 0; --s) {
            originals.append(gen.session());
            p.addSession(originals.last());
        }
        p.setDictionary(gen.dictionary());
        RedactionPlan plan;
        QVERIFY(p.scan(plan));
        QStringList raw;
        for (const auto &g : p.groups()) {
            plan.setValueDecision(g.type, g.key, Decision::Redact);
            raw << g.value;
            for (const auto &o : g.occurrences)
                raw << p.texts()[o.text].findings[o.finding].value;
        }
        QCOMPARE(p.undecidedCount(plan), 0);
        const SnapshotPackage::Result result = p.apply(plan);
        raw << result.redactedValues;
        raw.removeDuplicates();
        QVERIFY(raw.size() > 10);

        Pseudonymizer names = p.placeholders(plan);
        SnapshotDocument::Meta meta;
        meta.id = Event::newId();
        meta.org = QStringLiteral("5b0e3d72-91c4-4f6a-8d25-e7a16c9f4b38");
        meta.title = p.scrub(p.texts().first().text, plan, names); // the first session's title
        meta.summary = QStringLiteral("Generated package %1").arg(seed);
        meta.audience = QStringLiteral("link");
        meta.publishedAt = QStringLiteral("2026-03-12T10:00:00.000Z");
        meta.expiresAt = QStringLiteral("2026-03-19T10:00:00.000Z");
        meta.publisher = QJsonObject{{QStringLiteral("id"), Event::newId()}, {QStringLiteral("name"), QStringLiteral("Reviewer")}};
        const QJsonObject signedDoc = SnapshotDocument::sign(SnapshotDocument::build(meta, originals, result), signer);
        const QByteArray bytes = SnapshotDocument::encode(signedDoc);
        const auto verified = SnapshotDocument::verify(bytes, signer.publicKey());
        QVERIFY2(verified.ok, qPrintable(QStringLiteral("seed %1: %2").arg(seed).arg(verified.error)));
        const QString json = QString::fromUtf8(bytes);
        const QString html = QString::fromUtf8(SnapshotHtml::render(verified.snapshot));

        for (const QString &value : std::as_const(raw)) {
            const QString v = value.trimmed();
            if (v.isEmpty())
                continue;
            for (const QString &form : QStringList{v, jsonEscaped(v)}) {
                const qsizetype at = json.indexOf(form, 0, Qt::CaseInsensitive);
                if (at >= 0)
                    QFAIL(qPrintable(QStringLiteral("seed %1: \"%2\" is in the JSON: …%3…").arg(seed).arg(v, json.mid(std::max<qsizetype>(0, at - 80), 160))));
            }
            for (const QString &form : QStringList{v, htmlEscaped(v)}) {
                const qsizetype at = html.indexOf(form, 0, Qt::CaseInsensitive);
                if (at >= 0)
                    QFAIL(qPrintable(QStringLiteral("seed %1: \"%2\" is in the page: …%3…").arg(seed).arg(v, html.mid(std::max<qsizetype>(0, at - 80), 160))));
            }
        }
    }
}

QTEST_APPLESS_MAIN(tst_SnapshotPackage)
#include "tst_SnapshotPackage.moc"
