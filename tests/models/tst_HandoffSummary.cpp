#include "HandoffSummary.h"
#include "events/bodies/ApprovalDecidedBody.h"
#include "events/bodies/CommandFinishedBody.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/CommandRequestedBody.h"
#include "events/bodies/HypothesisAddedBody.h"
#include "events/bodies/HypothesisUpdatedBody.h"
#include "events/bodies/SessionOpenedBody.h"

#include <QtTest>

using namespace casefile;

// The handoff summary folded from a session's events.
class tst_HandoffSummary : public QObject
{
    Q_OBJECT

private slots:
    void summary();
    void htmlIsEscapedAndLinksEvidence();
    void emptySession();

private:
    QList<Event> m_events;
    QString add(EventKind kind, const QJsonObject &body);
    template<typename Body>
    void add(const Body &body)
    {
        Event e = Event::make(m_session, Actor{QStringLiteral("user"), m_user}, body);
        e.seq = m_events.size() + 1;
        m_events.append(e);
    }
    QString command(const QString &text, bool change, const QStringList &chunks, const QString &status, qint64 exit,
                    const QString &decision = {});
    QString hypothesis(const QString &text);
    void update(const QString &h, const QString &status, const QString &command, qint64 from, qint64 to,
                const QString &note = {});

    QString m_session = Event::newId();
    QString m_user = Event::newId();
};

QString tst_HandoffSummary::command(const QString &text, bool change, const QStringList &chunks, const QString &status,
                                    qint64 exit, const QString &decision)
{
    CommandRequestedBody r;
    r.command = Event::newId();
    r.shell = QStringLiteral("powershell");
    r.text = text;
    r.change = change;
    add(r);
    if (!decision.isEmpty()) {
        ApprovalDecidedBody d;
        d.command = r.command;
        d.decision = decision;
        d.decidedBy = QStringLiteral("CONTOSO\\mlopez");
        d.decidedAt = QStringLiteral("2026-03-11T09:16:31.482Z");
        add(d);
    }
    for (qsizetype i = 0; i < chunks.size(); ++i) {
        CommandOutputBody o;
        o.command = r.command;
        o.stream = QStringLiteral("stdout");
        o.chunk = i;
        o.data = chunks.at(i);
        add(o);
    }
    CommandFinishedBody f;
    f.command = r.command;
    f.status = status;
    if (exit >= 0)
        f.exitCode = exit;
    add(f);
    return r.command;
}

QString tst_HandoffSummary::hypothesis(const QString &text)
{
    HypothesisAddedBody b;
    b.hypothesis = Event::newId();
    b.text = text;
    add(b);
    return b.hypothesis;
}

void tst_HandoffSummary::update(const QString &h, const QString &status, const QString &command, qint64 from,
                                qint64 to, const QString &note)
{
    HypothesisUpdatedBody b;
    b.hypothesis = h;
    b.status = status;
    if (!command.isEmpty()) {
        HypothesisUpdatedBody::Evidence e;
        e.command = command;
        if (from >= 0) {
            e.fromLine = from;
            e.toLine = to;
        }
        b.evidence.append(e);
    }
    if (!note.isEmpty())
        b.note = note;
    add(b);
}

