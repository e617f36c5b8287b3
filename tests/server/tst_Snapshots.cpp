#include "ServerFixture.h"
#include "WsTestClient.h"
#include "events/CanonicalJson.h"
#include "events/EventCodec.h"
#include "snapshot/SnapshotDocument.h"
#include "snapshot/SnapshotPackage.h"

#include <QDirIterator>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QtTest>

using namespace casefile;

// Publishing and serving snapshots on the real casefiled, with a real agent's output, and the
// page in a real headless Chromium.
class tst_Snapshots : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void onlyReviewersAndAdminsPublish();
    void undecidedFindingsBlockPublishing();
    void reviewedPackageIsPublishedWithoutTheRedactedValues();
    void clientDictionaryTermsAreRedacted();
    void orgAudienceNeedsSomeoneOfTheOrg();
    void revokeExpireAndUnknownLinks();
    void nothingCrossesOrgs();
    void linkTokensAreStoredHashed();
    void pageRunsNoScriptInChromium();
    void whatCameAfterTheReviewIsNotPublished();

private:
    struct Http
    {
        int status = 0;
        QByteArray body;
        QByteArray csp;
    };
    Http get(const QString &url, const QString &token = {});
    std::unique_ptr<WsTestClient> connectAs(const QString &token);
    QString user(const QString &org, const QString &name, const QString &role, QString *token);
    // Reads the session over the wire, scans it and decides every finding: redact, except the
    // values in `keep`.
    // `through`: the last seq it read.
    RedactionPlan reviewAll(WsTestClient &c, const QStringList &keep = {},
                            QStringList *redacted = nullptr, qint64 *through = nullptr);
    QJsonObject publish(WsTestClient &c, const RedactionPlan &plan,
                        const QString &audience = QStringLiteral("link"),
                        const QJsonObject &extra = {});

    ServerFixture m_server;
    ServerFixture::Org m_a;
    ServerFixture::Org m_b;
    QString m_reviewerA, m_reviewerTokenA, m_reviewer2TokenA, m_adminTokenA, m_reviewerTokenB;
    QString m_session;
    QStringList m_tokens; // every link token made, to look for in the store
    QString m_linkUrl;    // a published link-audience page
};

std::unique_ptr<WsTestClient> tst_Snapshots::connectAs(const QString &token)
{
    auto c = std::make_unique<WsTestClient>();
    if (!c->open(m_server.wsUrl()))
        return nullptr;
    if (c->hello(token).value(QStringLiteral("type")).toString() != QLatin1String("welcome"))
        return nullptr;
    return c;
}

QString tst_Snapshots::user(const QString &org, const QString &name, const QString &role, QString *token)
{
    const QString id = m_server
                           .admin({QStringLiteral("create-user"), QStringLiteral("--org"), org, QStringLiteral("--name"),
                                   name, QStringLiteral("--role"), role})
                           .value(QStringLiteral("user"))
                           .toString();
    *token = m_server.admin({QStringLiteral("issue-token"), QStringLiteral("--user"), id})
                 .value(QStringLiteral("token"))
                 .toString();
    return id;
}

tst_Snapshots::Http tst_Snapshots::get(const QString &url, const QString &token)
{
    QNetworkAccessManager nam;
    QNetworkRequest request{QUrl(url)};
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    QNetworkReply *reply = nam.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    Http http;
    if (!done.wait(15000))
        return http;
    http.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    http.body = reply->readAll();
    http.csp = reply->rawHeader("Content-Security-Policy");
    reply->deleteLater();
    return http;
}

