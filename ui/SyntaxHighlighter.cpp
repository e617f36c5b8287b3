#include "SyntaxHighlighter.h"

#include <QHash>
#include <QRegularExpression>

#ifdef CASEFILE_HAVE_KSYNTAXHIGHLIGHTING
#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/State>
#include <KSyntaxHighlighting/Theme>
#endif

namespace casefile {

#ifdef CASEFILE_HAVE_KSYNTAXHIGHLIGHTING
class SyntaxHighlighter::Engine : public KSyntaxHighlighting::AbstractHighlighter
{
public:
    // Loading the definitions takes a while; every viewer shares one repository.
    static KSyntaxHighlighting::Repository &repository()
    {
        static KSyntaxHighlighting::Repository repo;
        return repo;
    }

    bool select(const QString &name)
    {
        static const QHash<QString, QString> definitionNames{
            {QStringLiteral("JSON"), QStringLiteral("JSON")},
            {QStringLiteral("XML"), QStringLiteral("XML")},
            {QStringLiteral("INI"), QStringLiteral("INI Files")},
            {QStringLiteral("PowerShell"), QStringLiteral("PowerShell")},
            {QStringLiteral("Bash"), QStringLiteral("Bash")},
        };
        const auto def = repository().definitionForName(definitionNames.value(name, name));
        if (!def.isValid())
            return false;
        setDefinition(def);
        return true;
    }

    void useTheme(bool dark)
    {
        setTheme(repository().defaultTheme(dark ? KSyntaxHighlighting::Repository::DarkTheme
                                                : KSyntaxHighlighting::Repository::LightTheme));
    }

    QList<QList<Range>> run(const QList<QString> &lines)
    {
        QList<QList<Range>> out;
        out.reserve(lines.size());
        KSyntaxHighlighting::State state;
        for (const QString &line : lines) {
            m_current.clear();
            state = highlightLine(line, state);
            out.append(m_current);
        }
        return out;
    }

protected:
    void applyFormat(int offset, int length, const KSyntaxHighlighting::Format &format) override
    {
        if (length <= 0 || format.isDefaultTextStyle(theme()))
            return;
        QTextCharFormat f;
        if (format.hasTextColor(theme()))
            f.setForeground(format.textColor(theme()));
        if (format.hasBackgroundColor(theme()))
            f.setBackground(format.backgroundColor(theme()));
        if (format.isBold(theme()))
            f.setFontWeight(QFont::Bold);
        if (format.isItalic(theme()))
            f.setFontItalic(true);
        if (format.isUnderline(theme()))
            f.setFontUnderline(true);
        m_current.append({offset, length, f});
    }

private:
    QList<Range> m_current;
};
#else
class SyntaxHighlighter::Engine
{
};
#endif

SyntaxHighlighter::SyntaxHighlighter() = default;
SyntaxHighlighter::~SyntaxHighlighter() = default;

bool SyntaxHighlighter::isAvailable()
{
#ifdef CASEFILE_HAVE_KSYNTAXHIGHLIGHTING
    return true;
#else
    return false;
#endif
}

QStringList SyntaxHighlighter::supportedSyntaxes()
{
    return {QStringLiteral("JSON"), QStringLiteral("XML"), QStringLiteral("INI"),
            QStringLiteral("PowerShell"), QStringLiteral("Bash")};
}

QString SyntaxHighlighter::guessSyntax(const QString &shell, const QString &commandText, QStringView firstLine)
{
    const QStringView head = firstLine.trimmed();
    if (head.startsWith(u'{') || head.startsWith(u'['))
        return head.startsWith(u'[') && head.endsWith(u']') && !head.contains(u'"') && head.size() > 2
                   ? QStringLiteral("INI") // "[section]" rather than a JSON array
                   : QStringLiteral("JSON");
    if (head.startsWith(u'<'))
        return QStringLiteral("XML");
    if (head.startsWith(QLatin1String("Windows Registry Editor")) || head.startsWith(QLatin1String("REGEDIT4")))
        return QStringLiteral("INI");
    const QString cmd = commandText.trimmed();
    static const QRegularExpression jsonTools(
        QStringLiteral(R"((ConvertTo-Json|\bjq\b|--json|-o json|--output json|\bip -j\b))"),
        QRegularExpression::CaseInsensitiveOption);
    if (jsonTools.match(cmd).hasMatch())
        return QStringLiteral("JSON");
    static const QRegularExpression xmlTools(QStringLiteral(R"((ConvertTo-Xml|Export-Clixml|\.xml\b|gpresult\s+/x))"),
                                             QRegularExpression::CaseInsensitiveOption);
    if (xmlTools.match(cmd).hasMatch())
        return QStringLiteral("XML");
    static const QRegularExpression iniFiles(QStringLiteral(R"((\.(ini|inf|conf|cfg|reg)\b|reg\s+(query|export)))"),
                                             QRegularExpression::CaseInsensitiveOption);
    if (iniFiles.match(cmd).hasMatch())
        return QStringLiteral("INI");
    // Printing a script shows it as one.
    static const QRegularExpression showScript(QStringLiteral(R"(^(cat|type|Get-Content|gc)\s+\S+\.(ps1|psm1|sh|bash)\b)"),
                                               QRegularExpression::CaseInsensitiveOption);
    const auto script = showScript.match(cmd);
    if (script.hasMatch())
        return script.captured(2).startsWith(u'p', Qt::CaseInsensitive) ? QStringLiteral("PowerShell")
                                                                       : QStringLiteral("Bash");
    Q_UNUSED(shell)
    return {};
}

bool SyntaxHighlighter::setSyntax(const QString &name)
{
    m_syntax.clear();
    if (name.isEmpty())
        return true;
#ifdef CASEFILE_HAVE_KSYNTAXHIGHLIGHTING
    auto engine = std::make_unique<Engine>();
    if (!engine->select(name))
        return false;
    engine->useTheme(m_dark);
    m_engine = std::move(engine);
    m_syntax = name;
    return true;
#else
    return false;
#endif
}

void SyntaxHighlighter::setDarkTheme(bool dark)
{
    m_dark = dark;
#ifdef CASEFILE_HAVE_KSYNTAXHIGHLIGHTING
    if (m_engine)
        m_engine->useTheme(dark);
#endif
}

QList<QList<SyntaxHighlighter::Range>> SyntaxHighlighter::highlight(const QList<QString> &lines)
{
#ifdef CASEFILE_HAVE_KSYNTAXHIGHLIGHTING
    if (m_engine && !m_syntax.isEmpty())
        return m_engine->run(lines);
#endif
    return QList<QList<Range>>(lines.size());
}

} // namespace casefile
