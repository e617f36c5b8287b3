#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QStringDecoder>
#include <QTimer>

#include <optional>

namespace casefile {

// Runs one command of a session through a shell and reports it as the agent records it:
// started, output in coalesced chunks, finished. The command gets its own session and process
// group, so cancelling or timing out ends the whole tree it started, not only the shell.
//
// Single use: one runner per command. Nothing is emitted from inside start() or cancel();
// every signal comes from the event loop. Delete a runner with deleteLater() from its slots.
class CommandRunner : public QObject
{
    Q_OBJECT

public:
    // A chunk's data is at most this many bytes of UTF-8, so a command.output event stays far
    // below the 1 MiB event limit even when JSON escaping inflates it.
    static constexpr qsizetype maxChunkBytes = 64 * 1024;
    // The size asked for the pipes of a command's stdout and stderr.
    static constexpr int pipeBytes = 1024 * 1024;
    // A chunk is sent at the latest this long after its first byte arrived.
    static constexpr int flushIntervalMs = 50;
    // Time between SIGTERM and SIGKILL when the tree is ended.
    static constexpr int defaultKillGraceMs = 2000;

    explicit CommandRunner(QObject *parent = nullptr);
    // Kills the process tree (SIGKILL) if it is still running.
    ~CommandRunner() override;

    // "sh", "bash", "pwsh" (the last only where PowerShell is installed).
    static QStringList supportedShells();

    void setKillGracePeriod(int ms);
    int killGracePeriod() const { return m_killGraceMs; }
    // Where the command runs; empty (default): the agent's own working directory.
    void setWorkingDirectory(const QString &dir) { m_workingDirectory = dir; }
    // The directory the command runs (or will run) in, for command.started `cwd`.
    QString workingDirectory() const;

    // Runs `text` with `shell`. A missing timeout or 0 means no time limit. An unknown or
    // missing shell is reported as finished("failed", …) with a readable error.
    void start(const QString &commandId, const QString &shell, const QString &text,
               std::optional<qint64> timeoutMs = std::nullopt);
    // Ends the process tree: SIGTERM to the group, SIGKILL after the grace period. The command
    // then finishes with status "cancelled". No effect once finished.
    void cancel();
    // Stops the whole tree (SIGSTOP) or lets it go on (SIGCONT): the command's output has
    // nowhere to go for now. A paused command's time limit keeps running; a cancel or timeout
    // wakes it so it can end.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }

    QString commandId() const { return m_commandId; }
    qint64 pid() const { return m_pid; }
    // True from start() until finished() was emitted.
    bool isActive() const { return m_phase != Phase::Idle && m_phase != Phase::Done; }

signals:
    // The process exists. `user` is the OS account it runs as.
    void started(qint64 pid, const QString &user);
    // One chunk of "stdout" or "stderr", in valid UTF-8 (what was not is U+FFFD). Chunks are
    // numbered 0, 1, 2 … across both streams in the order they are emitted; a chunk never
    // splits a character.
    void output(const QString &stream, qint64 chunk, const QByteArray &data);
    // Exactly once, after the last output(): status is exited, crashed, cancelled, timed_out
    // or failed; exitCode is set when the process exited normally.
    void finished(const QString &status, std::optional<int> exitCode, qint64 durationMs,
                  const QString &error);

private:
    enum class Phase
    {
        Idle,
        Starting,
        Running,
        Reaping,
        Done
    };
    enum class KillReason
    {
        None,
        Cancelled,
        TimedOut
    };

    // Per-stream coalescing state.
    struct Stream
    {
        QString name;
        QStringDecoder decoder;
        QByteArray incomplete; // the start of a character whose other bytes have not come yet
        QByteArray pending;    // valid UTF-8, not emitted yet
        QTimer timer;
    };

    void onStarted();
    void onReadable(Stream &stream);
    void onProcessError(QProcess::ProcessError error);
    void onProcessFinished(int exitCode, QProcess::ExitStatus exitStatus);
    void onTimeout();
    void onGraceExpired();
    void pollStragglers();

    // `bytes` as valid UTF-8.
    static QByteArray validUtf8(Stream &stream, const QByteArray &bytes);
    // Takes valid UTF-8 into the pending output, emitting every full chunk.
    void appendText(Stream &stream, const QByteArray &utf8);
    // Emits the chunk starting at `from` in the pending output; returns where the next begins.
    qsizetype emitChunk(Stream &stream, qsizetype from);
    void flushStream(Stream &stream);
    void drainAndFlush();
    void requestKill(KillReason reason);
    void beginKill();
    void signalTree(int signal);
    void finish(const QString &status, std::optional<int> exitCode, const QString &error);
    void finishLater(const QString &error);

    QString m_commandId;
    QString m_workingDirectory;
    int m_killGraceMs = defaultKillGraceMs;
    qint64 m_timeoutMs = 0;
    Phase m_phase = Phase::Idle;
    KillReason m_killReason = KillReason::None;
    bool m_leaderExited = false;
    bool m_termSent = false;
    bool m_killSent = false;
    bool m_paused = false;
    QProcess *m_process = nullptr;
    qint64 m_pid = 0;
    qint64 m_chunk = 0;
    qint64 m_durationMs = 0;
    QElapsedTimer m_clock;
    QTimer m_timeoutTimer;
    QTimer m_graceTimer;
    QTimer m_reapTimer;
    Stream m_stdout;
    Stream m_stderr;
    // Outcome of the shell, kept while stragglers of a killed tree are waited for.
    std::optional<int> m_exitCode;
    QString m_status;
    QString m_error;
};

} // namespace casefile