void tst_Snapshots::initTestCase()
{
    m_a = m_server.createOrg(QStringLiteral("Contoso MSP"));
    m_b = m_server.createOrg(QStringLiteral("Fabrikam MSP"));
    m_reviewerA = user(m_a.id, QStringLiteral("Rita Reviewer"), QStringLiteral("reviewer"), &m_reviewerTokenA);
    user(m_a.id, QStringLiteral("Rob Reviewer"), QStringLiteral("reviewer"), &m_reviewer2TokenA);
    user(m_a.id, QStringLiteral("Ada Admin"), QStringLiteral("admin"), &m_adminTokenA);
    user(m_b.id, QStringLiteral("Bea Reviewer"), QStringLiteral("reviewer"), &m_reviewerTokenB);
    QVERIFY(!m_reviewerTokenA.isEmpty() && !m_adminTokenA.isEmpty() && !m_reviewerTokenB.isEmpty());
    QVERIFY2(m_server.start(), qPrintable(m_server.serverLog()));
    QVERIFY(m_server.startAgent(m_a, QStringLiteral("deny")));

    auto opened = m_server.cli(m_a.technicianToken, {QStringLiteral("open"), QStringLiteral("--endpoint"),
                                                     m_server.agentEndpoint(), QStringLiteral("--title"),
                                                     QStringLiteral("Printer for jsmith at 10.20.30.40")});
    QCOMPARE(opened.code, 0);
    m_session = QString::fromUtf8(opened.out).trimmed();
    const QString payload = QStringLiteral(CASEFILE_TEST_DATA "/snapshot/hostile-output.txt");
    const auto run = m_server.cli(m_a.technicianToken, {QStringLiteral("run"), QStringLiteral("--session"), m_session,
                                                        QStringLiteral("--"), QStringLiteral("cat '%1'").arg(payload)});
    QVERIFY2(run.code == 0, run.err.constData());
    QVERIFY(run.out.contains("PWNED-1"));
    QCOMPARE(m_server.cli(m_a.technicianToken, {QStringLiteral("chat"), QStringLiteral("--session"), m_session,
                                                QStringLiteral("asked JSMITH to reboot; Globex owns the printer")})
                 .code,
             0);
}

void tst_Snapshots::cleanupTestCase()
{
    m_server.terminate();
}

RedactionPlan tst_Snapshots::reviewAll(WsTestClient &c, const QStringList &keep,
                                       QStringList *redacted, qint64 *through)
{
    QList<Event> events;
    qint64 after = 0;
    while (true) {
        const QJsonObject r = c.request(QStringLiteral("read"), {{QStringLiteral("session"), m_session},
                                                                 {QStringLiteral("after"), after}});
        for (const QJsonValue &v : r.value(QStringLiteral("events")).toArray()) {
            const auto decoded = EventCodec::fromJson(v.toObject(), EventCodec::Mode::Sealed);
            if (!decoded.ok())
                return {};
            events.append(decoded.event);
            after = decoded.event.seq;
        }
        if (!r.value(QStringLiteral("more")).toBool())
            break;
    }
    if (through)
        *through = after;
    SnapshotPackage package;
    package.addSession(events);
    RedactionPlan plan;
    package.scan(plan);
    for (const auto &g : package.groups()) {
        const bool kept = keep.contains(g.key, Qt::CaseInsensitive);
        plan.setValueDecision(g.type, g.key, kept ? RedactionPlan::Decision::Keep : RedactionPlan::Decision::Redact);
        if (!kept && redacted)
            redacted->append(g.value);
    }
    return plan;
}

