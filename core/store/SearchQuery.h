#pragma once

#include <QString>

namespace casefile {

// A full-text query over command text, output, chat, notes and hypotheses.
struct SearchQuery
{
    QString text;    // words (all must match), "quoted phrases", word* for prefixes
    QString org;     // restricts to one org's sessions when set
    QString session; // restricts to one session when set
    int limit = 50;
    int offset = 0;
};

} // namespace casefile
