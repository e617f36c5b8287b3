// The sessions browser's model and its filters, without widgets.
#include "SessionFilterProxy.h"
#include "SessionTreeModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace casefile;

namespace {
SessionInfo session(const QString &id, const QString &group, const QString &endpoint, const QString &title,
                    const QString &openedAt, const QStringList &tags = {}, bool live = true,
                    const QString &technician = QStringLiteral("tech-a"))
{
    SessionInfo s;
    s.id = id;
    s.clientGroup = group;
    s.endpoint = endpoint;
    s.title = title;
    s.openedAt = openedAt;
    s.tags = tags;
    s.technician = technician;
    if (!live)
        s.closedAt = openedAt;
    return s;
}

QStringList visibleSessions(const QAbstractItemModel *m, const QModelIndex &parent = {})
{
    QStringList out;
    for (int r = 0; r < m->rowCount(parent); ++r) {
        const QModelIndex i = m->index(r, 0, parent);
        if (i.data(SessionTreeModel::NodeTypeRole).value<SessionTreeModel::NodeType>() == SessionTreeModel::NodeType::Session)
            out << i.data(SessionTreeModel::IdRole).toString();
        out << visibleSessions(m, i);
    }
    return out;
}
} // namespace

class tst_SessionFilterProxy : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void treeGroupsEndpointsNewestFirst();
    void upsertKeepsRowsAndUpdatesInPlace();
    void filters_data();
    void filters();
    void textMatchesFullTextHits();
    void emptyEndpointsHiddenOnlyWhileFiltering();

private:
    std::unique_ptr<SessionTreeModel> m_model;
    std::unique_ptr<SessionFilterProxy> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