QJsonObject tst_Snapshots::publish(WsTestClient &c, const RedactionPlan &plan,
                                   const QString &audience, const QJsonObject &extra)
{
    QJsonObject params{{QStringLiteral("sessions"), QJsonArray{m_session}},
                       {QStringLiteral("plan"), plan.toJson()},
                       {QStringLiteral("title"), QStringLiteral("Handoff: printer of jsmith")},
                       {QStringLiteral("summary"), QStringLiteral("Spooler ruled out.")},
                       {QStringLiteral("audience"), audience}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        params.insert(it.key(), it.value());
    const QJsonObject r = c.request(QStringLiteral("publish"), params);
    if (r.contains(QStringLiteral("token")))
        m_tokens.append(r.value(QStringLiteral("token")).toString());
    return r;
}

void tst_Snapshots::onlyReviewersAndAdminsPublish()
{
    for (const QString &token : {m_a.technicianToken, m_a.viewerToken}) {
        auto c = connectAs(token);
        QVERIFY(c);
        RedactionPlan all;
        all.setAcceptAll(true);
        const QJsonObject r = publish(*c, all);
        QCOMPARE(r.value(QStringLiteral("code")).toString(), QStringLiteral("forbidden"));
    }
    // The cli's --accept-all-findings, as an admin.
    const auto cli = m_server.cli(m_adminTokenA, {QStringLiteral("publish"), QStringLiteral("--session"), m_session,
                                                  QStringLiteral("--title"), QStringLiteral("By the admin"),
                                                  QStringLiteral("--accept-all-findings"), QStringLiteral("--expires"),
                                                  QStringLiteral("3d")});
    QVERIFY2(cli.code == 0, cli.err.constData());
    QVERIFY(cli.out.trimmed().startsWith((m_server.httpUrl() + QStringLiteral("/s/cfs_")).toUtf8()));
    m_tokens.append(QString::fromUtf8(cli.out.trimmed()).section(QLatin1Char('/'), -1));
    const auto bad = m_server.cli(m_adminTokenA, {QStringLiteral("publish"), QStringLiteral("--session"), m_session,
                                                  QStringLiteral("--title"), QStringLiteral("x"),
                                                  QStringLiteral("--accept-all-findings"), QStringLiteral("--expires"),
                                                  QStringLiteral("91d")});
    QCOMPARE(bad.code, 2);
}

void tst_Snapshots::undecidedFindingsBlockPublishing()
{
    auto c = connectAs(m_reviewerTokenA);
    QVERIFY(c);
    RedactionPlan plan = reviewAll(*c);
    QVERIFY2(plan.decisionCount() >= 4, qPrintable(QString::number(plan.decisionCount())));
    // Undo one decision: the server scans its own copy and finds it undecided.
    const QJsonObject json = plan.toJson();
    // Forget the decision on the address (not a dictionary term, which is redacted by rule).
    QJsonArray values = json.value(QStringLiteral("values")).toArray();
    const qsizetype before = values.size();
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (values.at(i).toObject().value(QStringLiteral("key")).toString() == QLatin1String("10.20.30.40"))
            values.removeAt(i--);
    }
    QCOMPARE(values.size(), before - 1);
    QJsonObject partial = json;
    partial.insert(QStringLiteral("values"), values);
    const QJsonObject r = c->request(QStringLiteral("publish"), {{QStringLiteral("sessions"), QJsonArray{m_session}},
                                                                 {QStringLiteral("plan"), partial},
                                                                 {QStringLiteral("title"), QStringLiteral("x")}});
    QCOMPARE(r.value(QStringLiteral("code")).toString(), QStringLiteral("conflict"));
    QVERIFY(r.value(QStringLiteral("message")).toString().contains(QStringLiteral("no decision")));
    // Nor does a bad plan or expiry get through.
    QCOMPARE(c->request(QStringLiteral("publish"), {{QStringLiteral("sessions"), QJsonArray{m_session}},
                                                    {QStringLiteral("plan"), QJsonObject{{QStringLiteral("values"), QJsonArray{1}}}},
                                                    {QStringLiteral("title"), QStringLiteral("x")}})
                 .value(QStringLiteral("code"))
                 .toString(),
             QStringLiteral("bad_request"));
    QCOMPARE(c->request(QStringLiteral("publish"), {{QStringLiteral("sessions"), QJsonArray{m_session}},
                                                    {QStringLiteral("plan"), plan.toJson()},
                                                    {QStringLiteral("expiresInDays"), 0},
                                                    {QStringLiteral("title"), QStringLiteral("x")}})
                 .value(QStringLiteral("code"))
                 .toString(),
             QStringLiteral("bad_request"));
}

