#include "CommandRunner.h"

#include "OsUser.h"
#include "ProcessSession.h"
#include "events/JsonParser.h"

#include <QDir>
#include <QStandardPaths>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace casefile {

namespace {

// How many bytes at the end of `bytes` are the start of a UTF-8 sequence that is not complete
// yet (0 to 3). Whether they are valid is for the decoder to say once the rest has come.
qsizetype incompleteTailSize(const QByteArray &bytes)
{
    const qsizetype size = bytes.size();
    for (qsizetype back = 1; back <= 3 && back <= size; ++back) {
        const uchar c = uchar(bytes.at(size - back));
        if ((c & 0xc0) == 0x80)
            continue; // a continuation byte: the lead byte is further back
        const qsizetype needed = (c & 0xe0) == 0xc0         ? 2
                                 : (c & 0xf0) == 0xe0       ? 3
                                 : (c >= 0xf0 && c <= 0xf4) ? 4
                                                            : 1;
        return needed > back ? back : 0;
    }
    return 0;
}

} // namespace

CommandRunner::CommandRunner(QObject *parent) : QObject(parent)
{
    // Stateless: the runner holds back an incomplete character itself (see onReadable()).
    // ConvertInitialBom: output is recorded as it was written, a leading BOM included.
    const auto flags = QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom;
    m_stdout.name = QStringLiteral("stdout");
    m_stdout.decoder = QStringDecoder(QStringDecoder::Utf8, flags);
    m_stderr.name = QStringLiteral("stderr");
    m_stderr.decoder = QStringDecoder(QStringDecoder::Utf8, flags);
    for (Stream *stream : {&m_stdout, &m_stderr}) {
        stream->timer.setSingleShot(true);
        stream->timer.setInterval(flushIntervalMs);
        connect(&stream->timer, &QTimer::timeout, this, [this, stream] { flushStream(*stream); });
    }
    // Precise: a coarse timer may fire 5% early, minutes early for an hour-long timeout.
    m_timeoutTimer.setTimerType(Qt::PreciseTimer);
    m_timeoutTimer.setSingleShot(true);
    connect(&m_timeoutTimer, &QTimer::timeout, this, &CommandRunner::onTimeout);
    m_graceTimer.setTimerType(Qt::PreciseTimer);
    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, &CommandRunner::onGraceExpired);
    m_reapTimer.setInterval(flushIntervalMs);
    connect(&m_reapTimer, &QTimer::timeout, this, &CommandRunner::pollStragglers);
}

CommandRunner::~CommandRunner()
{
    if (!m_process)
        return;
    m_process->disconnect(this);
    if (m_process->state() != QProcess::NotRunning || m_phase == Phase::Reaping) {
        // Nobody is left to report on the tree, so it must not outlive its runner.
        signalTree(SIGKILL);
        m_process->waitForFinished(3000);
    }
    delete m_process;
}

QStringList CommandRunner::supportedShells()
{
    return {QStringLiteral("sh"), QStringLiteral("bash"), QStringLiteral("pwsh")};
}

void CommandRunner::setKillGracePeriod(int ms)
{
    m_killGraceMs = qMax(0, ms);
}

QString CommandRunner::workingDirectory() const
{
    return m_workingDirectory.isEmpty() ? QDir::currentPath()
                                        : QDir(m_workingDirectory).absolutePath();
}

