#pragma once

#include <QString>

namespace casefile {

// A full-text query over command text, output, chat, notes and hypotheses.
struct SearchQuery
{
    QString text;    // words (all must match), "quoted phrases", word* for prefixes
    QString org;     // restricts to one org's sessions when set
    QString session; // restricts to one session when set
    // Like SessionFilter: restrict to sessions of this client group, endpoint, technician, tag,
    // opened in [openedFrom, openedTo). Empty fields do not filter.
    QString clientGroup;
    QString endpoint;
    QString technician;
    QString tag;
    QString openedFrom;
    QString openedTo;
    int limit = 50;
    int offset = 0;
};

} // namespace casefile