void tst_Snapshots::reviewedPackageIsPublishedWithoutTheRedactedValues()
{
    auto c = connectAs(m_reviewerTokenA);
    QVERIFY(c);
    QStringList redacted;
    const RedactionPlan plan = reviewAll(*c, {QStringLiteral("contoso")}, &redacted);
    QVERIFY(redacted.contains(QStringLiteral("jsmith"), Qt::CaseInsensitive));
    QVERIFY(redacted.contains(QStringLiteral("10.20.30.40")));
    const QJsonObject r = publish(*c, plan);
    QVERIFY2(r.value(QStringLiteral("type")).toString() == QLatin1String("result"),
             qPrintable(r.value(QStringLiteral("message")).toString()));
    const QString token = r.value(QStringLiteral("token")).toString();
    // At least 128 random bits: 22 base64url characters after the prefix.
    QVERIFY(token.size() - 4 >= 22);
    m_linkUrl = r.value(QStringLiteral("url")).toString();
    QCOMPARE(m_linkUrl, m_server.httpUrl() + QStringLiteral("/s/") + token);
    QVERIFY(r.value(QStringLiteral("report")).toObject().value(QStringLiteral("redacted")).toObject().value(QStringLiteral("user")).toInt() >= 2);

    const Http page = get(m_linkUrl);
    QCOMPARE(page.status, 200);
    QVERIFY(page.csp.contains("script-src 'none'"));
    QVERIFY(page.csp.contains("default-src 'none'"));
    const Http json = get(m_linkUrl + QStringLiteral(".json"));
    QCOMPARE(json.status, 200);
    // Everything of the document but its signature, whose random base64 may hold any short
    // value ("vm") by chance; ids and hashes are hex.
    const QByteArray signedPart =
        CanonicalJson::encode(QJsonDocument::fromJson(json.body).object().value(QStringLiteral("snapshot")));
    QVERIFY(signedPart.size() > 1000);
    for (const QString &value : std::as_const(redacted)) {
        QVERIFY2(!page.body.toLower().contains(value.toLower().toUtf8()), qPrintable(value));
        QVERIFY2(!signedPart.toLower().contains(value.toLower().toUtf8()), qPrintable(value));
    }
    // The chat line names JSMITH in capitals with nothing a detector would see: swept too.
    QVERIFY(!page.body.contains("JSMITH"));
    // Kept values stay, and so does what is not personal.
    QVERIFY(json.body.contains("contoso.com"));
    QVERIFY(page.body.contains("10.0.19045.3693"));
    QVERIFY(page.body.contains("&lt;script&gt;document.title=&#39;PWNED-1&#39;&lt;/script&gt;"));

    // The JSON is what the server's published key signed, and every chain in it verifies.
    const Http key = get(m_server.httpUrl() + QStringLiteral("/.well-known/casefile-signing-key"));
    QCOMPARE(key.status, 200);
    const QByteArray publicKey = QByteArray::fromBase64(
        QJsonDocument::fromJson(key.body).object().value(QStringLiteral("publicKey")).toString().toLatin1());
    QCOMPARE(publicKey.size(), 32);
    const auto verified = SnapshotDocument::verify(json.body, publicKey);
    QVERIFY2(verified.ok, qPrintable(verified.error));
    QCOMPARE(verified.sessions, QStringList{m_session});
    QByteArray tampered = json.body;
    tampered.replace("Spooler ruled out.", "Spooler ruled in.");
    QVERIFY(!SnapshotDocument::verify(tampered, publicKey).ok);
}

