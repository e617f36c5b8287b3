#include "ServerFixture.h"
#include "TestEvents.h"
#include "WsTestClient.h"
#include "events/EventCodec.h"
#include "events/bodies/ApprovalDecidedBody.h"
#include "events/bodies/ChatMessageBody.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/CommandRequestedBody.h"
#include "events/bodies/NoteAddedBody.h"
#include "events/bodies/SessionClosedBody.h"
#include "protocol/ProtocolLimits.h"
#include "store/EventStore.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

using namespace casefile;

// The real casefiled on loopback, driven through raw WebSocket frames.
class tst_ServerProtocol : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void health();
    void enrollment();
    void helloRefusals();
    void expiredAndRevokedTokens();
    void credentialsThatCannotBeCheckedAreNotRefused();
    void revokedEndpointIsCutOff();
    void failedReplayIsTriedAgain();
    void messageBeforeHello();
    void openSubscribeAppendLive();
    void appendIsIdempotentOverTheWire();
    void pipelinedAppendsStopAtTheFirstRefusal();
    void appendsKeepTheirOrderPastTheCommitCap();
    void plainAppendWaitsBehindPipelinedOnes();
    void whoMayAppendWhat();
    void refusalNamesTheEvent();
    void subscribeSaysTheSessionIsClosed();
    void openIsIdempotentOnItsSessionId();
    void nothingCrossesOrgs();
    void malformedInput();
    void binaryFramesWhenAskedFor();
    void oversizedFrameClosesTheConnection();
    void eventThatOutgrowsTheLimitWhenSealedIsRefused();
    void floodIsRateLimitedAndOthersAreServed();
    void storeIsIntactAfterAll();

private:
    QJsonObject append(WsTestClient &c, const QList<Event> &events);
    std::unique_ptr<WsTestClient> connectAs(const QString &token);
    // Runs one statement on the running server's store file from another connection, as an
    // administrator or a failing disk might; the error text, empty when it worked.
    QString storeSql(const QString &sql);

    ServerFixture m_server;
    ServerFixture::Org m_a;
    ServerFixture::Org m_b;
    QString m_endpointA, m_endpointTokenA, m_endpointB, m_endpointTokenB;
    QString m_sessionA, m_sessionB;
};

std::unique_ptr<WsTestClient> tst_ServerProtocol::connectAs(const QString &token)
{
    auto c = std::make_unique<WsTestClient>();
    if (!c->open(m_server.wsUrl()))
        return nullptr;
    const QJsonObject welcome = c->hello(token);
    if (welcome.value(QStringLiteral("type")).toString() != QLatin1String("welcome"))
        return nullptr;
    return c;
}

QString tst_ServerProtocol::storeSql(const QString &sql)
{
    const QString name = QStringLiteral("storeSql");
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_server.dataDir() + QStringLiteral("/casefile.db"));
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            q.exec(QStringLiteral("PRAGMA busy_timeout = 10000"));
            if (!q.exec(sql))
                error = q.lastError().text();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return error;
}

QJsonObject tst_ServerProtocol::append(WsTestClient &c, const QList<Event> &events)
{
    QJsonArray array;
    for (const Event &e : events)
        array.append(e.toJson());
    return c.request(QStringLiteral("append"), {{QStringLiteral("events"), array}});
}

void tst_ServerProtocol::initTestCase()
{
    m_a = m_server.createOrg(QStringLiteral("Contoso"));
    m_b = m_server.createOrg(QStringLiteral("Fabrikam"));
    QVERIFY(!m_a.technicianToken.isEmpty() && !m_b.technicianToken.isEmpty());
    QVERIFY2(m_server.start(), qPrintable(m_server.serverLog()));

    QJsonObject body;
    QCOMPARE(m_server.enroll(m_server.enrollmentCode(m_a.clientGroup), QStringLiteral("FRONTDESK-03"), &body), 200);
    m_endpointA = body.value(QStringLiteral("endpoint")).toString();
    m_endpointTokenA = body.value(QStringLiteral("token")).toString();
    QCOMPARE(m_server.enroll(m_server.enrollmentCode(m_b.clientGroup), QStringLiteral("FAB-PC-7"), &body), 200);
    m_endpointB = body.value(QStringLiteral("endpoint")).toString();
    m_endpointTokenB = body.value(QStringLiteral("token")).toString();
    QVERIFY(m_endpointTokenA.startsWith(QStringLiteral("cf_")));

    auto a = connectAs(m_a.technicianToken);
    auto b = connectAs(m_b.technicianToken);
    QVERIFY(a && b);
    QJsonObject r = a->request(QStringLiteral("open"), {{QStringLiteral("endpoint"), m_endpointA},
                                                        {QStringLiteral("title"), QStringLiteral("Printer offline")},
                                                        {QStringLiteral("tags"), QJsonArray{QStringLiteral("printing")}}});
    QCOMPARE(r.value(QStringLiteral("type")).toString(), QStringLiteral("result"));
    m_sessionA = r.value(QStringLiteral("session")).toString();
    r = b->request(QStringLiteral("open"), {{QStringLiteral("endpoint"), m_endpointB},
                                            {QStringLiteral("title"), QStringLiteral("VPN drops")}});
    m_sessionB = r.value(QStringLiteral("session")).toString();
    QVERIFY(JsonReader::isUuid(m_sessionA) && JsonReader::isUuid(m_sessionB));
}

void tst_ServerProtocol::cleanupTestCase()
{
    m_server.terminate();
}

