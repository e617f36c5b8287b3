#include "Finding.h"

#include <QSet>

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

bool Finding::isServiceLabel(QStringView label)
{
    static const QSet<QString> labels{
        QStringLiteral("www"),    QStringLiteral("mail"),     QStringLiteral("smtp"),      QStringLiteral("imap"),
        QStringLiteral("pop"),    QStringLiteral("pop3"),     QStringLiteral("ftp"),       QStringLiteral("sftp"),
        QStringLiteral("vpn"),    QStringLiteral("remote"),   QStringLiteral("login"),     QStringLiteral("portal"),
        QStringLiteral("api"),    QStringLiteral("app"),      QStringLiteral("apps"),      QStringLiteral("cdn"),
        QStringLiteral("ns"),     QStringLiteral("ns1"),      QStringLiteral("ns2"),       QStringLiteral("mx"),
        QStringLiteral("webmail"), QStringLiteral("owa"),     QStringLiteral("sts"),       QStringLiteral("adfs"),
        QStringLiteral("secure"), QStringLiteral("intranet"), QStringLiteral("extranet"),  QStringLiteral("autodiscover"),
        QStringLiteral("m"),      QStringLiteral("dns"),      QStringLiteral("proxy"),     QStringLiteral("gateway"),
        QStringLiteral("sso"),    QStringLiteral("auth"),     QStringLiteral("time"),      QStringLiteral("ntp"),
        QStringLiteral("update"), QStringLiteral("updates"),  QStringLiteral("files"),     QStringLiteral("docs"),
    };
    return labels.contains(label.toString().toLower());
}

QString Finding::keyFor(Type type, QStringView value)
{
    switch (type) {
    case Type::Host: {
        // A machine's name is its first label (FRONTDESK-03.contoso.com is FRONTDESK-03), but a
        // service name says nothing about which machine: www.contoso.com and www.fabrikam.com
        // are two hosts.
        const qsizetype dot = value.indexOf(u'.');
        if (dot <= 0 || isServiceLabel(value.left(dot)))
            return value.toString().toLower();
        return value.left(dot).toString().toLower();
    }
    case Type::Domain: {
        // contoso.com, CONTOSO and mail.contoso.com are one domain.
        qsizetype dot = value.indexOf(u'.');
        while (dot > 0 && isServiceLabel(value.left(dot)) && value.indexOf(u'.', dot + 1) > 0) {
            value = value.mid(dot + 1);
            dot = value.indexOf(u'.');
        }
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
