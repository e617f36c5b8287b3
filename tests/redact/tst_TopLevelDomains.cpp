// The TLD list the host detector relies on: real ones in, file extensions and code out.
#include "redact/TopLevelDomains.h"

#include <QTest>

using namespace casefile;

class tst_TopLevelDomains : public QObject
{
    Q_OBJECT
private slots:
    void contains_data();
    void contains();
    void fileExtensions();
};

void tst_TopLevelDomains::contains_data()
{
    QTest::addColumn<QString>("label");
    QTest::addColumn<bool>("tld");
    for (const char *yes : {"com", "COM", "net", "org", "local", "lan", "corp", "internal", "uk", "de", "io", "ch",
                            "zw", "ac", "ad", "info", "xyz", "London", "tc", "sc"})
        QTest::newRow(yes) << QString::fromLatin1(yes) << true;
    for (const char *no : {"dll", "exe", "sys", "log", "json", "Commands", "Automation", "arpa", "zz", "c", "",
                           "microsoft", "management", "data", "localhostx", "toolongforanylabelatall", "c0m", "ü"})
        QTest::newRow(no[0] ? no : "empty") << QString::fromUtf8(no) << false;
}

void tst_TopLevelDomains::contains()
{
    QFETCH(QString, label);
    QFETCH(bool, tld);
    QCOMPARE(TopLevelDomains::contains(label), tld);
}

void tst_TopLevelDomains::fileExtensions()
{
    for (const char *ext : {"py", "sh", "md", "PS", "app", "pro", "am", "in"})
        QVERIFY2(TopLevelDomains::isFileExtension(QString::fromLatin1(ext)), ext);
    for (const char *ext : {"com", "uk", "io", "local"})
        QVERIFY2(!TopLevelDomains::isFileExtension(QString::fromLatin1(ext)), ext);
    QVERIFY(TopLevelDomains::isSecondLevel(QStringLiteral("co")));
    QVERIFY(!TopLevelDomains::isSecondLevel(QStringLiteral("contoso")));
}

QTEST_GUILESS_MAIN(tst_TopLevelDomains)
#include "tst_TopLevelDomains.moc"
