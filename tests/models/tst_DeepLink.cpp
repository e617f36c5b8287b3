#include "DeepLink.h"
#include "events/Event.h"

#include <QtTest>

using namespace casefile;

// casefile:// links to a session or snapshot entry, and pasted snapshot page links.
class tst_DeepLink : public QObject
{
    Q_OBJECT

private slots:
    void deepLinkRoundTrip();
    void deepLinkRefusals_data();
    void deepLinkRefusals();
    void snapshotPageLinks();
};

void tst_DeepLink::deepLinkRoundTrip()
{
    DeepLink link;
    link.id = Event::newId();
    link.server = QUrl(QStringLiteral("https://casefile.example.com:8470"));
    link.seq = 42;
    const QUrl url = link.toUrl();
    QCOMPARE(url.scheme(), QStringLiteral("casefile"));
    QString error;
    const auto back = DeepLink::parse(url.toString(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->target, DeepLink::Target::Session);
    QCOMPARE(back->id, link.id);
    QCOMPARE(back->server, link.server);
    QCOMPARE(back->seq, 42);

    DeepLink snap;
    snap.target = DeepLink::Target::Snapshot;
    snap.id = QStringLiteral("cfs_4kYq1Lr0V9a-Z_0123456789abcdefABCDEFghij");
    snap.server = QUrl(QStringLiteral("http://127.0.0.1:8470"));
    const auto again = DeepLink::parse(snap.toUrl().toString());
    QVERIFY(again);
    QCOMPARE(again->target, DeepLink::Target::Snapshot);
    QCOMPARE(again->seq, 0);
    QCOMPARE(again->snapshotUrl(), QUrl(QStringLiteral("http://127.0.0.1:8470/s/") + snap.id));
}

void tst_DeepLink::deepLinkRefusals_data()
{
    QTest::addColumn<QString>("link");
    const QString id = Event::newId();
    QTest::newRow("other scheme") << QStringLiteral("mailto:x@example.com");
    QTest::newRow("unknown target") << QStringLiteral("casefile://admin/%1?server=http://h:1").arg(id);
    QTest::newRow("not a uuid") << QStringLiteral("casefile://session/../../etc?server=http://h:1");
    QTest::newRow("bad token") << QStringLiteral("casefile://snapshot/cfs_<script>?server=http://h:1");
    QTest::newRow("no server") << QStringLiteral("casefile://session/%1").arg(id);
    QTest::newRow("file server") << QStringLiteral("casefile://session/%1?server=file:///etc/passwd").arg(id);
    QTest::newRow("server with a path") << QStringLiteral("casefile://session/%1?server=http://h:1/x").arg(id);
    QTest::newRow("server with a user") << QStringLiteral("casefile://session/%1?server=http://u:p@h:1").arg(id);
    QTest::newRow("seq zero") << QStringLiteral("casefile://session/%1?server=http://h:1&seq=0").arg(id);
    QTest::newRow("seq text") << QStringLiteral("casefile://session/%1?server=http://h:1&seq=x").arg(id);
    QTest::newRow("web page not a snapshot") << QStringLiteral("https://example.com/index.html");
}

void tst_DeepLink::deepLinkRefusals()
{
    QFETCH(QString, link);
    QString error;
    QVERIFY(!DeepLink::parse(link, &error));
    QVERIFY(!error.isEmpty());
}

void tst_DeepLink::snapshotPageLinks()
{
    const QString token = QStringLiteral("cfs_4kYq1Lr0V9a-Z_0123456789abcdefABCDEFghij");
    for (const QString &page : QStringList{QStringLiteral("http://127.0.0.1:8470/s/") + token,
                                QStringLiteral("http://127.0.0.1:8470/s/") + token + QStringLiteral(".json")}) {
        const auto link = DeepLink::parse(page);
        QVERIFY2(link, qPrintable(page));
        QCOMPARE(link->target, DeepLink::Target::Snapshot);
        QCOMPARE(link->id, token);
        QCOMPARE(link->server, QUrl(QStringLiteral("http://127.0.0.1:8470")));
    }
}

QTEST_MAIN(tst_DeepLink)
#include "tst_DeepLink.moc"
