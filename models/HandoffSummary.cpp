#include "HandoffSummary.h"

#include "events/bodies/ApprovalDecidedBody.h"
#include "events/bodies/CommandFinishedBody.h"
#include "events/bodies/CommandRequestedBody.h"
#include "events/bodies/HypothesisAddedBody.h"
#include "events/bodies/HypothesisUpdatedBody.h"
#include "events/bodies/SessionOpenedBody.h"

#include <QHash>

namespace casefile {

namespace {

QStringList linesOf(const QString &text, qint64 from, qint64 to, int max)
{
    QStringList out;
    qint64 line = 0;
    qsizetype start = 0;
    while (start <= text.size() && int(out.size()) < max) {
        qsizetype end = text.indexOf(QLatin1Char('\n'), start);
        if (end < 0)
            end = text.size();
        if (line >= from && (to < 0 || line <= to))
            out.append(text.mid(start, end - start).remove(QLatin1Char('\r')));
        if (to >= 0 && line > to)
            break;
        if (end == text.size())
            break;
        start = end + 1;
        ++line;
    }
    return out;
}

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

} // namespace

HandoffSummary HandoffSummary::fromEvents(const QList<Event> &events)
{
    HandoffSummary s;
    QHash<QString, QString> commandText;
    QHash<QString, QString> output; // both streams, in order: what the viewer shows
    QHash<QString, Change> changes;
    QStringList changeOrder;
    QHash<QString, Hypothesis> hypotheses;
    QStringList hypothesisOrder;
    for (const Event &e : events) {
        if (s.session.isEmpty())
            s.session = e.session;
        switch (e.kind) {
        case EventKind::SessionOpened: {
            const auto b = e.bodyAs<SessionOpenedBody>();
            s.title = b.title;
            s.followUpOf = b.followUpOf.value_or(QString());
            break;
        }
        case EventKind::CommandRequested: {
            const auto b = e.bodyAs<CommandRequestedBody>();
            commandText.insert(b.command, b.text);
            if (b.change) {
                changes.insert(b.command, Change{b.command, b.text, {}, {}, {}, {}, -1});
                changeOrder.append(b.command);
            }
            break;
        }
        case EventKind::ApprovalDecided: {
            const auto b = e.bodyAs<ApprovalDecidedBody>();
            if (!changes.contains(b.command)) {
                // The agent's policy asked although the technician did not mark it a change.
                changes.insert(b.command, Change{b.command, commandText.value(b.command), {}, {}, {}, {}, -1});
                changeOrder.append(b.command);
            }
            Change &c = changes[b.command];
            c.decision = b.decision;
            c.decidedBy = b.decidedBy;
            c.decidedAt = b.decidedAt;
            break;
        }
        case EventKind::CommandOutput:
            output[e.body.value(QStringLiteral("command")).toString()] += e.body.value(QStringLiteral("data")).toString();
            break;
        case EventKind::CommandFinished: {
            const auto b = e.bodyAs<CommandFinishedBody>();
            if (changes.contains(b.command)) {
                changes[b.command].status = b.status;
                changes[b.command].exitCode = b.exitCode.value_or(-1);
            }
            s.last.command = b.command;
            s.last.text = commandText.value(b.command);
            s.last.status = b.status;
            s.last.exitCode = b.exitCode.value_or(-1);
            s.last.finishedAt = e.at;
            break;
        }
        case EventKind::HypothesisAdded: {
            const auto b = e.bodyAs<HypothesisAddedBody>();
            hypotheses.insert(b.hypothesis, Hypothesis{b.hypothesis, b.text, QStringLiteral("open"), {}, {}});
            hypothesisOrder.append(b.hypothesis);
            break;
        }
        case EventKind::HypothesisUpdated: {
            const auto b = e.bodyAs<HypothesisUpdatedBody>();
            auto it = hypotheses.find(b.hypothesis);
            if (it == hypotheses.end())
                break;
            it->status = b.status;
            it->note = b.note.value_or(QString());
            it->evidence.clear();
            for (const auto &ev : b.evidence)
                it->evidence.append(Evidence{ev.command, {}, ev.fromLine.value_or(-1), ev.toLine.value_or(-1), {}});
            break;
        }
        default:
            break;
        }
    }
    for (const QString &id : std::as_const(hypothesisOrder)) {
        Hypothesis h = hypotheses.value(id);
        for (Evidence &ev : h.evidence) {
            ev.commandText = commandText.value(ev.command);
            const QString text = output.value(ev.command);
            ev.lines = ev.fromLine < 0 ? linesOf(text, 0, -1, maxEvidenceLines)
                                       : linesOf(text, ev.fromLine, ev.toLine < 0 ? ev.fromLine : ev.toLine, maxEvidenceLines);
        }
        if (h.status == QLatin1String("ruled_out"))
            s.ruledOut.append(h);
        else if (h.status == QLatin1String("confirmed"))
            s.confirmed.append(h);
        else
            s.open.append(h);
    }
    for (const QString &id : std::as_const(changeOrder))
        s.changes.append(changes.value(id));
    if (!s.last.command.isEmpty()) {
        QStringList all = output.value(s.last.command).split(QLatin1Char('\n'));
        while (!all.isEmpty() && all.last().trimmed().isEmpty())
            all.removeLast();
        s.last.tail = all.mid(std::max<qsizetype>(0, all.size() - tailLines));
        for (QString &line : s.last.tail)
            line.remove(QLatin1Char('\r'));
    }
    return s;
}

QString HandoffSummary::toHtml() const
{
    QString h;
    const auto hypothesisList = [&](const QString &heading, const QList<Hypothesis> &list, const QString &colour) {
        if (list.isEmpty())
            return;
        h += QStringLiteral("<h3>%1</h3><ul>").arg(esc(heading));
        for (const Hypothesis &hy : list) {
            h += QStringLiteral("<li><span style=\"color:%1\">■</span> %2").arg(colour, esc(hy.text));
            if (!hy.note.isEmpty())
                h += QStringLiteral(" — <i>%1</i>").arg(esc(hy.note));
            for (const Evidence &ev : hy.evidence) {
                const QString range = ev.fromLine < 0 ? tr("whole output")
                                      : ev.toLine > ev.fromLine
                                          ? tr("lines %1–%2").arg(ev.fromLine + 1).arg(ev.toLine + 1)
                                          : tr("line %1").arg(ev.fromLine + 1);
                h += QStringLiteral("<br><a href=\"evidence:%1:%2\">%3</a> <code>%4</code>")
                         .arg(esc(ev.command))
                         .arg(std::max<qint64>(0, ev.fromLine))
                         .arg(esc(tr("Evidence, %1 of").arg(range)), esc(ev.commandText.left(120)));
                if (!ev.lines.isEmpty())
                    h += QStringLiteral("<pre>%1</pre>").arg(esc(ev.lines.join(QLatin1Char('\n'))));
            }
            h += QStringLiteral("</li>");
        }
        h += QStringLiteral("</ul>");
    };
    hypothesisList(tr("Ruled out"), ruledOut, QStringLiteral("#c0392b"));
    hypothesisList(tr("Confirmed"), confirmed, QStringLiteral("#1e8449"));
    hypothesisList(tr("Still open"), open, QStringLiteral("#2e5c9a"));
    if (!changes.isEmpty()) {
        h += QStringLiteral("<h3>%1</h3><ul>").arg(esc(tr("Changes")));
        for (const Change &c : changes) {
            QString how;
            if (c.decision == QLatin1String("approved"))
                how = tr("approved by %1 at %2").arg(c.decidedBy, c.decidedAt);
            else if (c.decision == QLatin1String("denied"))
                how = tr("denied by %1 — not run").arg(c.decidedBy);
            else if (c.decision == QLatin1String("timed_out"))
                how = tr("no answer in time — not run");
            else
                how = tr("no consent recorded");
            h += QStringLiteral("<li><code>%1</code> — %2").arg(esc(c.text.left(200)), esc(how));
            if (!c.status.isEmpty() && c.decision == QLatin1String("approved"))
                h += esc(tr("; %1 (exit code %2)").arg(c.status).arg(c.exitCode));
            h += QStringLiteral("</li>");
        }
        h += QStringLiteral("</ul>");
    }
    if (!last.command.isEmpty()) {
        h += QStringLiteral("<h3>%1</h3><p><code>%2</code> — %3</p>")
                 .arg(esc(tr("Last result")), esc(last.text.left(200)),
                      esc(tr("%1, exit code %2, at %3").arg(last.status).arg(last.exitCode).arg(last.finishedAt)));
        if (!last.tail.isEmpty())
            h += QStringLiteral("<pre>%1</pre>").arg(esc(last.tail.join(QLatin1Char('\n'))));
    }
    if (h.isEmpty())
        h = QStringLiteral("<p>%1</p>").arg(esc(tr("Nothing ruled out, confirmed or changed yet.")));
    return h;
}

} // namespace casefile
