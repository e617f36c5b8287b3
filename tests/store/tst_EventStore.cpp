#include "TestEvents.h"
#include "events/EventCodec.h"
#include "events/HashChain.h"
#include "events/bodies/ChatMessageBody.h"
#include "store/EventStore.h"
#include "store/Migrations.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace casefile;

class tst_EventStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void appendSealsLikeTheProtocolSays();
    void appendIsIdempotent();
    void sameIdDifferentContentIsRefused();
    void batchIsAllOrNothing();
    void sessionRules();
    void invalidDraftIsRefusedBeforeWriting();
    void readsBySeqRange();
    void readsRawByKind();
    void sessionJsonRoundTrip();
    void sessionsIndexFilters();
    void fullTextSearch();
    void deferredSearchIndexCatchesUp();
    void damagedRowDoesNotStopTheIndex();
    void searchNeverCrossesOrgs();
    void searchSyntaxCannotBreakQueries();
    void verifyCatchesTamperingInTheDatabase();
    void verifyCatchesADroppedLastEvent();
    void durabilitySettings();
    void fullDiskLosesNothingAcknowledged();
    void reopenKeepsEverything();
    void storeSealedMirrorsARecord();
    void storeSealedRefusesAGap();
    void storeSealedRefusesAForgedHash();
    void storeSealedRefusesATamperedBody();
    void storeSealedSkipsDuplicates();
    void storeSealedRefusesADifferentEventAtAStoredSeq();
    void storeSealedKeepsTheSessionRules();
    void storeSealedBatchIsAllOrNothing();

private:
    QString dbPath() const { return m_dir->filePath(QStringLiteral("store.db")); }
    QSqlDatabase rawConnection(const QString &name);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_EventStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QSqlDatabase tst_EventStore::rawConnection(const QString &name)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(dbPath());
    if (!db.open())
        qFatal("raw open failed");
    return db;
}

void tst_EventStore::appendSealsLikeTheProtocolSays()
{
    EventStore store;
    QVERIFY2(store.open(dbPath()), qPrintable(store.errorString()));
    QCOMPARE(store.schemaVersion(), Migrations::latestVersion());

    const QList<Event> drafts = TestEvents::printerSessionDrafts();
    const AppendResult result = store.append(drafts);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.events.size(), 15);

    // Same content and order as the fixture, so the same seqs and hashes as the independent
    // implementation that wrote it.
    const QList<QByteArray> expected = TestEvents::printerSessionLines();
    for (int i = 0; i < expected.size(); ++i) {
        QCOMPARE(result.events[i].seq, i + 1);
        QVERIFY(!result.duplicate[i]);
        QCOMPARE(EventCodec::encode(result.events[i]), expected[i]);
    }
    const auto raw = store.readRaw(drafts.first().session);
    QVERIFY(raw);
    QCOMPARE(*raw, expected);
    QVERIFY(store.verify(drafts.first().session).ok);
}

void tst_EventStore::appendIsIdempotent()
{
    EventStore store;
    QVERIFY(store.open(dbPath()));
    const QString session = Event::newId();
    const QString cmd = Event::newId();
    QList<Event> batch{TestEvents::opened(session, {}), TestEvents::requested(session, cmd, QStringLiteral("ip addr"))};
    const AppendResult first = store.append(batch);
    QVERIFY(first.ok);

    // A resend after a reconnect: nothing doubles, the original seqs come back.
    const AppendResult again = store.append(batch);
    QVERIFY2(again.ok, qPrintable(again.error));
    QCOMPARE(again.duplicate, (QList<bool>{true, true}));
    QCOMPARE(again.events[1].seq, 2);
    QCOMPARE(again.events[1].hash, first.events[1].hash);

    // A batch that overlaps: old ones are duplicates, the new one is appended after them.
    batch.append(TestEvents::output(session, cmd, 0, QStringLiteral("1: lo: <LOOPBACK,UP>\n")));
    const AppendResult overlap = store.append(batch);
    QVERIFY(overlap.ok);
    QCOMPARE(overlap.duplicate, (QList<bool>{true, true, false}));
    QCOMPARE(overlap.events[2].seq, 3);

    // The same event twice within one batch is stored once.
    const Event n = TestEvents::note(session, QStringLiteral("twice"));
    const AppendResult twice = store.append({n, n});
    QVERIFY(twice.ok);
    QCOMPARE(twice.duplicate, (QList<bool>{false, true}));
    QCOMPARE(twice.events[0].seq, twice.events[1].seq);

    QCOMPARE(store.read(session)->size(), 4);
    QCOMPARE(store.session(session)->lastSeq, 4);
    QVERIFY(store.verify(session).ok);
}

void tst_EventStore::sameIdDifferentContentIsRefused()
{
    EventStore store;
    QVERIFY(store.open(dbPath()));
    const QString session = Event::newId();
    Event note = TestEvents::note(session, QStringLiteral("original"));
    QVERIFY(store.append({TestEvents::opened(session, {}), note}).ok);
    note.body.insert(QStringLiteral("text"), QStringLiteral("rewritten"));
    const AppendResult result = store.append({note});
    QVERIFY(!result.ok);
    QCOMPARE(result.failedIndex, 0);
    QVERIFY2(result.error.contains(QStringLiteral("already used by a different event")), qPrintable(result.error));
    QCOMPARE(store.read(session)->at(1).body.value(QStringLiteral("text")).toString(), QStringLiteral("original"));
}

