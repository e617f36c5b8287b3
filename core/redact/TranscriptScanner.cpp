#include "TranscriptScanner.h"

#include <QHostAddress>
#include <QSet>
#include <algorithm>

namespace casefile {

namespace {

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isAsciiLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isHex(QChar c)
{
    return isAsciiDigit(c) || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

// Characters of a user or host name as they appear in Windows and Unix transcripts.
bool isNameChar(QChar c)
{
    return isAsciiLetter(c) || isAsciiDigit(c) || c == u'.' || c == u'_' || c == u'-' || c == u'$'
           || (c.unicode() >= 0xc0 && c.isLetterOrNumber());
}

bool isWordChar(QChar c)
{
    return isAsciiLetter(c) || isAsciiDigit(c) || c == u'_';
}

// Names no one would hide: accounts and folders every Windows or Unix system has.
bool isWellKnownUser(QStringView name)
{
    static const QSet<QString> names{
        QStringLiteral("public"),        QStringLiteral("default"),         QStringLiteral("default user"),
        QStringLiteral("all users"),     QStringLiteral("defaultuser0"),    QStringLiteral("system"),
        QStringLiteral("local service"), QStringLiteral("network service"), QStringLiteral("administrators"),
        QStringLiteral("users"),         QStringLiteral("guests"),          QStringLiteral("everyone"),
        QStringLiteral("root"),          QStringLiteral("daemon"),          QStringLiteral("nobody"),
        QStringLiteral("syslog"),        QStringLiteral("www-data"),        QStringLiteral("authenticated users"),
    };
    return names.contains(name.toString().toLower());
}

// Left sides of NAME\NAME that are not domains: registry hives and the like.
bool isNotADomain(QStringView name)
{
    static const QSet<QString> names{
        QStringLiteral("HKLM"), QStringLiteral("HKCU"), QStringLiteral("HKCR"), QStringLiteral("HKU"),
        QStringLiteral("HKCC"), QStringLiteral("HKEY_LOCAL_MACHINE"), QStringLiteral("HKEY_CURRENT_USER"),
        QStringLiteral("HKEY_CLASSES_ROOT"), QStringLiteral("HKEY_USERS"), QStringLiteral("HKEY_CURRENT_CONFIG"),
        QStringLiteral("BUILTIN"), QStringLiteral("NT"), QStringLiteral("AUTHORITY"), QStringLiteral("SERVICE"),
        QStringLiteral("APPPOOL"), QStringLiteral("SYSTEM32"), QStringLiteral("SYSWOW64"),
        QStringLiteral("WINDOWS"), QStringLiteral("DRIVERS"), QStringLiteral("PROGRA~1"),
    };
    return names.contains(name.toString().toUpper());
}

class Scan
{
public:
    explicit Scan(QStringView text)
        : m_text(text)
    {
    }

    QList<Finding> run()
    {
        const qsizetype n = m_text.size();
        qsizetype i = 0;
        while (i < n) {
            const QChar c = m_text[i];
            qsizetype next = i + 1;
            if (c == u'@')
                address(i);
            else if (c == u'\\')
                next = backslash(i);
            else if (c == u'/')
                next = slash(i);
            else if (isHex(c) && startsToken(i))
                next = number(i);
            i = std::max(next, i + 1);
        }
        // No overlaps (two placeholders for one text): secrets first, whole, then the rest where
        // they do not touch a kept finding; among equals the earlier start wins.
        const auto byStart = [](const Finding &a, const Finding &b) { return a.start < b.start; };
        QList<Finding> secrets;
        QList<Finding> others;
        for (Finding &f : m_found)
            (f.type == Finding::Type::Secret ? secrets : others).append(std::move(f));
        std::stable_sort(secrets.begin(), secrets.end(), byStart);
        std::stable_sort(others.begin(), others.end(), byStart);
        QList<Finding> kept;
        qsizetype end = 0;
        for (Finding &f : secrets) {
            if (f.start >= end) {
                end = f.start + f.length;
                kept.append(std::move(f));
            }
        }
        // The others in one walk beside the kept secrets (both in order): linear, not n × m.
        QList<Finding> out;
        out.reserve(kept.size() + others.size());
        qsizetype s = 0;
        end = 0;
        for (Finding &f : others) {
            while (s < kept.size() && kept[s].start + kept[s].length <= f.start)
                out.append(std::move(kept[s++]));
            const bool hitsSecret = s < kept.size() && kept[s].start < f.start + f.length;
            if (!hitsSecret && f.start >= end) {
                end = f.start + f.length;
                out.append(std::move(f));
            }
        }
        while (s < kept.size())
            out.append(std::move(kept[s++]));
        return out;
    }

private:
    QChar at(qsizetype i) const { return i >= 0 && i < m_text.size() ? m_text[i] : QChar(); }

    bool startsToken(qsizetype i) const
    {
        const QChar p = at(i - 1);
        return !(isWordChar(p) || p == u'.' || p == u'-' || p == u':');
    }

    void add(Finding::Type type, qsizetype start, qsizetype length, QString key = {})
    {
        if (length <= 0)
            return;
        Finding f;
        f.type = type;
        f.start = start;
        f.length = length;
        f.value = m_text.mid(start, length).toString();
        f.key = key.isEmpty() ? f.value.toLower() : key;
        m_found.append(std::move(f));
    }

    // The end of a name starting at `from` (at most `limit` characters).
    qsizetype nameEnd(qsizetype from, qsizetype limit = 256) const
    {
        qsizetype j = from;
        while (j < m_text.size() && j - from < limit && isNameChar(m_text[j]))
            ++j;
        // A name does not end with a dot ("… of jsmith.")
        while (j > from && m_text[j - 1] == u'.')
            --j;
        return j;
    }

    // Domains are one whatever their form: CONTOSO, contoso.com and CONTOSO.LOCAL.
    static QString domainKey(QStringView domain)
    {
        const qsizetype dot = domain.indexOf(u'.');
        return (dot < 0 ? domain : domain.left(dot)).toString().toLower();
    }

    // user@domain.tld: the user and the domain.
    void address(qsizetype at)
    {
        qsizetype s = at;
        while (s > 0 && at - s < 64
               && (isAsciiLetter(m_text[s - 1]) || isAsciiDigit(m_text[s - 1]) || m_text[s - 1] == u'.'
                   || m_text[s - 1] == u'_' || m_text[s - 1] == u'-' || m_text[s - 1] == u'+'))
            --s;
        while (s < at && m_text[s] == u'.')
            ++s;
        qsizetype e = at + 1;
        qsizetype lastDot = -1;
        while (e < m_text.size() && e - at < 255
               && (isAsciiLetter(m_text[e]) || isAsciiDigit(m_text[e]) || m_text[e] == u'-' || m_text[e] == u'.')) {
            if (m_text[e] == u'.')
                lastDot = e;
            ++e;
        }
        while (e > at + 1 && m_text[e - 1] == u'.') {
            --e;
            lastDot = m_text.left(e).lastIndexOf(u'.');
        }
        if (s == at || lastDot <= at + 1 || e - lastDot - 1 < 2)
            return;
        for (qsizetype k = lastDot + 1; k < e; ++k) {
            if (!isAsciiLetter(m_text[k]))
                return; // the last label of a domain is letters: "a@1.2" is not an address
        }
        const QStringView user = m_text.mid(s, at - s);
        if (!isWellKnownUser(user))
            add(Finding::Type::User, s, at - s);
        add(Finding::Type::Domain, at + 1, e - at - 1, domainKey(m_text.mid(at + 1, e - at - 1)));
    }

    // A backslash: \\HOST\share, C:\Users\NAME, DOMAIN\NAME.
    qsizetype backslash(qsizetype i)
    {
        if (at(i + 1) == u'\\' && (i == 0 || !isNameChar(at(i - 1)))) {
            // UNC: \\HOST\…
            const qsizetype e = nameEnd(i + 2, 255);
            if (e > i + 2 && (at(e) == u'\\' || at(e).isSpace() || e == m_text.size())) {
                const QStringView host = m_text.mid(i + 2, e - i - 2);
                if (host != u"." && host != u"?") // \\.\pipe, \\?\C:
                    add(Finding::Type::Host, i + 2, e - i - 2, domainKey(host));
            }
            return e;
        }
        // …\Users\NAME with a drive before: the profile's owner.
        static const QString users = QStringLiteral("users\\");
        if (m_text.mid(i + 1).startsWith(users, Qt::CaseInsensitive) && at(i - 1) == u':'
            && isAsciiLetter(at(i - 2))) {
            const qsizetype s = i + 1 + users.size();
            qsizetype e = s;
            // Profile folders may hold spaces ("C:\Users\Jane Doe\…") up to the next backslash.
            while (e < m_text.size() && e - s < 64 && m_text[e] != u'\\' && m_text[e] != u'"' && m_text[e] != u'\''
                   && m_text[e] != u'\n' && m_text[e] != u'\r' && m_text[e] != u'\t')
                ++e;
            while (e > s && m_text[e - 1] == u' ')
                --e;
            // Without a backslash after it, a space ends the name (the text goes on).
            if (at(e) != u'\\') {
                e = s;
                while (e < m_text.size() && isNameChar(m_text[e]))
                    ++e;
            }
            const QStringView name = m_text.mid(s, e - s);
            if (!name.isEmpty() && !isWellKnownUser(name))
                add(Finding::Type::User, s, e - s);
            return e;
        }
        // DOMAIN\user: an upper-case NetBIOS name, not a path segment, then a user name.
        qsizetype s = i;
        while (s > 0 && i - s < 15
               && (isAsciiDigit(m_text[s - 1]) || (m_text[s - 1] >= u'A' && m_text[s - 1] <= u'Z')
                   || m_text[s - 1] == u'-' || m_text[s - 1] == u'_'))
            --s;
        const QChar before = at(s - 1);
        if (s == i || isWordChar(before) || before == u'\\' || before == u'/' || before == u':' || before == u'.')
            return i + 1;
        const QStringView domain = m_text.mid(s, i - s);
        if (isNotADomain(domain) || !isAsciiLetter(domain.front()))
            return i + 1;
        const qsizetype e = nameEnd(i + 1, 104);
        if (e == i + 1 || at(e) == u'\\' || at(e) == u'/')
            return i + 1; // a path goes on: not an account
        const QStringView user = m_text.mid(i + 1, e - i - 1);
        add(Finding::Type::Domain, s, i - s, domainKey(domain));
        if (!isWellKnownUser(user))
            add(Finding::Type::User, i + 1, e - i - 1);
        return e;
    }

    // /home/NAME
    qsizetype slash(qsizetype i)
    {
        static const QString home = QStringLiteral("/home/");
        if (!m_text.mid(i).startsWith(home) || isWordChar(at(i - 1)))
            return i + 1;
        const qsizetype s = i + home.size();
        const qsizetype e = nameEnd(s, 64);
        const QStringView name = m_text.mid(s, e - s);
        if (!name.isEmpty() && !isWellKnownUser(name))
            add(Finding::Type::User, s, e - s);
        return e;
    }

    // A token starting with a hex digit: an IPv4 address, a MAC address or a SID (S-1-…).
    qsizetype number(qsizetype i)
    {
        if (qsizetype e = mac(i); e > i)
            return e;
        if (qsizetype e = ipv4(i); e > i)
            return e;
        if (qsizetype e = ipv6(i); e > i)
            return e;
        // Skip the rest of this token: its digits are not starts of anything.
        qsizetype e = i;
        while (e < m_text.size() && (isWordChar(m_text[e]) || m_text[e] == u'.' || m_text[e] == u'-'
                                     || m_text[e] == u':'))
            ++e;
        return e;
    }

    qsizetype ipv4(qsizetype i)
    {
        qsizetype j = i;
        int parts = 0;
        while (parts < 4) {
            qsizetype k = j;
            int value = 0;
            while (k < m_text.size() && isAsciiDigit(m_text[k]) && k - j < 3) {
                value = value * 10 + (m_text[k].unicode() - u'0');
                ++k;
            }
            if (k == j || value > 255 || (k - j > 1 && m_text[j] == u'0'))
                return i;
            ++parts;
            j = k;
            if (parts < 4) {
                if (at(j) != u'.')
                    return i;
                ++j;
            }
        }
        // Not part of something longer (a version 10.0.19045.3693, a fifth part).
        if (isWordChar(at(j)) || (at(j) == u'.' && isAsciiDigit(at(j + 1))))
            return i;
        add(Finding::Type::Ipv4, i, j - i);
        return j;
    }

    qsizetype ipv6(qsizetype i)
    {
        qsizetype j = i;
        int colons = 0;
        while (j < m_text.size() && j - i < 45 && (isHex(m_text[j]) || m_text[j] == u':' || m_text[j] == u'.')) {
            colons += m_text[j] == u':';
            ++j;
        }
        if (colons < 2 || isWordChar(at(j)))
            return i;
        // A zone ("%12", "%eth0") belongs to the address but says nothing: keep it.
        const QString candidate = m_text.mid(i, j - i).toString();
        QHostAddress address;
        if (!address.setAddress(candidate) || address.protocol() != QAbstractSocket::IPv6Protocol)
            return i;
        add(Finding::Type::Ipv6, i, j - i, address.toString().toLower());
        return j;
    }

    qsizetype mac(qsizetype i)
    {
        // 00-15-5D-01-02-03, 00:15:5d:01:02:03, 0015.5d01.0203
        auto pairs = [&](QChar sep) -> qsizetype {
            qsizetype j = i;
            for (int g = 0; g < 6; ++g) {
                if (!isHex(at(j)) || !isHex(at(j + 1)))
                    return i;
                j += 2;
                if (g < 5) {
                    if (at(j) != sep)
                        return i;
                    ++j;
                }
            }
            return isWordChar(at(j)) || at(j) == sep ? i : j;
        };
        qsizetype e = pairs(u'-');
        if (e == i)
            e = pairs(u':');
        if (e == i) {
            qsizetype j = i;
            for (int g = 0; g < 3; ++g) {
                for (int k = 0; k < 4; ++k) {
                    if (!isHex(at(j + k)))
                        return i;
                }
                j += 4;
                if (g < 2) {
                    if (at(j) != u'.')
                        return i;
                    ++j;
                }
            }
            if (isWordChar(at(j)) || at(j) == u'.')
                return i;
            e = j;
        }
        const QString key = m_text.mid(i, e - i).toString().remove(u'-').remove(u':').remove(u'.').toLower();
        if (key == QLatin1String("000000000000") || key == QLatin1String("ffffffffffff"))
            return e; // the null and the broadcast address say nothing about anyone
        add(Finding::Type::Mac, i, e - i, key);
        return e;
    }

    const QStringView m_text;
    QList<Finding> m_found;

public:
    // Secrets: each found from its keyword with a search over the whole text (a fixed number of
    // linear passes), the value read up to the next delimiter.
    void secrets()
    {
        // A value: up to white space (or a closing quote when it started with one).
        const auto value = [this](qsizetype from, qsizetype minimum) {
            while (at(from) == u' ' || at(from) == u'\t')
                ++from;
            const QChar quote = at(from) == u'"' || at(from) == u'\'' ? at(from) : QChar();
            if (!quote.isNull())
                ++from;
            qsizetype e = from;
            while (e < m_text.size() && e - from < 512
                   && (quote.isNull() ? !m_text[e].isSpace() && m_text[e] != u';' && m_text[e] != u','
                                      : m_text[e] != quote && m_text[e] != u'\n'))
                ++e;
            if (e - from >= minimum)
                add(Finding::Type::Secret, from, e - from);
            return e;
        };
        const auto each = [this](const QString &keyword, Qt::CaseSensitivity cs, auto &&onHit) {
            qsizetype from = 0;
            while ((from = m_text.indexOf(keyword, from, cs)) >= 0) {
                const qsizetype next = onHit(from, from + keyword.size());
                from = std::max(next, from + 1);
            }
        };
        // -Password X, -AsPlainText … ConvertTo-SecureString 'X', /p:X, password=X;, pwd=X;
        each(QStringLiteral("-password "), Qt::CaseInsensitive, [&](qsizetype, qsizetype e) { return value(e, 1); });
        each(QStringLiteral("convertto-securestring "), Qt::CaseInsensitive, [&](qsizetype, qsizetype e) {
            return at(e) == u'"' || at(e) == u'\'' ? value(e, 1) : e;
        });
        each(QStringLiteral("/p:"), Qt::CaseInsensitive, [&](qsizetype s, qsizetype e) {
            return isWordChar(at(s - 1)) ? e : value(e, 1);
        });
        each(QStringLiteral("password="), Qt::CaseInsensitive, [&](qsizetype, qsizetype e) { return value(e, 1); });
        each(QStringLiteral("pwd="), Qt::CaseInsensitive, [&](qsizetype s, qsizetype e) {
            return isWordChar(at(s - 1)) ? e : value(e, 1);
        });
        // net user NAME PASSWORD [/options]
        each(QStringLiteral("net user "), Qt::CaseInsensitive, [&](qsizetype, qsizetype e) {
            qsizetype n = e;
            while (n < m_text.size() && !m_text[n].isSpace())
                ++n; // the account
            qsizetype p = n;
            while (at(p) == u' ')
                ++p;
            if (at(p) == u'/' || at(p) == u'*' || p >= m_text.size() || m_text[p].isSpace())
                return n; // an option, "*" (asks), or nothing
            return value(p, 1);
        });
        // netsh wlan show profile … key=clear: "Key Content            : X"
        each(QStringLiteral("Key Content"), Qt::CaseSensitive, [&](qsizetype, qsizetype e) {
            qsizetype c = e;
            while (at(c) == u' ' || at(c) == u'\t')
                ++c;
            if (at(c) != u':')
                return e;
            qsizetype s = c + 1;
            while (at(s) == u' ')
                ++s;
            qsizetype end = s;
            while (end < m_text.size() && m_text[end] != u'\r' && m_text[end] != u'\n')
                ++end;
            add(Finding::Type::Secret, s, end - s);
            return end;
        });
        // Authorization: Bearer TOKEN
        each(QStringLiteral("bearer "), Qt::CaseInsensitive, [&](qsizetype, qsizetype e) { return value(e, 16); });
        // JWTs: three base64url parts, the first a JSON header ("eyJ").
        each(QStringLiteral("eyJ"), Qt::CaseSensitive, [&](qsizetype s, qsizetype) {
            if (isWordChar(at(s - 1)))
                return s + 3;
            qsizetype e = s;
            int dots = 0;
            while (e < m_text.size() && e - s < 8192
                   && (isWordChar(m_text[e]) || m_text[e] == u'-' || (m_text[e] == u'.' && dots < 2))) {
                dots += m_text[e] == u'.';
                ++e;
            }
            if (dots == 2 && e - s >= 20 && at(e - 1) != u'.')
                add(Finding::Type::Secret, s, e - s);
            return e;
        });
        // Cloud keys by their published prefixes.
        for (const QString &prefix : {QStringLiteral("AKIA"), QStringLiteral("ASIA")}) {
            each(prefix, Qt::CaseSensitive, [&](qsizetype s, qsizetype e) {
                qsizetype k = e;
                while (k < m_text.size() && k - e < 16 && (isAsciiDigit(m_text[k]) || (m_text[k] >= u'A' && m_text[k] <= u'Z')))
                    ++k;
                if (k - e == 16 && !isWordChar(at(s - 1)) && !isWordChar(at(k)))
                    add(Finding::Type::Secret, s, k - s);
                return k;
            });
        }
        for (const QString &prefix : {QStringLiteral("ghp_"), QStringLiteral("gho_"), QStringLiteral("ghu_"),
                                      QStringLiteral("ghs_"), QStringLiteral("ghr_"), QStringLiteral("github_pat_")}) {
            each(prefix, Qt::CaseSensitive, [&](qsizetype s, qsizetype e) {
                qsizetype k = e;
                while (k < m_text.size() && k - e < 255 && isWordChar(m_text[k]))
                    ++k;
                if (k - e >= 20 && !isWordChar(at(s - 1)))
                    add(Finding::Type::Secret, s, k - s);
                return k;
            });
        }
        // PEM private keys: everything between BEGIN and END, every line of it.
        each(QStringLiteral("-----BEGIN "), Qt::CaseSensitive, [&](qsizetype, qsizetype e) {
            const qsizetype headerEnd = m_text.indexOf(QStringLiteral("-----"), e);
            if (headerEnd < 0 || headerEnd - e > 64)
                return e;
            if (!m_text.mid(e, headerEnd - e).endsWith(QLatin1String("PRIVATE KEY")))
                return headerEnd;
            const qsizetype bodyStart = headerEnd + 5;
            const qsizetype footer = m_text.indexOf(QStringLiteral("-----END "), bodyStart);
            const qsizetype bodyEnd = footer < 0 ? m_text.size() : footer; // cut off: all the rest
            add(Finding::Type::Secret, bodyStart, bodyEnd - bodyStart);
            return bodyEnd;
        });
    }

    // S-1-5-21-…: machine and domain SIDs; the well-known ones (S-1-5-18, S-1-5-32-544 …) stay.
    void sids()
    {
        static const QString prefix = QStringLiteral("S-1-5-21-");
        qsizetype from = 0;
        while ((from = m_text.indexOf(prefix, from, Qt::CaseInsensitive)) >= 0) {
            if (isWordChar(at(from - 1)) || at(from - 1) == u'-') {
                from += prefix.size();
                continue;
            }
            qsizetype e = from + prefix.size();
            int groups = 0;
            while (isAsciiDigit(at(e))) {
                while (isAsciiDigit(at(e)))
                    ++e;
                ++groups;
                if (at(e) == u'-' && isAsciiDigit(at(e + 1)))
                    ++e;
                else
                    break;
            }
            if (groups >= 3 && !isWordChar(at(e)))
                add(Finding::Type::Sid, from, e - from, m_text.mid(from, e - from).toString().toUpper());
            from = std::max(e, from + 1);
        }
    }
};

} // namespace

QList<Finding> TranscriptScanner::scan(QStringView text)
{
    Scan scan(text);
    // Secrets and SIDs first: where they overlap a token the pass below would take, the earlier
    // finding wins, and a secret must never come out as, say, half a user name.
    scan.secrets();
    scan.sids();
    return scan.run();
}

} // namespace casefile
