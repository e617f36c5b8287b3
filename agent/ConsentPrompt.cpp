#include "ConsentPrompt.h"

#include "events/Event.h"

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
                   (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c) {
            // C1 controls and bidirectional formatting characters
            shown += QStringLiteral("<U+%1>").arg(uint(c), 4, 16, QLatin1Char('0')).toUpper();
        } else {
            shown += ch;
        }
    }
    return shown;
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