void tst_Snapshots::clientDictionaryTermsAreRedacted()
{
    auto c = connectAs(m_reviewerTokenA);
    QVERIFY(c);
    QCOMPARE(c->request(QStringLiteral("dictionary.add"),
                        {{QStringLiteral("clientGroup"), m_a.clientGroup},
                         {QStringLiteral("terms"), QJsonArray{QJsonObject{{QStringLiteral("term"), QStringLiteral("Globex")},
                                                                          {QStringLiteral("type"), QStringLiteral("name")}}}}})
                 .value(QStringLiteral("added"))
                 .toInt(),
             1);
    const QJsonArray terms = c->request(QStringLiteral("dictionary"), {{QStringLiteral("clientGroup"), m_a.clientGroup}})
                                 .value(QStringLiteral("terms"))
                                 .toArray();
    // Globex, and what the agent's context.captured said about the machine.
    QStringList listed;
    for (const QJsonValue &t : terms)
        listed.append(t.toObject().value(QStringLiteral("type")).toString() + QLatin1Char(':')
                      + t.toObject().value(QStringLiteral("term")).toString());
    QVERIFY2(listed.contains(QStringLiteral("name:Globex")), qPrintable(listed.join(QLatin1Char(','))));
    if (QSysInfo::machineHostName() != QLatin1String("localhost"))
        QVERIFY2(listed.contains(QStringLiteral("host:") + QSysInfo::machineHostName()), qPrintable(listed.join(QLatin1Char(','))));
    // The reviewer's plan knows nothing of the new term; the server redacts it anyway.
    const RedactionPlan plan = reviewAll(*c);
    const QJsonObject r = publish(*c, plan);
    QCOMPARE(r.value(QStringLiteral("type")).toString(), QStringLiteral("result"));
    const Http json = get(r.value(QStringLiteral("url")).toString() + QStringLiteral(".json"));
    QCOMPARE(json.status, 200);
    QVERIFY(!json.body.contains("Globex"));
    QVERIFY(json.body.contains("<NAME_1>"));
    // A viewer may not change the dictionary.
    auto viewer = connectAs(m_a.viewerToken);
    QCOMPARE(viewer->request(QStringLiteral("dictionary.add"), {{QStringLiteral("clientGroup"), m_a.clientGroup},
                                                                {QStringLiteral("terms"), terms}})
                 .value(QStringLiteral("code"))
                 .toString(),
             QStringLiteral("forbidden"));
}

void tst_Snapshots::orgAudienceNeedsSomeoneOfTheOrg()
{
    auto c = connectAs(m_reviewerTokenA);
    QVERIFY(c);
    const QJsonObject r = publish(*c, reviewAll(*c), QStringLiteral("org"));
    const QString url = r.value(QStringLiteral("url")).toString();
    QVERIFY(!url.isEmpty());
    const Http anonymous = get(url);
    QCOMPARE(anonymous.status, 403);
    QVERIFY(anonymous.body.contains("organisation"));
    QCOMPARE(get(url, m_b.technicianToken).status, 403);
    QCOMPARE(get(url, QStringLiteral("cf_not_a_token")).status, 403);
    QCOMPARE(get(url, m_a.technicianToken).status, 200);
    QCOMPARE(get(url + QStringLiteral(".json"), m_a.viewerToken).status, 200);

    // The view log: only successful views, by whom and in which form.
    const QJsonObject views = c->request(QStringLiteral("snapshotViews"),
                                         {{QStringLiteral("snapshot"), r.value(QStringLiteral("snapshot"))}});
    const QJsonArray list = views.value(QStringLiteral("views")).toArray();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).toObject().value(QStringLiteral("viewer")).toString(), m_a.technician);
    QCOMPARE(list.at(0).toObject().value(QStringLiteral("format")).toString(), QStringLiteral("html"));
    QCOMPARE(list.at(1).toObject().value(QStringLiteral("viewer")).toString(), m_a.viewer);
    QCOMPARE(list.at(1).toObject().value(QStringLiteral("format")).toString(), QStringLiteral("json"));
}

