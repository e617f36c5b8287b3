#pragma once

#include "ConsentPrompt.h"

#include <QList>
#include <QTimer>

#include <optional>

class QSocketNotifier;

namespace casefile {

// Asks on a terminal: prints the prompt and "Approve? [y/N]" and reads one line without
// blocking the event loop. "y" or "yes" approves; any other line, or end of input, denies;
// no line within the timeout is "timed_out". One question at a time: later ones wait their
// turn, and each one's timeout starts when it is shown. Whatever was typed before a question
// appeared is thrown away, so a stray Enter or "y" typed earlier cannot approve it.
//
// Writing to a pipe whose reader is gone raises SIGPIPE; the agent ignores SIGPIPE (a closed
// terminal reports EIO instead).
class TtyConsentPrompt : public ConsentPrompt
{
    Q_OBJECT

public:
    // Asks on the controlling terminal, /dev/tty.
    explicit TtyConsentPrompt(QObject *parent = nullptr);
    // Asks on the given descriptors (a terminal, or pipes in tests). They stay the caller's and
    // must stay open while the prompt exists.
    TtyConsentPrompt(int inputFd, int outputFd, QObject *parent = nullptr);
    ~TtyConsentPrompt() override;

    // False when there is no terminal; ask() then denies at once with decidedBy
    // "policy:no-terminal", because nobody can answer.
    bool isOpen() const { return m_inputFd >= 0; }
    QString errorString() const { return m_error; }
    // decidedBy for answers typed here; by default the OS user the agent runs as.
    void setUserName(const QString &name) { m_user = name; }
    QString userName() const;

    void ask(const QString &commandId, const QString &promptText, int timeoutMs) override;
    void withdraw(const QString &commandId) override;

private:
    struct Question
    {
        QString commandId;
        QString promptText;
        int timeoutMs = 0;
    };

    void init();
    void showNext();
    void onReadable();
    void onTimeout();
    void decide(const QString &decision);
    void discardPendingInput();
    void write(const QString &text);

    int m_inputFd = -1;
    int m_outputFd = -1;
    bool m_ownsFd = false;
    QString m_error;
    QString m_user;
    QSocketNotifier *m_notifier = nullptr;
    QList<Question> m_queue;
    std::optional<Question> m_current;
    QByteArray m_line;
    QTimer m_timer;
};

} // namespace casefile
