#include "agent/OsUser.h"
#include "agent/TtyConsentPrompt.h"
#include "events/Event.h"
#include "events/EventCodec.h"
#include "events/bodies/ApprovalDecidedBody.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace casefile;

namespace {

// Two pipes standing in for a terminal: the test types into `keyboard` and reads `screen`.
class FakeTerminal
{
public:
    FakeTerminal()
    {
        if (::pipe2(m_keyboard, O_CLOEXEC) != 0 || ::pipe2(m_screen, O_CLOEXEC) != 0)
            qFatal("pipe failed");
    }
    ~FakeTerminal()
    {
        for (int fd : {m_keyboard[0], m_keyboard[1], m_screen[0], m_screen[1]}) {
            if (fd >= 0)
                ::close(fd);
        }
    }
    int input() const { return m_keyboard[0]; }
    int output() const { return m_screen[1]; }

    void type(const QByteArray &keys)
    {
        if (::write(m_keyboard[1], keys.constData(), size_t(keys.size())) != keys.size())
            qFatal("typing failed");
    }
    void closeKeyboard()
    {
        ::close(m_keyboard[1]);
        m_keyboard[1] = -1;
    }
    // Everything printed so far.
    QString screen()
    {
        char buffer[4096];
        pollfd p{m_screen[0], POLLIN, 0};
        while (::poll(&p, 1, 0) > 0 && (p.revents & POLLIN)) {
            const ssize_t n = ::read(m_screen[0], buffer, sizeof buffer);
            if (n <= 0)
                break;
            m_shown.append(buffer, n);
        }
        return QString::fromUtf8(m_shown);
    }
    QByteArray rawScreen()
    {
        screen();
        return m_shown;
    }

private:
    int m_keyboard[2] = {-1, -1};
    int m_screen[2] = {-1, -1};
    QByteArray m_shown;
};

const QString spoolerPrompt =
    QStringLiteral("Technician requests to restart the Print Spooler service.");

} // namespace

class tst_TtyConsentPrompt : public QObject
{
    Q_OBJECT

private slots:
    void answers_data();
    void answers();
    void answerMayArriveInPieces();
    void noAnswerTimesOut();
    void askDoesNotBlockTheEventLoop();
    void typeAheadCannotApprove();
    void questionsAreAskedOneAtATime();
    void endOfInputDenies();
    void withdrawnQuestionIsNotDecided();
    void controlCharactersAreShownNotObeyed();
    void noTerminalDeniesAtOnce();
    void withoutControllingTerminalItIsNotOpen();
};

void tst_TtyConsentPrompt::answers_data()
{
    QTest::addColumn<QByteArray>("typed");
    QTest::addColumn<QString>("decision");
    QTest::newRow("y") << QByteArray("y\n") << QStringLiteral("approved");
    QTest::newRow("yes") << QByteArray("yes\n") << QStringLiteral("approved");
    QTest::newRow("Y") << QByteArray("Y\n") << QStringLiteral("approved");
    QTest::newRow("spaced YES") << QByteArray("  YES \t\n") << QStringLiteral("approved");
    QTest::newRow("n") << QByteArray("n\n") << QStringLiteral("denied");
    QTest::newRow("no") << QByteArray("no\n") << QStringLiteral("denied");
    QTest::newRow("just Enter") << QByteArray("\n") << QStringLiteral("denied");
    QTest::newRow("yess") << QByteArray("yess\n") << QStringLiteral("denied");
    QTest::newRow("y es") << QByteArray("y es\n") << QStringLiteral("denied");
    QTest::newRow("ok") << QByteArray("ok\n") << QStringLiteral("denied");
}