void tst_Snapshots::revokeExpireAndUnknownLinks()
{
    QCOMPARE(get(m_server.httpUrl() + QStringLiteral("/s/cfs_nothing_here")).status, 404);
    QCOMPARE(get(m_server.httpUrl() + QStringLiteral("/s/cfs_nothing_here.json")).status, 404);

    auto c = connectAs(m_reviewerTokenA);
    QVERIFY(c);
    const QJsonObject r = publish(*c, reviewAll(*c));
    const QString url = r.value(QStringLiteral("url")).toString();
    QCOMPARE(get(url).status, 200);
    // Another reviewer is neither the publisher nor an admin.
    auto other = connectAs(m_reviewer2TokenA);
    QCOMPARE(other->request(QStringLiteral("revoke"), {{QStringLiteral("snapshot"), r.value(QStringLiteral("snapshot"))}})
                 .value(QStringLiteral("code"))
                 .toString(),
             QStringLiteral("forbidden"));
    QCOMPARE(get(url).status, 200);
    auto admin = connectAs(m_adminTokenA);
    QCOMPARE(admin->request(QStringLiteral("revoke"), {{QStringLiteral("snapshot"), r.value(QStringLiteral("snapshot"))}})
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("result"));
    const Http gone = get(url);
    QCOMPARE(gone.status, 410);
    QVERIFY(gone.body.contains("revoked"));
    QCOMPARE(get(url + QStringLiteral(".json")).status, 410);

    // The publisher revokes with the cli; listing shows it revoked.
    const QJsonObject second = publish(*c, reviewAll(*c));
    QCOMPARE(m_server.cli(m_reviewerTokenA, {QStringLiteral("revoke"), QStringLiteral("--snapshot"),
                                             second.value(QStringLiteral("snapshot")).toString()})
                 .code,
             0);
    QCOMPARE(get(second.value(QStringLiteral("url")).toString()).status, 410);
    const auto listed = m_server.cli(m_reviewerTokenA, {QStringLiteral("snapshots"), QStringLiteral("--json")});
    QCOMPARE(listed.code, 0);
    bool seen = false;
    for (const QByteArray &line : listed.out.split('\n')) {
        const QJsonObject s = QJsonDocument::fromJson(line).object();
        if (s.value(QStringLiteral("id")) == second.value(QStringLiteral("snapshot"))) {
            seen = true;
            QVERIFY(!s.value(QStringLiteral("revokedAt")).toString().isEmpty());
        }
    }
    QVERIFY(seen);

    // Expiry: move one into the past in the store, as time would.
    const QJsonObject third = publish(*c, reviewAll(*c));
    QCOMPARE(get(third.value(QStringLiteral("url")).toString()).status, 200);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("expire"));
        db.setDatabaseName(m_server.dataDir() + QStringLiteral("/casefile.db"));
        QVERIFY(db.open());
        QSqlQuery q(db);
        q.prepare(QStringLiteral("UPDATE snapshots SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ?"));
        q.addBindValue(third.value(QStringLiteral("snapshot")).toString());
        QVERIFY(q.exec());
        QCOMPARE(q.numRowsAffected(), 1);
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("expire"));
    const Http expired = get(third.value(QStringLiteral("url")).toString());
    QCOMPARE(expired.status, 410);
    QVERIFY(expired.body.contains("expired"));

    // An org snapshot tells someone outside the org nothing, not even that it was withdrawn:
    // sign-in first, then its state.
    const QJsonObject orgOnly = publish(*c, reviewAll(*c), QStringLiteral("org"));
    const QString orgUrl = orgOnly.value(QStringLiteral("url")).toString();
    QCOMPARE(c->request(QStringLiteral("revoke"),
                        {{QStringLiteral("snapshot"), orgOnly.value(QStringLiteral("snapshot"))}})
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("result"));
    for (const QString &token : {QString(), m_reviewerTokenB}) {
        const Http outsider = get(orgUrl, token);
        QCOMPARE(outsider.status, 403);
        QVERIFY(!outsider.body.contains("revoked"));
        QCOMPARE(get(orgUrl + QStringLiteral(".json"), token).status, 403);
    }
    QCOMPARE(get(orgUrl, m_a.technicianToken).status, 410); // someone of the org is told
}