void CommandRunner::start(const QString &commandId, const QString &shell, const QString &text,
                          std::optional<qint64> timeoutMs)
{
    if (m_phase != Phase::Idle) {
        qWarning("CommandRunner::start: a runner runs one command only");
        return;
    }
    m_commandId = commandId;
    m_clock.start();
    m_phase = Phase::Starting;

    if (!supportedShells().contains(shell)) {
        finishLater(tr("unsupported shell \"%1\"; this agent runs commands with %2")
                        .arg(shell, supportedShells().join(QLatin1String(", "))));
        return;
    }
    // argv cannot carry a NUL; the command would silently be cut short.
    if (text.contains(QChar(0))) {
        finishLater(tr("the command text contains a NUL character"));
        return;
    }
    const QString program = QStandardPaths::findExecutable(shell);
    if (program.isEmpty()) {
        finishLater(shell == QLatin1String("pwsh")
                        ? tr("PowerShell (pwsh) is not installed on this machine")
                        : tr("the shell \"%1\" was not found on this machine").arg(shell));
        return;
    }

    QStringList arguments;
    if (shell == QLatin1String("pwsh")) {
        arguments = {QStringLiteral("-NoLogo"), QStringLiteral("-NoProfile"),
                     QStringLiteral("-NonInteractive"), QStringLiteral("-Command"), text};
    } else {
        // "--": a command text that starts with '-' is a command, not a shell option.
        arguments = {QStringLiteral("-c"), QStringLiteral("--"), text};
    }

    m_process = new QProcess(this);
    m_process->setProgram(program);
    m_process->setArguments(arguments);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    // Commands run unattended: whatever reads stdin gets end-of-file at once instead of
    // waiting forever for input nobody can type.
    m_process->setStandardInputFile(QProcess::nullDevice());
    if (!m_workingDirectory.isEmpty())
        m_process->setWorkingDirectory(m_workingDirectory);
    // A session of its own: the shell leads a new process group, so the whole tree can be
    // signalled at once, and it has no controlling terminal to read a password from. An
    // ignored signal stays ignored across exec: the agent ignores SIGXFSZ (and SIGPIPE, which
    // QProcess restores itself), and a command must see it as it would in a terminal.
    const pid_t agent = ::getpid();
    m_process->setChildProcessModifier([agent] {
        ::setsid();
#ifdef PR_SET_PDEATHSIG
        // The shell does not outlive an agent that is killed (what it started is found and
        // stopped when the agent starts again, ProcessSession::killLeftovers). If the agent
        // died before this took effect, nothing must run unwatched.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != agent)
            ::_exit(127);
#endif
#ifdef SIGXFSZ
        ::signal(SIGXFSZ, SIG_DFL);
#endif
#ifdef F_SETPIPE_SZ
        // Room for a command to print on while the agent records and sends the last chunk: with
        // the default 64 KiB pipe it waits at every chunk. Best effort; the system's
        // pipe-max-size (1 MiB by default) may refuse it, and then the default stays.
        for (const int fd : {STDOUT_FILENO, STDERR_FILENO})
            ::fcntl(fd, F_SETPIPE_SZ, pipeBytes);
#endif
    });

    connect(m_process, &QProcess::started, this, &CommandRunner::onStarted);
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] { onReadable(m_stdout); });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] { onReadable(m_stderr); });
    connect(m_process, &QProcess::errorOccurred, this, &CommandRunner::onProcessError);
    connect(m_process, &QProcess::finished, this, &CommandRunner::onProcessFinished);

    if (timeoutMs && *timeoutMs > 0) {
        m_timeoutMs = *timeoutMs;
        m_timeoutTimer.start(int(qMin<qint64>(*timeoutMs, INT_MAX)));
    }
    m_process->start(QIODevice::ReadOnly);
}

void CommandRunner::cancel()
{
    requestKill(KillReason::Cancelled);
}

void CommandRunner::onStarted()
{
    m_phase = Phase::Running;
    m_pid = m_process->processId();
    emit started(m_pid, OsUser::effectiveName());
    // A cancel or timeout that came before the process existed is carried out now.
    if (m_killReason != KillReason::None && !m_termSent)
        beginKill();
}

void CommandRunner::onReadable(Stream &stream)
{
    if (!m_process)
        return;
    QByteArray bytes = &stream == &m_stdout ? m_process->readAllStandardOutput()
                                            : m_process->readAllStandardError();
    if (bytes.isEmpty())
        return;
    // A character split across reads waits for its other bytes, so no chunk ever ends in the
    // middle of one. This is done here rather than with a stateful QStringDecoder: Qt 6.4's
    // decoder drops the byte that follows a held-back sequence when that sequence turns out
    // to be invalid ("\xe2\x82" then "AB" decodes as U+FFFD "B").
    if (!stream.incomplete.isEmpty())
        bytes.prepend(stream.incomplete);
    const qsizetype tail = incompleteTailSize(bytes);
    stream.incomplete = bytes.right(tail);
    bytes.chop(tail);
    appendText(stream, validUtf8(stream, bytes));
}

void CommandRunner::onProcessError(QProcess::ProcessError error)
{
    // Only a process that never ran ends here; crashes also arrive through finished().
    if (error != QProcess::FailedToStart || m_phase != Phase::Starting)
        return;
    m_timeoutTimer.stop();
    finishLater(tr("could not start %1: %2").arg(m_process->program(), m_process->errorString()));
}

void CommandRunner::onProcessFinished(int exitCode, QProcess::ExitStatus exitStatus)
{
    if (m_phase == Phase::Done || m_phase == Phase::Reaping)
        return;
    m_durationMs = m_clock.elapsed();
    m_timeoutTimer.stop();
    // From here on the outcome is known: a cancel() from a slot of the last output() is late.
    m_leaderExited = true;
    if (m_paused) {
        // The shell was killed while paused (the OOM killer, say): what it started must not
        // stay stopped for good, as nothing would ever send it SIGCONT.
        m_paused = false;
        signalTree(SIGCONT);
    }
    drainAndFlush();

    m_exitCode = exitStatus == QProcess::NormalExit ? std::optional<int>(exitCode) : std::nullopt;
    if (m_killReason == KillReason::Cancelled) {
        m_status = QStringLiteral("cancelled");
        m_error = tr("cancelled; the command's processes were ended");
    } else if (m_killReason == KillReason::TimedOut) {
        m_status = QStringLiteral("timed_out");
        m_error = tr("no result within %1 ms; the command's processes were ended").arg(m_timeoutMs);
    } else if (exitStatus == QProcess::CrashExit) {
        // QProcess reports the terminating signal as the exit code of a crash.
        m_status = QStringLiteral("crashed");
        m_error = tr("ended by signal %1 (%2)")
                      .arg(exitCode)
                      .arg(QString::fromLocal8Bit(::strsignal(exitCode)));
    } else {
        m_status = QStringLiteral("exited");
    }

    // The shell is gone, but what it started may still be shutting down after the SIGTERM.
    // Wait for it (up to the grace period) so "finished" means the whole tree is gone.
    if (m_termSent && !m_killSent && m_pid > 0 && !ProcessSession::liveMembers(m_pid).isEmpty()) {
        m_phase = Phase::Reaping;
        m_reapTimer.start();
        return;
    }
    finish(m_status, m_exitCode, m_error);
}

