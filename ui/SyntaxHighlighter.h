#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QTextCharFormat>
#include <memory>

namespace casefile {

// The one place that knows KSyntaxHighlighting. With the library (KF6) lines get the colours of
// its definitions and of a theme that follows the palette; without it every line stays plain and
// highlight() returns nothing. Output is highlighted a screenful at a time, so a block starts
// from the definition's initial state: good for the line-oriented output of IT commands, and it
// keeps the cost independent of how long the output is.
class SyntaxHighlighter
{
public:
    struct Range
    {
        int start = 0;
        int length = 0;
        QTextCharFormat format;
    };

    SyntaxHighlighter();
    ~SyntaxHighlighter();
    SyntaxHighlighter(const SyntaxHighlighter &) = delete;
    SyntaxHighlighter &operator=(const SyntaxHighlighter &) = delete;

    static bool isAvailable();
    // The syntaxes the console asks for: "JSON", "XML", "INI", "PowerShell", "Bash".
    static QStringList supportedSyntaxes();
    // Which syntax suits a command's output: JSON or XML by its first non-blank line, INI for
    // registry exports and [section] files, PowerShell or Bash for scripts the command prints;
    // empty for plain text. Pure logic, also without the library.
    static QString guessSyntax(const QString &shell, const QString &commandText, QStringView firstLine);

    // false when the syntax is unknown or the library is absent (the text then stays plain).
    bool setSyntax(const QString &name);
    QString syntax() const { return m_syntax; }
    void setDarkTheme(bool dark);

    // Colour runs for consecutive lines, highlighted from the initial state; one list per line.
    QList<QList<Range>> highlight(const QList<QString> &lines);

private:
    class Engine;
    std::unique_ptr<Engine> m_engine;
    QString m_syntax;
    bool m_dark = false;
};

} // namespace casefile
