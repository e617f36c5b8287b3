// The KSyntaxHighlighting adapter: which syntax an output gets, and colours only where the
// library is present.
#include "SyntaxHighlighter.h"

#include <QTest>

using namespace casefile;

class tst_SyntaxHighlighter : public QObject
{
    Q_OBJECT
private slots:
    void guess_data();
    void guess();
    void highlightsWhereAvailable();
    void unknownSyntaxStaysPlain();
};

void tst_SyntaxHighlighter::guess_data()
{
    QTest::addColumn<QString>("shell");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("firstLine");
    QTest::addColumn<QString>("expected");
    QTest::newRow("json object") << "pwsh" << "Get-Foo" << "  {\"a\": 1}" << "JSON";
    QTest::newRow("json array") << "sh" << "curl x" << "[{\"id\": 2}]" << "JSON";
    QTest::newRow("ini section") << "sh" << "cat x" << "[Network]" << "INI";
    QTest::newRow("xml") << "sh" << "cat x" << "<?xml version=\"1.0\"?>" << "XML";
    QTest::newRow("registry export") << "pwsh" << "type x" << "Windows Registry Editor Version 5.00" << "INI";
    QTest::newRow("ConvertTo-Json") << "pwsh" << "Get-Service | ConvertTo-Json" << "" << "JSON";
    QTest::newRow("ip -j") << "sh" << "ip -j addr" << "" << "JSON";
    QTest::newRow("reg query") << "pwsh" << "reg query HKLM\\Software\\X" << "" << "INI";
    QTest::newRow("gpresult xml") << "pwsh" << "gpresult /x out.xml" << "" << "XML";
    QTest::newRow("print ps1") << "pwsh" << "Get-Content C:\\scripts\\fix.ps1" << "param()" << "PowerShell";
    QTest::newRow("print sh") << "sh" << "cat /usr/local/bin/backup.sh" << "#!/bin/sh" << "Bash";
    QTest::newRow("plain ipconfig") << "pwsh" << "ipconfig /all" << "Windows IP Configuration" << "";
    QTest::newRow("plain ip addr") << "sh" << "ip addr" << "1: lo: <LOOPBACK,UP>" << "";
    QTest::newRow("empty brackets") << "sh" << "echo" << "[]" << "JSON";
}

void tst_SyntaxHighlighter::guess()
{
    QFETCH(QString, shell);
    QFETCH(QString, command);
    QFETCH(QString, firstLine);
    QFETCH(QString, expected);
    QCOMPARE(SyntaxHighlighter::guessSyntax(shell, command, firstLine), expected);
}

void tst_SyntaxHighlighter::highlightsWhereAvailable()
{
    SyntaxHighlighter h;
    const QList<QString> lines{QStringLiteral("{"), QStringLiteral("  \"name\": \"Spooler\", \"running\": true"),
                               QStringLiteral("}")};
    const bool set = h.setSyntax(QStringLiteral("JSON"));
    const auto ranges = h.highlight(lines);
    QCOMPARE(ranges.size(), lines.size());
    if (SyntaxHighlighter::isAvailable()) {
        QVERIFY(set);
        QCOMPARE(h.syntax(), QStringLiteral("JSON"));
        QVERIFY(!ranges[1].isEmpty()); // keys, strings and true get colours
        for (const auto &r : ranges[1])
            QVERIFY(r.start >= 0 && r.start + r.length <= lines[1].size());
        h.setDarkTheme(true);
        QVERIFY(!h.highlight(lines)[1].isEmpty());
    } else {
        QVERIFY(!set);
        QVERIFY(h.syntax().isEmpty());
        for (const auto &r : ranges)
            QVERIFY(r.isEmpty());
    }
}

void tst_SyntaxHighlighter::unknownSyntaxStaysPlain()
{
    SyntaxHighlighter h;
    QVERIFY(!h.setSyntax(QStringLiteral("NoSuchLanguage")));
    QVERIFY(h.syntax().isEmpty());
    QVERIFY(h.setSyntax(QString())); // plain on purpose
    const auto ranges = h.highlight({QStringLiteral("text")});
    QCOMPARE(ranges.size(), 1);
    QVERIFY(ranges.first().isEmpty());
}

QTEST_MAIN(tst_SyntaxHighlighter)
#include "tst_SyntaxHighlighter.moc"