void tst_ServerProtocol::health()
{
    WsTestClient c;
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(QNetworkRequest(QUrl(m_server.httpUrl() + QStringLiteral("/healthz"))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    reply->deleteLater();
}

void tst_ServerProtocol::enrollment()
{
    const QString code = m_server.enrollmentCode(m_a.clientGroup);
    QJsonObject body;
    QCOMPARE(m_server.enroll(code, QStringLiteral("LAPTOP-1"), &body), 200);
    QCOMPARE(body.value(QStringLiteral("org")).toString(), m_a.id);
    QCOMPARE(body.value(QStringLiteral("clientGroup")).toString(), m_a.clientGroup);
    // A code works once.
    QCOMPARE(m_server.enroll(code, QStringLiteral("LAPTOP-2"), &body), 403);
    QVERIFY2(body.value(QStringLiteral("error")).toString().contains(QStringLiteral("already been used")),
             qPrintable(body.value(QStringLiteral("error")).toString()));
    QCOMPARE(m_server.enroll(QStringLiteral("enr_made_up"), QStringLiteral("X"), &body), 403);
    QVERIFY(body.value(QStringLiteral("error")).toString().contains(QStringLiteral("unknown")));
    const QString shortLived = m_server.enrollmentCode(m_a.clientGroup, QStringLiteral("1s"));
    QTest::qWait(1500);
    QCOMPARE(m_server.enroll(shortLived, QStringLiteral("LATE"), &body), 403);
    QVERIFY(body.value(QStringLiteral("error")).toString().contains(QStringLiteral("expired")));
}

void tst_ServerProtocol::helloRefusals()
{
    for (const QString &token : QStringList{QString(), QStringLiteral("cf_wrong"), m_a.technicianToken + QStringLiteral("x")}) {
        WsTestClient c;
        QVERIFY(c.open(m_server.wsUrl()));
        const QJsonObject answer = c.hello(token);
        QCOMPARE(answer.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        QCOMPARE(answer.value(QStringLiteral("code")).toString(), QStringLiteral("unauthorized"));
        QVERIFY(c.waitForClosed());
    }
    WsTestClient c;
    QVERIFY(c.open(m_server.wsUrl()));
    c.sendText(R"({"type":"hello","token":"x","protocol":99})");
    QCOMPARE(c.waitFor(QStringLiteral("error")).value(QStringLiteral("code")).toString(), QStringLiteral("bad_request"));
    QVERIFY(c.waitForClosed());
}

void tst_ServerProtocol::expiredAndRevokedTokens()
{
    const QJsonObject shortLived = m_server.admin({QStringLiteral("issue-token"), QStringLiteral("--user"), m_a.technician,
                                                   QStringLiteral("--ttl"), QStringLiteral("1s")});
    QTest::qWait(1500);
    WsTestClient c;
    QVERIFY(c.open(m_server.wsUrl()));
    QJsonObject answer = c.hello(shortLived.value(QStringLiteral("token")).toString());
    QCOMPARE(answer.value(QStringLiteral("code")).toString(), QStringLiteral("unauthorized"));
    QVERIFY(answer.value(QStringLiteral("message")).toString().contains(QStringLiteral("expired")));

    const QJsonObject revocable = m_server.admin({QStringLiteral("issue-token"), QStringLiteral("--user"), m_a.technician});
    const auto welcomed = connectAs(revocable.value(QStringLiteral("token")).toString());
    QVERIFY(welcomed);
    QVERIFY(!m_server.admin({QStringLiteral("revoke-token"), QStringLiteral("--id"), revocable.value(QStringLiteral("tokenId")).toString()}).isEmpty());
    // The connection already welcomed with it ends too, within a few seconds.
    const QJsonObject ended = welcomed->waitFor(QStringLiteral("error"), 10000);
    QCOMPARE(ended.value(QStringLiteral("code")).toString(), QStringLiteral("unauthorized"));
    QVERIFY(welcomed->waitForClosed());
    QCOMPARE(welcomed->closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    WsTestClient d;
    QVERIFY(d.open(m_server.wsUrl()));
    answer = d.hello(revocable.value(QStringLiteral("token")).toString());
    QCOMPARE(answer.value(QStringLiteral("code")).toString(), QStringLiteral("unauthorized"));
    QVERIFY(answer.value(QStringLiteral("message")).toString().contains(QStringLiteral("revoked")));
    // The server log never contains a token.
    QVERIFY(!m_server.serverLog().contains(revocable.value(QStringLiteral("token")).toString()));

    // A token that expires while its connection is open ends it as well.
    const QJsonObject expiring =
        m_server.admin({QStringLiteral("issue-token"), QStringLiteral("--user"), m_a.technician,
                        QStringLiteral("--ttl"), QStringLiteral("6s")});
    const auto open = connectAs(expiring.value(QStringLiteral("token")).toString());
    QVERIFY(open);
    QCOMPARE(open->request(QStringLiteral("ping")).value(QStringLiteral("type")).toString(),
             QStringLiteral("result"));
    QVERIFY(open->waitForClosed(20000));
    QCOMPARE(open->closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
}

// A stolen or retired machine: its credentials are revoked with one admin command, and an agent
// connected with them is cut off.
void tst_ServerProtocol::revokedEndpointIsCutOff()
{
    QJsonObject enrolled;
    QCOMPARE(m_server.enroll(m_server.enrollmentCode(m_a.clientGroup), QStringLiteral("PC-LOST"),
                             &enrolled),
             200);
    const QString endpoint = enrolled.value(QStringLiteral("endpoint")).toString();
    const QString token = enrolled.value(QStringLiteral("token")).toString();
    const auto agent = connectAs(token);
    QVERIFY(agent);
    QString error;
    const QJsonObject revoked = m_server.admin(
        {QStringLiteral("revoke-endpoint"), QStringLiteral("--endpoint"), endpoint}, &error);
    QCOMPARE(revoked.value(QStringLiteral("endpoint")).toString(), endpoint);
    QCOMPARE(revoked.value(QStringLiteral("revokedTokens")).toInt(), 1);
    QCOMPARE(
        agent->waitFor(QStringLiteral("error"), 10000).value(QStringLiteral("code")).toString(),
        QStringLiteral("unauthorized"));
    QVERIFY(agent->waitForClosed());
    WsTestClient again;
    QVERIFY(again.open(m_server.wsUrl()));
    const QJsonObject refused = again.hello(token);
    QCOMPARE(refused.value(QStringLiteral("code")).toString(), QStringLiteral("unauthorized"));
    QVERIFY(
        refused.value(QStringLiteral("message")).toString().contains(QStringLiteral("revoked")));
    // Other endpoints are untouched; an unknown one is an error, not "0 revoked".
    QVERIFY(connectAs(m_endpointTokenA));
    QVERIFY(m_server
                .admin({QStringLiteral("revoke-endpoint"), QStringLiteral("--endpoint"),
                        Event::newId()},
                       &error)
                .isEmpty());
    QVERIFY2(error.contains(QStringLiteral("no endpoint")), qPrintable(error));
}

// A store that cannot answer is not a wrong token: "unauthorized" makes a client (an agent)
// give up for good, "unavailable" makes it try again.
void tst_ServerProtocol::credentialsThatCannotBeCheckedAreNotRefused()
{
    const auto exec = [this](const QString &sql) { return storeSql(sql); };
    for (const QString &table : {QStringLiteral("tokens"), QStringLiteral("endpoints")}) {
        QCOMPARE(exec(QStringLiteral("ALTER TABLE %1 RENAME TO %1_away").arg(table)), QString());
        // Put back whatever happens below, or every later test would find the table gone.
        auto putBack = qScopeGuard(
            [&] { exec(QStringLiteral("ALTER TABLE %1_away RENAME TO %1").arg(table)); });
        WsTestClient c;
        QVERIFY(c.open(m_server.wsUrl()));
        const QJsonObject answer = c.hello(m_endpointTokenA);
        putBack.dismiss();
        QCOMPARE(exec(QStringLiteral("ALTER TABLE %1_away RENAME TO %1").arg(table)), QString());
        QCOMPARE(answer.value(QStringLiteral("code")).toString(), QStringLiteral("unavailable"));
        QVERIFY(c.waitForClosed());
        // Nothing of the store's error reaches the client; the log has it, and no token.
        QVERIFY(!answer.value(QStringLiteral("message")).toString().contains(table));
        QTRY_VERIFY(m_server.serverLog().contains(QStringLiteral("cannot authenticate")));
        QVERIFY(!m_server.serverLog().contains(m_endpointTokenA));
        QVERIFY(connectAs(m_endpointTokenA));
    }
    // A token that is not there is still refused for good.
    WsTestClient d;
    QVERIFY(d.open(m_server.wsUrl()));
    QCOMPARE(d.hello(QStringLiteral("cf_not_a_token")).value(QStringLiteral("code")).toString(),
             QStringLiteral("unauthorized"));
}

// A subscription is answered before its replay is read: when that read fails, the subscriber
// is not live and gets no pushes, so the server must try the replay again by itself.
void tst_ServerProtocol::failedReplayIsTriedAgain()
{
    auto tech = connectAs(m_a.technicianToken);
    auto viewer = connectAs(m_a.viewerToken);
    QVERIFY(tech && viewer);
    const QString session =
        tech->request(QStringLiteral("open"), {{QStringLiteral("endpoint"), m_endpointA},
                                               {QStringLiteral("title"), QStringLiteral("replay")}})
            .value(QStringLiteral("session"))
            .toString();
    QVERIFY(JsonReader::isUuid(session));
    const auto exec = [this](const QString &sql) { return storeSql(sql); };
    QCOMPARE(exec(QStringLiteral("ALTER TABLE events RENAME TO events_away")), QString());
    auto putBack =
        qScopeGuard([&] { exec(QStringLiteral("ALTER TABLE events_away RENAME TO events")); });
    const QJsonObject subscribed =
        viewer->request(QStringLiteral("subscribe"), {{QStringLiteral("session"), session}});
    const QJsonObject failed = viewer->waitFor(QStringLiteral("error"));
    putBack.dismiss();
    QCOMPARE(exec(QStringLiteral("ALTER TABLE events_away RENAME TO events")), QString());
    QCOMPARE(subscribed.value(QStringLiteral("type")).toString(), QStringLiteral("result"));
    QVERIFY2(failed.value(QStringLiteral("message"))
                 .toString()
                 .contains(QStringLiteral("cannot read session")),
             qPrintable(failed.value(QStringLiteral("message")).toString()));
    const Event mine = Event::make(session, Actor{QStringLiteral("user"), m_a.technician},
                                   NoteAddedBody{QStringLiteral("after the failure"), {}});
    QCOMPARE(append(*tech, {mine}).value(QStringLiteral("type")).toString(),
             QStringLiteral("result"));
    // The opening and the note, in order, once each.
    QTRY_COMPARE_WITH_TIMEOUT(viewer->pushedEvents(session).size(), 2, 15000);
    QTest::qWait(300);
    const QJsonArray pushed = viewer->pushedEvents(session);
    QCOMPARE(pushed.size(), 2);
    QCOMPARE(pushed.at(0).toObject().value(QStringLiteral("seq")).toInteger(), 1);
    QCOMPARE(pushed.at(1).toObject().value(QStringLiteral("id")).toString(), mine.id);
}

void tst_ServerProtocol::messageBeforeHello()
{
    WsTestClient c;
    QVERIFY(c.open(m_server.wsUrl()));
    c.sendText(R"({"type":"sessions","req":1})");
    QCOMPARE(c.waitFor(QStringLiteral("error")).value(QStringLiteral("code")).toString(), QStringLiteral("unauthorized"));
    QVERIFY(c.waitForClosed());

    WsTestClient silent;
    QVERIFY(silent.open(m_server.wsUrl()));
    QElapsedTimer t;
    t.start();
    QVERIFY(silent.waitForClosed(20000));
    QVERIFY2(t.elapsed() >= 9000, "closed before the hello timeout");
    QCOMPARE(silent.waitFor(QStringLiteral("error"), 100).value(QStringLiteral("code")).toString(), QStringLiteral("timeout"));
}

void tst_ServerProtocol::openSubscribeAppendLive()
{
    auto tech = connectAs(m_a.technicianToken);
    auto agent = connectAs(m_endpointTokenA);
    QVERIFY(tech && agent);
    const QJsonObject opened = tech->request(QStringLiteral("open"), {{QStringLiteral("endpoint"), m_endpointA},
                                                                      {QStringLiteral("title"), QStringLiteral("Outlook prompts for password")},
                                                                      {QStringLiteral("ticket"), QStringLiteral("INC-1")}});
    const QString session = opened.value(QStringLiteral("session")).toString();
    QVERIFY(JsonReader::isUuid(session));
    // The endpoint hears about its new session.
    const QJsonObject notice = agent->waitFor(QStringLiteral("session"));
    QCOMPARE(notice.value(QStringLiteral("session")).toObject().value(QStringLiteral("id")).toString(), session);

    const Actor techActor{QStringLiteral("user"), m_a.technician};
    const QString cmd = Event::newId();
    CommandRequestedBody rq;
    rq.command = cmd;
    rq.shell = QStringLiteral("bash");
    rq.text = QStringLiteral("ip addr");
    QJsonObject r = append(*tech, {Event::make(session, techActor, rq)});
    QCOMPARE(r.value(QStringLiteral("type")).toString(), QStringLiteral("result"));
    QCOMPARE(r.value(QStringLiteral("acks")).toArray().first().toObject().value(QStringLiteral("seq")).toInt(), 2);

    // Replay from the start, then live.
    r = tech->request(QStringLiteral("subscribe"), {{QStringLiteral("session"), session}, {QStringLiteral("after"), 0}});
    QCOMPARE(r.value(QStringLiteral("head")).toInt(), 2);
    QTRY_COMPARE(tech->pushedEvents(session).size(), 2);

    const Actor agentActor{QStringLiteral("endpoint"), m_endpointA};
    QList<Event> output;
    for (int i = 0; i < 50; ++i) {
        CommandOutputBody o;
        o.command = cmd;
        o.stream = QStringLiteral("stdout");
        o.chunk = i;
        o.data = QStringLiteral("line %1\n").arg(i);
        output.append(Event::make(session, agentActor, o));
    }
    r = append(*agent, output);
    QCOMPARE(r.value(QStringLiteral("acks")).toArray().size(), 50);
    QTRY_COMPARE(tech->pushedEvents(session).size(), 52);
    const QJsonArray pushed = tech->pushedEvents(session);
    for (int i = 0; i < pushed.size(); ++i) {
        const auto e = EventCodec::fromJson(pushed.at(i).toObject(), EventCodec::Mode::Sealed);
        QVERIFY2(e.ok(), qPrintable(e.error.toString()));
        QCOMPARE(e.event.seq, i + 1);
    }
    // A late subscriber from the middle gets exactly the rest.
    auto late = connectAs(m_a.viewerToken);
    QVERIFY(late);
    r = late->request(QStringLiteral("subscribe"), {{QStringLiteral("session"), session}, {QStringLiteral("after"), 40}});
    QCOMPARE(r.value(QStringLiteral("head")).toInt(), 52);
    QTRY_COMPARE(late->pushedEvents(session).size(), 12);
    QCOMPARE(late->pushedEvents(session).first().toObject().value(QStringLiteral("seq")).toInt(), 41);

    // An endpoint that asks for some kinds only gets those, in the replay and live, and is not
    // sent the output back.
    auto filtered = connectAs(m_endpointTokenA);
    QVERIFY(filtered);
    r = filtered->request(QStringLiteral("subscribe"),
                          {{QStringLiteral("session"), session}, {QStringLiteral("after"), 0},
                           {QStringLiteral("kinds"), QJsonArray{QStringLiteral("command.requested"),
                                                                QStringLiteral("session.closed")}}});
    QCOMPARE(r.value(QStringLiteral("head")).toInt(), 52);
    QTRY_COMPARE(filtered->pushedEvents(session).size(), 1);
    QCOMPARE(filtered->pushedEvents(session).first().toObject().value(QStringLiteral("seq")).toInt(), 2);
    CommandRequestedBody second = rq;
    second.command = Event::newId();
    second.text = QStringLiteral("ip route");
    QCOMPARE(append(*agent, {output.first()}).value(QStringLiteral("acks")).toArray().size(), 1); // a duplicate
    CommandOutputBody more;
    more.command = cmd;
    more.stream = QStringLiteral("stdout");
    more.chunk = 50;
    more.data = QStringLiteral("line 50\n");
    QVERIFY(append(*agent, {Event::make(session, agentActor, more)}).contains(QStringLiteral("acks")));
    QVERIFY(append(*tech, {Event::make(session, techActor, second)}).contains(QStringLiteral("acks")));
    QTRY_COMPARE(late->pushedEvents(session).size(), 14); // the unfiltered one gets both
    QTRY_COMPARE(filtered->pushedEvents(session).size(), 2);
    QCOMPARE(filtered->pushedEvents(session).last().toObject().value(QStringLiteral("seq")).toInt(), 54);
    QCOMPARE(filtered->pushedEvents(session).last().toObject().value(QStringLiteral("kind")).toString(),
             QStringLiteral("command.requested"));
    // Kinds must be known ones, in a non-empty array.
    for (const QJsonValue &bad : {QJsonValue(QJsonArray{QStringLiteral("command.exploded")}), QJsonValue(QJsonArray{}),
                                  QJsonValue(QStringLiteral("command.requested")), QJsonValue(QJsonArray{7})}) {
        r = filtered->request(QStringLiteral("subscribe"), {{QStringLiteral("session"), session}, {QStringLiteral("kinds"), bad}});
        QCOMPARE(r.value(QStringLiteral("code")).toString(), QStringLiteral("bad_request"));
    }
}

void tst_ServerProtocol::appendIsIdempotentOverTheWire()
{
    auto tech = connectAs(m_a.technicianToken);
    QVERIFY(tech);
    const Event note = Event::make(m_sessionA, Actor{QStringLiteral("user"), m_a.technician},
                                   NoteAddedBody{QStringLiteral("Driver reinstalled"), {}});
    const QJsonObject first = append(*tech, {note});
    const QJsonObject again = append(*tech, {note});
    const QJsonObject a = first.value(QStringLiteral("acks")).toArray().first().toObject();
    const QJsonObject b = again.value(QStringLiteral("acks")).toArray().first().toObject();
    QCOMPARE(a.value(QStringLiteral("duplicate")).toBool(), false);
    QCOMPARE(b.value(QStringLiteral("duplicate")).toBool(), true);
    QCOMPARE(b.value(QStringLiteral("seq")), a.value(QStringLiteral("seq")));
    QCOMPARE(b.value(QStringLiteral("hash")), a.value(QStringLiteral("hash")));
}

// PROTOCOL.md 6.8: several appends in flight; after a refusal, none sent behind it is stored,
// not even one that arrived before the store refused the one ahead of it.
void tst_ServerProtocol::pipelinedAppendsStopAtTheFirstRefusal()
{
    auto tech = connectAs(m_a.technicianToken);
    QVERIFY(tech);
    const Actor actor{QStringLiteral("user"), m_a.technician};
    const auto note = [&](const QString &text) {
        return Event::make(m_sessionA, actor, NoteAddedBody{text, {}});
    };
    const Event stored = note(QStringLiteral("stored before"));
    QVERIFY(append(*tech, {stored}).contains(QStringLiteral("acks")));
    Event clash = stored; // same id, other content: the store refuses it, after it arrived
    clash.body.insert(QStringLiteral("text"), QStringLiteral("something else"));

    const auto send = [&](qint64 pipeline, const QJsonValue &events) {
        const qint64 req = tech->nextReq();
        tech->sendText(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("append")},
                                                 {QStringLiteral("req"), req},
                                                 {QStringLiteral("pipeline"), pipeline},
                                                 {QStringLiteral("events"), events}})
                           .toJson(QJsonDocument::Compact));
        return req;
    };
    const auto answer = [&](qint64 req) {
        QJsonObject found;
        const auto has = [&] {
            for (const QJsonObject &m : std::as_const(tech->received())) {
                if (m.value(QStringLiteral("req")).toInteger() == req) {
                    found = m;
                    return true;
                }
            }
            return false;
        };
        if (!QTest::qWaitFor(has, 10000))
            qWarning() << "no answer to request" << req;
        return found;
    };
    const auto code = [](const QJsonObject &r) {
        return r.value(QStringLiteral("code")).toString();
    };

    const Event first = note(QStringLiteral("pipelined first"));
    const Event third = note(QStringLiteral("pipelined third"));
    const qint64 r1 = send(1, QJsonArray{first.toJson()});
    const qint64 r2 = send(1, QJsonArray{clash.toJson()});
    const qint64 r3 = send(1, QJsonArray{third.toJson()});
    const QJsonObject a1 = answer(r1);
    QCOMPARE(a1.value(QStringLiteral("type")).toString(), QStringLiteral("result"));
    const qint64 firstSeq = a1.value(QStringLiteral("acks"))
                                .toArray()
                                .first()
                                .toObject()
                                .value(QStringLiteral("seq"))
                                .toInteger();
    QCOMPARE(code(answer(r2)), QStringLiteral("conflict"));
    QCOMPARE(code(answer(r3)), QStringLiteral("aborted"));
    // Still void under the same number; stored under the next, right after the first.
    QCOMPARE(code(answer(send(1, QJsonArray{third.toJson()}))), QStringLiteral("aborted"));
    const QJsonObject again = answer(send(2, QJsonArray{third.toJson()}));
    const QJsonObject ack = again.value(QStringLiteral("acks")).toArray().first().toObject();
    QCOMPARE(ack.value(QStringLiteral("id")).toString(), third.id);
    QCOMPARE(ack.value(QStringLiteral("duplicate")).toBool(), false);
    QCOMPARE(ack.value(QStringLiteral("seq")).toInteger(), firstSeq + 1);

    // A refusal on arrival ends the pipeline as well.
    QCOMPARE(code(answer(send(3, QJsonArray{QStringLiteral("not an event")}))),
             QStringLiteral("bad_request"));
    QCOMPARE(code(answer(send(3, QJsonArray{note(QStringLiteral("late")).toJson()}))),
             QStringLiteral("aborted"));
    // The number must be a positive integer.
    QCOMPARE(code(answer(send(0, QJsonArray{note(QStringLiteral("zero")).toJson()}))),
             QStringLiteral("bad_request"));
}

void tst_ServerProtocol::appendsKeepTheirOrderPastTheCommitCap()
{
    // One transaction takes whole appends up to 10,000 events. Of appends sent back to back from
    // one connection, a small one must not be stored before a large one that did not fit in the
    // same transaction (it was: the cap skipped the large one and took the next).
    auto tech = connectAs(m_a.technicianToken);
    QVERIFY(tech);
    const Actor actor{QStringLiteral("user"), m_a.technician};
    constexpr int appends = 60;
    // Made before any is sent: the server must receive them faster than it stores them.
    QList<qint64> reqs;
    QList<QStringList> ids;
    QList<QByteArray> frames;
    for (int k = 0; k < appends; ++k) {
        const int size = k % 2 == 0 ? ProtocolLimits::eventsPerAppend : 1;
        QJsonArray events;
        QStringList these;
        for (int i = 0; i < size; ++i) {
            const Event e =
                Event::make(m_sessionA, actor,
                            NoteAddedBody{QStringLiteral("append %1 note %2").arg(k).arg(i), {}});
            events.append(e.toJson());
            these.append(e.id);
        }
        const qint64 req = tech->nextReq();
        frames.append(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("append")},
                                                {QStringLiteral("req"), req},
                                                {QStringLiteral("events"), events}})
                          .toJson(QJsonDocument::Compact));
        reqs.append(req);
        ids.append(these);
    }
    {
        // Another connection holds the write lock meanwhile (as a backup might): the server's
        // writer waits for it, the appends pile up, and the transactions after it hit the cap.
        QSqlDatabase holder =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("holder"));
        const auto release = qScopeGuard([&holder] {
            holder.close(); // rolls back whatever is still open
            holder = QSqlDatabase();
            QSqlDatabase::removeDatabase(QStringLiteral("holder"));
        });
        holder.setDatabaseName(m_server.dataDir() + QStringLiteral("/casefile.db"));
        QVERIFY(holder.open());
        QSqlQuery lock(holder);
        QVERIFY2(lock.exec(QStringLiteral("BEGIN IMMEDIATE")), qPrintable(lock.lastError().text()));
        for (const QByteArray &frame : std::as_const(frames))
            tech->sendText(frame);
        QTest::qWait(2000);
        QVERIFY(lock.exec(QStringLiteral("COMMIT")));
    }
    const auto answered = [&] {
        qsizetype n = 0;
        for (const QJsonObject &m : std::as_const(tech->received()))
            n += reqs.contains(m.value(QStringLiteral("req")).toInteger()) ? 1 : 0;
        return n == appends;
    };
    QVERIFY(QTest::qWaitFor(answered, 60000));

    qint64 lastSeq = 0;
    for (int k = 0; k < appends; ++k) {
        QJsonObject reply;
        for (const QJsonObject &m : std::as_const(tech->received())) {
            if (m.value(QStringLiteral("req")).toInteger() == reqs.at(k))
                reply = m;
        }
        QCOMPARE(reply.value(QStringLiteral("type")).toString(), QStringLiteral("result"));
        const QJsonArray acks = reply.value(QStringLiteral("acks")).toArray();
        QCOMPARE(acks.size(), ids.at(k).size());
        for (qsizetype i = 0; i < acks.size(); ++i) {
            const QJsonObject ack = acks.at(i).toObject();
            QCOMPARE(ack.value(QStringLiteral("id")).toString(), ids.at(k).at(i));
            const qint64 seq = ack.value(QStringLiteral("seq")).toInteger();
            QVERIFY2(seq > lastSeq,
                     qPrintable(QStringLiteral("append %1 stored at seq %2, after seq %3")
                                    .arg(k)
                                    .arg(seq)
                                    .arg(lastSeq)));
            lastSeq = seq;
        }
    }
}