void tst_EventStore::batchIsAllOrNothing()
{
    EventStore store;
    QVERIFY(store.open(dbPath()));
    const QString session = Event::newId();
    QVERIFY(store.append({TestEvents::opened(session, {})}).ok);
    const QString other = Event::newId(); // never opened
    const AppendResult result = store.append({TestEvents::note(session, QStringLiteral("a")),
                                              TestEvents::note(session, QStringLiteral("b")),
                                              TestEvents::note(other, QStringLiteral("c"))});
    QVERIFY(!result.ok);
    QCOMPARE(result.failedIndex, 2);
    QVERIFY(result.error.contains(QStringLiteral("unknown session")));
    QVERIFY(result.sessionRefused); // every event of `other` would be refused alike
    QVERIFY(result.events.isEmpty());
    QCOMPARE(store.read(session)->size(), 1);
    QCOMPARE(store.session(session)->lastSeq, 1);
    // And the store is still usable afterwards.
    QVERIFY(store.append({TestEvents::note(session, QStringLiteral("a"))}).ok);
    QCOMPARE(store.session(session)->lastSeq, 2);
}

void tst_EventStore::sessionRules()
{
    EventStore store;
    QVERIFY(store.open(dbPath()));
    const QString session = Event::newId();

    bool missing = false;
    QVERIFY(!store.session(session, &missing));
    QVERIFY(missing);
    AppendResult r = store.append({TestEvents::note(session, QStringLiteral("too early"))});
    QVERIFY(!r.ok);
    QVERIFY(r.error.contains(QStringLiteral("must be session.opened")));
    QVERIFY(r.sessionRefused);

    QVERIFY(store.append({TestEvents::opened(session, {})}).ok);
    QVERIFY(store.session(session, &missing));
    QVERIFY(!missing);
    r = store.append({TestEvents::opened(session, {})});
    QVERIFY(!r.ok);
    QVERIFY(r.error.contains(QStringLiteral("already open")));
    QVERIFY(!r.sessionRefused); // that event only

    const Event stored = TestEvents::note(session, QStringLiteral("before the close"));
    QVERIFY(store.append({stored, TestEvents::closed(session)}).ok);
    QVERIFY(!store.session(session)->isOpen());
    r = store.append({TestEvents::note(session, QStringLiteral("late"))});
    QVERIFY(!r.ok);
    QVERIFY(r.error.contains(QStringLiteral("is closed")));
    QVERIFY(!r.storageFailure); // a refusal, final
    QVERIFY(r.sessionRefused);
    QCOMPARE(store.session(session)->lastSeq, 3);
    // An event it has is still acknowledged as such after the close.
    r = store.append({stored});
    QVERIFY(r.ok);
    QCOMPARE(r.duplicate, QList<bool>{true});

    // A store that cannot answer does not say the session is missing.
    store.close();
    QVERIFY(!store.session(session, &missing));
    QVERIFY(!missing);
}

void tst_EventStore::invalidDraftIsRefusedBeforeWriting()
{
    EventStore store;
    QVERIFY(store.open(dbPath()));
    const QString session = Event::newId();
    Event bad = TestEvents::opened(session, {});
    bad.body.remove(QStringLiteral("org"));
    const AppendResult r = store.append({bad});
    QVERIFY(!r.ok);
    QCOMPARE(r.failedIndex, 0);
    QVERIFY2(r.error.contains(QStringLiteral("body.org: required field is missing")), qPrintable(r.error));
    QVERIFY(!store.session(session));

    // Whatever seq/prev/hash a client sends, the store assigns its own.
    Event forged = TestEvents::opened(session, {});
    forged.seq = 99;
    forged.prev = QString(64, QLatin1Char('f'));
    forged.hash = QString(64, QLatin1Char('e'));
    const AppendResult ok = store.append({forged});
    QVERIFY2(ok.ok, qPrintable(ok.error));
    QCOMPARE(ok.events[0].seq, 1);
    QCOMPARE(ok.events[0].prev, QString(64, QLatin1Char('0')));
    QVERIFY(store.verify(session).ok);
}

void tst_EventStore::readsBySeqRange()
{
    EventStore store;
    QVERIFY(store.open(dbPath()));
    const QString session = Event::newId();
    const QString cmd = Event::newId();
    QList<Event> batch{TestEvents::opened(session, {})};
    for (int i = 0; i < 99; ++i)
        batch.append(TestEvents::output(session, cmd, i, QStringLiteral("line %1\n").arg(i)));
    QVERIFY(store.append(batch).ok);

    const auto middle = store.read(session, 40, 10);
    QVERIFY(middle);
    QCOMPARE(middle->size(), 10);
    QCOMPARE(middle->first().seq, 41);
    QCOMPARE(middle->last().seq, 50);
    QCOMPARE(store.read(session, 95, 10)->size(), 5);
    QCOMPARE(store.read(session, 100, 10)->size(), 0);
    QCOMPARE(store.read(Event::newId(), 0, 10)->size(), 0);
}

void tst_EventStore::readsRawByKind()
{
    EventStore store;
    QVERIFY(store.open(dbPath()));
    const QString session = Event::newId();
    const QString cmd = Event::newId();
    QList<Event> batch{TestEvents::opened(session, {}), TestEvents::requested(session, cmd, QStringLiteral("seq 3"))};
    for (int i = 0; i < 5; ++i)
        batch.append(TestEvents::output(session, cmd, i, QStringLiteral("line %1\n").arg(i)));
    batch.append(TestEvents::note(session, QStringLiteral("done")));
    QVERIFY(store.append(batch).ok);
    const auto all = store.readRaw(session, 0, 100);
    QVERIFY(all);

    const auto outputs = store.readRawKind(session, EventKind::CommandOutput, false, 0, 100);
    QVERIFY(outputs);
    QCOMPARE(outputs->size(), 5);
    QCOMPARE(outputs->first().seq, 3);
    QCOMPARE(outputs->last().seq, 7);
    for (const auto &row : *outputs)
        QCOMPARE(row.doc, all->at(row.seq - 1)); // the stored bytes, unchanged
    // Paged by seq.
    const auto page = store.readRawKind(session, EventKind::CommandOutput, false, 4, 2);
    QCOMPARE(page->size(), 2);
    QCOMPARE(page->first().seq, 5);
    // Everything else.
    const auto others = store.readRawKind(session, EventKind::CommandOutput, true, 0, 100);
    QCOMPARE(others->size(), 3);
    QCOMPARE(others->at(0).seq, 1);
    QCOMPARE(others->at(1).seq, 2);
    QCOMPARE(others->at(2).seq, 8);
    QCOMPARE(store.readRawKind(Event::newId(), EventKind::CommandOutput, false)->size(), 0);
    store.close();
    QVERIFY(!store.readRawKind(session, EventKind::CommandOutput, false));
}