void tst_HandoffSummary::summary()
{
    m_events.clear();
    SessionOpenedBody o;
    o.org = Event::newId();
    o.clientGroup = Event::newId();
    o.endpoint = Event::newId();
    o.technician = m_user;
    o.title = QStringLiteral("Print jobs stuck");
    o.followUpOf = Event::newId();
    add(o);
    // Output in two chunks, the evidence lines spanning the cut.
    const QString spooler = command(QStringLiteral("Get-Service Spooler"), false,
                                    {QStringLiteral("Status   Name\r\n------   ----\r\nRun"),
                                     QStringLiteral("ning  Spooler\r\n\r\n")},
                                    QStringLiteral("exited"), 0);
    const QString dns = command(QStringLiteral("Resolve-DnsName printsrv"), false,
                                {QStringLiteral("Name  Type  IP\nprintsrv  A  <IP_1>\n")}, QStringLiteral("exited"), 0);
    const QString a = hypothesis(QStringLiteral("The spooler service is stopped"));
    const QString b = hypothesis(QStringLiteral("The print server name does not resolve"));
    const QString c = hypothesis(QStringLiteral("A stuck job blocks the queue"));
    const QString d = hypothesis(QStringLiteral("Driver mismatch"));
    update(a, QStringLiteral("ruled_out"), spooler, 2, 2, QStringLiteral("It runs."));
    update(b, QStringLiteral("ruled_out"), dns, -1, -1);
    update(c, QStringLiteral("confirmed"), spooler, 0, 1);
    update(d, QStringLiteral("ruled_out"), {}, -1, -1);
    update(d, QStringLiteral("open"), {}, -1, -1); // reopened: open again
    command(QStringLiteral("Restart-Service Spooler -Force"), true, {}, QStringLiteral("exited"), 0, QStringLiteral("approved"));
    command(QStringLiteral("Remove-Item C:\\Windows\\System32\\spool\\PRINTERS\\*"), true, {}, QStringLiteral("denied"), -1,
            QStringLiteral("denied"));
    const QString last = command(QStringLiteral("Get-PrintJob -PrinterName HP"), false,
                                 {QStringLiteral("1\n2\n3\n4\n5\n6\n7\n\n")}, QStringLiteral("exited"), 0);

    const HandoffSummary s = HandoffSummary::fromEvents(m_events);
    QCOMPARE(s.session, m_session);
    QCOMPARE(s.title, QStringLiteral("Print jobs stuck"));
    QCOMPARE(s.followUpOf, *o.followUpOf);
    QCOMPARE(s.ruledOut.size(), 2);
    QCOMPARE(s.ruledOut.at(0).text, QStringLiteral("The spooler service is stopped"));
    QCOMPARE(s.ruledOut.at(0).note, QStringLiteral("It runs."));
    QCOMPARE(s.ruledOut.at(0).evidence.size(), 1);
    QCOMPARE(s.ruledOut.at(0).evidence.at(0).commandText, QStringLiteral("Get-Service Spooler"));
    // Line 2 (from 0) is "Running  Spooler", joined across the chunk cut, without the \r.
    QCOMPARE(s.ruledOut.at(0).evidence.at(0).lines, QStringList{QStringLiteral("Running  Spooler")});
    QCOMPARE(s.ruledOut.at(1).evidence.at(0).fromLine, -1);
    QCOMPARE(s.ruledOut.at(1).evidence.at(0).lines,
             (QStringList{QStringLiteral("Name  Type  IP"), QStringLiteral("printsrv  A  <IP_1>"), QString()}));
    QCOMPARE(s.confirmed.size(), 1);
    QCOMPARE(s.confirmed.at(0).evidence.at(0).lines, (QStringList{QStringLiteral("Status   Name"), QStringLiteral("------   ----")}));
    QCOMPARE(s.open.size(), 1);
    QCOMPARE(s.open.at(0).text, QStringLiteral("Driver mismatch"));
    QCOMPARE(s.changes.size(), 2);
    QCOMPARE(s.changes.at(0).decision, QStringLiteral("approved"));
    QCOMPARE(s.changes.at(0).decidedBy, QStringLiteral("CONTOSO\\mlopez"));
    QCOMPARE(s.changes.at(0).status, QStringLiteral("exited"));
    QCOMPARE(s.changes.at(0).exitCode, 0);
    QCOMPARE(s.changes.at(1).decision, QStringLiteral("denied"));
    QCOMPARE(s.last.command, last);
    QCOMPARE(s.last.exitCode, 0);
    QCOMPARE(s.last.tail, (QStringList{QStringLiteral("3"), QStringLiteral("4"), QStringLiteral("5"), QStringLiteral("6"),
                                       QStringLiteral("7")}));
}

void tst_HandoffSummary::htmlIsEscapedAndLinksEvidence()
{
    m_events.clear();
    const QString cmd = command(QStringLiteral("echo '<b>x</b>'"), false, {QStringLiteral("<script>alert(1)</script>\n")},
                                QStringLiteral("exited"), 0);
    const QString h = hypothesis(QStringLiteral("<img src=x onerror=alert(1)>"));
    update(h, QStringLiteral("ruled_out"), cmd, 0, 0);
    const QString html = HandoffSummary::fromEvents(m_events).toHtml();
    QVERIFY(!html.contains(QStringLiteral("<script")));
    QVERIFY(!html.contains(QStringLiteral("<img")));
    QVERIFY(!html.contains(QStringLiteral("<b>x")));
    QVERIFY(html.contains(QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;")));
    QVERIFY(html.contains(QStringLiteral("href=\"evidence:%1:0\"").arg(cmd)));
    QVERIFY(html.contains(QStringLiteral("Ruled out")));
}

void tst_HandoffSummary::emptySession()
{
    const HandoffSummary s = HandoffSummary::fromEvents({});
    QVERIFY(s.ruledOut.isEmpty() && s.confirmed.isEmpty() && s.open.isEmpty() && s.changes.isEmpty());
    QVERIFY(s.last.command.isEmpty());
    QVERIFY(s.toHtml().contains(QStringLiteral("Nothing ruled out")));
}

QTEST_MAIN(tst_HandoffSummary)
#include "tst_HandoffSummary.moc"