void CommandRunner::onTimeout()
{
    requestKill(KillReason::TimedOut);
}

void CommandRunner::onGraceExpired()
{
    signalTree(SIGKILL);
    m_killSent = true;
    if (m_phase == Phase::Reaping)
        finish(m_status, m_exitCode, m_error);
}

void CommandRunner::pollStragglers()
{
    if (ProcessSession::liveMembers(m_pid).isEmpty())
        finish(m_status, m_exitCode, m_error);
}

QByteArray CommandRunner::validUtf8(Stream &stream, const QByteArray &bytes)
{
    // Output is kept as the bytes it was written in; only what is not UTF-8 goes through the
    // decoder, which makes each invalid sequence U+FFFD.
    if (JsonParser::isValidUtf8(bytes))
        return bytes;
    return QString(stream.decoder.decode(bytes)).toUtf8();
}

void CommandRunner::appendText(Stream &stream, const QByteArray &utf8)
{
    if (utf8.isEmpty())
        return;
    stream.pending += utf8;
    // Cut all full chunks first and drop them from the buffer once: removing each chunk from
    // the front would copy the rest every time, quadratic in a large read.
    qsizetype consumed = 0;
    while (stream.pending.size() - consumed >= maxChunkBytes)
        consumed = emitChunk(stream, consumed);
    stream.pending.remove(0, consumed);
    if (stream.pending.isEmpty())
        stream.timer.stop();
    else if (!stream.timer.isActive())
        stream.timer.start(); // counts from the first byte of the chunk being collected
}

qsizetype CommandRunner::emitChunk(Stream &stream, qsizetype from)
{
    qsizetype cut = stream.pending.size();
    if (cut - from > maxChunkBytes) {
        // Back to the first byte of the character the limit falls in (at most three back).
        cut = from + maxChunkBytes;
        while (cut > from && (uchar(stream.pending.at(cut)) & 0xc0) == 0x80)
            --cut;
    }
    emit output(stream.name, m_chunk++, stream.pending.mid(from, cut - from));
    return cut;
}

void CommandRunner::flushStream(Stream &stream)
{
    stream.timer.stop();
    qsizetype consumed = 0;
    while (consumed < stream.pending.size())
        consumed = emitChunk(stream, consumed);
    stream.pending.clear();
}

void CommandRunner::drainAndFlush()
{
    for (Stream *stream : {&m_stdout, &m_stderr}) {
        onReadable(*stream);
        // A character cut off by the end of the output is invalid: U+FFFD.
        appendText(*stream, validUtf8(*stream, stream->incomplete));
        stream->incomplete.clear();
    }
    flushStream(m_stdout);
    flushStream(m_stderr);
}

void CommandRunner::requestKill(KillReason reason)
{
    if (m_phase == Phase::Idle || m_phase == Phase::Done || m_leaderExited ||
        m_killReason != KillReason::None)
        return;
    m_killReason = reason;
    m_timeoutTimer.stop();
    // Before started() the process may not have made its own group yet; onStarted() kills it.
    if (m_phase == Phase::Running)
        beginKill();
}

void CommandRunner::beginKill()
{
    m_termSent = true;
    signalTree(SIGTERM);
    setPaused(false); // a stopped process acts on SIGTERM only once it runs again
    m_graceTimer.start(m_killGraceMs);
}

void CommandRunner::setPaused(bool paused)
{
    if (paused == m_paused || (paused && (m_pid <= 0 || m_leaderExited || m_termSent)))
        return;
    m_paused = paused;
    signalTree(paused ? SIGSTOP : SIGCONT);
}

void CommandRunner::signalTree(int signal)
{
    if (m_pid <= 0)
        return;
    ::kill(pid_t(-m_pid), signal);
    for (const qint64 member : ProcessSession::liveMembers(m_pid))
        ::kill(pid_t(member), signal);
    // The shell itself, by pid, while QProcess has not reaped it (so the pid is still ours).
    if (m_process && m_process->state() != QProcess::NotRunning)
        ::kill(pid_t(m_pid), signal);
}

void CommandRunner::finish(const QString &status, std::optional<int> exitCode, const QString &error)
{
    if (m_phase == Phase::Done)
        return;
    if (m_durationMs == 0)
        m_durationMs = m_clock.elapsed();
    m_phase = Phase::Done;
    m_timeoutTimer.stop();
    m_graceTimer.stop();
    m_reapTimer.stop();
    emit finished(status, exitCode, m_durationMs, error);
}

void CommandRunner::finishLater(const QString &error)
{
    QMetaObject::invokeMethod(
        this, [this, error] { finish(QStringLiteral("failed"), std::nullopt, error); },
        Qt::QueuedConnection);
}

} // namespace casefile
