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
    case Type::Phone:
        return QStringLiteral("phone");
    case Type::ProductKey:
        return QStringLiteral("product-key");
    case Type::RecoveryKey:
        return QStringLiteral("recovery-key");
    case Type::Name:
        return QStringLiteral("name");
    }
    return {};
}

std::optional<Finding::Type> Finding::typeFromName(const QString &name)
{
    for (int t = 0; t <= int(Type::Name); ++t) {
        if (typeName(Type(t)) == name)
            return Type(t);
    }
    return std::nullopt;
}

QString Finding::keyFor(Type type, QStringView value)
{
    switch (type) {
    case Type::Host:
    case Type::Domain: {
        const qsizetype dot = value.indexOf(u'.');
        return (dot > 0 ? value.left(dot) : value).toString().toLower();
    }
    case Type::User: {
        const qsizetype slash = value.lastIndexOf(u'\\');
        if (slash >= 0)
            value = value.mid(slash + 1);
        const qsizetype at = value.indexOf(u'@');
        if (at > 0)
            value = value.left(at);
        return value.toString().toLower();
    }
    default:
        return value.toString().toLower();
    }
}

QString Finding::placeholderName(Type type)
{
    switch (type) {
    case Type::Ipv4:
        return QStringLiteral("IP");
    case Type::ProductKey:
        return QStringLiteral("KEY");
    case Type::RecoveryKey:
        return QStringLiteral("RECOVERY_KEY");
    default:
        return typeName(type).toUpper();
    }
}

} // namespace casefile
