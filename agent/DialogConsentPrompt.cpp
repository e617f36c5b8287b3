#include "DialogConsentPrompt.h"

#include "OsUser.h"

#include <QDeadlineTimer>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>

namespace casefile {

namespace {

QString countdownText(qint64 remainingMs)
{
    const int seconds = int((remainingMs + 999) / 1000);
    // "s" rather than a plural form: untranslated, Qt would show "second(s)".
    return DialogConsentPrompt::tr("Without an answer in %1 s the command will not run.")
        .arg(seconds);
}

} // namespace

DialogConsentPrompt::DialogConsentPrompt(QObject *parent) : ConsentPrompt(parent) {}

DialogConsentPrompt::~DialogConsentPrompt()
{
    const QList<QString> open = m_dialogs.keys();
    for (const QString &commandId : open)
        close(commandId);
}

QString DialogConsentPrompt::userName() const
{
    return m_user.isEmpty() ? OsUser::effectiveName() : m_user;
}

void DialogConsentPrompt::ask(const QString &commandId, const QString &promptText, int timeoutMs)
{
    close(commandId); // asking again about the same command replaces the old window

    auto *box = new QMessageBox;
    box->setObjectName(dialogObjectName());
    box->setProperty("commandId", commandId);
    box->setWindowTitle(tr("Casefile: approval needed"));
    box->setIcon(QMessageBox::Question);
    // Plain text: a prompt containing markup must show the markup, not render it.
    box->setTextFormat(Qt::PlainText);
    box->setText(displayText(promptText));
    box->setWindowModality(Qt::NonModal);
#if QT_VERSION >= QT_VERSION_CHECK(6, 6, 0)
    // A native message box would lose the object names, the countdown and the non-modality.
    box->setOption(QMessageBox::Option::DontUseNativeDialog);
#endif
    box->setWindowFlag(Qt::WindowStaysOnTopHint);

    QPushButton *approve = box->addButton(tr("Approve"), QMessageBox::AcceptRole);
    approve->setObjectName(approveButtonObjectName());
    QPushButton *deny = box->addButton(tr("Deny"), QMessageBox::RejectRole);
    deny->setObjectName(denyButtonObjectName());
    box->setDefaultButton(deny);
    box->setEscapeButton(deny);
    // A window that opens under the pointer must not take a click meant for another one (or
    // for whatever was there before) as approval: Approve works only after a moment.
    approve->setEnabled(false);
    QTimer::singleShot(armDelayMs, approve, [approve] { approve->setEnabled(true); });

    connect(box, &QMessageBox::buttonClicked, this, [this, commandId, approve](QAbstractButton *b) {
        decide(commandId, b == approve ? QStringLiteral("approved") : QStringLiteral("denied"));
    });
    // The window's close button ends the dialog without a button click: that is a "no" too,
    // not a question left open behind a hidden window until it times out.
    connect(box, &QDialog::finished, this,
            [this, commandId] { decide(commandId, QStringLiteral("denied")); });

    if (timeoutMs > 0) {
        const QDeadlineTimer deadline(timeoutMs);
        box->setInformativeText(countdownText(deadline.remainingTime()));
        auto *expiry = new QTimer(box);
        expiry->setSingleShot(true);
        expiry->setTimerType(Qt::PreciseTimer); // a coarse timer may end the question 5% early
        connect(expiry, &QTimer::timeout, this,
                [this, commandId] { decide(commandId, QStringLiteral("timed_out")); });
        expiry->start(timeoutMs);
        auto *tick = new QTimer(box);
        connect(tick, &QTimer::timeout, box, [box, deadline] {
            box->setInformativeText(countdownText(deadline.remainingTime()));
        });
        tick->start(1000);
    }

    m_dialogs.insert(commandId, box);
    box->show();
    box->raise();
    box->activateWindow();
}

void DialogConsentPrompt::withdraw(const QString &commandId)
{
    ConsentPrompt::withdraw(commandId);
    close(commandId);
}

void DialogConsentPrompt::decide(const QString &commandId, const QString &decision)
{
    if (!m_dialogs.contains(commandId))
        return; // already decided: a click and the timeout in the same turn
    close(commandId);
    decideLater(commandId, decision, userName());
}

void DialogConsentPrompt::close(const QString &commandId)
{
    QMessageBox *box = m_dialogs.take(commandId);
    if (!box)
        return;
    box->disconnect(this);
    box->hide();
    box->deleteLater(); // may be inside one of its own signals
}

} // namespace casefile