void tst_Snapshots::nothingCrossesOrgs()
{
    auto a = connectAs(m_reviewerTokenA);
    auto b = connectAs(m_reviewerTokenB);
    QVERIFY(a && b);
    const QJsonObject published = publish(*a, reviewAll(*a));
    const QString snapshot = published.value(QStringLiteral("snapshot")).toString();
    RedactionPlan all;
    all.setAcceptAll(true);
    const QJsonObject r = b->request(QStringLiteral("publish"), {{QStringLiteral("sessions"), QJsonArray{m_session}},
                                                                 {QStringLiteral("plan"), all.toJson()},
                                                                 {QStringLiteral("title"), QStringLiteral("stolen")}});
    QCOMPARE(r.value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));
    QCOMPARE(b->request(QStringLiteral("read"), {{QStringLiteral("session"), m_session}}).value(QStringLiteral("code")).toString(),
             QStringLiteral("not_found"));
    QCOMPARE(b->request(QStringLiteral("revoke"), {{QStringLiteral("snapshot"), snapshot}}).value(QStringLiteral("code")).toString(),
             QStringLiteral("not_found"));
    QCOMPARE(b->request(QStringLiteral("snapshotViews"), {{QStringLiteral("snapshot"), snapshot}})
                 .value(QStringLiteral("code"))
                 .toString(),
             QStringLiteral("not_found"));
    QCOMPARE(b->request(QStringLiteral("dictionary"), {{QStringLiteral("clientGroup"), m_a.clientGroup}})
                 .value(QStringLiteral("code"))
                 .toString(),
             QStringLiteral("not_found"));
    const QJsonArray listB = b->request(QStringLiteral("snapshots")).value(QStringLiteral("snapshots")).toArray();
    QVERIFY(listB.isEmpty());
    const QJsonArray listA = a->request(QStringLiteral("snapshots")).value(QStringLiteral("snapshots")).toArray();
    QVERIFY(listA.size() >= 3);
    // An endpoint has no business with snapshots at all.
    QCOMPARE(get(published.value(QStringLiteral("url")).toString()).status, 200);
}

