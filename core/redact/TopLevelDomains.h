#pragma once

#include <QStringView>

namespace casefile {

// The top-level domains a host name in a transcript can end with: every country code, the
// generic ones companies and providers use, and the suffixes of internal networks (local, lan,
// corp, internal, home.arpa). Deliberately not the ~1,200 brand and vanity gTLDs: .management,
// .data and .microsoft are real, and with them every .NET namespace would become a host.
class TopLevelDomains
{
public:
    // Whether `label` (any case) is one. "arpa" is not: only home.arpa is, which the caller sees.
    static bool contains(QStringView label);
    // Top-level domains that are also common file extensions (setup.py, install.sh, README.md,
    // Makefile.am, Safari.app): a name of two labels ending in one is a file, not a host.
    static bool isFileExtension(QStringView label);
    // Second-level labels under which a country code registers names (contoso.co.uk).
    static bool isSecondLevel(QStringView label);
};

} // namespace casefile