// A client may mix pipelined appends with plain ones: an append sent after a pipelined one that
// is waiting for its predecessor must not be stored before it.
void tst_ServerProtocol::plainAppendWaitsBehindPipelinedOnes()
{
    auto tech = connectAs(m_a.technicianToken);
    auto other = connectAs(m_a.technicianToken);
    QVERIFY(tech && other);
    const Actor actor{QStringLiteral("user"), m_a.technician};
    const auto frame = [&](qint64 req, qint64 pipeline, const Event &e) {
        QJsonObject m{{QStringLiteral("type"), QStringLiteral("append")},
                      {QStringLiteral("req"), req},
                      {QStringLiteral("events"), QJsonArray{e.toJson()}}};
        if (pipeline > 0)
            m.insert(QStringLiteral("pipeline"), pipeline);
        return QJsonDocument(m).toJson(QJsonDocument::Compact);
    };
    const QList<Event> notes{
        Event::make(m_sessionA, actor, NoteAddedBody{QStringLiteral("pipelined 1"), {}}),
        Event::make(m_sessionA, actor, NoteAddedBody{QStringLiteral("pipelined 2"), {}}),
        Event::make(m_sessionA, actor, NoteAddedBody{QStringLiteral("plain 3"), {}})};
    QList<qint64> reqs;
    {
        // The writer is busy with another connection's append (held up by a lock) while the
        // three arrive, so all three are pending together.
        QSqlDatabase holder =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("orderHolder"));
        const auto release = qScopeGuard([&holder] {
            holder.close();
            holder = QSqlDatabase();
            QSqlDatabase::removeDatabase(QStringLiteral("orderHolder"));
        });
        holder.setDatabaseName(m_server.dataDir() + QStringLiteral("/casefile.db"));
        QVERIFY(holder.open());
        QSqlQuery lock(holder);
        QVERIFY2(lock.exec(QStringLiteral("BEGIN IMMEDIATE")), qPrintable(lock.lastError().text()));
        other->sendText(
            frame(other->nextReq(), 0,
                  Event::make(m_sessionA, actor, NoteAddedBody{QStringLiteral("first"), {}})));
        QTest::qWait(300);
        for (int i = 0; i < 3; ++i) {
            reqs.append(tech->nextReq());
            tech->sendText(frame(reqs.last(), i < 2 ? 1 : 0, notes.at(i)));
        }
        QTest::qWait(500);
        QVERIFY(lock.exec(QStringLiteral("COMMIT")));
    }
    QHash<qint64, qint64> seqOf;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QJsonObject &m : tech->received()) {
                if (m.value(QStringLiteral("type")).toString() == QLatin1String("result"))
                    seqOf.insert(m.value(QStringLiteral("req")).toInteger(),
                                 m.value(QStringLiteral("acks"))
                                     .toArray()
                                     .at(0)
                                     .toObject()
                                     .value(QStringLiteral("seq"))
                                     .toInteger());
            }
            return seqOf.size() == 3;
        }(),
        15000);
    QVERIFY2(seqOf.value(reqs.at(0)) < seqOf.value(reqs.at(1)) &&
                 seqOf.value(reqs.at(1)) < seqOf.value(reqs.at(2)),
             qPrintable(QStringLiteral("stored at %1, %2, %3")
                            .arg(seqOf.value(reqs.at(0)))
                            .arg(seqOf.value(reqs.at(1)))
                            .arg(seqOf.value(reqs.at(2)))));
}

