#include "EventFormatter.h"

#include <QCoreApplication>

namespace casefile {

// Transcripts hold whatever a command printed, escape sequences included: never let them
// drive the reader's terminal. Control characters become caret notation (ESC → ^[).
QString EventFormatter::printable(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\n' && u != u'\t') || u == 0x7f) {
            out += QLatin1Char('^');
            out += QChar(u == 0x7f ? u'?' : char16_t(u + 0x40));
        } else {
            out += c;
        }
    }
    return out;
}

// One line of an event for people: "  12  14:21:00.480  command.output  Status : Running"
QString EventFormatter::line(const Event &e)
{
    QString summary;
    const auto text = [&](const char *key) { return e.body.value(QLatin1String(key)).toString(); };
    switch (e.kind) {
    case EventKind::CommandOutput:
        summary = text("data");
        break;
    case EventKind::CommandRequested:
        summary = (e.body.value(QStringLiteral("change")).toBool() ? QStringLiteral("[change] ") : QString())
            + text("shell") + QStringLiteral("> ") + text("text");
        break;
    case EventKind::CommandFinished:
        // An exit code only where the command exited with one; why it did not run, if it did not.
        summary = text("status");
        if (e.body.contains(QStringLiteral("exitCode")))
            summary += QStringLiteral(" exit=") +
                       QString::number(e.body.value(QStringLiteral("exitCode")).toInteger());
        summary +=
            QStringLiteral(" in %1 ms").arg(e.body.value(QStringLiteral("durationMs")).toInteger());
        if (!text("error").isEmpty())
            summary += QStringLiteral(" — ") + text("error");
        break;
    case EventKind::CommandStarted:
        summary = QStringLiteral("pid %1 as %2").arg(e.body.value(QStringLiteral("pid")).toInteger()).arg(text("user"));
        break;
    case EventKind::ApprovalRequested:
        summary = text("prompt");
        break;
    case EventKind::ApprovalDecided:
        summary = text("decision") + QStringLiteral(" by ") + text("decidedBy");
        break;
    case EventKind::HypothesisUpdated:
        summary = text("status") + QStringLiteral(": ") + text("note");
        break;
    case EventKind::SessionOpened:
        summary = text("title");
        break;
    case EventKind::ContextCaptured:
        summary = text("hostname") + QStringLiteral(" — ") + text("os") + QLatin1Char(' ') + text("osVersion");
        break;
    case EventKind::SessionClosed:
        summary = text("summary");
        break;
    default:
        summary = text("text");
    }
    summary.remove(QLatin1Char('\r'));
    summary = printable(summary);
    if (summary.endsWith(QLatin1Char('\n')))
        summary.chop(1);
    summary.replace(QLatin1Char('\n'), QStringLiteral("\n") + QString(38, QLatin1Char(' ')));
    return QStringLiteral("%1  %2  %3  %4")
        .arg(e.seq, 5)
        .arg(e.at.mid(11, 12))
        .arg(eventKindName(e.kind), -18)
        .arg(summary);
}

} // namespace casefile
