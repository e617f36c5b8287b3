#include "SessionInfo.h"

#include <QJsonArray>

namespace casefile {

QJsonObject SessionInfo::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("org"), org},
            {QStringLiteral("clientGroup"), clientGroup},
            {QStringLiteral("endpoint"), endpoint},
            {QStringLiteral("technician"), technician},
            {QStringLiteral("title"), title},
            {QStringLiteral("ticket"), ticket},
            {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
            {QStringLiteral("openedAt"), openedAt},
            {QStringLiteral("closedAt"), closedAt},
            {QStringLiteral("head"), lastSeq}};
}

} // namespace casefile
