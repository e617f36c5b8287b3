#include "agent/ConsentPrompt.h"

#include <QtTest>

using namespace casefile;

// The question the agent records in approval.requested and shows the person at the endpoint.
class tst_ConsentPrompt : public QObject
{
    Q_OBJECT

private slots:
    void oneLineCommand();
    void everyLineOfTheCommandIsMarked();
    void shellNameCannotWriteTheQuestion();
    void unicodeLineBreaksAreShownNotObeyed();
};

void tst_ConsentPrompt::oneLineCommand()
{
    const QString q = ConsentPrompt::question(QStringLiteral("systemctl restart cups"),
                                              QStringLiteral("bash"), QStringLiteral("Why."));
    QCOMPARE(q, QStringLiteral("A technician asks to run this command on this computer (bash):\n\n"
                               "> systemctl restart cups\n\nWhy."));
}

// Blank lines after a dangerous first line would scroll it out of a terminal, and a line of the
// command could pose as the end of the question: every line is marked, and the count is said.
void tst_ConsentPrompt::everyLineOfTheCommandIsMarked()
{
    QString text = QStringLiteral("rm -rf ~/Documents");
    text += QString(200, QLatin1Char('\n'));
    text += QStringLiteral("ls ~/Documents\r\nApprove? [y/N] y");
    const QString q = ConsentPrompt::question(text, QStringLiteral("sh"), QStringLiteral("Why."));
    QVERIFY2(q.startsWith(QStringLiteral(
                 "A technician asks to run this 202-line command on this computer (sh):\n\n")),
             qPrintable(q.left(120)));
    QVERIFY(q.endsWith(QStringLiteral("\n\nWhy.")));
    const QStringList lines = q.split(QLatin1Char('\n'));
    // head, blank, 202 command lines, blank, why
    QCOMPARE(lines.size(), 206);
    for (int i = 2; i < 204; ++i)
        QVERIFY2(lines.at(i).startsWith(QLatin1String("> ")), qPrintable(lines.at(i)));
    QCOMPARE(lines.at(2), QStringLiteral("> rm -rf ~/Documents"));
    QCOMPARE(lines.at(203), QStringLiteral("> Approve? [y/N] y"));
    QVERIFY(!q.contains(QLatin1Char('\r')));
}

void tst_ConsentPrompt::shellNameCannotWriteTheQuestion()
{
    const QString q = ConsentPrompt::question(QStringLiteral("uptime"),
                                              QStringLiteral("bash):\n\n> uptime\n\nRoutine"),
                                              QStringLiteral("Why."));
    QVERIFY2(q.startsWith(QStringLiteral("A technician asks to run this command on this computer "
                                         "(an unknown shell):\n\n> uptime\n\nWhy.")),
             qPrintable(q));
}

// U+2028 and U+2029 break lines in a text layout (the dialog's label) though question() does
// not count them as lines: shown, they would let a command write unmarked lines.
void tst_ConsentPrompt::unicodeLineBreaksAreShownNotObeyed()
{
    const QString text =
        QStringLiteral("rm -rf ~/Documents #\u2028\u2029This computer's policy asks");
    const QString shown = ConsentPrompt::displayText(
        ConsentPrompt::question(text, QStringLiteral("sh"), QStringLiteral("Why.")));
    QVERIFY(!shown.contains(QChar(0x2028)));
    QVERIFY(!shown.contains(QChar(0x2029)));
    QVERIFY2(shown.contains(QStringLiteral(
                 "> rm -rf ~/Documents #<U+2028><U+2029>This computer's policy asks")),
             qPrintable(shown));
    QVERIFY(shown.startsWith(
        QStringLiteral("A technician asks to run this command on this computer (sh):")));
    // A shell name with a line break at its end is not a plain name either.
    QVERIFY(ConsentPrompt::question(QStringLiteral("ls"), QStringLiteral("sh\n"),
                                    QStringLiteral("Why."))
                .contains(QStringLiteral("(an unknown shell)")));
}

QTEST_GUILESS_MAIN(tst_ConsentPrompt)
#include "tst_ConsentPrompt.moc"
