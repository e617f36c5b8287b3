#pragma once

#include "ConsentPrompt.h"

#include <QHash>

class QMessageBox;

namespace casefile {

// Asks with a small window on the end user's desktop: the prompt, a countdown, and Approve /
// Deny buttons. Deny is the default button and Escape or closing the window deny, so a stray
// Enter typed into another application cannot approve a change; Approve takes clicks only
// armDelayMs after the window opens, so neither can a click aimed at something else. Not modal:
// several questions can be open at once and the rest of the desktop stays usable. No answer within
// the timeout is "timed_out" and closes the window.
//
// Needs a QApplication; use it only when a display is present (otherwise TtyConsentPrompt or
// AutoConsentPrompt).
class DialogConsentPrompt : public ConsentPrompt
{
    Q_OBJECT

public:
    explicit DialogConsentPrompt(QObject *parent = nullptr);
    // Closes any window still open, without deciding.
    ~DialogConsentPrompt() override;

    // Object names, so tests and accessibility tools can find the pieces. Each window also
    // carries its command id in the "commandId" property.
    static QString dialogObjectName() { return QStringLiteral("casefileConsentDialog"); }
    static QString approveButtonObjectName() { return QStringLiteral("approveButton"); }
    static QString denyButtonObjectName() { return QStringLiteral("denyButton"); }
    static constexpr int armDelayMs = 1000;

    // decidedBy for answers given here; by default the OS user the agent runs as.
    void setUserName(const QString &name) { m_user = name; }
    QString userName() const;

    void ask(const QString &commandId, const QString &promptText, int timeoutMs) override;
    void withdraw(const QString &commandId) override;

private:
    void decide(const QString &commandId, const QString &decision);
    void close(const QString &commandId);

    QString m_user;
    QHash<QString, QMessageBox *> m_dialogs; // by command id
};

} // namespace casefile
