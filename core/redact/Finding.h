#pragma once

#include <QString>

#include <optional>

namespace casefile {

// One piece of personal or secret data found in a text: where it is, what it is, and the key
// that makes the same person, host or address one placeholder wherever it appears.
struct Finding
{
    enum class Type
    {
        User,   // a user name: in C:\Users\NAME, /home/NAME, DOMAIN\NAME, NAME@domain
        Domain, // a Windows or DNS domain: CONTOSO in CONTOSO\jsmith, contoso.com in an address
        Host,   // a host name: \\HOST\share, a NetBIOS name from context, an FQDN
        Ipv4,
        Ipv6,
        Mac,
        Sid,    // a machine or domain SID (S-1-5-21-…); well-known SIDs are not personal
        Secret, // a password, token, key or the body of a private key
        Phone,
        ProductKey,  // a product key or a serial number
        RecoveryKey, // a BitLocker recovery key
        Name,        // a client dictionary term: a company, person or site name
    };

    Type type = Type::User;
    qsizetype start = 0;  // in the scanned text, UTF-16 units
    qsizetype length = 0;
    QString value;        // the text as found
    QString key;          // normalised: the same key is the same placeholder

    static QString typeName(Type type); // "user", "domain", …
    static QString placeholderName(Type type); // "USER", "DOMAIN", …
    static std::optional<Type> typeFromName(const QString &name);
    // The key a value of this type is known by: hosts and domains by their first label
    // (FRONTDESK-03 and frontdesk-03.contoso.com are one host), users without a domain
    // (CONTOSO\jsmith and jsmith@contoso.com are one user), everything lower-cased.
    static QString keyFor(Type type, QStringView value);
    // Labels that name a service, not a machine or an organisation: www, mail, vpn …
    static bool isServiceLabel(QStringView label);
};

} // namespace casefile

// Moved by memcpy when a list of findings grows (a scan collects hundreds of thousands).
Q_DECLARE_TYPEINFO(casefile::Finding, Q_RELOCATABLE_TYPE);