void tst_ServerProtocol::whoMayAppendWhat()
{
    auto tech = connectAs(m_a.technicianToken);
    auto viewer = connectAs(m_a.viewerToken);
    auto agent = connectAs(m_endpointTokenA);
    QVERIFY(tech && viewer && agent);
    const Actor techActor{QStringLiteral("user"), m_a.technician};
    const Actor agentActor{QStringLiteral("endpoint"), m_endpointA};
    const auto code = [](const QJsonObject &r) { return r.value(QStringLiteral("code")).toString(); };

    // A console cannot forge the end user's consent.
    ApprovalDecidedBody decided;
    decided.command = Event::newId();
    decided.decision = QStringLiteral("approved");
    decided.decidedBy = QStringLiteral("CONTOSO\\jsmith");
    decided.decidedAt = Event::nowTimestamp();
    QCOMPARE(code(append(*tech, {Event::make(m_sessionA, techActor, decided)})), QStringLiteral("forbidden"));
    // Nor pretend to be the endpoint.
    QCOMPARE(code(append(*tech, {Event::make(m_sessionA, agentActor, decided)})), QStringLiteral("forbidden"));
    // The endpoint may; but it may not ask for commands.
    QCOMPARE(append(*agent, {Event::make(m_sessionA, agentActor, decided)}).value(QStringLiteral("type")).toString(),
             QStringLiteral("result"));
    CommandRequestedBody rq;
    rq.command = Event::newId();
    rq.shell = QStringLiteral("sh");
    rq.text = QStringLiteral("id");
    QCOMPARE(code(append(*agent, {Event::make(m_sessionA, agentActor, rq)})), QStringLiteral("forbidden"));
    // Viewers read only.
    QCOMPARE(code(append(*viewer, {Event::make(m_sessionA, Actor{QStringLiteral("user"), m_a.viewer}, rq)})),
             QStringLiteral("forbidden"));
    QCOMPARE(code(viewer->request(QStringLiteral("open"), {{QStringLiteral("endpoint"), m_endpointA},
                                                          {QStringLiteral("title"), QStringLiteral("x")}})),
             QStringLiteral("forbidden"));
    // session.opened only through open.
    QCOMPARE(code(append(*tech, {TestEvents::opened(Event::newId(), {})})), QStringLiteral("forbidden"));
    // A refused batch stores nothing of itself.
    const QJsonObject before = tech->request(QStringLiteral("session"), {{QStringLiteral("session"), m_sessionA}});
    QCOMPARE(code(append(*tech, {Event::make(m_sessionA, techActor, NoteAddedBody{QStringLiteral("ok"), {}}),
                                 Event::make(m_sessionA, techActor, decided)})),
             QStringLiteral("forbidden"));
    const QJsonObject after = tech->request(QStringLiteral("session"), {{QStringLiteral("session"), m_sessionA}});
    QCOMPARE(after.value(QStringLiteral("session")).toObject().value(QStringLiteral("head")),
             before.value(QStringLiteral("session")).toObject().value(QStringLiteral("head")));
}

