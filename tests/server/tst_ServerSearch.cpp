#include "ServerFixture.h"
#include "WsTestClient.h"
#include "events/Event.h"
#include "events/bodies/ChatMessageBody.h"
#include "events/bodies/CommandRequestedBody.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

using namespace casefile;

// Team search on the real casefiled: full text over every session of the caller's org, with
// the sessions browser's filters, in pages.
class tst_ServerSearch : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void tenThousandHitsComeInPages();
    void neverAcrossOrgs();
    void filters();
    void commandHitsNameTheirCommand();
    void refusals();
    void indexCatchesUpWhileIdle();
    void floodOfSearchesWaitsItsTurn();

private:
    std::unique_ptr<WsTestClient> connectAs(const QString &token);
    QString open(WsTestClient &c, const QString &endpoint, const QString &title, const QJsonArray &tags = {});
    bool append(WsTestClient &c, const QList<Event> &events);
    QJsonObject search(WsTestClient &c, QJsonObject params);

    ServerFixture m_server;
    ServerFixture::Org m_a;
    ServerFixture::Org m_b;
    QString m_endpointA1, m_endpointA2, m_endpointB;
    QString m_big, m_small, m_tagged, m_other;
    QString m_command;
};

std::unique_ptr<WsTestClient> tst_ServerSearch::connectAs(const QString &token)
{
    auto c = std::make_unique<WsTestClient>();
    if (!c->open(m_server.wsUrl()) || c->hello(token).value(QStringLiteral("type")).toString() != QLatin1String("welcome"))
        return nullptr;
    return c;
}

QString tst_ServerSearch::open(WsTestClient &c, const QString &endpoint, const QString &title, const QJsonArray &tags)
{
    return c.request(QStringLiteral("open"), {{QStringLiteral("endpoint"), endpoint},
                                              {QStringLiteral("title"), title},
                                              {QStringLiteral("tags"), tags}})
        .value(QStringLiteral("session"))
        .toString();
}

bool tst_ServerSearch::append(WsTestClient &c, const QList<Event> &events)
{
    QJsonArray array;
    for (const Event &e : events)
        array.append(e.toJson());
    const QJsonObject r = c.request(QStringLiteral("append"), {{QStringLiteral("events"), array}}, 60000);
    return r.value(QStringLiteral("acks")).toArray().size() == events.size();
}

QJsonObject tst_ServerSearch::search(WsTestClient &c, QJsonObject params)
{
    return c.request(QStringLiteral("search"), params);
}

void tst_ServerSearch::initTestCase()
{
    m_a = m_server.createOrg(QStringLiteral("Contoso MSP"));
    m_b = m_server.createOrg(QStringLiteral("Fabrikam MSP"));
    QVERIFY2(m_server.start(), qPrintable(m_server.serverLog()));
    QJsonObject body;
    QCOMPARE(m_server.enroll(m_server.enrollmentCode(m_a.clientGroup), QStringLiteral("FRONTDESK-01"), &body), 200);
    m_endpointA1 = body.value(QStringLiteral("endpoint")).toString();
    QCOMPARE(m_server.enroll(m_server.enrollmentCode(m_a.clientGroup), QStringLiteral("FRONTDESK-02"), &body), 200);
    m_endpointA2 = body.value(QStringLiteral("endpoint")).toString();
    QCOMPARE(m_server.enroll(m_server.enrollmentCode(m_b.clientGroup), QStringLiteral("FAB-01"), &body), 200);
    m_endpointB = body.value(QStringLiteral("endpoint")).toString();

    auto a = connectAs(m_a.technicianToken);
    auto b = connectAs(m_b.technicianToken);
    QVERIFY(a && b);
    m_big = open(*a, m_endpointA1, QStringLiteral("Printer floods the queue"));
    m_small = open(*a, m_endpointA2, QStringLiteral("Second desk"));
    m_tagged = open(*a, m_endpointA2, QStringLiteral("Tagged one"), {QStringLiteral("spooler")});
    m_other = open(*b, m_endpointB, QStringLiteral("Fabrikam printer"));
    QVERIFY(!m_big.isEmpty() && !m_small.isEmpty() && !m_tagged.isEmpty() && !m_other.isEmpty());

    const Actor techA{QStringLiteral("user"), m_a.technician};
    for (int batch = 0; batch < 10; ++batch) {
        QList<Event> events;
        for (int i = 0; i < 1000; ++i)
            events.append(Event::make(m_big, techA, ChatMessageBody{QStringLiteral("printer jam number %1").arg(batch * 1000 + i), {}}));
        QVERIFY(append(*a, events));
    }
    QVERIFY(append(*a, {Event::make(m_small, techA, ChatMessageBody{QStringLiteral("the printer is fine here"), {}})}));
    QVERIFY(append(*a, {Event::make(m_tagged, techA, ChatMessageBody{QStringLiteral("printer spooler restarted"), {}})}));
    CommandRequestedBody command;
    command.command = Event::newId();
    command.shell = QStringLiteral("bash");
    command.text = QStringLiteral("lpstat -p kyoceraprinter");
    command.change = false;
    m_command = command.command;
    QVERIFY(append(*a, {Event::make(m_small, techA, command)}));
    QVERIFY(append(*b, {Event::make(m_other, Actor{QStringLiteral("user"), m_b.technician},
                                    ChatMessageBody{QStringLiteral("printer at Fabrikam"), {}})}));
}

