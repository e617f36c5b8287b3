#pragma once

#include "events/Event.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace casefile {

// What the person who picks a session up needs first, folded from its events (a snapshot's
// redacted ones, or a past session's): what was ruled out and on which evidence (the lines
// themselves), what was confirmed, what is still open, which changes were made and who at the
// endpoint approved them, and how the last command ended.
struct HandoffSummary
{
    Q_DECLARE_TR_FUNCTIONS(HandoffSummary)

public:
    struct Evidence
    {
        QString command;
        QString commandText;
        qint64 fromLine = -1; // 0-based, as recorded; -1 for the whole output
        qint64 toLine = -1;
        QStringList lines; // the evidence lines (at most maxEvidenceLines)
    };
    struct Hypothesis
    {
        QString id;
        QString text;
        QString status; // open, ruled_out, confirmed
        QString note;
        QList<Evidence> evidence;
    };
    struct Change
    {
        QString command;
        QString text;
        QString decision; // approved, denied, timed_out; empty when never asked
        QString decidedBy;
        QString decidedAt;
        QString status; // how it finished: exited, denied, …
        qint64 exitCode = -1;
    };
    struct LastCommand
    {
        QString command;
        QString text;
        QString status;
        qint64 exitCode = -1;
        QString finishedAt;
        QStringList tail; // its last output lines
    };

    static constexpr int maxEvidenceLines = 20;
    static constexpr int tailLines = 5;

    QString session;
    QString title;
    QString followUpOf;
    QList<Hypothesis> ruledOut;
    QList<Hypothesis> confirmed;
    QList<Hypothesis> open;
    QList<Change> changes;
    LastCommand last; // command empty when no command finished

    // One session's events, in seq order.
    static HandoffSummary fromEvents(const QList<Event> &events);
    // For the summary pane: escaped rich text with links "evidence:<command>:<fromLine>" that
    // the console follows to the lines.
    QString toHtml() const;
};

} // namespace casefile
