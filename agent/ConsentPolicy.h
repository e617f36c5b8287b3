#pragma once

#include <QCoreApplication>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace casefile {

// Decides whether a command needs the end user's consent before it runs: always when the
// technician marked it as a change, and otherwise when its text matches the endpoint's local
// policy. The local policy lets the endpoint's owner protect it even from a technician who
// forgets (or omits) the change flag.
//
// Policy file: {"requireConsent": ["regex", …]}; patterns are matched case-insensitively
// anywhere in the command text (^ and $ also match at line breaks). Keys starting with "_" are
// comments; any other unknown key is an error, so a misspelt key cannot silently disable the
// policy.
class ConsentPolicy
{
    Q_DECLARE_TR_FUNCTIONS(ConsentPolicy)

public:
    // The policy without a file: only changes need consent.
    ConsentPolicy() = default;

    // A missing file is the policy above, unless `mustExist` (a file the endpoint's owner named):
    // then, like an unreadable or malformed file, it gives an invalid policy, and the agent
    // must refuse to run anything rather than run unprotected.
    static ConsentPolicy fromFile(const QString &path, bool mustExist = false);
    static ConsentPolicy fromJson(const QByteArray &json, const QString &origin = {});

    bool isValid() const { return m_error.isEmpty(); }
    // Why the policy is invalid, naming the file and the offending entry.
    QString errorString() const { return m_error; }
    // The file the policy came from, empty if none was read.
    QString path() const { return m_path; }
    QStringList patterns() const;

    // Fails safe: an invalid policy requires consent for everything, and so does a text the
    // policy cannot check (longer than maxCheckedChars, or a pattern the regular expression
    // engine gave up on).
    bool requiresConsent(bool change, const QString &commandText) const;
    // The first pattern that matches the text (null QString if none); for logs and the prompt.
    // For a text that cannot be checked, a sentence saying why.
    QString matchingPattern(const QString &commandText) const;

    // The text as the shell would mostly see it, for matching besides the text as written:
    // quotes, backslash and backtick escapes removed and continued lines joined, so that
    // 'rm' -rf, r\m -rf or "shut""down" are seen as rm -rf and shutdown; a quoted or escaped
    // | ; & ( ) < > becomes _, being no operator.
    static QString unquoted(const QString &commandText);

    // Policy files larger than this are refused (a policy is a short list of patterns).
    static constexpr qint64 maxFileBytes = 1024 * 1024;
    // Longer command texts are not matched (matching time grows with the text, on the agent's
    // only thread) but always need consent.
    static constexpr qsizetype maxCheckedChars = 16 * 1024;

private:
    static ConsentPolicy invalid(const QString &error);
    // The first rule matching the text or its unquoted form; *unchecked is set (and null
    // returned) when the text cannot be checked.
    const QRegularExpression *firstMatch(const QString &commandText, QString *unchecked) const;

    QList<QRegularExpression> m_rules;
    QString m_path;
    QString m_error;
};

} // namespace casefile
