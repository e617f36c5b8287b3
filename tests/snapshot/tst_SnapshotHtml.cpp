// The published page: every character from the record escaped, terminal escapes and control
// characters dropped, a policy that allows no script and exactly the page's own style sheet, and
// the parts a reader needs (hypotheses, approvals, outputs, chat).
#include "SessionBuilder.h"

#include "snapshot/SnapshotDocument.h"
#include "snapshot/SnapshotHtml.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace casefile;

namespace {

QJsonObject snapshotOf(const QList<QList<Event>> &sessions, const QString &title = QStringLiteral("Snapshot"),
                       const QString &publisher = QStringLiteral("Dana Reviewer"))
{
    SnapshotPackage::Result result;
    result.sessions = sessions; // the page renders what it is given
    result.report = QJsonObject{{QStringLiteral("redacted"), QJsonObject{{QStringLiteral("user"), 3}}},
                                {QStringLiteral("kept"), QJsonObject{{QStringLiteral("domain"), 2}}},
                                {QStringLiteral("manualSpans"), 1},
                                {QStringLiteral("wholeTexts"), 0}};
    SnapshotDocument::Meta meta;
    meta.id = Event::newId();
    meta.title = title;
    meta.summary = QStringLiteral("What was done & why");
    meta.audience = QStringLiteral("link");
    meta.publishedAt = QStringLiteral("2026-03-12T10:00:00.000Z");
    meta.expiresAt = QStringLiteral("2026-03-19T10:00:00.000Z");
    meta.publisher = QJsonObject{{QStringLiteral("id"), Event::newId()}, {QStringLiteral("name"), publisher}};
    return SnapshotDocument::build(meta, sessions, result);
}

QString page(const QList<QList<Event>> &sessions, const QString &title = QStringLiteral("Snapshot"),
             const QString &publisher = QStringLiteral("Dana Reviewer"))
{
    return QString::fromUtf8(SnapshotHtml::render(snapshotOf(sessions, title, publisher)));
}

// The part of the page after the style sheet: what comes from the record.
QString bodyOf(const QString &html)
{
    return html.mid(html.indexOf(QStringLiteral("</style>")));
}

QList<Event> hostileSession()
{
    SessionBuilder s;
    s.opened(QStringLiteral("<script>alert('title')</script>"), QStringLiteral("\"><img src=x onerror=alert(1)>"),
             {QStringLiteral("</style><script>alert(2)</script>")});
    s.context(QStringLiteral("<svg onload=alert(3)>"), QStringLiteral("CONTOSO"), QStringLiteral("CONTOSO\\<b>x</b>"));
    const QString cmd = s.requested(QStringLiteral("echo '<SCRIPT SRC=//evil.example/x.js></SCRIPT>' & <a href=\"javascript:alert(4)\">x</a>"),
                                    true, QStringLiteral("<ScRiPt>"));
    s.approvalRequested(cmd, QStringLiteral("Approve? </p><script>alert(5)</script>"));
    s.approvalDecided(cmd, QStringLiteral("approved"), QStringLiteral("<iframe src=javascript:alert(6)>"));
    s.started(cmd, QStringLiteral("NT AUTHORITY\\SYSTEM\"onmouseover=\"alert(7)"));
    s.output(cmd, QStringLiteral("\x1b[31m<scr"));
    s.output(cmd, QStringLiteral("ipt>alert(8)</script>\x1b[0m\r\n\x1b]0;<script>title</script>\x07after osc\r\n"));
    s.output(cmd, QStringLiteral("<img src=x onerror=alert(9)>\n"), QStringLiteral("stderr"));
    s.finished(cmd);
    const QString h = s.hypothesis(QStringLiteral("<script>alert(10)</script>"));
    s.hypothesisUpdated(h, QStringLiteral("confirmed"), cmd, 0, 1, QStringLiteral("</style><style>body{display:none}"));
    s.chat(QStringLiteral("<<script>script>alert(11)<</script>/script>"));
    s.note(QStringLiteral("<a href='javascript:alert(12)'>click</a>"));
    s.closed(QStringLiteral("<script>alert(13)</script>"));
    return s.events;
}

} // namespace

class tst_SnapshotHtml : public QObject
{
    Q_OBJECT
private slots:
    void escape_data();
    void escape();
    void recordTextIsEscaped_data();
    void recordTextIsEscaped();
    void terminalEscapesAndControlsDropped();
    void policyMatchesTheStyleSheet();
    void noScriptFromAHostileTranscript();
    void noScriptFromHostileIds();
    void noScriptFromTheHostileFixture();
    void rendersTheRecord();
    void message();
};