void tst_EventStore::sessionJsonRoundTrip()
{
    EventStore store;
    QVERIFY(store.open(dbPath()));
    const QString session = Event::newId();
    TestEvents::SessionSpec spec;
    spec.tags = QStringList{QStringLiteral("printing"), QStringLiteral("vip")};
    QVERIFY(store.append({TestEvents::opened(session, spec), TestEvents::note(session, QStringLiteral("x")),
                          TestEvents::closed(session)})
                .ok);
    const auto info = store.session(session);
    QVERIFY(info);
    const SessionInfo back = SessionInfo::fromJson(info->toJson());
    QCOMPARE(back.toJson(), info->toJson());
    QCOMPARE(back.tags, spec.tags);
    QCOMPARE(back.lastSeq, 3);
    QVERIFY(!back.isOpen());
    QCOMPARE(back.id, session);
    QCOMPARE(back.technician, spec.technician);
}

void tst_EventStore::sessionsIndexFilters()
{
    EventStore store;
    QVERIFY(store.open(dbPath()));
    TestEvents::SessionSpec a;
    a.title = QStringLiteral("VPN drops every 10 minutes");
    a.tags = {QStringLiteral("vpn"), QStringLiteral("network")};
    a.at = QStringLiteral("2026-03-01T09:00:00.000Z");
    TestEvents::SessionSpec b = a; // same org, group, endpoint and technician
    b.title = QStringLiteral("Printer offline");
    b.tags = {QStringLiteral("printing")};
    b.at = QStringLiteral("2026-03-02T09:00:00.000Z");
    TestEvents::SessionSpec c; // another org entirely
    c.title = QStringLiteral("VPN certificate expired");
    c.tags = {QStringLiteral("vpn")};
    c.at = QStringLiteral("2026-03-03T09:00:00.000Z");

    const QString sa = Event::newId(), sb = Event::newId(), sc = Event::newId();
    QVERIFY(store.append({TestEvents::opened(sa, a), TestEvents::opened(sb, b), TestEvents::opened(sc, c)}).ok);
    QVERIFY(store.append({TestEvents::closed(sa)}).ok);

    const auto ids = [&](const SessionFilter &f) {
        QStringList list;
        const auto found = store.sessions(f); // keep the optional alive for the loop
        for (const SessionInfo &s : *found)
            list.append(s.id);
        return list;
    };
    SessionFilter f;
    QCOMPARE(ids(f), (QStringList{sc, sb, sa})); // newest first
    f.org = a.org;
    QCOMPARE(ids(f), (QStringList{sb, sa}));
    f.tag = QStringLiteral("vpn");
    QCOMPARE(ids(f), (QStringList{sa}));
    f = {};
    f.tag = QStringLiteral("vpn");
    QCOMPARE(ids(f), (QStringList{sc, sa}));
    f = {};
    f.text = QStringLiteral("vpn");
    QCOMPARE(ids(f), (QStringList{sc, sa}));
    f.text = QStringLiteral("100%_"); // LIKE wildcards are literal
    QCOMPARE(ids(f), QStringList());
    f = {};
    f.endpoint = b.endpoint;
    f.technician = b.technician;
    f.clientGroup = b.clientGroup;
    QCOMPARE(ids(f), (QStringList{sb, sa}));
    f = {};
    f.openedFrom = QStringLiteral("2026-03-02T00:00:00.000Z");
    f.openedTo = QStringLiteral("2026-03-03T00:00:00.000Z");
    QCOMPARE(ids(f), (QStringList{sb}));
    f = {};
    f.liveOnly = true;
    QCOMPARE(ids(f), (QStringList{sc, sb}));
    f = {};
    f.limit = 1;
    f.offset = 1;
    QCOMPARE(ids(f), (QStringList{sb}));

    const auto info = store.session(sa);
    QVERIFY(info);
    QCOMPARE(info->title, a.title);
    QCOMPARE(info->tags, (QStringList{QStringLiteral("network"), QStringLiteral("vpn")}));
    QCOMPARE(info->openedAt, a.at);
    QVERIFY(!info->isOpen());
    QCOMPARE(info->lastSeq, 2);
    QVERIFY(!store.session(Event::newId()));
}