// An append's refusal names the event (index, id) and says when every event of its session
// would be refused alike, so a client drops a closed session's backlog at once (PROTOCOL.md 6.4).
void tst_ServerProtocol::refusalNamesTheEvent()
{
    auto tech = connectAs(m_a.technicianToken);
    QVERIFY(tech);
    const Actor techActor{QStringLiteral("user"), m_a.technician};
    const auto note = [&](const QString &session, const QString &text) {
        return Event::make(session, techActor, NoteAddedBody{text, {}});
    };
    const auto check = [](const QJsonObject &r, const QString &code, int index, const QString &id,
                          bool wholeSession) {
        QCOMPARE(r.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        QCOMPARE(r.value(QStringLiteral("code")).toString(), code);
        QCOMPARE(r.value(QStringLiteral("index")).toInteger(-1), index);
        QCOMPARE(r.value(QStringLiteral("id")).toString(), id);
        QCOMPARE(r.value(QStringLiteral("wholeSession")).toBool(), wholeSession);
    };

    // A kind this principal may not append: that event only.
    ApprovalDecidedBody decided;
    decided.command = Event::newId();
    decided.decision = QStringLiteral("approved");
    decided.decidedBy = QStringLiteral("jsmith");
    decided.decidedAt = Event::nowTimestamp();
    const Event forged = Event::make(m_sessionA, techActor, decided);
    check(append(*tech, {note(m_sessionA, QStringLiteral("fine")), forged}),
          QStringLiteral("forbidden"), 1, forged.id, false);
    if (QTest::currentTestFailed())
        return;
    // Another org's session: every event of it.
    const Event across = note(m_sessionB, QStringLiteral("hello?"));
    check(append(*tech, {note(m_sessionA, QStringLiteral("fine")), across}),
          QStringLiteral("not_found"), 1, across.id, true);
    if (QTest::currentTestFailed())
        return;

    // A closed session: every event of it; found by the store, after the checks above.
    const QString session =
        tech->request(QStringLiteral("open"), {{QStringLiteral("endpoint"), m_endpointA},
                                               {QStringLiteral("title"), QStringLiteral("closes")}})
            .value(QStringLiteral("session"))
            .toString();
    QVERIFY(JsonReader::isUuid(session));
    const Event kept = note(session, QStringLiteral("before the close"));
    QCOMPARE(append(*tech, {kept, Event::make(session, techActor, SessionClosedBody{})})
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("result"));
    const Event late = note(session, QStringLiteral("after the close"));
    const QJsonObject closed = append(*tech, {note(m_sessionA, QStringLiteral("fine")), late});
    check(closed, QStringLiteral("conflict"), 1, late.id, true);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(closed.value(QStringLiteral("message")).toString().contains(QStringLiteral("closed")),
             qPrintable(closed.value(QStringLiteral("message")).toString()));
    // An id already used by a different event of the session: that event only.
    Event reused = note(m_sessionA, QStringLiteral("first"));
    QCOMPARE(append(*tech, {reused}).value(QStringLiteral("type")).toString(),
             QStringLiteral("result"));
    reused.body.insert(QStringLiteral("text"), QStringLiteral("second"));
    check(append(*tech, {note(m_sessionA, QStringLiteral("fine")), reused}),
          QStringLiteral("conflict"), 1, reused.id, false);
}

// The subscription's answer says a session is closed before its replay: an agent must not act
// on the requests of the parts of a long replay that come before the close.
void tst_ServerProtocol::subscribeSaysTheSessionIsClosed()
{
    auto tech = connectAs(m_a.technicianToken);
    auto agent = connectAs(m_endpointTokenA);
    QVERIFY(tech && agent);
    const QString session =
        tech->request(QStringLiteral("open"), {{QStringLiteral("endpoint"), m_endpointA},
                                               {QStringLiteral("title"), QStringLiteral("short")}})
            .value(QStringLiteral("session"))
            .toString();
    QVERIFY(JsonReader::isUuid(session));
    const QJsonObject onIt{{QStringLiteral("session"), session}};
    QJsonObject r = agent->request(QStringLiteral("subscribe"), onIt);
    QCOMPARE(r.value(QStringLiteral("type")).toString(), QStringLiteral("result"));
    QVERIFY2(!r.contains(QStringLiteral("closedAt")), QJsonDocument(r).toJson().constData());

    const Event close =
        Event::make(session, Actor{QStringLiteral("user"), m_a.technician}, SessionClosedBody{});
    QCOMPARE(append(*tech, {close}).value(QStringLiteral("type")).toString(),
             QStringLiteral("result"));
    r = agent->request(QStringLiteral("subscribe"), onIt);
    QCOMPARE(r.value(QStringLiteral("head")).toInteger(), 2);
    QCOMPARE(r.value(QStringLiteral("closedAt")).toString(), close.at);
}

// A client names the session it opens, so an `open` sent again after its answer was lost
// answers with that session instead of opening a second one (casefile-cli does).
void tst_ServerProtocol::openIsIdempotentOnItsSessionId()
{
    auto tech = connectAs(m_a.technicianToken);
    auto other = connectAs(m_b.technicianToken);
    QVERIFY(tech && other);
    const QString id = Event::newId();
    const QJsonObject params{{QStringLiteral("endpoint"), m_endpointA},
                             {QStringLiteral("title"), QStringLiteral("Asked twice")},
                             {QStringLiteral("session"), id}};
    const QJsonObject first = tech->request(QStringLiteral("open"), params);
    QCOMPARE(first.value(QStringLiteral("session")).toString(), id);
    const QJsonObject again = tech->request(QStringLiteral("open"), params);
    QCOMPARE(again.value(QStringLiteral("type")).toString(), QStringLiteral("result"));
    QCOMPARE(again.value(QStringLiteral("session")).toString(), id);
    QCOMPARE(again.value(QStringLiteral("event")), first.value(QStringLiteral("event")));
    const QJsonObject info =
        tech->request(QStringLiteral("session"), {{QStringLiteral("session"), id}});
    QCOMPARE(info.value(QStringLiteral("session")).toObject().value(QStringLiteral("head")).toInt(),
             1);

    // The id of someone else's session: refused, and nothing of it in the answer.
    const QJsonObject taken =
        other->request(QStringLiteral("open"), {{QStringLiteral("endpoint"), m_endpointB},
                                                {QStringLiteral("title"), QStringLiteral("Mine")},
                                                {QStringLiteral("session"), id}});
    QCOMPARE(taken.value(QStringLiteral("code")).toString(), QStringLiteral("conflict"));
    QVERIFY(!taken.contains(QStringLiteral("event")));
    QCOMPARE(tech->request(QStringLiteral("open"),
                           {{QStringLiteral("endpoint"), m_endpointA},
                            {QStringLiteral("title"), QStringLiteral("x")},
                            {QStringLiteral("session"), QStringLiteral("not-a-uuid")}})
                 .value(QStringLiteral("code"))
                 .toString(),
             QStringLiteral("bad_request"));
}

void tst_ServerProtocol::nothingCrossesOrgs()
{
    auto a = connectAs(m_a.technicianToken);
    auto agentA = connectAs(m_endpointTokenA);
    QVERIFY(a && agentA);
    const auto code = [](const QJsonObject &r) { return r.value(QStringLiteral("code")).toString(); };
    const QJsonObject onB{{QStringLiteral("session"), m_sessionB}};

    QCOMPARE(code(a->request(QStringLiteral("subscribe"), onB)), QStringLiteral("not_found"));
    QCOMPARE(code(a->request(QStringLiteral("session"), onB)), QStringLiteral("not_found"));
    QCOMPARE(code(a->request(QStringLiteral("cancel"), {{QStringLiteral("session"), m_sessionB}, {QStringLiteral("command"), Event::newId()}})),
             QStringLiteral("not_found"));
    QCOMPARE(code(a->request(QStringLiteral("open"), {{QStringLiteral("endpoint"), m_endpointB}, {QStringLiteral("title"), QStringLiteral("x")}})),
             QStringLiteral("not_found"));
    QCOMPARE(code(a->request(QStringLiteral("open"), {{QStringLiteral("endpoint"), m_endpointA}, {QStringLiteral("title"), QStringLiteral("x")},
                                                      {QStringLiteral("followUpOf"), m_sessionB}})),
             QStringLiteral("not_found"));
    QCOMPARE(code(append(*a, {Event::make(m_sessionB, Actor{QStringLiteral("user"), m_a.technician},
                                          NoteAddedBody{QStringLiteral("hi"), {}})})),
             QStringLiteral("not_found"));
    QCOMPARE(code(append(*agentA, {Event::make(m_sessionB, Actor{QStringLiteral("endpoint"), m_endpointA},
                                               ChatMessageBody{QStringLiteral("hi"), {}})})),
             QStringLiteral("not_found"));
    QCOMPARE(code(agentA->request(QStringLiteral("subscribe"), onB)), QStringLiteral("not_found"));

    const QJsonArray visible = a->request(QStringLiteral("sessions")).value(QStringLiteral("sessions")).toArray();
    QVERIFY(!visible.isEmpty());
    for (const QJsonValue &s : visible)
        QCOMPARE(s.toObject().value(QStringLiteral("org")).toString(), m_a.id);
    const QJsonArray endpoints = a->request(QStringLiteral("endpoints")).value(QStringLiteral("endpoints")).toArray();
    QVERIFY(!endpoints.isEmpty());
    for (const QJsonValue &e : endpoints)
        QVERIFY(e.toObject().value(QStringLiteral("id")).toString() != m_endpointB);
    // Filters cannot widen the org either.
    QCOMPARE(a->request(QStringLiteral("sessions"), {{QStringLiteral("endpoint"), m_endpointB}}).value(QStringLiteral("sessions")).toArray().size(), 0);
    // An endpoint sees only sessions opened on itself, and no endpoint list.
    for (const QJsonValue &s : agentA->request(QStringLiteral("sessions")).value(QStringLiteral("sessions")).toArray())
        QCOMPARE(s.toObject().value(QStringLiteral("endpoint")).toString(), m_endpointA);
    QCOMPARE(code(agentA->request(QStringLiteral("endpoints"))), QStringLiteral("forbidden"));
    // Client groups: the org's own, by name, and none of the other org's.
    const QJsonArray groups = a->request(QStringLiteral("clientGroups")).value(QStringLiteral("clientGroups")).toArray();
    QCOMPARE(groups.size(), 1);
    QCOMPARE(groups.first().toObject().value(QStringLiteral("id")).toString(), m_a.clientGroup);
    QVERIFY(!groups.first().toObject().value(QStringLiteral("name")).toString().isEmpty());
    QVERIFY(m_a.clientGroup != m_b.clientGroup);
    QCOMPARE(code(agentA->request(QStringLiteral("clientGroups"))), QStringLiteral("forbidden"));
}

void tst_ServerProtocol::binaryFramesWhenAskedFor()
{
    WsTestClient c;
    QVERIFY(c.open(m_server.wsUrl()));
    const QJsonObject welcome = c.hello(m_a.technicianToken, 10000, true);
    QCOMPARE(welcome.value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
    QVERIFY(welcome.value(QStringLiteral("binaryFrames")).toBool());
    QCOMPARE(c.binaryFramesReceived(), 0); // the welcome itself is text

    // A request in a binary frame is answered, in a binary frame; text is still understood.
    const qint64 req = c.nextReq();
    c.sendBinary(R"({"type":"sessions","req":)" + QByteArray::number(req) + "}");
    const QJsonObject listed = c.waitFor(QStringLiteral("result"));
    QCOMPARE(listed.value(QStringLiteral("req")).toInteger(), req);
    QVERIFY(listed.value(QStringLiteral("sessions")).toArray().size() >= 1);
    QCOMPARE(c.binaryFramesReceived(), 1);
    QCOMPARE(c.request(QStringLiteral("ping")).value(QStringLiteral("type")).toString(),
             QStringLiteral("result"));
    QCOMPARE(c.binaryFramesReceived(), 2);

    // Pushes come as binary frames too.
    QCOMPARE(c.request(QStringLiteral("subscribe"),
                       {{QStringLiteral("session"), m_sessionA}, {QStringLiteral("after"), 0}})
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("result"));
    QTRY_VERIFY(!c.pushedEvents(m_sessionA).isEmpty());
    QCOMPARE(c.textFramesReceived(), 1);

    // Bytes that are not UTF-8 get the error a text frame would, and the connection stays.
    c.sendBinary("{\"type\":\"ping\",\"req\":1,\"x\":\"\xff\xfe\"}");
    const QJsonObject refused = c.waitFor(QStringLiteral("error"));
    QCOMPARE(refused.value(QStringLiteral("code")).toString(), QStringLiteral("bad_request"));
    QVERIFY2(refused.value(QStringLiteral("message")).toString().contains(QStringLiteral("UTF-8")),
             qPrintable(refused.value(QStringLiteral("message")).toString()));
    QVERIFY(c.isConnected());
    QCOMPARE(c.request(QStringLiteral("ping")).value(QStringLiteral("type")).toString(),
             QStringLiteral("result"));

    // Without asking, a connection stays on text: no binary frames out, none accepted in.
    auto plain = connectAs(m_a.technicianToken);
    QVERIFY(plain);
    QCOMPARE(plain->request(QStringLiteral("ping")).value(QStringLiteral("type")).toString(),
             QStringLiteral("result"));
    QCOMPARE(plain->binaryFramesReceived(), 0);
}

void tst_ServerProtocol::malformedInput()
{
    auto c = connectAs(m_a.technicianToken);
    QVERIFY(c);
    const auto nextError = [&] { return c->waitFor(QStringLiteral("error")); };
    c->sendText("{not json");
    QVERIFY(nextError().value(QStringLiteral("message")).toString().contains(QStringLiteral("not valid JSON")));
    c->sendText("[1,2]");
    QCOMPARE(nextError().value(QStringLiteral("code")).toString(), QStringLiteral("bad_request"));
    c->sendText(R"({"type":"ping"})");
    QVERIFY(nextError().value(QStringLiteral("message")).toString().contains(QStringLiteral("req")));
    c->sendBinary(QByteArray(100, '\x01'));
    QVERIFY(nextError().value(QStringLiteral("message")).toString().contains(QStringLiteral("binary")));
    QCOMPARE(c->request(QStringLiteral("frobnicate")).value(QStringLiteral("code")).toString(), QStringLiteral("bad_request"));

    QJsonObject unknownKind = TestEvents::note(m_sessionA, QStringLiteral("x")).toJson();
    unknownKind.insert(QStringLiteral("kind"), QStringLiteral("command.deleted"));
    QJsonObject r = c->request(QStringLiteral("append"), {{QStringLiteral("events"), QJsonArray{unknownKind}}});
    QCOMPARE(r.value(QStringLiteral("code")).toString(), QStringLiteral("bad_request"));
    QVERIFY2(r.value(QStringLiteral("message")).toString().contains(QStringLiteral("events[0].kind: unknown kind")),
             qPrintable(r.value(QStringLiteral("message")).toString()));
    r = c->request(QStringLiteral("append"), {{QStringLiteral("events"), QStringLiteral("nope")}});
    QCOMPARE(r.value(QStringLiteral("code")).toString(), QStringLiteral("bad_request"));
    QJsonArray tooMany;
    const Event n = Event::make(m_sessionA, Actor{QStringLiteral("user"), m_a.technician}, NoteAddedBody{QStringLiteral("n"), {}});
    for (int i = 0; i < 1001; ++i)
        tooMany.append(QJsonObject{{QStringLiteral("id"), Event::newId()}});
    r = c->request(QStringLiteral("append"), {{QStringLiteral("events"), tooMany}});
    QCOMPARE(r.value(QStringLiteral("code")).toString(), QStringLiteral("too_large"));
    QCOMPARE(c->request(QStringLiteral("subscribe"), {{QStringLiteral("session"), QStringLiteral("not-a-uuid")}}).value(QStringLiteral("code")).toString(),
             QStringLiteral("bad_request"));
    // After all that the connection still works.
    QCOMPARE(c->request(QStringLiteral("ping")).value(QStringLiteral("type")).toString(), QStringLiteral("result"));
    QVERIFY(c->isConnected());
    Q_UNUSED(n);
}

void tst_ServerProtocol::oversizedFrameClosesTheConnection()
{
    auto c = connectAs(m_a.technicianToken);
    QVERIFY(c);
    QByteArray big = R"({"type":"ping","req":1,"pad":")" + QByteArray(2 * 1024 * 1024, 'x') + R"("})";
    c->sendText(big);
    QVERIFY(c->waitForClosed(15000));
    QCOMPARE(c->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    // Others are unaffected.
    auto d = connectAs(m_a.technicianToken);
    QVERIFY(d);
    QCOMPARE(d->request(QStringLiteral("ping")).value(QStringLiteral("type")).toString(), QStringLiteral("result"));
}

// Raw control characters in a string are taken (as QJsonDocument takes them) but stored
// escaped, six bytes each: a frame under the limit must not become an event too large to read
// back, which would leave its session unverifiable for good.
void tst_ServerProtocol::eventThatOutgrowsTheLimitWhenSealedIsRefused()
{
    auto c = connectAs(m_a.technicianToken);
    QVERIFY(c);
    const auto rawAppend = [&](const Event &note, qsizetype controls) {
        const qint64 req = c->nextReq();
        QByteArray frame = QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("append")},
                                                     {QStringLiteral("req"), req},
                                                     {QStringLiteral("events"), QJsonArray{note.toJson()}}})
                               .toJson(QJsonDocument::Compact);
        frame.replace("@@", QByteArray(controls, '\x01'));
        c->sendText(frame);
        return req;
    };
    const Actor techActor{QStringLiteral("user"), m_a.technician};
    const Event big = Event::make(m_sessionA, techActor, NoteAddedBody{QStringLiteral("@@"), {}});
    const qint64 req = rawAppend(big, 200 * 1024); // 200 KiB sent, 1.2 MiB once escaped
    const QJsonObject refused = c->waitFor(QStringLiteral("error"));
    QCOMPARE(refused.value(QStringLiteral("req")).toInteger(), req);
    QCOMPARE(refused.value(QStringLiteral("code")).toString(), QStringLiteral("too_large"));
    QCOMPARE(refused.value(QStringLiteral("index")).toInteger(-1), 0);
    QCOMPARE(refused.value(QStringLiteral("id")).toString(), big.id);
    QVERIFY2(refused.value(QStringLiteral("message")).toString().contains(QStringLiteral("once sealed")),
             qPrintable(refused.value(QStringLiteral("message")).toString()));

    // One that still fits is stored, and reads back with its control characters.
    const Event small = Event::make(m_sessionA, techActor, NoteAddedBody{QStringLiteral("@@"), {}});
    const qint64 smallReq = rawAppend(small, 1000);
    const QJsonObject stored = c->waitFor(QStringLiteral("result"));
    QCOMPARE(stored.value(QStringLiteral("req")).toInteger(), smallReq);
    const qint64 seq = stored.value(QStringLiteral("acks")).toArray().at(0).toObject().value(QStringLiteral("seq")).toInteger();
    const QJsonObject read = c->request(QStringLiteral("read"), {{QStringLiteral("session"), m_sessionA},
                                                                {QStringLiteral("after"), seq - 2},
                                                                {QStringLiteral("limit"), 2}});
    const QJsonArray events = read.value(QStringLiteral("events")).toArray();
    QCOMPARE(events.size(), 2);
    QVERIFY(events.at(0).toObject().value(QStringLiteral("id")).toString() != big.id);
    const QJsonObject e = events.at(1).toObject();
    QCOMPARE(e.value(QStringLiteral("id")).toString(), small.id);
    QCOMPARE(e.value(QStringLiteral("body")).toObject().value(QStringLiteral("text")).toString(),
             QString(1000, QChar(1)));
}

