#include "AutoConsentPrompt.h"

namespace casefile {

AutoConsentPrompt::AutoConsentPrompt(Policy policy, QObject *parent)
    : ConsentPrompt(parent), m_policy(policy)
{}

std::optional<AutoConsentPrompt::Policy> AutoConsentPrompt::policyFromName(const QString &name)
{
    if (name == QLatin1String("auto-approve"))
        return Policy::AutoApprove;
    if (name == QLatin1String("deny"))
        return Policy::Deny;
    return std::nullopt;
}

QString AutoConsentPrompt::policyName(Policy policy)
{
    return policy == Policy::AutoApprove ? QStringLiteral("auto-approve") : QStringLiteral("deny");
}

void AutoConsentPrompt::ask(const QString &commandId, const QString &, int)
{
    decideLater(commandId,
                m_policy == Policy::AutoApprove ? QStringLiteral("approved")
                                                : QStringLiteral("denied"),
                QStringLiteral("policy:") + policyName(m_policy));
}

} // namespace casefile
