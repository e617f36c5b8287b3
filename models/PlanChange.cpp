#include "PlanChange.h"

#include "ReviewSession.h"

namespace casefile {

PlanChange::PlanChange(ReviewSession *review, const QString &text, RedactionPlan before, RedactionPlan after,
                       Values values, bool all)
    : QUndoCommand(text)
    , m_review(review)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_values(std::move(values))
    , m_all(all)
{
}

void PlanChange::undo()
{
    m_review->setPlan(m_before, m_values, m_all);
}

void PlanChange::redo()
{
    m_review->setPlan(m_after, m_values, m_all);
}

} // namespace casefile
