#include "Finding.h"

namespace casefile {

QString Finding::typeName(Type type)
{
    switch (type) {
    case Type::User:
        return QStringLiteral("user");
    case Type::Domain:
        return QStringLiteral("domain");
    case Type::Host:
        return QStringLiteral("host");
    case Type::Ipv4:
        return QStringLiteral("ipv4");
    case Type::Ipv6:
        return QStringLiteral("ipv6");
    case Type::Mac:
        return QStringLiteral("mac");
    case Type::Secret:
        return QStringLiteral("secret");
    case Type::Sid:
        return QStringLiteral("sid");
    }
    return {};
}

QString Finding::placeholderName(Type type)
{
    switch (type) {
    case Type::Ipv4:
        return QStringLiteral("IP");
    default:
        return typeName(type).toUpper();
    }
}

} // namespace casefile
