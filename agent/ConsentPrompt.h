#pragma once

#include <QObject>
#include <QSet>
#include <QString>

namespace casefile {

// Asks the person at the endpoint whether a command may run. The agent writes
// approval.requested before ask() and approval.decided from decided(); a change runs only
// after decided(…, "approved", …).
//
// decided() is emitted exactly once per ask(), always from the event loop and never from
// inside ask(), unless the question is withdrawn first.
class ConsentPrompt : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~ConsentPrompt() override;

    // `promptText` is shown exactly as given (the agent records the same text in
    // approval.requested). No answer within `timeoutMs` (> 0) decides "timed_out"; 0 or less
    // waits without a time limit.
    virtual void ask(const QString &commandId, const QString &promptText, int timeoutMs) = 0;
    // The question is no longer needed (the command was cancelled): take it away without
    // deciding. No decided() follows for it. Overrides must call this too.
    virtual void withdraw(const QString &commandId);

    // The prompt as a person should see it: control characters (escape sequences, carriage
    // returns), bidirectional overrides and Unicode line separators are made visible, so a
    // prompt cannot rewrite the terminal, hide part of itself, reorder what is shown or break
    // lines that question() did not mark. Newlines and tabs stay.
    static QString displayText(const QString &promptText);
    // The question the agent asks (and records) about a command: its shell, its number of
    // lines, and every line of it marked with "> ", so a command cannot pass off its own lines
    // as the question's or push a dangerous first line out of sight with blank ones.
    static QString question(const QString &commandText, const QString &shell, const QString &why);

signals:
    // decision: "approved", "denied" or "timed_out". decidedBy: the OS user who answered, or
    // "policy:<name>" when no person did. decidedAt: RFC 3339 UTC with milliseconds.
    void decided(const QString &commandId, const QString &decision, const QString &decidedBy,
                 const QString &decidedAt);

protected:
    // Emits decided() from the event loop with the current time, unless withdrawn before.
    void decideLater(const QString &commandId, const QString &decision, const QString &decidedBy);

private:
    QSet<QString> m_scheduled; // decided, signal not yet emitted
};

} // namespace casefile