void tst_SnapshotHtml::escape_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("script") << QStringLiteral("<script>x</script>") << QStringLiteral("&lt;script&gt;x&lt;/script&gt;");
    QTest::newRow("ampersand") << QStringLiteral("a & b &amp;") << QStringLiteral("a &amp; b &amp;amp;");
    QTest::newRow("quotes") << QStringLiteral("\"x\" 'y'") << QStringLiteral("&quot;x&quot; &#39;y&#39;");
    QTest::newRow("plain") << QStringLiteral("Spooler – läuft") << QStringLiteral("Spooler – läuft");
}

void tst_SnapshotHtml::escape()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(SnapshotHtml::escape(in), out);
}

void tst_SnapshotHtml::recordTextIsEscaped_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("shown");
    QTest::newRow("script") << QStringLiteral("<script>alert(1)</script>") << QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;");
    QTest::newRow("img onerror") << QStringLiteral("<img src=x onerror=alert(1)>") << QStringLiteral("&lt;img src=x onerror=alert(1)&gt;");
    QTest::newRow("javascript link") << QStringLiteral("<a href=\"javascript:alert(1)\">x</a>")
                                     << QStringLiteral("&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;");
    QTest::newRow("end of style") << QStringLiteral("</style><style>*{}") << QStringLiteral("&lt;/style&gt;&lt;style&gt;*{}");
    QTest::newRow("quotes") << QStringLiteral("\" onmouseover='x'") << QStringLiteral("&quot; onmouseover=&#39;x&#39;");
    QTest::newRow("ampersand") << QStringLiteral("AT&T &lt;") << QStringLiteral("AT&amp;T &amp;lt;");
}

void tst_SnapshotHtml::recordTextIsEscaped()
{
    QFETCH(QString, text);
    QFETCH(QString, shown);
    SessionBuilder s;
    s.opened(text);
    const QString cmd = s.requested(text);
    s.output(cmd, text);
    s.chat(text);
    s.note(text);
    const QString html = page({s.events}, text, text);
    const QString body = bodyOf(html);
    // Shown as text in the title, heading, command, output, chat and note, never as markup.
    QVERIFY2(body.count(shown) >= 6, qPrintable(body));
    QVERIFY(!body.contains(text));
    QVERIFY(html.contains(QStringLiteral("<title>") + shown));
    // Escaped once, not twice (the publisher's name in the header line).
    QVERIFY2(body.contains(QStringLiteral(" by ") + shown + QStringLiteral(" ·")), qPrintable(body.left(2000)));
    QVERIFY(!body.contains(QStringLiteral("&amp;lt;")) || text.contains(QStringLiteral("&lt;")));
}

void tst_SnapshotHtml::terminalEscapesAndControlsDropped()
{
    SessionBuilder s;
    s.opened(QStringLiteral("Colours"));
    const QString cmd = s.requested(QStringLiteral("ls --color"));
    s.output(cmd, QStringLiteral("\x1b[01;34mdir\x1b[0m  \x1b[38;5;196mred\x1b[m\r\n"
                                 "\x1b]0;user@host: ~\x07title gone\n"
                                 "\x1b]8;;http://example.com\x1b\\link\x1b]8;;\x1b\\ text\n"
                                 "bell\x07 nul\x01\x02\x1f del\x7f tab\tkept\n"
                                 "\x1b(Bcharset\x1b"));
    s.chat(QStringLiteral("chat\x1b[1mbold\x1b[0m\x08"));
    const QString html = page({s.events});
    QVERIFY(html.contains(QStringLiteral("dir  red\ntitle gone\nlink text\nbell nul del tab\tkept\ncharset")));
    QVERIFY(html.contains(QStringLiteral("chatbold")));
    for (char16_t c = 0; c < 0x20; ++c) {
        if (c != u'\n' && c != u'\t')
            QVERIFY2(!html.contains(QChar(c)), qPrintable(QString::number(int(c))));
    }
    QVERIFY(!html.contains(QChar(0x7f)));
    QVERIFY(!html.contains(QStringLiteral("[01;34m")));
    QVERIFY(!html.contains(QStringLiteral("]0;")));
    QVERIFY(!html.contains(QStringLiteral("example.com")));
}

