#include "ConsentPrompt.h"

#include "events/Event.h"

#include <QRegularExpression>
#include <QStringList>

namespace casefile {

ConsentPrompt::~ConsentPrompt() = default;

void ConsentPrompt::withdraw(const QString &commandId)
{
    m_scheduled.remove(commandId);
}

QString ConsentPrompt::displayText(const QString &promptText)
{
    QString shown;
    shown.reserve(promptText.size());
    for (const QChar ch : promptText) {
        const char16_t c = ch.unicode();
        if (c == u'\n' || c == u'\t') {
            shown += ch;
        } else if (c < 0x20) {
            shown += QLatin1Char('^') + QChar(char16_t(c + 0x40)); // caret notation: ESC is ^[
        } else if (c == 0x7f) {
            shown += QLatin1String("^?");
        } else if ((c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
                   (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c ||
                   c == 0x2028 || c == 0x2029) {
            // C1 controls, bidirectional formatting characters, and the line and paragraph
            // separators (a line break to a text layout that would escape question()'s "> ")
            shown += QStringLiteral("<U+%1>").arg(uint(c), 4, 16, QLatin1Char('0')).toUpper();
        } else {
            shown += ch;
        }
    }
    return shown;
}

QString ConsentPrompt::question(const QString &commandText, const QString &shell,
                                const QString &why)
{
    QStringList lines = commandText.split(QLatin1Char('\n'));
    for (QString &line : lines) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        line.prepend(QLatin1String("> "));
    }
    // The shell's name is the technician's too: shown only when it is a plain name.
    static const QRegularExpression plainName(QStringLiteral("\\A[A-Za-z0-9._+-]{1,32}\\z"));
    const QString shown = plainName.match(shell).hasMatch() ? shell : tr("an unknown shell");
    const QString head =
        lines.size() == 1
            ? tr("A technician asks to run this command on this computer (%1):").arg(shown)
            : tr("A technician asks to run this %n-line command on this computer (%1):",
                 nullptr, int(lines.size()))
                  .arg(shown);
    return head + QLatin1String("\n\n") + lines.join(QLatin1Char('\n')) + QLatin1String("\n\n") +
           why;
}

void ConsentPrompt::decideLater(const QString &commandId, const QString &decision,
                                const QString &decidedBy)
{
    // The moment of the decision is now, even though the signal follows a moment later.
    const QString decidedAt = Event::nowTimestamp();
    m_scheduled.insert(commandId);
    QMetaObject::invokeMethod(
        this,
        [this, commandId, decision, decidedBy, decidedAt] {
            if (m_scheduled.remove(commandId))
                emit decided(commandId, decision, decidedBy, decidedAt);
        },
        Qt::QueuedConnection);
}

} // namespace casefile
