#include "store/FtsQuery.h"

#include <QtTest>

using namespace casefile;

class tst_FtsQuery : public QObject
{
    Q_OBJECT

private slots:
    void converts_data();
    void converts();
};

void tst_FtsQuery::converts_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("blank") << QStringLiteral(" \t ") << QString();
    QTest::newRow("one word") << QStringLiteral("spooler") << QStringLiteral("\"spooler\"");
    QTest::newRow("words") << QStringLiteral(" print  spooler ") << QStringLiteral("\"print\" \"spooler\"");
    QTest::newRow("operator is a word") << QStringLiteral("a AND b") << QStringLiteral("\"a\" \"AND\" \"b\"");
    QTest::newRow("prefix") << QStringLiteral("spool*") << QStringLiteral("\"spool\"*");
    QTest::newRow("bare star") << QStringLiteral("*") << QString();
    QTest::newRow("phrase") << QStringLiteral("\"access  denied\" 0x5")
                            << QStringLiteral("\"access denied\" \"0x5\"");
    QTest::newRow("unclosed phrase") << QStringLiteral("\"access denied") << QStringLiteral("\"access denied\"");
    QTest::newRow("quote inside word") << QStringLiteral("ab\"cd") << QStringLiteral("\"abcd\"");
    QTest::newRow("column filter is text") << QStringLiteral("text:foo") << QStringLiteral("\"text:foo\"");
    QTest::newRow("path") << QStringLiteral("C:\\Windows\\System32") << QStringLiteral("\"C:\\Windows\\System32\"");
}

void tst_FtsQuery::converts()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(FtsQuery::fromUserText(input), expected);
}

QTEST_GUILESS_MAIN(tst_FtsQuery)
#include "tst_FtsQuery.moc"
