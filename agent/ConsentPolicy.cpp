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

ConsentPolicy ConsentPolicy::fromFile(const QString &path, bool mustExist)
{
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink()) {
        if (mustExist)
            return invalid(tr("%1: the consent policy does not exist").arg(path));
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
    QString unchecked;
    return firstMatch(commandText, &unchecked) != nullptr || !unchecked.isEmpty();
}

QString ConsentPolicy::matchingPattern(const QString &commandText) const
{
    QString unchecked;
    const QRegularExpression *rule = firstMatch(commandText, &unchecked);
    return rule ? rule->pattern() : unchecked.isEmpty() ? QString() : unchecked;
}

QString ConsentPolicy::unquoted(const QString &commandText)
{
    // A quoted or escaped | ; & ( ) < > is a character, not an operator: it becomes _, so that
    // grep -E 'bash|zsh' does not read as a pipe into zsh.
    const auto literal = [](QChar c) {
        return QStringView(u"|;&()<>").contains(c) ? QChar(QLatin1Char('_')) : c;
    };
    QString out;
    out.reserve(commandText.size());
    QChar quote; // ' or " while inside quotes
    for (qsizetype i = 0; i < commandText.size(); ++i) {
        const QChar c = commandText.at(i);
        const bool escapes =
            (c == QLatin1Char('\\') || c == QLatin1Char('`')) && quote != QLatin1Char('\'');
        if (escapes) {
            // An escaped line break continues the line; any other escaped character is itself.
            if (i + 1 >= commandText.size())
                continue;
            QChar next = commandText.at(++i);
            if (next == QLatin1Char('\r') && i + 1 < commandText.size() &&
                commandText.at(i + 1) == QLatin1Char('\n'))
                next = commandText.at(++i);
            out += next == QLatin1Char('\n') ? QChar(QLatin1Char(' ')) : literal(next);
        } else if (quote.isNull() && (c == QLatin1Char('\'') || c == QLatin1Char('"'))) {
            quote = c;
        } else if (!quote.isNull() && c == quote) {
            quote = QChar();
        } else {
            out += quote.isNull() ? c : literal(c);
        }
    }
    return out;
}

const QRegularExpression *ConsentPolicy::firstMatch(const QString &commandText,
                                                    QString *unchecked) const
{
    unchecked->clear();
    if (m_rules.isEmpty())
        return nullptr;
    if (commandText.size() > maxCheckedChars) {
        *unchecked = tr("the command is too long for the policy to check (%1 characters)")
                         .arg(commandText.size());
        return nullptr;
    }
    const QString plain = unquoted(commandText);
    for (const QRegularExpression &rule : m_rules) {
        for (const QString *text : {&commandText, &plain}) {
            const QRegularExpressionMatch match = rule.match(*text);
            if (!match.isValid()) {
                // The engine gave up (JIT stack, match limit): not a "no".
                *unchecked =
                    tr("the policy could not check the command against %1").arg(rule.pattern());
                return nullptr;
            }
            if (match.hasMatch())
                return &rule;
            if (plain == commandText)
                break;
        }
    }
    return nullptr;
}

} // namespace casefile