void tst_SnapshotHtml::policyMatchesTheStyleSheet()
{
    SessionBuilder s;
    s.opened(QStringLiteral("Style"));
    s.note(QStringLiteral("a note"));
    const QByteArray html = SnapshotHtml::render(snapshotOf({s.events}));
    const QByteArray policy = SnapshotHtml::contentSecurityPolicy();
    for (const char *directive : {"default-src 'none'", "script-src 'none'", "object-src 'none'", "base-uri 'none'",
                                  "form-action 'none'", "frame-ancestors 'none'"})
        QVERIFY2(policy.contains(directive), directive);
    // Exactly one style element; its content hashes to what the policy allows.
    QCOMPARE(html.count("<style>"), 1);
    QCOMPARE(html.count("</style>"), 1);
    const qsizetype open = html.indexOf("<style>") + 7;
    const QByteArray css = html.mid(open, html.indexOf("</style>") - open);
    QVERIFY(css.size() > 100);
    const QByteArray hash = QCryptographicHash::hash(css, QCryptographicHash::Sha256).toBase64();
    const QByteArray allowed = QByteArray("style-src 'sha256-") + hash + QByteArray("'");
    QVERIFY2(policy.contains(allowed), policy.constData());
    QVERIFY(!html.contains(" style="));
    // The error page uses the same sheet, so the same policy.
    const QByteArray message = SnapshotHtml::message(QStringLiteral("Gone"), QStringLiteral("This link has expired."));
    const qsizetype mOpen = message.indexOf("<style>") + 7;
    QCOMPARE(message.mid(mOpen, message.indexOf("</style>") - mOpen), css);
    // A saved or exported page carries the policy itself, before anything it governs (all but
    // frame-ancestors, which a meta element cannot set).
    for (const QByteArray &page : {html, message}) {
        const qsizetype meta =
            page.indexOf("<meta http-equiv=\"Content-Security-Policy\" content=\"");
        QVERIFY(meta > 0 && meta < page.indexOf("<style>") && meta < page.indexOf("<title>"));
        const qsizetype from = page.indexOf("content=\"", meta) + 9;
        const QByteArray inPage = page.mid(from, page.indexOf('"', from) - from);
        QCOMPARE(inPage, QByteArray(policy).replace("frame-ancestors 'none'; ", ""));
        QVERIFY(inPage.contains("script-src 'none'") && inPage.contains(allowed));
    }
}

void tst_SnapshotHtml::noScriptFromAHostileTranscript()
{
    const QString html = page({hostileSession()}, QStringLiteral("</title><script>alert(0)</script>"),
                              QStringLiteral("<script>publisher</script>"));
    QVERIFY(!html.contains(QStringLiteral("<script"), Qt::CaseInsensitive));
    QVERIFY(!html.contains(QStringLiteral("<img"), Qt::CaseInsensitive));
    QVERIFY(!html.contains(QStringLiteral("<iframe"), Qt::CaseInsensitive));
    QVERIFY(!html.contains(QStringLiteral("<svg"), Qt::CaseInsensitive));
    QVERIFY(!html.contains(QStringLiteral("<a href='javascript"), Qt::CaseInsensitive));
    QVERIFY(!html.contains(QStringLiteral("href=\"javascript"), Qt::CaseInsensitive));
    QCOMPARE(html.count(QStringLiteral("<style>")), 1);
    QCOMPARE(html.count(QStringLiteral("</style>")), 1);
    QCOMPARE(html.count(QStringLiteral("<title>")), 1);
    QCOMPARE(html.count(QStringLiteral("</title>")), 1);
    // Every attribute in the page is one the renderer wrote.
    const QRegularExpression attribute(QStringLiteral("<[a-z0-9]+((?:\\s+[a-z-]+=\"[^\"]*\")*)\\s*>"));
    const QRegularExpression anyTag(QStringLiteral("<[a-zA-Z][^>]*>"));
    auto it = anyTag.globalMatch(html);
    while (it.hasNext()) {
        const QString tag = it.next().captured();
        QVERIFY2(!tag.contains(QStringLiteral(" on"), Qt::CaseInsensitive), qPrintable(tag));
        QVERIFY2(!tag.contains(QStringLiteral("javascript:"), Qt::CaseInsensitive), qPrintable(tag));
    }
    // The split <scr|ipt> across two chunks is shown as text.
    QVERIFY(html.contains(QStringLiteral("&lt;script&gt;alert(8)&lt;/script&gt;")));
    Q_UNUSED(attribute);
}