void tst_EventStore::fullTextSearch()
{
    EventStore store;
    QVERIFY(store.open(dbPath()));
    const QList<Event> drafts = TestEvents::printerSessionDrafts();
    QVERIFY(store.append(drafts).ok);
    const QString session = drafts.first().session;

    SearchQuery q;
    q.text = QStringLiteral("running");
    auto hits = store.search(q);
    QVERIFY2(hits, qPrintable(store.errorString()));
    // The hypothesis note "Spooler is running" (seq 9) and the output "Status : Running" (seq 6).
    QCOMPARE(hits->size(), 2);
    QCOMPARE(hits->at(0).seq, 9);
    QCOMPARE(hits->at(0).kind, EventKind::HypothesisUpdated);
    QCOMPARE(hits->at(1).seq, 6);
    QCOMPARE(hits->at(1).kind, EventKind::CommandOutput);
    QCOMPARE(hits->at(1).session, session);
    const QString marked = QChar(SearchHit::markStart) + QStringLiteral("Running") + QChar(SearchHit::markEnd);
    QVERIFY2(hits->at(1).snippet.contains(marked), qPrintable(hits->at(1).snippet));

    // Spooler appears in a command, a hypothesis, a note … newest first.
    q.text = QStringLiteral("spooler");
    hits = store.search(q);
    QVERIFY(hits->size() >= 4);
    for (int i = 1; i < hits->size(); ++i)
        QVERIFY(hits->at(i - 1).seq > hits->at(i).seq);
    const int all = hits->size();
    q.limit = 2;
    q.offset = 1;
    QCOMPARE(store.search(q)->size(), qMin(2, all - 1));
    q.limit = 50;
    q.offset = 0;

    q.text = QStringLiteral("\"Print Spooler service\"");
    QCOMPARE(store.search(q)->size(), 1); // the hypothesis
    q.text = QStringLiteral("spool*");
    QCOMPARE(store.search(q)->size(), all);
    q.text = QStringLiteral("spooler restart");
    QVERIFY(store.search(q)->size() >= 1);
    q.text = QStringLiteral("spooler nonexistentword");
    QCOMPARE(store.search(q)->size(), 0);
    q.text = QStringLiteral("   ");
    QCOMPARE(store.search(q)->size(), 0);
    q.text = QStringLiteral("spooler");
    q.session = Event::newId();
    QCOMPARE(store.search(q)->size(), 0);
}

void tst_EventStore::deferredSearchIndexCatchesUp()
{
    StoreOptions deferred;
    deferred.deferSearchIndex = true;
    EventStore writer;
    QVERIFY(writer.open(dbPath(), deferred));
    QList<Event> drafts = TestEvents::printerSessionDrafts();
    QCOMPARE(drafts.takeLast().kind, EventKind::SessionClosed); // events follow below
    QVERIFY(writer.append(drafts).ok);
    QCOMPARE(writer.searchIndexBacklog(), drafts.size());

    // The index holds nothing yet: FTS5 itself finds no row.
    {
        QSqlDatabase raw = rawConnection(QStringLiteral("deferred-raw"));
        QSqlQuery q(raw);
        QVERIFY(q.exec(
            QStringLiteral("SELECT count(*) FROM event_text WHERE event_text MATCH 'running'")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 0);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("deferred-raw"));

    // A slice covers the oldest events only; the mark moves by as many.
    QCOMPARE(writer.indexSearchText(3), 3);
    QCOMPARE(writer.searchIndexBacklog(), drafts.size() - 3);

    // Another connection that indexes as it appends completes the index in its append.
    EventStore other;
    QVERIFY(other.open(dbPath()));
    const Event chat = Event::make(drafts.first().session, drafts.last().actor,
                                   ChatMessageBody{QStringLiteral("zebra crossing"), {}});
    QVERIFY2(other.append({chat}).ok, qPrintable(other.errorString()));
    QCOMPARE(writer.searchIndexBacklog(), 0);
    QCOMPARE(writer.indexSearchText(), 0);

    // Deferred again: a search completes the index before it looks, snippets from the events.
    const Event note = Event::make(drafts.first().session, drafts.last().actor,
                                   ChatMessageBody{QStringLiteral("giraffe neck"), {}});
    QVERIFY(writer.append({note}).ok);
    QCOMPARE(writer.searchIndexBacklog(), 1);
    SearchQuery q;
    q.text = QStringLiteral("giraffe");
    auto hits = other.search(q);
    QVERIFY2(hits, qPrintable(other.errorString()));
    QCOMPARE(hits->size(), 1);
    QCOMPARE(hits->first().kind, EventKind::ChatMessage);
    QCOMPARE(hits->first().snippet, QChar(SearchHit::markStart) + QStringLiteral("giraffe") +
                                        QChar(SearchHit::markEnd) + QStringLiteral(" neck"));
    QCOMPARE(writer.searchIndexBacklog(), 0);
    q.text = QStringLiteral("running");
    QCOMPARE(writer.search(q)->size(), 2); // once each, however it was indexed
    q.text = QStringLiteral("zebra");
    QCOMPARE(writer.search(q)->size(), 1);
}

void tst_EventStore::damagedRowDoesNotStopTheIndex()
{
    StoreOptions deferred;
    deferred.deferSearchIndex = true;
    EventStore store;
    QVERIFY(store.open(dbPath(), deferred));
    QList<Event> drafts = TestEvents::printerSessionDrafts();
    drafts.removeLast(); // session.closed
    const QString session = drafts.first().session;
    for (const QString &text :
         {QStringLiteral("okapi one"), QStringLiteral("okapi two"), QStringLiteral("okapi three")})
        drafts.append(Event::make(session, drafts.last().actor, ChatMessageBody{text, {}}));
    QVERIFY(store.append(drafts).ok);
    {
        QSqlDatabase raw = rawConnection(QStringLiteral("damage"));
        QSqlQuery q(raw);
        QVERIFY(q.exec(QStringLiteral("UPDATE events SET doc = '{\"body\": {\"text\": \"okapi' "
                                      "WHERE doc LIKE '%okapi two%'")));
        QCOMPARE(q.numRowsAffected(), 1);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("damage"));

    QCOMPARE(store.indexSearchText(), drafts.size());
    QCOMPARE(store.searchIndexBacklog(), 0);
    SearchQuery q;
    q.text = QStringLiteral("okapi");
    const auto hits = store.search(q);
    QVERIFY2(hits, qPrintable(store.errorString()));
    QCOMPARE(hits->size(), 2); // once each, the damaged one left out
    QVERIFY(hits->at(0).snippet.contains(QStringLiteral("three")));
    QVERIFY(hits->at(1).snippet.contains(QStringLiteral("one")));
}

void tst_EventStore::searchNeverCrossesOrgs()
{
    EventStore store;
    QVERIFY(store.open(dbPath()));
    TestEvents::SessionSpec a, b;
    const QString sa = Event::newId(), sb = Event::newId();
    QVERIFY(store.append({TestEvents::opened(sa, a), TestEvents::note(sa, QStringLiteral("secret alpha token")),
                          TestEvents::opened(sb, b), TestEvents::note(sb, QStringLiteral("secret bravo token"))})
                .ok);
    SearchQuery q;
    q.text = QStringLiteral("secret");
    q.org = a.org;
    const auto hits = store.search(q);
    QCOMPARE(hits->size(), 1);
    QCOMPARE(hits->first().session, sa);
    q.org = b.org;
    QCOMPARE(store.search(q)->first().session, sb);
    q.org = Event::newId();
    QCOMPARE(store.search(q)->size(), 0);
}

void tst_EventStore::searchSyntaxCannotBreakQueries()
{
    EventStore store;
    QVERIFY(store.open(dbPath()));
    const QString s = Event::newId();
    QVERIFY(store.append({TestEvents::opened(s, {}), TestEvents::note(s, QStringLiteral("error 0x80070005 AND access denied"))}).ok);
    const QStringList nasty = {QStringLiteral("\""), QStringLiteral("AND"), QStringLiteral("NEAR(a b"),
                               QStringLiteral("text:foo"), QStringLiteral("a OR"), QStringLiteral("*"),
                               QStringLiteral("(\"unbalanced"), QStringLiteral("^start"), QStringLiteral("'; DROP TABLE events; --")};
    for (const QString &text : nasty) {
        SearchQuery q;
        q.text = text;
        QVERIFY2(store.search(q), qPrintable(text + QStringLiteral(": ") + store.errorString()));
    }
    SearchQuery q;
    q.text = QStringLiteral("AND");
    QCOMPARE(store.search(q)->size(), 1); // a word, not an operator
    q.text = QStringLiteral("0x80070005");
    QCOMPARE(store.search(q)->size(), 1);
    QCOMPARE(store.read(s)->size(), 2);
}

void tst_EventStore::verifyCatchesTamperingInTheDatabase()
{
    const QList<Event> drafts = TestEvents::printerSessionDrafts();
    const QString session = drafts.first().session;
    {
        EventStore store;
        QVERIFY(store.open(dbPath()));
        QVERIFY(store.append(drafts).ok);
    }
    {
        QSqlDatabase db = rawConnection(QStringLiteral("tamper"));
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("UPDATE events SET doc = replace(doc, 'Running', 'Stopped') WHERE seq = 6")));
        QCOMPARE(q.numRowsAffected(), 1);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tamper"));
    EventStore store;
    QVERIFY(store.open(dbPath()));
    const ChainReport report = store.verify(session);
    QVERIFY(!report.ok);
    QCOMPARE(report.firstBadSeq, 6);
    QCOMPARE(report.problem, ChainReport::Problem::HashMismatch);
    // Reading the damaged event still works (it is valid JSON); only verification catches it.
    QVERIFY(store.read(session));
}