void tst_ServerSearch::cleanupTestCase()
{
    m_server.terminate();
}

void tst_ServerSearch::tenThousandHitsComeInPages()
{
    auto a = connectAs(m_a.viewerToken); // viewers read everything of their org, so they search it
    QVERIFY(a);
    QSet<QString> seen;
    int offset = 0;
    int pages = 0;
    while (true) {
        const QJsonObject r = search(*a, {{QStringLiteral("text"), QStringLiteral("printer jam")},
                                          {QStringLiteral("limit"), 200},
                                          {QStringLiteral("offset"), offset}});
        const QJsonArray hits = r.value(QStringLiteral("hits")).toArray();
        QVERIFY2(hits.size() <= 200, "a page is never more than its limit");
        for (const QJsonValue &h : hits) {
            const QJsonObject hit = h.toObject();
            QCOMPARE(hit.value(QStringLiteral("session")).toString(), m_big);
            QVERIFY(hit.value(QStringLiteral("snippet")).toString().contains(QStringLiteral("jam")));
            QVERIFY2(!seen.contains(hit.value(QStringLiteral("session")).toString() + QString::number(hit.value(QStringLiteral("seq")).toInteger())),
                     "no hit on two pages");
            seen.insert(hit.value(QStringLiteral("session")).toString() + QString::number(hit.value(QStringLiteral("seq")).toInteger()));
        }
        ++pages;
        offset += int(hits.size());
        if (!r.value(QStringLiteral("more")).toBool())
            break;
        QCOMPARE(hits.size(), 200);
    }
    QCOMPARE(seen.size(), 10000);
    QCOMPARE(pages, 50);
    // Newest first.
    const QJsonArray first = search(*a, {{QStringLiteral("text"), QStringLiteral("jam")}, {QStringLiteral("limit"), 2}})
                                 .value(QStringLiteral("hits"))
                                 .toArray();
    QVERIFY(first.at(0).toObject().value(QStringLiteral("seq")).toInteger() > first.at(1).toObject().value(QStringLiteral("seq")).toInteger());
    // An unbounded limit is clamped.
    QCOMPARE(search(*a, {{QStringLiteral("text"), QStringLiteral("jam")}, {QStringLiteral("limit"), 100000}})
                 .value(QStringLiteral("hits"))
                 .toArray()
                 .size(),
             200);
}

void tst_ServerSearch::neverAcrossOrgs()
{
    auto b = connectAs(m_b.technicianToken);
    QVERIFY(b);
    const QJsonArray hits = search(*b, {{QStringLiteral("text"), QStringLiteral("printer")}, {QStringLiteral("limit"), 200}})
                                .value(QStringLiteral("hits"))
                                .toArray();
    QVERIFY(!hits.isEmpty()); // its chat line, and its title
    for (const QJsonValue &h : hits)
        QCOMPARE(h.toObject().value(QStringLiteral("session")).toString(), m_other);
    // Asking for another org's session, endpoint or client group by id finds nothing.
    for (const auto &[key, value] : {std::pair{QStringLiteral("session"), m_big},
                                     std::pair{QStringLiteral("endpoint"), m_endpointA1},
                                     std::pair{QStringLiteral("clientGroup"), m_a.clientGroup}}) {
        const QJsonObject r = search(*b, {{QStringLiteral("text"), QStringLiteral("printer")}, {key, value}});
        QCOMPARE(r.value(QStringLiteral("type")).toString(), QStringLiteral("result"));
        QVERIFY2(r.value(QStringLiteral("hits")).toArray().isEmpty(), qPrintable(key));
    }
}