void tst_SnapshotHtml::noScriptFromHostileIds()
{
    // A snapshot not made by the server (ids are not UUIDs, control characters in them): the
    // page still escapes them and does not come apart.
    QList<Event> events = hostileSession();
    QJsonObject snapshot = snapshotOf({events});
    QJsonArray sessions = snapshot.value(QStringLiteral("sessions")).toArray();
    QJsonObject session = sessions.at(0).toObject();
    QJsonArray list = session.value(QStringLiteral("events")).toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        QJsonObject e = list.at(i).toObject();
        QJsonObject body = e.value(QStringLiteral("body")).toObject();
        if (body.contains(QStringLiteral("command")))
            body.insert(QStringLiteral("command"), QStringLiteral("x\x02<script>alert('id')</script>\x01\"><img src=x onerror=1>"));
        if (body.contains(QStringLiteral("decision")))
            body.insert(QStringLiteral("decision"), QStringLiteral("\"><script>alert('decision')</script>"));
        if (body.contains(QStringLiteral("status")))
            body.insert(QStringLiteral("status"), QStringLiteral("\"><script>alert('status')</script>"));
        e.insert(QStringLiteral("body"), body);
        e.insert(QStringLiteral("at"), QStringLiteral("<script>alert('at')</script>"));
        list[i] = e;
    }
    session.insert(QStringLiteral("events"), list);
    sessions[0] = session;
    snapshot.insert(QStringLiteral("sessions"), sessions);
    snapshot.insert(QStringLiteral("publishedAt"), QStringLiteral("<script>alert('published')</script>"));
    QJsonObject report = snapshot.value(QStringLiteral("redaction")).toObject();
    report.insert(QStringLiteral("redacted"), QJsonObject{{QStringLiteral("<script>%2</script>"), 1}});
    snapshot.insert(QStringLiteral("redaction"), report);
    const QString html = QString::fromUtf8(SnapshotHtml::render(snapshot));
    QVERIFY2(!html.contains(QStringLiteral("<script"), Qt::CaseInsensitive), qPrintable(bodyOf(html)));
    QVERIFY(!html.contains(QStringLiteral("<img"), Qt::CaseInsensitive));
    QVERIFY(!html.contains(QChar(1)) && !html.contains(QChar(2)));
    // The command and its output are still there.
    QVERIFY(html.contains(QStringLiteral("alert(8)")));
}