void tst_Snapshots::linkTokensAreStoredHashed()
{
    QVERIFY(m_tokens.size() >= 4);
    // No file the server wrote holds a link token, nor does its log.
    QDirIterator it(m_server.dataDir(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        for (const QString &token : std::as_const(m_tokens))
            QVERIFY2(!bytes.contains(token.toLatin1()), qPrintable(f.fileName()));
    }
    for (const QString &token : std::as_const(m_tokens))
        QVERIFY(!m_server.serverLog().contains(token));
    // The signing key is the server's alone.
    const QFileInfo key(m_server.dataDir() + QStringLiteral("/signing-key"));
    QVERIFY(key.exists());
    QCOMPARE(key.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
}

void tst_Snapshots::pageRunsNoScriptInChromium()
{
    const QString chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
    if (chromium.isEmpty())
        QSKIP("chromium is not installed (scripts/install-deps installs it)");
    QVERIFY(!m_linkUrl.isEmpty());
    QTemporaryDir profile;
    const QStringList common{QStringLiteral("--headless"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
                             QStringLiteral("--no-first-run"), QStringLiteral("--user-data-dir=") + profile.path(),
                             QStringLiteral("--virtual-time-budget=3000")};
    QProcess dump;
    dump.start(chromium, common + QStringList{QStringLiteral("--dump-dom"), m_linkUrl});
    QVERIFY(dump.waitForFinished(90000));
    const QByteArray dom = dump.readAllStandardOutput();
    QVERIFY2(dom.contains("<h1>"), dump.readAllStandardError().constData());
    // It rendered the record: the heading, the command's output as text.
    QVERIFY(dom.contains("Redaction report"));
    QVERIFY(dom.contains("Spooler service: Running"));
    QVERIFY(dom.contains("&lt;script&gt;document.title='PWNED-1'&lt;/script&gt;"));
    // Nothing in the transcript ran or became markup: no script set the title, no handler set
    // an attribute, no element came from the transcript.
    const QByteArray title = dom.mid(dom.indexOf("<title>"), dom.indexOf("</title>") - dom.indexOf("<title>"));
    QVERIFY2(!title.contains("PWNED"), title.constData());
    QVERIFY(!dom.contains("data-pwned=\""));
    QVERIFY(!dom.toLower().contains("<script"));
    QVERIFY(!dom.toLower().contains("<img"));
    QVERIFY(!dom.toLower().contains("<iframe"));
    QVERIFY(!dom.toLower().contains("<svg"));
    QVERIFY(!dom.contains("<a href=\"javascript:"));

    // And it paints: a screenshot of the page is produced.
    QTemporaryDir shots;
    const QString png = shots.filePath(QStringLiteral("page.png"));
    QProcess shot;
    shot.setWorkingDirectory(shots.path());
    shot.start(chromium, common + QStringList{QStringLiteral("--screenshot=") + png,
                                              QStringLiteral("--window-size=1100,900"), m_linkUrl});
    QVERIFY(shot.waitForFinished(90000));
    QImage image(png);
    QVERIFY2(!image.isNull(), shot.readAllStandardError().constData());
    QCOMPARE(image.width(), 1100);
    // Not a blank page: more than a handful of colours were painted.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    QVERIFY(colours.size() > 8);
}

// The session is still open: a chat line written after the review names someone no detector
// finds. Published with how far it was reviewed, the snapshot stops there.
void tst_Snapshots::whatCameAfterTheReviewIsNotPublished()
{
    auto c = connectAs(m_reviewerTokenA);
    QVERIFY(c);
    qint64 through = 0;
    const RedactionPlan plan = reviewAll(*c, {}, nullptr, &through);
    QVERIFY(through > 0);
    QCOMPARE(
        m_server
            .cli(m_a.technicianToken, {QStringLiteral("chat"), QStringLiteral("--session"),
                                       m_session, QStringLiteral("call Jane Doe at home tonight")})
            .code,
        0);
    const QJsonObject r = publish(*c, plan, QStringLiteral("link"),
                                  {{QStringLiteral("through"), QJsonObject{{m_session, through}}}});
    QVERIFY2(r.value(QStringLiteral("type")).toString() == QLatin1String("result"),
             qPrintable(r.value(QStringLiteral("message")).toString()));
    const QString url = r.value(QStringLiteral("url")).toString();
    const Http page = get(url);
    QCOMPARE(page.status, 200);
    QVERIFY(!page.body.contains("Jane Doe"));
    const Http json = get(url + QStringLiteral(".json"));
    QVERIFY(!json.body.contains("Jane Doe"));
    // Without `through` (an old client), up to the head, as before.
    const QJsonObject all = publish(*c, reviewAll(*c));
    QVERIFY(get(all.value(QStringLiteral("url")).toString()).body.contains("Jane Doe"));
    // A `through` that is no seq is refused.
    for (const QJsonValue &bad :
         {QJsonValue(0), QJsonValue(1.5), QJsonValue(QStringLiteral("7"))}) {
        const QJsonObject refused =
            publish(*c, plan, QStringLiteral("link"),
                    {{QStringLiteral("through"), QJsonObject{{m_session, bad}}}});
        QCOMPARE(refused.value(QStringLiteral("code")).toString(), QStringLiteral("bad_request"));
    }
}

QTEST_MAIN(tst_Snapshots)
#include "tst_Snapshots.moc"