void tst_EventStore::verifyCatchesADroppedLastEvent()
{
    const QList<Event> drafts = TestEvents::printerSessionDrafts();
    const QString session = drafts.first().session;
    {
        EventStore store;
        QVERIFY(store.open(dbPath()));
        QVERIFY(store.append(drafts).ok);
    }
    {
        QSqlDatabase db = rawConnection(QStringLiteral("drop"));
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("DELETE FROM events WHERE seq = 15")));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("drop"));
    EventStore store;
    QVERIFY(store.open(dbPath()));
    const ChainReport report = store.verify(session);
    QVERIFY(!report.ok);
    QCOMPARE(report.firstBadSeq, 15);
    QCOMPARE(report.problem, ChainReport::Problem::SeqGap);
    QVERIFY(report.message.contains(QStringLiteral("head is seq 15")));
}

void tst_EventStore::durabilitySettings()
{
    {
        EventStore store;
        QVERIFY(store.open(dbPath()));
    }
    QSqlDatabase db = rawConnection(QStringLiteral("pragmas"));
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("wal")); // persistent in the file
    q.finish();
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("pragmas"));

    EventStore store;
    QVERIFY(store.open(dbPath()));
    QCOMPARE(store.pragma(QStringLiteral("journal_mode")), QStringLiteral("wal"));
    QCOMPARE(store.pragma(QStringLiteral("synchronous")), QStringLiteral("2")); // FULL
    QCOMPARE(store.pragma(QStringLiteral("foreign_keys")), QStringLiteral("1"));
    QCOMPARE(store.pragma(QStringLiteral("secure_delete")), QStringLiteral("2")); // FAST
    QCOMPARE(store.pragma(QStringLiteral("journal_mode; DROP TABLE events")), QString());
    store.close();

    StoreOptions cache;
    cache.durability = StoreOptions::Durability::Normal;
    QVERIFY(store.open(dbPath(), cache));
    QCOMPARE(store.pragma(QStringLiteral("synchronous")), QStringLiteral("1")); // NORMAL
}

