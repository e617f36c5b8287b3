#pragma once

#include "Finding.h"

#include <QHash>
#include <QList>
#include <QString>

namespace casefile {

// Consistent placeholders across everything it is given: the same finding key becomes the same
// <USER_1>, <HOST_2> … in every text, in the order first seen, so a redacted package still shows
// that two commands ran as the same user on the same host.
class Pseudonymizer
{
public:
    QString placeholder(const Finding &finding);
    // `text` with every finding (from TranscriptScanner::scan of this text) replaced.
    QString apply(QStringView text, const QList<Finding> &findings);
    // Scans and replaces.
    QString redact(QStringView text);

private:
    QHash<QString, QString> m_names; // type name + key → placeholder
    QHash<Finding::Type, int> m_counts;
};

} // namespace casefile
