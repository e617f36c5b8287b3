#pragma once

#include <QStringList>
#include <QTextStream>

namespace casefile {

// `casefile-cli redact [--dictionary FILE] [--json]`: scrubs stdin with the same engine the
// console uses and writes the text with placeholders (or, with --json, the findings), so a log
// can be cleaned before it is pasted anywhere. The dictionary (RedactionDictionary::fromText:
// one term a line, "type: term" for a type) adds the client's own names; an unreadable or
// invalid one is an error (exit 2), never silently ignored.
class RedactCommand
{
public:
    static int run(const QStringList &args, QTextStream &out, QTextStream &err);
};

} // namespace casefile