void tst_EventStore::fullDiskLosesNothingAcknowledged()
{
    StoreOptions small;
    small.maxBytes = 1024 * 1024;
    EventStore store;
    QVERIFY(store.open(dbPath(), small));
    const QString session = Event::newId();
    const QString cmd = Event::newId();
    QVERIFY(store.append({TestEvents::opened(session, {})}).ok);
    QList<qint64> acked{1};
    QString error;
    for (int i = 0; i < 1000 && error.isEmpty(); ++i) {
        const AppendResult r = store.append({TestEvents::output(session, cmd, i, QString(4000, QLatin1Char('x')) + QString::number(i))});
        if (r.ok) {
            acked.append(r.events.first().seq);
        } else {
            error = r.error;
            // The disk, not the event, is at fault: callers must keep it and retry.
            QVERIFY(r.storageFailure);
        }
    }
    QVERIFY2(error.contains(QStringLiteral("full")), qPrintable(error));
    QVERIFY(acked.size() > 10);
    // Everything acknowledged is there and verifies; the store keeps working for reads.
    QCOMPARE(store.read(session, 0, 100000)->size(), acked.size());
    QVERIFY(store.verify(session).ok);
    store.close();

    // With room again, appends carry on from where they stopped.
    EventStore roomy;
    QVERIFY(roomy.open(dbPath()));
    const AppendResult r = roomy.append({TestEvents::note(session, QStringLiteral("disk cleaned up"))});
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.events.first().seq, acked.last() + 1);
    QVERIFY(roomy.verify(session).ok);
}

void tst_EventStore::reopenKeepsEverything()
{
    const QList<Event> drafts = TestEvents::printerSessionDrafts();
    const QString session = drafts.first().session;
    {
        EventStore store;
        QVERIFY(store.open(dbPath()));
        QVERIFY(store.append(drafts.mid(0, 7)).ok);
    }
    EventStore store;
    QVERIFY(store.open(dbPath()));
    const AppendResult rest = store.append(drafts.mid(7));
    QVERIFY(rest.ok);
    QCOMPARE(rest.events.first().seq, 8);
    QCOMPARE(*store.readRaw(session), TestEvents::printerSessionLines());

    StoreOptions ro;
    ro.readOnly = true;
    EventStore reader;
    QVERIFY2(reader.open(dbPath(), ro), qPrintable(reader.errorString()));
    QCOMPARE(reader.read(session)->size(), 15);
    QVERIFY(!reader.append({TestEvents::note(session, QStringLiteral("x"))}).ok);
}

namespace {


// `draft` sealed as the event after `previous`, as a server would: a valid hash and link.
Event sealedAfter(Event draft, const Event &previous)
{
    HashChain::seal(draft, previous.seq + 1, previous.hash);
    return draft;
}

QList<qint64> seqsOf(const QList<Event> &events)
{
    QList<qint64> seqs;
    for (const Event &e : events)
        seqs.append(e.seq);
    return seqs;
}

} // namespace

void tst_EventStore::storeSealedMirrorsARecord()
{
    const QList<Event> sealed = TestEvents::printerSession();
    const QString session = sealed.first().session;
    // The reference: the same record written by append() on a "server" store.
    EventStore server;
    QVERIFY(server.open(m_dir->filePath(QStringLiteral("server.db"))));
    QVERIFY(server.append(TestEvents::printerSessionDrafts()).ok);

    EventStore mirror;
    QVERIFY(mirror.open(dbPath()));
    const AppendResult first = mirror.storeSealed(sealed.mid(0, 7));
    QVERIFY2(first.ok, qPrintable(first.error));
    QCOMPARE(seqsOf(first.events), (QList<qint64>{1, 2, 3, 4, 5, 6, 7}));
    QCOMPARE(first.duplicate, QList<bool>(7, false));
    QCOMPARE(first.documents, TestEvents::printerSessionLines().mid(0, 7));
    QCOMPARE(mirror.session(session)->lastSeq, 7);
    QVERIFY(mirror.session(session)->isOpen());

    const AppendResult second = mirror.storeSealed(sealed.mid(7));
    QVERIFY2(second.ok, qPrintable(second.error));
    QCOMPARE(second.events.first().seq, 8);
    QCOMPARE(second.events.last().seq, 15);

    // Byte for byte what the server sealed; nothing re-sealed.
    QCOMPARE(*mirror.readRaw(session), TestEvents::printerSessionLines());
    const ChainReport report = mirror.verify(session);
    QVERIFY2(report.ok, qPrintable(report.toString()));
    QCOMPARE(report.eventsChecked, 15);

    // The sessions index is what append() makes, closed_at and head included.
    const auto mirrored = mirror.session(session);
    const auto original = server.session(session);
    QVERIFY(mirrored && original);
    QCOMPARE(mirrored->org, original->org);
    QCOMPARE(mirrored->title, original->title);
    QCOMPARE(mirrored->tags, original->tags);
    QCOMPARE(mirrored->openedAt, original->openedAt);
    QCOMPARE(mirrored->closedAt, sealed.last().at);
    QCOMPARE(mirrored->closedAt, original->closedAt);
    QVERIFY(!mirrored->isOpen());
    QCOMPARE(mirrored->lastSeq, 15);
    QCOMPARE(mirrored->lastHash, sealed.last().hash);

    // And so is the full-text index.
    SearchQuery q;
    q.text = QStringLiteral("running");
    const auto hits = mirror.search(q);
    QVERIFY2(hits, qPrintable(mirror.errorString()));
    QCOMPARE(hits->size(), 2);
    QCOMPARE(hits->at(0).seq, 9);
    QCOMPARE(hits->at(1).seq, 6);
    q.text = QStringLiteral("spooler");
    QCOMPARE(mirror.search(q)->size(), server.search(q)->size());
    QCOMPARE(mirror.search(q)->first().snippet, server.search(q)->first().snippet);
}