void tst_SessionFilterProxy::init()
{
    m_model = std::make_unique<SessionTreeModel>();
    m_proxy = std::make_unique<SessionFilterProxy>();
    m_proxy->setSourceModel(m_model.get());
    m_modelTester = std::make_unique<QAbstractItemModelTester>(m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_proxyTester = std::make_unique<QAbstractItemModelTester>(m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setClientGroupName(QStringLiteral("g1"), QStringLiteral("Acme Dental"));
    m_model->setClientGroupName(QStringLiteral("g2"), QStringLiteral("Bakery Ltd"));
    m_model->setEndpoints({{QStringLiteral("e1"), QStringLiteral("FRONTDESK"), QStringLiteral("g1"), QStringLiteral("Windows"), true},
                           {QStringLiteral("e2"), QStringLiteral("XRAY-PC"), QStringLiteral("g1"), QStringLiteral("Windows"), false},
                           {QStringLiteral("e3"), QStringLiteral("TILL-1"), QStringLiteral("g2"), QStringLiteral("Linux"), true}});
    m_model->setTechnicianName(QStringLiteral("tech-b"), QStringLiteral("Bea"));
    m_model->upsertSessions({
        session(QStringLiteral("s1"), QStringLiteral("g1"), QStringLiteral("e1"), QStringLiteral("Printer offline"),
                QStringLiteral("2026-11-01T09:00:00.000Z"), {QStringLiteral("printing")}, false),
        session(QStringLiteral("s2"), QStringLiteral("g1"), QStringLiteral("e1"), QStringLiteral("Outlook keeps asking for password"),
                QStringLiteral("2026-11-20T10:00:00.000Z"), {QStringLiteral("m365")}),
        session(QStringLiteral("s3"), QStringLiteral("g2"), QStringLiteral("e3"), QStringLiteral("Card reader timeout"),
                QStringLiteral("2026-11-15T08:00:00.000Z"), {QStringLiteral("pos"), QStringLiteral("printing")}, false,
                QStringLiteral("tech-b")),
    });
}

void tst_SessionFilterProxy::treeGroupsEndpointsNewestFirst()
{
    QCOMPARE(m_model->rowCount(), 2);
    const QModelIndex acme = m_model->index(0, 0);
    QCOMPARE(acme.data().toString(), QStringLiteral("Acme Dental"));
    QCOMPARE(m_model->rowCount(acme), 2); // both endpoints, one without sessions
    const QModelIndex frontdesk = m_model->index(0, 0, acme);
    QCOMPARE(frontdesk.data().toString(), QStringLiteral("FRONTDESK"));
    QVERIFY(frontdesk.data(SessionTreeModel::LiveRole).toBool());
    QCOMPARE(m_model->rowCount(frontdesk), 2);
    QCOMPARE(m_model->index(0, 0, frontdesk).data(SessionTreeModel::IdRole).toString(), QStringLiteral("s2")); // newest first
    QCOMPARE(m_model->index(1, 0, frontdesk).data(SessionTreeModel::IdRole).toString(), QStringLiteral("s1"));
    QVERIFY(m_model->index(0, 0, frontdesk).data(SessionTreeModel::LiveRole).toBool());
    QVERIFY(!m_model->index(1, 0, frontdesk).data(SessionTreeModel::LiveRole).toBool());
    QCOMPARE(m_model->indexOfSession(QStringLiteral("s3")).parent().data().toString(), QStringLiteral("TILL-1"));
}

void tst_SessionFilterProxy::upsertKeepsRowsAndUpdatesInPlace()
{
    const QPersistentModelIndex s2 = m_model->indexOfSession(QStringLiteral("s2"));
    SessionInfo closed = *m_model->sessionInfo(QStringLiteral("s2"));
    closed.closedAt = QStringLiteral("2026-11-20T11:00:00.000Z");
    m_model->upsertSessions({closed,
                             session(QStringLiteral("s4"), QStringLiteral("g1"), QStringLiteral("e1"), QStringLiteral("Newest"),
                                     QStringLiteral("2026-11-21T10:00:00.000Z"))});
    QVERIFY(s2.isValid());
    QVERIFY(!s2.data(SessionTreeModel::LiveRole).toBool());
    const QModelIndex frontdesk = m_model->indexOfSession(QStringLiteral("s4")).parent();
    QCOMPARE(m_model->rowCount(frontdesk), 3);
    QCOMPARE(m_model->index(0, 0, frontdesk).data(SessionTreeModel::IdRole).toString(), QStringLiteral("s4"));
    // A session on an endpoint and group not seen before brings them along.
    m_model->upsertSessions({session(QStringLiteral("s5"), QStringLiteral("g9"), QStringLiteral("e9"), QStringLiteral("New client"),
                                     QStringLiteral("2026-11-21T12:00:00.000Z"))});
    QCOMPARE(m_model->rowCount(), 3);
    QVERIFY(m_model->indexOfSession(QStringLiteral("s5")).isValid());
}

void tst_SessionFilterProxy::filters_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("group");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("technician");
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QDate>("from");
    QTest::addColumn<QDate>("to");
    QTest::addColumn<bool>("liveOnly");
    QTest::addColumn<QStringList>("expected");
    const QDate none;
    const QString any;
    QTest::newRow("nothing") << any << any << any << any << any << none << none << false
                             << QStringList{QStringLiteral("s2"), QStringLiteral("s1"), QStringLiteral("s3")};
    QTest::newRow("title word, any case") << QStringLiteral("OUTLOOK") << any << any << any << any << none << none << false
                                          << QStringList{QStringLiteral("s2")};
    QTest::newRow("two words anywhere") << QStringLiteral("bakery card") << any << any << any << any << none << none << false
                                        << QStringList{QStringLiteral("s3")};
    QTest::newRow("hostname") << QStringLiteral("frontdesk") << any << any << any << any << none << none << false
                              << QStringList{QStringLiteral("s2"), QStringLiteral("s1")};
    QTest::newRow("technician name") << QStringLiteral("bea") << any << any << any << any << none << none << false
                                     << QStringList{QStringLiteral("s3")};
    QTest::newRow("no match") << QStringLiteral("kerberos") << any << any << any << any << none << none << false << QStringList{};
    QTest::newRow("client group") << any << QStringLiteral("g2") << any << any << any << none << none << false
                                  << QStringList{QStringLiteral("s3")};
    QTest::newRow("endpoint") << any << any << QStringLiteral("e1") << any << any << none << none << false
                              << QStringList{QStringLiteral("s2"), QStringLiteral("s1")};
    QTest::newRow("technician") << any << any << any << QStringLiteral("tech-b") << any << none << none << false
                                << QStringList{QStringLiteral("s3")};
    QTest::newRow("tag") << any << any << any << any << QStringLiteral("Printing") << none << none << false
                         << QStringList{QStringLiteral("s1"), QStringLiteral("s3")};
    QTest::newRow("date range") << any << any << any << any << any << QDate(2026, 11, 10) << QDate(2026, 11, 16) << false
                                << QStringList{QStringLiteral("s3")};
    QTest::newRow("from only") << any << any << any << any << any << QDate(2026, 11, 14) << none << false
                               << QStringList{QStringLiteral("s2"), QStringLiteral("s3")};
    QTest::newRow("live only") << any << any << any << any << any << none << none << true << QStringList{QStringLiteral("s2")};
    QTest::newRow("tag and group") << any << QStringLiteral("g1") << any << any << QStringLiteral("printing") << none << none
                                   << false << QStringList{QStringLiteral("s1")};
}

void tst_SessionFilterProxy::filters()
{
    QFETCH(QString, text);
    QFETCH(QString, group);
    QFETCH(QString, endpoint);
    QFETCH(QString, technician);
    QFETCH(QString, tag);
    QFETCH(QDate, from);
    QFETCH(QDate, to);
    QFETCH(bool, liveOnly);
    QFETCH(QStringList, expected);
    m_proxy->setText(text);
    m_proxy->setClientGroup(group);
    m_proxy->setEndpoint(endpoint);
    m_proxy->setTechnician(technician);
    m_proxy->setTag(tag);
    m_proxy->setDateRange(from, to);
    m_proxy->setLiveOnly(liveOnly);
    QCOMPARE(visibleSessions(m_proxy.get()), expected);
}

void tst_SessionFilterProxy::textMatchesFullTextHits()
{
    // "spooler" is in no title, but a full-text search found it in s1's output.
    m_proxy->setText(QStringLiteral("spooler"));
    QCOMPARE(visibleSessions(m_proxy.get()), QStringList{});
    m_model->setHits({{QStringLiteral("s1"), QStringLiteral("The [Spooler] service terminated")}});
    m_proxy->setTextHits({QStringLiteral("s1")});
    QCOMPARE(visibleSessions(m_proxy.get()), QStringList{QStringLiteral("s1")});
    const QModelIndex s1 = m_model->indexOfSession(QStringLiteral("s1"));
    QCOMPARE(s1.data(SessionTreeModel::HitRole).toString(), QStringLiteral("The [Spooler] service terminated"));
    QCOMPARE(s1.siblingAtColumn(SessionTreeModel::FoundColumn).data().toString(),
             QStringLiteral("The [Spooler] service terminated"));
    QVERIFY(m_model->indexOfSession(QStringLiteral("s2")).siblingAtColumn(SessionTreeModel::FoundColumn).data().toString().isEmpty());
    QVERIFY(s1.data(Qt::ToolTipRole).toString().contains(QStringLiteral("[Spooler]")));
}

void tst_SessionFilterProxy::emptyEndpointsHiddenOnlyWhileFiltering()
{
    auto endpointShown = [this](const QString &name) {
        for (int g = 0; g < m_proxy->rowCount(); ++g) {
            const QModelIndex group = m_proxy->index(g, 0);
            for (int e = 0; e < m_proxy->rowCount(group); ++e) {
                if (m_proxy->index(e, 0, group).data().toString() == name)
                    return true;
            }
        }
        return false;
    };
    QVERIFY(endpointShown(QStringLiteral("XRAY-PC")));
    m_proxy->setText(QStringLiteral("printer"));
    QVERIFY(!endpointShown(QStringLiteral("XRAY-PC")));
    QVERIFY(endpointShown(QStringLiteral("FRONTDESK")));
    QCOMPARE(m_proxy->rowCount(), 1); // Bakery has no match
    m_proxy->setText(QString());
    QVERIFY(endpointShown(QStringLiteral("XRAY-PC")));
}

QTEST_GUILESS_MAIN(tst_SessionFilterProxy)
#include "tst_SessionFilterProxy.moc"
