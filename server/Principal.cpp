#include "Principal.h"

namespace casefile {

const QStringList Principal::roles = {QStringLiteral("admin"), QStringLiteral("technician"),
                                      QStringLiteral("reviewer"), QStringLiteral("viewer")};

QJsonObject Principal::toJson() const
{
    QJsonObject o{{QStringLiteral("type"), type}, {QStringLiteral("id"), id}, {QStringLiteral("org"), org}};
    if (isUser()) {
        o.insert(QStringLiteral("role"), role);
        o.insert(QStringLiteral("name"), name);
    } else {
        o.insert(QStringLiteral("clientGroup"), clientGroup);
        o.insert(QStringLiteral("hostname"), name);
    }
    return o;
}

} // namespace casefile