void tst_EventStore::storeSealedRefusesAGap()
{
    const QList<Event> sealed = TestEvents::printerSession();
    const QString session = sealed.first().session;
    EventStore store;
    QVERIFY(store.open(dbPath()));
    QVERIFY(store.storeSealed(sealed.mid(0, 5)).ok);

    const AppendResult gap = store.storeSealed({sealed.at(6)}); // seq 7, seq 6 missing
    QVERIFY(!gap.ok);
    QCOMPARE(gap.failedIndex, 0);
    QVERIFY(!gap.storageFailure); // a refusal: the same batch never succeeds
    QVERIFY2(gap.error.contains(QStringLiteral("seq 7 does not continue")), qPrintable(gap.error));
    QVERIFY2(gap.error.contains(QStringLiteral("ends at seq 5")), qPrintable(gap.error));
    QVERIFY(gap.events.isEmpty());
    QCOMPARE(store.session(session)->lastSeq, 5);
    QCOMPARE(store.read(session)->size(), 5);

    // A session the store has never seen cannot start in the middle either.
    EventStore empty;
    QVERIFY(empty.open(m_dir->filePath(QStringLiteral("empty.db"))));
    const AppendResult middle = empty.storeSealed(sealed.mid(3, 2));
    QVERIFY(!middle.ok);
    QVERIFY2(middle.error.contains(QStringLiteral("seq 4")), qPrintable(middle.error));
    QVERIFY(!empty.session(session));

    // The missing event fills the gap and the rest follows.
    QVERIFY(store.storeSealed(sealed.mid(5)).ok);
    QVERIFY(store.verify(session).ok);
}

void tst_EventStore::storeSealedRefusesAForgedHash()
{
    const QList<Event> sealed = TestEvents::printerSession();
    const QString session = sealed.first().session;
    EventStore store;
    QVERIFY(store.open(dbPath()));
    QVERIFY(store.storeSealed(sealed.mid(0, 5)).ok);

    // A hash that is not the content's.
    Event forged = sealed.at(5);
    forged.hash = QString(64, QLatin1Char('e'));
    AppendResult r = store.storeSealed({forged});
    QVERIFY(!r.ok);
    QCOMPARE(r.failedIndex, 0);
    QVERIFY2(r.error.contains(QStringLiteral("seq 6")), qPrintable(r.error));
    QVERIFY2(r.error.contains(QStringLiteral("does not match its hash")), qPrintable(r.error));

    // A self-consistent event sealed onto something other than the stored head.
    Event elsewhere = sealed.at(5);
    HashChain::seal(elsewhere, 6, QString(64, QLatin1Char('a')));
    QCOMPARE(HashChain::computeHash(elsewhere), elsewhere.hash);
    r = store.storeSealed({elsewhere});
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("seq 6 does not link to seq 5")), qPrintable(r.error));

    // A forged genesis for a new session.
    Event opened = TestEvents::opened(Event::newId(), {});
    HashChain::seal(opened, 1, QString(64, QLatin1Char('1')));
    r = store.storeSealed({opened});
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("genesis")), qPrintable(r.error));
    QVERIFY(!store.session(opened.session));

    QCOMPARE(store.session(session)->lastSeq, 5);
    QCOMPARE(store.read(session)->size(), 5);
}

void tst_EventStore::storeSealedRefusesATamperedBody()
{
    const QList<Event> sealed = TestEvents::printerSession();
    const QString session = sealed.first().session;
    EventStore store;
    QVERIFY(store.open(dbPath()));
    QVERIFY(store.storeSealed(sealed.mid(0, 5)).ok);

    Event tampered = sealed.at(5); // "Status : Running"
    const QString data = tampered.body.value(QStringLiteral("data")).toString();
    QVERIFY(data.contains(QStringLiteral("Running")));
    tampered.body.insert(QStringLiteral("data"), QString(data).replace(QStringLiteral("Running"),
                                                                       QStringLiteral("Stopped")));
    AppendResult r = store.storeSealed({tampered});
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("seq 6")), qPrintable(r.error));
    QVERIFY2(r.error.contains(QStringLiteral("does not match its hash")), qPrintable(r.error));
    QCOMPARE(store.session(session)->lastSeq, 5);

    // A tampered copy of an event already stored is refused too, not skipped as a duplicate.
    Event old = sealed.at(2);
    old.body.insert(QStringLiteral("text"), QStringLiteral("something else"));
    r = store.storeSealed({old});
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("does not match its hash")), qPrintable(r.error));
    QCOMPARE(*store.readRaw(session), TestEvents::printerSessionLines().mid(0, 5));

    // An event the codec refuses never reaches the chain checks.
    Event invalid = sealed.at(5);
    invalid.body.remove(QStringLiteral("command"));
    r = store.storeSealed({invalid});
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("invalid")), qPrintable(r.error));
}

void tst_EventStore::storeSealedSkipsDuplicates()
{
    const QList<Event> sealed = TestEvents::printerSession();
    const QString session = sealed.first().session;
    EventStore store;
    QVERIFY(store.open(dbPath()));
    QVERIFY(store.storeSealed(sealed.mid(0, 10)).ok);

    // A replay that overlaps what is stored: the overlap is skipped, the rest stored.
    const AppendResult overlap = store.storeSealed(sealed.mid(4));
    QVERIFY2(overlap.ok, qPrintable(overlap.error));
    QList<bool> expected(6, true);
    expected += QList<bool>(5, false);
    QCOMPARE(overlap.duplicate, expected);
    QCOMPARE(seqsOf(overlap.events), seqsOf(sealed.mid(4)));
    QCOMPARE(overlap.documents, TestEvents::printerSessionLines().mid(4));

    // Everything again, and one event twice in a batch: nothing changes.
    const AppendResult again = store.storeSealed(sealed + QList<Event>{sealed.at(14)});
    QVERIFY2(again.ok, qPrintable(again.error));
    QCOMPARE(again.duplicate, QList<bool>(16, true));

    QCOMPARE(*store.readRaw(session), TestEvents::printerSessionLines());
    QVERIFY(store.verify(session).ok);
    SearchQuery q;
    q.text = QStringLiteral("running");
    QCOMPARE(store.search(q)->size(), 2); // indexed once
}