void tst_TtyConsentPrompt::answers()
{
    QFETCH(QByteArray, typed);
    QFETCH(QString, decision);
    FakeTerminal terminal;
    TtyConsentPrompt prompt(terminal.input(), terminal.output());
    QVERIFY(prompt.isOpen());
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    const QString command = Event::newId();
    prompt.ask(command, spoolerPrompt, 10000);
    QVERIFY(terminal.screen().contains(spoolerPrompt));
    QVERIFY(terminal.screen().endsWith(QLatin1String("Approve? [y/N] ")));
    terminal.type(typed);
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), command);
    QCOMPARE(spy.at(0).at(1).toString(), decision);
    QCOMPARE(spy.at(0).at(2).toString(), OsUser::effectiveName());
    QTRY_VERIFY(terminal.screen().endsWith(decision == QLatin1String("approved")
                                               ? QLatin1String("Approved.\n")
                                               : QLatin1String("Denied.\n")));

    ApprovalDecidedBody body;
    body.command = command;
    body.decision = spy.at(0).at(1).toString();
    body.decidedBy = spy.at(0).at(2).toString();
    body.decidedAt = spy.at(0).at(3).toString();
    const CodecError error = EventCodec::validateBody(EventKind::ApprovalDecided, body.toJson());
    QVERIFY2(error.isNull(), qPrintable(error.toString()));
    QVERIFY(!spy.wait(100));
}

void tst_TtyConsentPrompt::answerMayArriveInPieces()
{
    FakeTerminal terminal;
    TtyConsentPrompt prompt(terminal.input(), terminal.output());
    prompt.setUserName(QStringLiteral("mlopez"));
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    prompt.ask(QStringLiteral("c1"), spoolerPrompt, 10000);
    terminal.type("ye");
    QTest::qWait(100);
    QCOMPARE(spy.count(), 0); // no line yet
    terminal.type("s\n");
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("approved"));
    QCOMPARE(spy.at(0).at(2).toString(), QStringLiteral("mlopez"));
}

void tst_TtyConsentPrompt::noAnswerTimesOut()
{
    FakeTerminal terminal;
    TtyConsentPrompt prompt(terminal.input(), terminal.output());
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    QElapsedTimer clock;
    clock.start();
    prompt.ask(QStringLiteral("c1"), spoolerPrompt, 400);
    QVERIFY(spy.wait(5000));
    QVERIFY2(clock.elapsed() >= 380, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("timed_out"));
    QVERIFY(terminal.screen().contains(QLatin1String("No answer in time")));
    // A late answer changes nothing.
    terminal.type("y\n");
    QVERIFY(!spy.wait(200));
    QCOMPARE(spy.count(), 1);
}

void tst_TtyConsentPrompt::askDoesNotBlockTheEventLoop()
{
    FakeTerminal terminal;
    TtyConsentPrompt prompt(terminal.input(), terminal.output());
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    QElapsedTimer clock;
    clock.start();
    prompt.ask(QStringLiteral("c1"), spoolerPrompt, 10000);
    QVERIFY(clock.elapsed() < 200);
    bool ticked = false;
    QTimer::singleShot(50, this, [&] { ticked = true; });
    QTRY_VERIFY_WITH_TIMEOUT(ticked, 2000);
    QCOMPARE(spy.count(), 0);
    terminal.type("n\n");
    QVERIFY(spy.wait(5000));
}

void tst_TtyConsentPrompt::typeAheadCannotApprove()
{
    FakeTerminal terminal;
    TtyConsentPrompt prompt(terminal.input(), terminal.output());
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    terminal.type("y\nyes\n"); // typed before the question was shown
    prompt.ask(QStringLiteral("c1"), spoolerPrompt, 400);
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("timed_out"));
}

