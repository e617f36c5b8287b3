// Starting a follow-up session against a real casefiled and casefile-agent: from a session with
// one open, one ruled-out and one confirmed hypothesis, and from a published snapshot of it. The
// new session names the original as followUpOf, carries the open hypothesis as open and shows
// the decided ones as decided, with a note naming where they were decided.
#include "HandoffPane.h"
#include "MainWindow.h"
#include "ServerFixture.h"
#include "SessionController.h"

#include <QStandardPaths>
#include <QTextBrowser>
#include <QTemporaryDir>
#include <QTest>

using namespace casefile;

class tst_FollowUp : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void fromASession();
    void fromASnapshot();
    void closedSessionShowsTheSummary();

private:
    // The follow-up's hypotheses by text: status and note.
    QHash<QString, QPair<QString, QString>> hypotheses(SessionDocument *doc) const;
    QString startFollowUp(const QString &title);
    QString followUpOf(const QString &session);
    QString followUpSession() const { return m_followUp; }

    ServerFixture m_server;
    ServerFixture::Org m_org;
    QString m_reviewerToken;
    QString m_session;
    QString m_followUp;
    QTemporaryDir m_data;
    std::unique_ptr<SessionController> m_controller;
    std::unique_ptr<MainWindow> m_window;
};

void tst_FollowUp::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_server.start());
    m_org = m_server.createOrg(QStringLiteral("Follow-up MSP"));
    QVERIFY(m_server.startAgent(m_org, QStringLiteral("stdin")));
    const QJsonObject user = m_server.admin({QStringLiteral("create-user"), QStringLiteral("--org"), m_org.id,
                                             QStringLiteral("--name"), QStringLiteral("Rita Reviewer"),
                                             QStringLiteral("--role"), QStringLiteral("reviewer")});
    m_reviewerToken = m_server.admin({QStringLiteral("issue-token"), QStringLiteral("--user"),
                                      user.value(QStringLiteral("user")).toString()})
                          .value(QStringLiteral("token"))
                          .toString();
    QVERIFY(!m_reviewerToken.isEmpty());

    m_controller = std::make_unique<SessionController>(m_data.path());
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_controller->connectToServer(QUrl(m_server.wsUrl()), m_org.technicianToken);
    m_window->show();
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->sync()->state(), SyncClient::State::Online, 10000);

    bool opened = false;
    m_controller->openNewSession(m_server.agentEndpoint(), QStringLiteral("Scanner to e-mail fails"), {}, {},
                                 [&](const QString &session, const QString &) {
                                     m_session = session;
                                     opened = true;
                                 });
    QTRY_VERIFY_WITH_TIMEOUT(opened, 10000);
    QVERIFY(!m_session.isEmpty());
    m_window->openSession(m_session);
    SessionDocument *doc = m_window->document();
    QString command, ruledOut, confirmed, open;
    QVERIFY(m_controller->runCommand(m_session, QStringLiteral("sh"), QStringLiteral("echo smtp 535 auth failed"), false, &command));
    QTRY_VERIFY_WITH_TIMEOUT(doc->command(command) && doc->command(command)->finished, 20000);
    QVERIFY(m_controller->addHypothesis(m_session, QStringLiteral("The SMTP relay is down"), &ruledOut));
    QVERIFY(m_controller->addHypothesis(m_session, QStringLiteral("The scanner's password expired"), &confirmed));
    QVERIFY(m_controller->addHypothesis(m_session, QStringLiteral("TLS 1.0 is refused"), &open));
    QVERIFY(m_controller->updateHypothesis(m_session, ruledOut, QStringLiteral("ruled_out"), {{command, 0, 0}},
                                           QStringLiteral("relay answers")));
    QVERIFY(m_controller->updateHypothesis(m_session, confirmed, QStringLiteral("confirmed"), {{command, 0, 0}}));
    QTRY_COMPARE_WITH_TIMEOUT(doc->hypotheses()->openCount(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(doc->hypotheses()->rowCount(), 3, 10000);
}

void tst_FollowUp::cleanupTestCase()
{
    m_window.reset();
    m_controller.reset();
}

QHash<QString, QPair<QString, QString>> tst_FollowUp::hypotheses(SessionDocument *doc) const
{
    QHash<QString, QPair<QString, QString>> out;
    HypothesisModel *m = doc->hypotheses();
    for (int r = 0; r < m->rowCount(); ++r) {
        const QModelIndex i = m->index(r, HypothesisModel::TextColumn);
        out.insert(i.data().toString(), {i.data(HypothesisModel::StatusRole).toString(), i.data(HypothesisModel::NoteRole).toString()});
    }
    return out;
}

QString tst_FollowUp::startFollowUp(const QString &title)
{
    QString session, error;
    bool done = false;
    m_window->startFollowUp(m_server.agentEndpoint(), title, [&](const QString &s, const QString &e) {
        session = s;
        error = e;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000) || !error.isEmpty())
        qWarning("follow-up failed: %s", qPrintable(error));
    return session;
}

QString tst_FollowUp::followUpOf(const QString &session)
{
    QString link;
    bool done = false;
    m_controller->readSession(session, {}, [&](const QList<Event> &events, const QString &) {
        link = HandoffSummary::fromEvents(events).followUpOf;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        return QStringLiteral("(no answer)");
    return link;
}

void tst_FollowUp::fromASession()
{
    const QString followUp = startFollowUp(QStringLiteral("Follow-up: scanner"));
    QVERIFY(!followUp.isEmpty());
    m_followUp = followUp;
    QVERIFY(followUp != m_session);
    // The window shows the new session, live and editable.
    QCOMPARE(m_window->document()->session(), followUp);
    QVERIFY(!m_window->snapshot());
    SessionDocument *doc = m_window->document();
    QTRY_COMPARE_WITH_TIMEOUT(doc->hypotheses()->rowCount(), 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(hypotheses(doc).value(QStringLiteral("The SMTP relay is down")).first, QStringLiteral("ruled_out"), 10000);
    const auto h = hypotheses(doc);
    QCOMPARE(h.value(QStringLiteral("TLS 1.0 is refused")).first, QStringLiteral("open"));
    QCOMPARE(h.value(QStringLiteral("The scanner's password expired")).first, QStringLiteral("confirmed"));
    const QString note = h.value(QStringLiteral("The SMTP relay is down")).second;
    QVERIFY2(note.contains(QStringLiteral("Ruled out in Scanner to e-mail fails")), qPrintable(note));
    QVERIFY2(note.contains(m_session), qPrintable(note));
    QVERIFY2(note.contains(QStringLiteral("relay answers")), qPrintable(note)); // the original note
    QCOMPARE(doc->hypotheses()->openCount(), 1);
    QCOMPARE(followUpOf(followUp), m_session);
}

void tst_FollowUp::fromASnapshot()
{
    const auto published = m_server.cli(m_reviewerToken, {QStringLiteral("publish"), QStringLiteral("--session"), m_session,
                                                          QStringLiteral("--title"), QStringLiteral("Scanner handoff"),
                                                          QStringLiteral("--accept-all-findings")});
    QVERIFY2(published.code == 0, published.err.constData());
    m_window->openLink(QString::fromUtf8(published.out.trimmed()));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->snapshot(), 10000);
    QCOMPARE(m_window->handoffPane()->summary().open.size(), 1);

    const QString followUp = startFollowUp(QStringLiteral("From the snapshot"));
    QVERIFY(!followUp.isEmpty());
    QVERIFY(!m_window->snapshot()); // the new session is shown instead
    SessionDocument *doc = m_window->document();
    QCOMPARE(doc->session(), followUp);
    QTRY_COMPARE_WITH_TIMEOUT(doc->hypotheses()->rowCount(), 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(doc->hypotheses()->openCount(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(hypotheses(doc).value(QStringLiteral("The scanner's password expired")).first,
                              QStringLiteral("confirmed"), 10000);
    // Same org: the server knows the snapshot's session, so the follow-up is linked to it.
    QCOMPARE(followUpOf(followUp), m_session);
}

void tst_FollowUp::closedSessionShowsTheSummary()
{
    // A past session of the org: the summary is read from the server when it is opened.
    QVERIFY(m_controller->closeSession(m_session, QStringLiteral("handed over")));
    m_window->openSession(m_session);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->document()->isClosed(), 10000);
    HandoffPane *pane = m_window->handoffPane();
    QTRY_VERIFY_WITH_TIMEOUT(pane->isVisible(), 10000);
    QCOMPARE(pane->summary().session, m_session);
    QCOMPARE(pane->summary().ruledOut.size(), 1);
    QCOMPARE(pane->summary().ruledOut.first().text, QStringLiteral("The SMTP relay is down"));
    QVERIFY(pane->browser()->toPlainText().contains(QStringLiteral("smtp 535 auth failed"))); // its evidence line
    // Offline it comes from the local cache, which holds the same record.
    const auto cached = m_controller->cachedEvents(m_session);
    QVERIFY(cached);
    const HandoffSummary fromCache = HandoffSummary::fromEvents(*cached);
    QCOMPARE(fromCache.ruledOut.size(), 1);
    QCOMPARE(fromCache.confirmed.size(), 1);
    QCOMPARE(fromCache.open.size(), 1);
    QCOMPARE(fromCache.ruledOut.first().evidence.value(0).lines, QStringList{QStringLiteral("smtp 535 auth failed")});
    // A live session has none.
    m_window->openSession(followUpSession());
    QTRY_VERIFY(!pane->isVisible());
}

QTEST_MAIN(tst_FollowUp)
#include "tst_FollowUp.moc"