void tst_EventStore::storeSealedRefusesADifferentEventAtAStoredSeq()
{
    const QList<Event> sealed = TestEvents::printerSession();
    const QString session = sealed.first().session;
    EventStore store;
    QVERIFY(store.open(dbPath()));
    QVERIFY(store.storeSealed(sealed.mid(0, 5)).ok);

    // Correctly sealed onto seq 4, but seq 5 is already another event: a forked record.
    const Event fork =
        sealedAfter(TestEvents::note(session, QStringLiteral("another seq 5")), sealed.at(3));
    QCOMPARE(fork.seq, 5);
    AppendResult r = store.storeSealed({fork});
    QVERIFY(!r.ok);
    QCOMPARE(r.failedIndex, 0);
    QVERIFY2(r.error.contains(
                 QStringLiteral("seq 5 of session %1 is already stored as a different event")
                     .arg(session)),
             qPrintable(r.error));

    // Another server's record of the same session id, from seq 1.
    Event otherOpened = TestEvents::opened(session, {});
    HashChain::seal(otherOpened, 1, HashChain::genesis());
    r = store.storeSealed({otherOpened});
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("seq 1 of session")), qPrintable(r.error));

    QCOMPARE(*store.readRaw(session), TestEvents::printerSessionLines().mid(0, 5));
    QVERIFY(store.verify(session).ok);
}

void tst_EventStore::storeSealedKeepsTheSessionRules()
{
    const QList<Event> sealed = TestEvents::printerSession();
    const QString session = sealed.first().session;
    EventStore store;
    QVERIFY(store.open(dbPath()));

    // Seq 1 must be session.opened, even when its hash and prev are right.
    Event note = TestEvents::note(Event::newId(), QStringLiteral("no opening"));
    HashChain::seal(note, 1, HashChain::genesis());
    AppendResult r = store.storeSealed({note});
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("must be session.opened")), qPrintable(r.error));
    QVERIFY(!store.session(note.session));

    QVERIFY(store.storeSealed(sealed.mid(0, 3)).ok);
    // No second session.opened.
    r = store.storeSealed({sealedAfter(TestEvents::opened(session, {}), sealed.at(2))});
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("second session.opened")), qPrintable(r.error));
    // An id that is already used cannot come back at a new seq.
    Event reused = TestEvents::note(session, QStringLiteral("same id"));
    reused.id = sealed.at(1).id;
    r = store.storeSealed({sealedAfter(reused, sealed.at(2))});
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("already stored at seq 2")), qPrintable(r.error));

    // Nothing after session.closed.
    QVERIFY(store.storeSealed(sealed.mid(3)).ok);
    r = store.storeSealed(
        {sealedAfter(TestEvents::note(session, QStringLiteral("late")), sealed.last())});
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("seq 16")), qPrintable(r.error));
    QVERIFY2(r.error.contains(QStringLiteral("is closed")), qPrintable(r.error));
    QCOMPARE(store.session(session)->lastSeq, 15);
}

void tst_EventStore::storeSealedBatchIsAllOrNothing()
{
    const QList<Event> sealed = TestEvents::printerSession();
    const QString session = sealed.first().session;
    EventStore store;
    QVERIFY(store.open(dbPath()));
    QVERIFY(store.storeSealed(sealed.mid(0, 5)).ok);

    // Seqs 6..8 are fine, another session opens fine, the last event breaks the chain.
    const QString other = Event::newId();
    Event otherOpened = TestEvents::opened(other, {});
    HashChain::seal(otherOpened, 1, HashChain::genesis());
    QList<Event> batch = sealed.mid(5, 3);
    batch.append(otherOpened);
    batch.append(sealed.at(9)); // seq 10 after seq 8
    const AppendResult r = store.storeSealed(batch);
    QVERIFY(!r.ok);
    QCOMPARE(r.failedIndex, 4);
    QVERIFY2(r.error.startsWith(QStringLiteral("event 4 (seq 10, %1)").arg(sealed.at(9).id)),
             qPrintable(r.error));
    QVERIFY(r.events.isEmpty() && r.duplicate.isEmpty() && r.documents.isEmpty());

    // Not one row, index entry or session of the batch.
    QCOMPARE(store.read(session)->size(), 5);
    QCOMPARE(store.session(session)->lastSeq, 5);
    QCOMPARE(store.session(session)->lastHash, sealed.at(4).hash);
    QVERIFY(!store.session(other));
    QCOMPARE(store.sessions({})->size(), 1);
    SearchQuery q;
    q.text = QStringLiteral("running"); // in seq 6
    QCOMPARE(store.search(q)->size(), 0);
    QVERIFY(store.verify(session).ok);

    // The same events without the bad one go in.
    batch.removeLast();
    const AppendResult ok = store.storeSealed(batch);
    QVERIFY2(ok.ok, qPrintable(ok.error));
    QCOMPARE(store.session(session)->lastSeq, 8);
    QVERIFY(store.session(other));
    QCOMPARE(store.search(q)->size(), 1);
}

QTEST_GUILESS_MAIN(tst_EventStore)
#include "tst_EventStore.moc"