void tst_ServerSearch::filters()
{
    auto a = connectAs(m_a.technicianToken);
    QVERIFY(a);
    const auto sessionsOf = [&](QJsonObject params) {
        params.insert(QStringLiteral("limit"), 200);
        QSet<QString> sessions;
        for (const QJsonValue &h : search(*a, params).value(QStringLiteral("hits")).toArray())
            sessions.insert(h.toObject().value(QStringLiteral("session")).toString());
        return sessions;
    };
    QCOMPARE(sessionsOf({{QStringLiteral("text"), QStringLiteral("printer")}, {QStringLiteral("endpoint"), m_endpointA2}}),
             (QSet<QString>{m_small, m_tagged}));
    QCOMPARE(sessionsOf({{QStringLiteral("text"), QStringLiteral("printer")}, {QStringLiteral("tag"), QStringLiteral("spooler")}}),
             QSet<QString>{m_tagged});
    QCOMPARE(sessionsOf({{QStringLiteral("text"), QStringLiteral("printer")}, {QStringLiteral("technician"), m_a.viewer}}),
             QSet<QString>());
    QCOMPARE(sessionsOf({{QStringLiteral("text"), QStringLiteral("fine")}, {QStringLiteral("technician"), m_a.technician}}),
             QSet<QString>{m_small});
    QCOMPARE(sessionsOf({{QStringLiteral("text"), QStringLiteral("fine")}, {QStringLiteral("clientGroup"), m_a.clientGroup}}),
             QSet<QString>{m_small});
    QCOMPARE(sessionsOf({{QStringLiteral("text"), QStringLiteral("fine")}, {QStringLiteral("from"), QStringLiteral("2999-01-01T00:00:00.000Z")}}),
             QSet<QString>());
    QCOMPARE(sessionsOf({{QStringLiteral("text"), QStringLiteral("fine")}, {QStringLiteral("to"), QStringLiteral("2999-01-01T00:00:00.000Z")}}),
             QSet<QString>{m_small});
}

void tst_ServerSearch::commandHitsNameTheirCommand()
{
    auto a = connectAs(m_a.technicianToken);
    const QJsonArray hits = search(*a, {{QStringLiteral("text"), QStringLiteral("kyoceraprinter")}})
                                .value(QStringLiteral("hits"))
                                .toArray();
    QCOMPARE(hits.size(), 1);
    QCOMPARE(hits.at(0).toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("command.requested"));
    QCOMPARE(hits.at(0).toObject().value(QStringLiteral("command")).toString(), m_command);
}

void tst_ServerSearch::refusals()
{
    auto a = connectAs(m_a.technicianToken);
    QCOMPARE(search(*a, {{QStringLiteral("text"), QStringLiteral("  ")}}).value(QStringLiteral("code")).toString(),
             QStringLiteral("bad_request"));
    QCOMPARE(search(*a, {{QStringLiteral("text"), 5}}).value(QStringLiteral("code")).toString(), QStringLiteral("bad_request"));
    QJsonObject body;
    QCOMPARE(m_server.enroll(m_server.enrollmentCode(m_a.clientGroup), QStringLiteral("KIOSK"), &body), 200);
    auto endpoint = connectAs(body.value(QStringLiteral("token")).toString());
    QVERIFY(endpoint);
    QCOMPARE(search(*endpoint, {{QStringLiteral("text"), QStringLiteral("printer")}}).value(QStringLiteral("code")).toString(),
             QStringLiteral("forbidden"));
    // Pages so deep that the store would walk every hit before them.
    for (const QJsonValue &offset :
         {QJsonValue(-1), QJsonValue(10001), QJsonValue(2000000000), QJsonValue(1e12),
          QJsonValue(1.5), QJsonValue(QStringLiteral("20"))}) {
        const QJsonObject r = search(*a, {{QStringLiteral("text"), QStringLiteral("printer")},
                                          {QStringLiteral("offset"), offset}});
        QCOMPARE(r.value(QStringLiteral("code")).toString(), QStringLiteral("bad_request"));
        QVERIFY(r.value(QStringLiteral("message")).toString().contains(QStringLiteral("offset")));
    }
}