void tst_TtyConsentPrompt::questionsAreAskedOneAtATime()
{
    FakeTerminal terminal;
    TtyConsentPrompt prompt(terminal.input(), terminal.output());
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    prompt.ask(QStringLiteral("c1"), QStringLiteral("First: restart the spooler?"), 10000);
    prompt.ask(QStringLiteral("c2"), QStringLiteral("Second: delete the queue?"), 10000);
    QVERIFY(terminal.screen().contains(QLatin1String("First")));
    QVERIFY(!terminal.screen().contains(QLatin1String("Second")));
    terminal.type("y\n");
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("c1"));
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("approved"));
    QTRY_VERIFY(terminal.screen().contains(QLatin1String("Second")));
    terminal.type("n\n");
    QTRY_COMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(0).toString(), QStringLiteral("c2"));
    QCOMPARE(spy.at(1).at(1).toString(), QStringLiteral("denied"));
}

void tst_TtyConsentPrompt::endOfInputDenies()
{
    FakeTerminal terminal;
    TtyConsentPrompt prompt(terminal.input(), terminal.output());
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    prompt.ask(QStringLiteral("c1"), spoolerPrompt, 10000);
    terminal.closeKeyboard();
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("denied"));
    // Later questions on the closed input are denied too, without spinning or hanging.
    prompt.ask(QStringLiteral("c2"), spoolerPrompt, 10000);
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.at(1).at(0).toString(), QStringLiteral("c2"));
    QCOMPARE(spy.at(1).at(1).toString(), QStringLiteral("denied"));
}

void tst_TtyConsentPrompt::withdrawnQuestionIsNotDecided()
{
    FakeTerminal terminal;
    TtyConsentPrompt prompt(terminal.input(), terminal.output());
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    prompt.ask(QStringLiteral("c1"), QStringLiteral("First?"), 10000);
    prompt.ask(QStringLiteral("c2"), QStringLiteral("Second?"), 10000);
    prompt.withdraw(QStringLiteral("c1"));
    QVERIFY(terminal.screen().contains(QLatin1String("withdrawn")));
    QVERIFY(terminal.screen().contains(QLatin1String("Second?")));
    terminal.type("y\n");
    QVERIFY(spy.wait(5000));
    QTest::qWait(100);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("c2"));
}

void tst_TtyConsentPrompt::controlCharactersAreShownNotObeyed()
{
    FakeTerminal terminal;
    TtyConsentPrompt prompt(terminal.input(), terminal.output());
    // Escape sequences that would erase the line and print something harmless-looking, and a
    // right-to-left override that would reorder the text.
    const QString text = QStringLiteral("Run rm -rf /srv\x1b[2K\rCheck disk space\u202e.exe");
    prompt.ask(QStringLiteral("c1"), text, 10000);
    const QByteArray raw = terminal.rawScreen();
    QVERIFY(!raw.contains('\x1b'));
    QVERIFY(!raw.contains('\r'));
    QVERIFY(!raw.contains("\xe2\x80\xae"));
    QVERIFY(terminal.screen().contains(
        QLatin1String("Run rm -rf /srv^[[2K^MCheck disk space<U+202E>.exe")));
}

void tst_TtyConsentPrompt::noTerminalDeniesAtOnce()
{
    TtyConsentPrompt prompt(-1, -1);
    QVERIFY(!prompt.isOpen());
    QVERIFY(!prompt.errorString().isEmpty());
    QSignalSpy spy(&prompt, &ConsentPrompt::decided);
    prompt.ask(QStringLiteral("c1"), spoolerPrompt, 10000);
    QCOMPARE(spy.count(), 0);
    QVERIFY(spy.wait(1000));
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("denied"));
    QCOMPARE(spy.at(0).at(2).toString(), QStringLiteral("policy:no-terminal"));
}

void tst_TtyConsentPrompt::withoutControllingTerminalItIsNotOpen()
{
    // A child in a new session has no controlling terminal, as an agent running as a service.
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        ::setsid();
        TtyConsentPrompt prompt;
        ::_exit(!prompt.isOpen() && prompt.errorString().contains(QLatin1String("/dev/tty")) ? 0
                                                                                             : 1);
    }
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), 0);
}

QTEST_GUILESS_MAIN(tst_TtyConsentPrompt)
#include "tst_TtyConsentPrompt.moc"
