#include "TtyConsentPrompt.h"

#include "OsUser.h"

#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace casefile {

namespace {

// A line longer than this is not an answer to a yes/no question.
constexpr qsizetype maxAnswerBytes = 256;

bool readable(int fd)
{
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR));
}

} // namespace

TtyConsentPrompt::TtyConsentPrompt(QObject *parent) : ConsentPrompt(parent)
{
    const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        m_error = tr("no terminal to ask on (/dev/tty): %1")
                      .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return;
    }
    m_inputFd = m_outputFd = fd;
    m_ownsFd = true;
    init();
}

TtyConsentPrompt::TtyConsentPrompt(int inputFd, int outputFd, QObject *parent)
    : ConsentPrompt(parent)
{
    if (inputFd < 0 || outputFd < 0) {
        m_error = tr("no terminal to ask on");
        return;
    }
    m_inputFd = inputFd;
    m_outputFd = outputFd;
    init();
}

void TtyConsentPrompt::init()
{
    // Reads only while a question is shown; at other times input is left for discarding.
    m_notifier = new QSocketNotifier(m_inputFd, QSocketNotifier::Read, this);
    m_notifier->setEnabled(false);
    connect(m_notifier, &QSocketNotifier::activated, this, &TtyConsentPrompt::onReadable);
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer); // a coarse timer may end the question 5% early
    connect(&m_timer, &QTimer::timeout, this, &TtyConsentPrompt::onTimeout);
}

TtyConsentPrompt::~TtyConsentPrompt()
{
    delete m_notifier; // before the descriptor it watches is closed
    if (m_ownsFd)
        ::close(m_inputFd);
}

QString TtyConsentPrompt::userName() const
{
    return m_user.isEmpty() ? OsUser::effectiveName() : m_user;
}

void TtyConsentPrompt::ask(const QString &commandId, const QString &promptText, int timeoutMs)
{
    if (!isOpen()) {
        decideLater(commandId, QStringLiteral("denied"), QStringLiteral("policy:no-terminal"));
        return;
    }
    m_queue.append({commandId, promptText, timeoutMs});
    if (!m_current)
        showNext();
}

void TtyConsentPrompt::withdraw(const QString &commandId)
{
    ConsentPrompt::withdraw(commandId);
    m_queue.removeIf([&](const Question &q) { return q.commandId == commandId; });
    if (m_current && m_current->commandId == commandId) {
        m_timer.stop();
        m_notifier->setEnabled(false);
        m_current.reset();
        write(QLatin1Char('\n') + tr("The request was withdrawn.") + QLatin1Char('\n'));
        showNext();
    }
}

void TtyConsentPrompt::showNext()
{
    if (m_current || m_queue.isEmpty())
        return;
    m_current = m_queue.takeFirst();
    discardPendingInput();
    write(QLatin1Char('\n') + displayText(m_current->promptText) + QLatin1Char('\n') +
          tr("Approve? [y/N] "));
    if (m_current->timeoutMs > 0)
        m_timer.start(m_current->timeoutMs);
    m_notifier->setEnabled(true);
}

void TtyConsentPrompt::discardPendingInput()
{
    m_line.clear();
    if (::isatty(m_inputFd))
        ::tcflush(m_inputFd, TCIFLUSH); // also what was typed without Enter yet
    char buffer[4096];
    for (int i = 0; i < 1024 && readable(m_inputFd); ++i) {
        if (::read(m_inputFd, buffer, sizeof buffer) <= 0)
            break;
    }
}

void TtyConsentPrompt::onReadable()
{
    if (!m_current || !readable(m_inputFd))
        return;
    char buffer[maxAnswerBytes];
    const ssize_t n = ::read(m_inputFd, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        // End of input (Ctrl-D, a closed pipe) or a terminal that went away: nobody will type
        // a yes. Stop watching until the next question, or a dead descriptor would spin.
        m_notifier->setEnabled(false);
        decide(QStringLiteral("denied"));
        return;
    }
    m_line.append(buffer, n);
    const qsizetype newline = m_line.indexOf('\n');
    if (newline < 0) {
        if (m_line.size() > maxAnswerBytes)
            decide(QStringLiteral("denied"));
        return;
    }
    const QString answer = QString::fromLocal8Bit(m_line.left(newline)).trimmed().toLower();
    const bool yes = answer == QLatin1String("y") || answer == QLatin1String("yes") ||
                     answer == tr("y", "short answer that approves").toLower() ||
                     answer == tr("yes", "answer that approves").toLower();
    decide(yes ? QStringLiteral("approved") : QStringLiteral("denied"));
}

void TtyConsentPrompt::onTimeout()
{
    if (!m_current)
        return;
    write(QLatin1Char('\n') + tr("No answer in time: not approved.") + QLatin1Char('\n'));
    decide(QStringLiteral("timed_out"));
}

void TtyConsentPrompt::decide(const QString &decision)
{
    if (!m_current)
        return;
    const QString commandId = m_current->commandId;
    m_current.reset();
    m_timer.stop();
    m_notifier->setEnabled(false);
    m_line.clear();
    if (decision == QLatin1String("approved"))
        write(tr("Approved.") + QLatin1Char('\n'));
    else if (decision == QLatin1String("denied"))
        write(tr("Denied.") + QLatin1Char('\n'));
    decideLater(commandId, decision, userName());
    showNext();
}

void TtyConsentPrompt::write(const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    qsizetype written = 0;
    while (written < bytes.size()) {
        const ssize_t n =
            ::write(m_outputFd, bytes.constData() + written, size_t(bytes.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // the terminal is gone; reading will notice and deny
        written += n;
    }
}

} // namespace casefile