void tst_ServerProtocol::floodIsRateLimitedAndOthersAreServed()
{
    auto flooder = connectAs(m_a.technicianToken);
    auto other = connectAs(m_b.technicianToken);
    QVERIFY(flooder && other);
    const QByteArray ping = R"({"type":"ping","req":7})";
    for (int i = 0; i < 10000; ++i)
        flooder->sendText(ping);
    QElapsedTimer t;
    t.start();
    const QJsonObject answer = other->request(QStringLiteral("ping"));
    QCOMPARE(answer.value(QStringLiteral("type")).toString(), QStringLiteral("result"));
    qInfo("other client answered after %lld ms during the flood", t.elapsed());
    QVERIFY(t.elapsed() < 5000);
    // The flooder got clear refusals for what exceeded its budget, and answers for the rest.
    QTRY_VERIFY_WITH_TIMEOUT(flooder->received().size() >= 10000, 30000);
    int limited = 0, ok = 0;
    for (const QJsonObject &m : flooder->received()) {
        if (m.value(QStringLiteral("code")).toString() == QLatin1String("rate_limited"))
            ++limited;
        else if (m.value(QStringLiteral("type")).toString() == QLatin1String("result"))
            ++ok;
    }
    qInfo("flood: %d answered, %d rate limited", ok, limited);
    QVERIFY(limited > 0);
    QVERIFY(ok >= 4000);
    QCOMPARE(ok + limited, 10000);
}

void tst_ServerProtocol::storeIsIntactAfterAll()
{
    m_server.terminate();
    EventStore store;
    QVERIFY(store.open(m_server.dataDir() + QStringLiteral("/casefile.db")));
    SessionFilter all;
    const auto sessions = store.sessions(all);
    QVERIFY(sessions && sessions->size() >= 3);
    for (const SessionInfo &s : *sessions) {
        const ChainReport report = store.verify(s.id);
        QVERIFY2(report.ok, qPrintable(report.toString()));
    }
    QVERIFY(m_server.start());
}

QTEST_GUILESS_MAIN(tst_ServerProtocol)
#include "tst_ServerProtocol.moc"
