#pragma once

#include <QString>

namespace casefile {

// Turns what a person types into an FTS5 MATCH expression that cannot be a syntax error:
// every word becomes a quoted string (so AND, NEAR, column filters and quotes are just text),
// "quoted phrases" stay phrases and a trailing * asks for a prefix. All terms must match.
class FtsQuery
{
public:
    static QString fromUserText(const QString &text);
};

} // namespace casefile
