#pragma once

#include "redact/Finding.h"
#include "redact/RedactionPlan.h"

#include <QList>
#include <QPair>
#include <QUndoCommand>

namespace casefile {

class ReviewSession;

// One reviewer action on the redaction plan, undoable: the plan before and after (copies share
// their data until changed, so a step costs what it changed) and which values it touched, so
// undo recounts only those. A step that adds a term makes the session scan again.
class PlanChange : public QUndoCommand
{
public:
    using Values = QList<QPair<Finding::Type, QString>>;

    PlanChange(ReviewSession *review, const QString &text, RedactionPlan before, RedactionPlan after,
               Values values, bool all);

    void undo() override;
    void redo() override;

private:
    ReviewSession *m_review;
    RedactionPlan m_before;
    RedactionPlan m_after;
    Values m_values;
    bool m_all;
};

} // namespace casefile