// Searches share the store writer's thread with every org's appends: one connection firing
// searches as fast as it can gets a few at a time, the rest refused, and another org's append
// is acknowledged meanwhile.
void tst_ServerSearch::floodOfSearchesWaitsItsTurn()
{
    auto flooder = connectAs(m_a.viewerToken);
    auto other = connectAs(m_b.technicianToken);
    QVERIFY(flooder && other);
    const int sent = 300;
    for (int i = 1; i <= sent; ++i)
        flooder->sendText(
            QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("search")},
                                      {QStringLiteral("req"), i},
                                      {QStringLiteral("text"), QStringLiteral("printer jam")},
                                      {QStringLiteral("offset"), 9000}})
                .toJson(QJsonDocument::Compact));
    QElapsedTimer t;
    t.start();
    QVERIFY(append(*other, {Event::make(m_other, Actor{QStringLiteral("user"), m_b.technician},
                                        ChatMessageBody{QStringLiteral("still served"), {}})}));
    qInfo("another org's append was acknowledged after %lld ms", t.elapsed());
    QVERIFY(t.elapsed() < 5000);
    QTRY_VERIFY_WITH_TIMEOUT(flooder->received().size() >= sent, 60000);
    int answered = 0, limited = 0;
    qint64 lastAnswered = 0;
    for (const QJsonObject &m : flooder->received()) {
        if (m.value(QStringLiteral("code")).toString() == QLatin1String("rate_limited")) {
            ++limited;
        } else if (m.value(QStringLiteral("type")).toString() == QLatin1String("result")) {
            ++answered;
            QCOMPARE(m.value(QStringLiteral("hits")).toArray().size(), 50);
            // One at a time, in the order asked.
            QVERIFY(m.value(QStringLiteral("req")).toInteger() > lastAnswered);
            lastAnswered = m.value(QStringLiteral("req")).toInteger();
        }
    }
    qInfo("%d searches answered, %d refused while waiting ones were full", answered, limited);
    QCOMPARE(answered + limited, sent);
    QVERIFY(answered >= 17); // the first, and the 16 that may wait behind it
    QVERIFY(limited > 0);
}

QTEST_MAIN(tst_ServerSearch)
// casefiled indexes for search off the append path: a burst is acknowledged first and indexed
// after, with no search asking for it.
void tst_ServerSearch::indexCatchesUpWhileIdle()
{
    auto a = connectAs(m_a.technicianToken);
    QVERIFY(a);
    const Actor techA{QStringLiteral("user"), m_a.technician};
    for (int batch = 0; batch < 3; ++batch) {
        QList<Event> events;
        for (int i = 0; i < 1000; ++i)
            events.append(Event::make(
                m_small, techA, ChatMessageBody{QStringLiteral("toner level %1").arg(i), {}}));
        QVERIFY(append(*a, events));
    }

    const auto backlog = [this] {
        qint64 n = -1;
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
            db.setDatabaseName(QDir(m_server.dataDir()).filePath(QStringLiteral("casefile.db")));
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
            QSqlQuery q(db);
            if (db.open() &&
                q.exec(QStringLiteral("SELECT count(*) FROM events WHERE rid > "
                                      "(SELECT through_rid FROM search_index)")) &&
                q.next())
                n = q.value(0).toLongLong();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("peek"));
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(backlog(), 0, 20000);
    const QJsonObject r = search(
        *a, {{QStringLiteral("text"), QStringLiteral("toner")}, {QStringLiteral("limit"), 200}});
    QCOMPARE(r.value(QStringLiteral("hits")).toArray().size(), 200);
    QVERIFY(r.value(QStringLiteral("more")).toBool());
}

#include "tst_ServerSearch.moc"
