#pragma once

#include <QStringList>
#include <QTextStream>

namespace casefile {

// `casefile-cli redact [--json]`: scrubs stdin with the same engine the console uses and writes
// the text with placeholders (or, with --json, the findings), so a log can be cleaned before it
// is pasted anywhere.
class RedactCommand
{
public:
    static int run(const QStringList &args, QTextStream &out, QTextStream &err);
};

} // namespace casefile