void tst_SnapshotHtml::noScriptFromTheHostileFixture()
{
    QFile file(QStringLiteral(CASEFILE_TEST_DATA "/snapshot/hostile-output.txt"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString hostile = QString::fromUtf8(file.readAll());
    QVERIFY(hostile.contains(QStringLiteral("<script"), Qt::CaseInsensitive));
    SessionBuilder s;
    s.opened(hostile.left(200));
    const QString cmd = s.requested(hostile);
    for (qsizetype i = 0; i < hostile.size(); i += 7)
        s.output(cmd, hostile.mid(i, 7));
    s.chat(hostile);
    const QString html = page({s.events});
    QVERIFY(!html.contains(QStringLiteral("<script"), Qt::CaseInsensitive));
}

void tst_SnapshotHtml::rendersTheRecord()
{
    SessionBuilder s;
    s.opened(QStringLiteral("Print jobs stuck on <HOST_1>"), QStringLiteral("INC-0048213"), {QStringLiteral("printing"), QStringLiteral("spooler")});
    s.context(QStringLiteral("<HOST_1>"), QStringLiteral("<DOMAIN_1>"), QStringLiteral("<DOMAIN_1>\\<USER_1>"));
    const QString h1 = s.hypothesis(QStringLiteral("Spooler hung on a stuck job"));
    const QString h2 = s.hypothesis(QStringLiteral("Driver crashed"));
    const QString h3 = s.hypothesis(QStringLiteral("Paper jam"));
    const QString cmd = s.requested(QStringLiteral("Restart-Service -Name Spooler -Force -PassThru"), true);
    s.approvalRequested(cmd, QStringLiteral("Technician requests to restart the Print Spooler service. Approve?"));
    s.approvalDecided(cmd, QStringLiteral("approved"), QStringLiteral("<DOMAIN_1>\\<USER_1>"));
    s.started(cmd, QStringLiteral("NT AUTHORITY\\SYSTEM"));
    s.output(cmd, QStringLiteral("Status   Name\r\nRunning  Spooler\r\n"));
    s.output(cmd, QStringLiteral("WARNING: slow\n"), QStringLiteral("stderr"));
    s.finished(cmd, 0);
    s.hypothesisUpdated(h1, QStringLiteral("confirmed"), cmd, 1, 1, QStringLiteral("Running again"));
    s.hypothesisUpdated(h2, QStringLiteral("ruled_out"));
    s.chat(QStringLiteral("Both labels came out, thanks!"), true);
    s.note(QStringLiteral("Update the driver if it happens again."));
    s.closed(QStringLiteral("Spooler restarted with consent."));
    const QString html = page({s.events});
    const auto has = [&](const QString &part) { return html.contains(part); };
    QVERIFY(has(QStringLiteral("Print jobs stuck on &lt;HOST_1&gt;")));
    QVERIFY(has(QStringLiteral("INC-0048213")));
    QVERIFY(has(QStringLiteral("printing, spooler")));
    QVERIFY(has(QStringLiteral("<span class=\"badge confirmed\">confirmed</span>Spooler hung on a stuck job")));
    QVERIFY(has(QStringLiteral("<span class=\"badge ruled_out\">ruled out</span>Driver crashed")));
    QVERIFY(has(QStringLiteral("<span class=\"badge open\">open</span>Paper jam")));
    QVERIFY(has(QStringLiteral("Running again")));
    QVERIFY(has(QStringLiteral("<a href=\"#c-") + cmd + QStringLiteral("\">Restart-Service")));
    QVERIFY(has(QStringLiteral("<div id=\"c-") + cmd + QStringLiteral("\">")));
    QVERIFY(has(QStringLiteral("Technician requests to restart the Print Spooler service. Approve?")));
    QVERIFY(has(QStringLiteral("<span class=\"badge approved\">approved</span>")));
    QVERIFY(has(QStringLiteral("by &lt;DOMAIN_1&gt;\\&lt;USER_1&gt; at")));
    QVERIFY(has(QStringLiteral("Ran as NT AUTHORITY\\SYSTEM")));
    QVERIFY(has(QStringLiteral("badge change")));
    QVERIFY(has(QStringLiteral("<pre>Status   Name\nRunning  Spooler\n<span class=\"err\">WARNING: slow\n</span></pre>")));
    QVERIFY(has(QStringLiteral("Exit code 0 · 3917 ms")));
    QVERIFY(has(QStringLiteral("<div class=\"chat\">")));
    QVERIFY(has(QStringLiteral("Both labels came out, thanks!")));
    QVERIFY(has(QStringLiteral("<div class=\"note\">")));
    QVERIFY(has(QStringLiteral("Spooler restarted with consent.")));
    QVERIFY(has(QStringLiteral("<td>&lt;HOST_1&gt;</td>")));
    QVERIFY(has(QStringLiteral("What was done &amp; why")));
    QVERIFY(has(QStringLiteral("<tr><td>user</td><td>3</td><td>0</td></tr>")));
    QVERIFY(has(QStringLiteral("<tr><td>domain</td><td>0</td><td>2</td></tr>")));
    QVERIFY(has(QStringLiteral("1 passages redacted by hand, 0 whole texts withheld. Reviewed by")));
    // The order of the timeline: the command where it was requested, chat and note after it.
    QVERIFY(html.indexOf(QStringLiteral("id=\"c-")) < html.indexOf(QStringLiteral("class=\"chat\"")));
    QVERIFY(html.indexOf(QStringLiteral("class=\"chat\"")) < html.indexOf(QStringLiteral("class=\"note\"")));
    QVERIFY(html.indexOf(QStringLiteral("class=\"note\"")) < html.indexOf(QStringLiteral("Session closed")));
}

void tst_SnapshotHtml::message()
{
    const QString html = QString::fromUtf8(SnapshotHtml::message(QStringLiteral("<script>x</script>"), QStringLiteral("a & b")));
    QVERIFY(!html.contains(QStringLiteral("<script"), Qt::CaseInsensitive));
    QVERIFY(html.contains(QStringLiteral("<h1>&lt;script&gt;x&lt;/script&gt;</h1><p>a &amp; b</p>")));
}

QTEST_APPLESS_MAIN(tst_SnapshotHtml)
#include "tst_SnapshotHtml.moc"
