#pragma once

#include <QString>

namespace casefile {

// Why a message could not be decoded. `field` is a dotted path ("body.evidence[0].command"),
// empty when the problem is the document itself (not JSON, too large, bad UTF-8).
struct CodecError
{
    QString field;
    QString message;

    bool isNull() const { return message.isEmpty(); }
    QString toString() const
    {
        return field.isEmpty() ? message : field + QStringLiteral(": ") + message;
    }
};

} // namespace casefile
