#pragma once

#include "ConsentPrompt.h"

#include <optional>

namespace casefile {

// Decides without asking anyone, for unattended endpoints whose owner chose so in advance:
// "auto-approve" approves everything, "deny" refuses every command that needs consent. The
// record says so: decidedBy is "policy:auto-approve" or "policy:deny".
class AutoConsentPrompt : public ConsentPrompt
{
    Q_OBJECT

public:
    enum class Policy
    {
        AutoApprove,
        Deny
    };

    explicit AutoConsentPrompt(Policy policy, QObject *parent = nullptr);

    // "auto-approve" or "deny"; anything else is no policy.
    static std::optional<Policy> policyFromName(const QString &name);
    static QString policyName(Policy policy);
    Policy policy() const { return m_policy; }

    void ask(const QString &commandId, const QString &promptText, int timeoutMs) override;

private:
    Policy m_policy;
};

} // namespace casefile
