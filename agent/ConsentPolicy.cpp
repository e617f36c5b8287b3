#include "ConsentPolicy.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace casefile {

ConsentPolicy ConsentPolicy::invalid(const QString &error)
{
    ConsentPolicy policy;
    policy.m_error = error;
    return policy;
}

ConsentPolicy ConsentPolicy::fromFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink()) {
        ConsentPolicy policy;
        return policy;
    }
    if (!info.isFile())
        return invalid(tr("%1: the consent policy is not a regular file").arg(path));
    if (info.size() > maxFileBytes)
        return invalid(
            tr("%1: the consent policy is larger than %2 bytes").arg(path).arg(maxFileBytes));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return invalid(tr("%1: cannot read the consent policy: %2").arg(path, file.errorString()));
    ConsentPolicy policy = fromJson(file.readAll(), path);
    policy.m_path = path;
    return policy;
}

ConsentPolicy ConsentPolicy::fromJson(const QByteArray &json, const QString &origin)
{
    const QString where = origin.isEmpty() ? tr("consent policy") : origin;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalid(tr("%1: not valid JSON: %2 at offset %3")
                           .arg(where, parseError.errorString())
                           .arg(parseError.offset));
    if (!document.isObject())
        return invalid(tr("%1: expected a JSON object with \"requireConsent\"").arg(where));

    const QJsonObject object = document.object();
    const QString key = QStringLiteral("requireConsent");
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() != key && !it.key().startsWith(QLatin1Char('_')))
            return invalid(
                tr("%1: unknown key \"%2\" (expected \"requireConsent\")").arg(where, it.key()));
    }
    if (!object.contains(key))
        return invalid(tr("%1: \"requireConsent\" is missing").arg(where));
    if (!object.value(key).isArray())
        return invalid(
            tr("%1: \"requireConsent\" must be an array of regular expressions").arg(where));

    ConsentPolicy policy;
    const QJsonArray patterns = object.value(key).toArray();
    for (qsizetype i = 0; i < patterns.size(); ++i) {
        if (!patterns.at(i).isString())
            return invalid(tr("%1: requireConsent[%2] is not a string").arg(where).arg(i));
        const QString pattern = patterns.at(i).toString();
        QRegularExpression rule(pattern, QRegularExpression::CaseInsensitiveOption |
                                             QRegularExpression::MultilineOption);
        if (!rule.isValid())
            return invalid(tr("%1: requireConsent[%2] \"%3\" is not a valid regular expression: "
                              "%4 at offset %5")
                               .arg(where)
                               .arg(i)
                               .arg(pattern, rule.errorString())
                               .arg(rule.patternErrorOffset()));
        rule.optimize();
        policy.m_rules.append(rule);
    }
    return policy;
}

QStringList ConsentPolicy::patterns() const
{
    QStringList list;
    for (const QRegularExpression &rule : m_rules)
        list.append(rule.pattern());
    return list;
}

bool ConsentPolicy::requiresConsent(bool change, const QString &commandText) const
{
    if (change || !isValid())
        return true;
    return firstMatch(commandText) != nullptr;
}

QString ConsentPolicy::matchingPattern(const QString &commandText) const
{
    const QRegularExpression *rule = firstMatch(commandText);
    return rule ? rule->pattern() : QString();
}

const QRegularExpression *ConsentPolicy::firstMatch(const QString &commandText) const
{
    for (const QRegularExpression &rule : m_rules) {
        if (rule.match(commandText).hasMatch())
            return &rule;
    }
    return nullptr;
}

} // namespace casefile
