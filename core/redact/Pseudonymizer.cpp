#include "Pseudonymizer.h"

#include "TranscriptScanner.h"

namespace casefile {

QString Pseudonymizer::placeholder(const Finding &finding)
{
    const QString id = Finding::typeName(finding.type) + QLatin1Char('\n') + finding.key;
    const auto it = m_names.constFind(id);
    if (it != m_names.cend())
        return *it;
    const int n = ++m_counts[finding.type];
    const QString name = QStringLiteral("<%1_%2>").arg(Finding::placeholderName(finding.type)).arg(n);
    m_names.insert(id, name);
    return name;
}

QString Pseudonymizer::apply(QStringView text, const QList<Finding> &findings)
{
    QString out;
    out.reserve(text.size());
    qsizetype from = 0;
    for (const Finding &f : findings) {
        if (f.start < from || f.start + f.length > text.size())
            continue; // overlapping or not of this text: the scanner never makes such
        out += text.mid(from, f.start - from);
        out += placeholder(f);
        from = f.start + f.length;
    }
    out += text.mid(from);
    return out;
}

QString Pseudonymizer::redact(QStringView text)
{
    return apply(text, TranscriptScanner::scan(text));
}

} // namespace casefile
