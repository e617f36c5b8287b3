#include "TranscriptScanner.h"

#include "TopLevelDomains.h"

#include <QHostAddress>
#include <QSet>
#include <QtCore/qalgorithms.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#endif

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

bool isLineEnd(QChar c)
{
    return c == u'\n' || c == u'\r' || c.isNull();
}

// What the main loop does with an ASCII character: step over it, read a token starting there,
// or hand it to the detector it triggers. Everything else (most of a transcript) costs one
// table look-up.
enum CharClass : quint8 { Skip, Word, Trigger };

constexpr std::array<quint8, 128> charClasses = [] {
    std::array<quint8, 128> t{};
    for (int c = '0'; c <= '9'; ++c)
        t[size_t(c)] = Word;
    for (int c = 'a'; c <= 'z'; ++c)
        t[size_t(c)] = Word;
    for (int c = 'A'; c <= 'Z'; ++c)
        t[size_t(c)] = Word;
    t['_'] = Word;
    for (const char c : {'@', '\\', '/', '+', '(', '-'})
        t[size_t(c)] = Trigger;
    return t;
}();

// The first two characters of the tokens prefixed() looks for: eyJ (JWT), AKIA/ASIA (AWS),
// gh (GitHub), xox (Slack), sk_/rk_ (Stripe), S-1-5-21- (SIDs), IP_ (printer ports). By first
// character: the second; 'A' also takes 'S'.
constexpr std::array<char16_t, 128> prefixSecond = [] {
    std::array<char16_t, 128> t{};
    for (const auto &[first, second] : {std::pair{'e', 'y'}, {'A', 'K'}, {'g', 'h'}, {'x', 'o'},
                                        {'s', 'k'}, {'r', 'k'}, {'S', '-'}, {'I', 'P'}})
        t[size_t(first)] = char16_t(second);
    return t;
}();

// The characters that may follow a token that assignment() reads: a quote, a blank, '=' or ':'.
constexpr std::array<bool, 128> mayAssign = [] {
    std::array<bool, 128> t{};
    for (const char c : {'"', '\'', ' ', '\t', '=', ':'})
        t[size_t(c)] = true;
    return t;
}();

inline bool isTokenWordChar(char16_t c)
{
    return c < 128 ? charClasses[c] == Word : QChar(c).isLetterOrNumber();
}

// The two loops every character goes through — stepping over blanks and punctuation, reading a
// word — eight characters at a time where SSE2 is there (every x86-64), one at a time
// elsewhere. Both stop where the one-at-a-time loop would, at the first character it would
// not step over.
#if defined(__SSE2__) || defined(_M_X64)
#define CASEFILE_SCAN_SSE2 1
// Per character of `v`, all ones where it is [A-Za-z0-9_].
inline __m128i asciiWordMask(__m128i v)
{
    // Lower-cased by setting 0x20: A-Z become a-z, and nothing else lands in a-z. Values from
    // 0x8000 compare as negative, so they are neither letters nor digits.
    const __m128i lower = _mm_or_si128(v, _mm_set1_epi16(0x20));
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi16(lower, _mm_set1_epi16('a' - 1)),
                                         _mm_cmplt_epi16(lower, _mm_set1_epi16('z' + 1)));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi16(v, _mm_set1_epi16('0' - 1)),
                                        _mm_cmplt_epi16(v, _mm_set1_epi16('9' + 1)));
    const __m128i underscore = _mm_cmpeq_epi16(v, _mm_set1_epi16('_'));
    return _mm_or_si128(_mm_or_si128(letter, digit), underscore);
}

// Index (0–8) of the first character whose lanes in `mask` are clear; 8 when all are set.
inline int firstClear(__m128i mask)
{
    const unsigned bits = unsigned(_mm_movemask_epi8(mask)) ^ 0xffffu;
    return bits == 0 ? 8 : qCountTrailingZeroBits(bits) / 2;
}
#endif

// The first index from `i` that is not an ASCII word character ([A-Za-z0-9_]).
inline qsizetype asciiWordEnd(const char16_t *p, qsizetype i, qsizetype n)
{
#ifdef CASEFILE_SCAN_SSE2
    while (i + 8 <= n) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
        const int k = firstClear(asciiWordMask(v));
        i += k;
        if (k < 8)
            return i;
    }
#endif
    while (i < n && p[i] < 128 && charClasses[p[i]] == Word)
        ++i;
    return i;
}

// The end of the word at `i`, letters and digits of any script included; `ascii` is cleared
// when it has a non-ASCII one.
inline qsizetype wordEnd(const char16_t *p, qsizetype i, qsizetype n, bool &ascii)
{
    i = asciiWordEnd(p, i, n);
    while (i < n && p[i] >= 128 && QChar(p[i]).isLetterOrNumber()) {
        ascii = false;
        i = asciiWordEnd(p, i + 1, n);
    }
    return i;
}

// The first index from `i` that the main loop does not step over: not ASCII, a word character
// or a trigger.
inline qsizetype skipEnd(const char16_t *p, qsizetype i, qsizetype n)
{
#ifdef CASEFILE_SCAN_SSE2
    while (i + 8 <= n) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
        const __m128i high = _mm_and_si128(v, _mm_set1_epi16(qint16(0xff80)));
        const __m128i ascii = _mm_cmpeq_epi16(high, _mm_setzero_si128());
        // Spelled out: a loop over the six made GCC rebuild each constant on every block.
        const __m128i trigger = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16('@')),
                                      _mm_cmpeq_epi16(v, _mm_set1_epi16('\\'))),
                         _mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16('/')),
                                      _mm_cmpeq_epi16(v, _mm_set1_epi16('+')))),
            _mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16('(')),
                         _mm_cmpeq_epi16(v, _mm_set1_epi16('-'))));
        // Skip: ASCII, and neither a word character nor a trigger.
        const __m128i skip = _mm_andnot_si128(_mm_or_si128(asciiWordMask(v), trigger), ascii);
        const int k = firstClear(skip);
        i += k;
        if (k < 8)
            return i;
    }
#endif
    while (i < n && p[i] < 128 && charClasses[p[i]] == Skip)
        ++i;
    return i;
}

// Whether `word` is, ignoring ASCII case, one of `list` (lower case): no allocation, and most
// words are ruled out by their length.
template<size_t N>
bool inList(QStringView word, const std::string_view (&list)[N])
{
    for (const std::string_view &w : list) {
        if (size_t(word.size()) != w.size())
            continue;
        size_t i = 0;
        for (; i < w.size(); ++i) {
            char16_t c = word[qsizetype(i)].unicode();
            if (c >= u'A' && c <= u'Z')
                c += u'a' - u'A';
            if (c != char16_t(uchar(w[i])))
                break;
        }
        if (i == w.size())
            return true;
    }
    return false;
}

// Names no one would hide: accounts and folders every Windows or Unix system has.
bool isWellKnownUser(QStringView name)
{
    static constexpr std::string_view names[] = {
        "-", "administrator", "administrators", "all users", "anonymous", "authenticated users",
        "daemon", "default", "default user", "defaultaccount", "defaultuser0", "everyone", "guest",
        "guests", "krbtgt", "local", "local service", "n/a", "network service", "nobody", "public",
        "root", "syslog", "system", "users", "wdagutilityaccount", "www-data",
    };
    return inList(name, names);
}

// Left sides of NAME\NAME that are not domains: registry hives and the like.
bool isNotADomain(QStringView name)
{
    static constexpr std::string_view names[] = {
        "apppool", "authority", "builtin", "drivers", "font driver host", "hkcc", "hkcr", "hkcu",
        "hkey_classes_root", "hkey_current_config", "hkey_current_user", "hkey_local_machine",
        "hkey_users", "hklm", "hku", "nt", "progra~1", "service", "system32", "syswow64",
        "window manager", "windows", "workgroup",
    };
    return inList(name, names);
}

// Registrable domains of public services: naming them says nothing about a client.
bool isPublicDomain(QStringView registrable)
{
    static constexpr std::string_view names[] = {
        "aka.ms", "akamai.net", "akamaiedge.net", "amazonaws.com", "apple.com", "azure.com",
        "azure.net", "azureedge.net", "bing.com", "canonical.com", "cloudflare.com", "debian.org",
        "digicert.com", "example.com", "example.net", "example.org", "github.com",
        "githubusercontent.com", "google.com", "googleapis.com", "gstatic.com", "icloud.com",
        "letsencrypt.org", "live.com", "microsoft.com", "microsoftonline.com", "mozilla.org",
        "msedge.net", "msftconnecttest.com", "msftncsi.com", "msn.com", "ntp.org", "nuget.org",
        "office.com", "office.net", "office365.com", "outlook.com", "powershellgallery.com",
        "redhat.com", "ubuntu.com", "verisign.com", "windows.com", "windows.net",
        "windowsupdate.com",
    };
    return inList(registrable, names);
}

// Public suffixes whose first label is the client's own name (a storage account, a tenant).
bool isTenantSuffix(QStringView rest)
{
    static constexpr std::string_view names[] = {
        "azurewebsites.net", "blob.core.windows.net", "database.windows.net",
        "file.core.windows.net", "mail.protection.outlook.com", "onmicrosoft.com",
        "queue.core.windows.net", "sharepoint.com", "table.core.windows.net", "vault.azure.net",
    };
    return inList(rest, names);
}

// Group names every Active Directory has: a CN= of one of these is not a person.
bool isWellKnownGroup(QStringView name)
{
    static constexpr std::string_view names[] = {
        "account operators", "backup operators", "cert publishers", "domain admins",
        "domain computers", "domain controllers", "domain guests", "domain users",
        "enterprise admins", "group policy creator owners", "print operators", "protected users",
        "read only domain controllers", "remote desktop users", "schema admins", "server operators",
    };
    return inList(name, names);
}

// Values next to a password label that are not a password ("CannotChangePassword : False").
bool isNotASecretValue(QStringView value)
{
    static constexpr std::string_view words[] = {
        "''", "(none)", "-", "disabled", "enabled", "false", "n/a", "never", "no", "none", "null",
        "required", "true", "yes", "{}",
    };
    if (std::all_of(value.begin(), value.end(), [](QChar c) { return c == u'*'; }))
        return true; // masked
    return inList(value, words);
}

// Shannon entropy in bits per character: a random key is near log2 of its alphabet, a word or
// a repeated pattern far below.
double entropy(QStringView s)
{
    std::array<int, 129> counts{};
    std::array<quint8, 129> seen{}; // the distinct characters, so only those are summed
    int distinct = 0;
    for (const QChar c : s) {
        const size_t k = std::min<size_t>(c.unicode(), 128);
        if (counts[k]++ == 0)
            seen[size_t(distinct++)] = quint8(k);
    }
    double bits = 0;
    const double n = double(s.size());
    // log2 once per distinct count, not per distinct character (a key's characters mostly occur
    // once or twice): the same p gives the same log2, so the sum is bit for bit the same.
    std::array<double, 32> logOfCount;
    quint32 known = 0;
    for (int d = 0; d < distinct; ++d) {
        const int count = counts[seen[size_t(d)]];
        const double p = count / n;
        if (count >= 32) {
            bits -= p * std::log2(p);
            continue;
        }
        if (!(known & (1u << count))) {
            logOfCount[size_t(count)] = std::log2(p);
            known |= 1u << count;
        }
        bits -= p * logOfCount[size_t(count)];
    }
    return bits;
}

// Labels of "Label . . . : value" and "Label: value" lines, normalised to lower-case letters
// and digits, and what their value is.
enum class LabelKind { None, Host, Domain, User, Name, KnownName, Serial, Phone, CanonicalName };

struct Label
{
    std::string_view name;
    LabelKind kind;
};

constexpr std::array<Label, 62> labels = {{
    {"hostname", LabelKind::Host},          {"workstationname", LabelKind::Host},
    {"computername", LabelKind::Host},      {"computer", LabelKind::Host},
    {"machinename", LabelKind::Host},       {"dnshostname", LabelKind::Host},
    {"callercomputername", LabelKind::Host}, {"sourceworkstation", LabelKind::Host},
    {"clientname", LabelKind::Host},        {"domain", LabelKind::Domain},
    {"accountdomain", LabelKind::Domain},   {"primarydnssuffix", LabelKind::Domain},
    {"connectionspecificdnssuffix", LabelKind::Domain}, {"dnssuffixsearchlist", LabelKind::Domain},
    {"userdomain", LabelKind::Domain},      {"logondomain", LabelKind::Domain},
    {"dnsdomain", LabelKind::Domain},       {"dnsroot", LabelKind::Domain},
    {"accountname", LabelKind::User},       {"samaccountname", LabelKind::User},
    {"username", LabelKind::User},          {"user", LabelKind::User},
    {"targetusername", LabelKind::User},    {"subjectusername", LabelKind::User},
    {"logonuser", LabelKind::User},         {"owner", LabelKind::User},
    {"displayname", LabelKind::Name},       {"givenname", LabelKind::Name},
    {"surname", LabelKind::Name},           {"cn", LabelKind::Name},
    {"registeredowner", LabelKind::Name},   {"registeredorganization", LabelKind::Name},
    {"company", LabelKind::Name},           {"office", LabelKind::Name},
    {"streetaddress", LabelKind::Name},     {"physicaldeliveryofficename", LabelKind::Name},
    {"city", LabelKind::Name},              {"location", LabelKind::Name},
    {"name", LabelKind::KnownName},         {"serialnumber", LabelKind::Serial},
    {"serial", LabelKind::Serial},          {"serialno", LabelKind::Serial},
    {"servicetag", LabelKind::Serial},      {"identifyingnumber", LabelKind::Serial},
    {"productid", LabelKind::Serial},       {"partialproductkey", LabelKind::Serial},
    {"telephonenumber", LabelKind::Phone},  {"mobilephone", LabelKind::Phone},
    {"officephone", LabelKind::Phone},      {"homephone", LabelKind::Phone},
    {"mobile", LabelKind::Phone},           {"phone", LabelKind::Phone},
    {"phonenumber", LabelKind::Phone},      {"fax", LabelKind::Phone},
    {"ipphone", LabelKind::Phone},          {"facsimiletelephonenumber", LabelKind::Phone},
    {"telephone", LabelKind::Phone},        {"tel", LabelKind::Phone},
    {"pager", LabelKind::Phone},            {"postalcode", LabelKind::Name},
    {"canonicalname", LabelKind::CanonicalName}, {"homedrive", LabelKind::None},
}};

// Words that start something a detector reads on from: the first word of a label, a command
// whose output is a name, a parameter, a keyword before a secret. A word whose first letter and
// length no keyword has is ruled out by one bit test; the rest are hashed lower-cased and looked
// up, with no string work either way.
enum Role : quint16 {
    LabelStart = 1 << 0,  // first word of a label (only at the start of a line)
    Header = 1 << 1,      // hostname / SerialNumber on a line of its own, the value on the next
    Param = 1 << 2,       // -ComputerName X, -Server X
    UserParam = 1 << 13,  // -Identity X, -UserName X
    PasswordParam = 1 << 3, // -Password X
    NetUser = 1 << 4,
    SecureString = 1 << 5,
    Bearer = 1 << 6,
    KeyWord = 1 << 7,     // Key Content : X, key="…Password" value="X"
    Target = 1 << 8,      // cmdkey target=HOST
    UserWord = 1 << 9,    // for user X, invalid user X
    Accepted = 1 << 10,   // sshd: Accepted publickey for X from
    Month = 1 << 11,      // syslog: Mar 11 09:14:02 HOST
    Ldap = 1 << 12,       // CN=Name, DC=domain
};

struct Keyword
{
    std::string_view word;
    quint16 roles;
};

constexpr std::array<Keyword, 75> keywords = {{
    {"host", LabelStart},        {"hostname", LabelStart | Header}, {"workstation", LabelStart},
    {"computer", LabelStart},    {"computername", LabelStart | Header | Param},
    {"machinename", LabelStart}, {"dnshostname", LabelStart},  {"caller", LabelStart},
    {"source", LabelStart},      {"client", LabelStart},       {"clientname", LabelStart},
    {"domain", LabelStart},      {"account", LabelStart},      {"primary", LabelStart},
    {"dns", LabelStart},         {"connection", LabelStart},   {"userdomain", LabelStart},
    {"logon", LabelStart},       {"dnsroot", LabelStart},      {"cimsession", Param},
    {"user", LabelStart | UserWord | UserParam}, {"username", LabelStart | UserParam}, {"targetusername", LabelStart},
    {"subjectusername", LabelStart}, {"owner", LabelStart},   {"displayname", LabelStart},
    {"givenname", LabelStart},   {"surname", LabelStart},      {"cn", LabelStart | Ldap},
    {"dc", Ldap},                {"registered", LabelStart},   {"company", LabelStart},
    {"office", LabelStart},      {"streetaddress", LabelStart}, {"physicaldeliveryofficename", LabelStart},
    {"city", LabelStart},        {"location", LabelStart},     {"name", LabelStart},
    {"serialnumber", LabelStart | Header}, {"serial", LabelStart}, {"service", LabelStart},
    {"servicetag", LabelStart},  {"identifyingnumber", LabelStart | Header}, {"product", LabelStart},
    {"partial", LabelStart},     {"telephonenumber", LabelStart}, {"mobilephone", LabelStart},
    {"officephone", LabelStart}, {"homephone", LabelStart},    {"mobile", LabelStart},
    {"phone", LabelStart},       {"fax", LabelStart},          {"ipphone", LabelStart},
    {"facsimiletelephonenumber", LabelStart}, {"telephone", LabelStart}, {"tel", LabelStart},
    {"server", Param},           {"identity", UserParam},      {"password", PasswordParam},  {"net", NetUser},
    {"convertto", SecureString}, {"bearer", Bearer},           {"key", KeyWord},
    {"target", Target},          {"accepted", Accepted},       {"jan", Month},
    {"feb", Month},              {"mar", Month},               {"apr", Month},
    {"may", Month},              {"jun", Month},               {"pager", LabelStart},
    {"canonicalname", LabelStart}, {"postalcode", LabelStart}, {"samaccountname", LabelStart | UserParam},
}};
// The rest of the months: July to December.
constexpr std::array<std::string_view, 6> lateMonths = {"jul", "aug", "sep", "oct", "nov", "dec"};

constexpr quint32 hashStep(quint32 h, char16_t lower)
{
    return (h ^ lower) * 16777619u;
}

constexpr quint32 hashOf(std::string_view word)
{
    quint32 h = 2166136261u;
    for (const char c : word)
        h = hashStep(h, char16_t(c));
    return h;
}

// Open addressing over a power of two: the word's hash picks a slot, equal hashes are then
// compared in full.
class KeywordTable
{
public:
    KeywordTable()
    {
        for (const Keyword &k : keywords)
            insert(k.word, k.roles);
        for (const std::string_view m : lateMonths)
            insert(m, Month);
    }

    // Whether some keyword has this word's first letter and length: most words are ruled out
    // here, before they are hashed.
    bool mayBe(QStringView word) const
    {
        const char16_t c = word.front().unicode();
        if (word.size() >= 32 || c >= 128 || !(m_lengthsByFirst[c] & (1u << word.size())))
            return false;
        // And its last letter: "Running", "Stopped" and "Automatic" share first letters and
        // lengths with keywords, not last letters.
        const char16_t last = word.back().unicode() | 0x20;
        return last >= u'a' && last <= u'z' && (m_lastsByFirst[c] & (1u << (last - u'a')));
    }

    quint16 roles(QStringView word) const
    {
        if (word.size() >= 32 || !(m_lengths & (1u << word.size())))
            return 0;
        quint32 hash = 2166136261u;
        for (const QChar ch : word) {
            char16_t c = ch.unicode();
            if (c >= 128)
                continue; // as the table was built: only ASCII is hashed (and none matches)
            if (c >= u'A' && c <= u'Z')
                c += u'a' - u'A';
            hash = hashStep(hash, c);
        }
        for (quint32 slot = hash & (size - 1);; slot = (slot + 1) & (size - 1)) {
            const Entry &e = m_entries[slot];
            if (e.word.empty())
                return 0;
            if (e.hash == hash && equalsLower(word, e.word))
                return e.roles;
        }
    }

    static bool equalsLower(QStringView word, std::string_view lower)
    {
        if (size_t(word.size()) != lower.size())
            return false;
        for (size_t i = 0; i < lower.size(); ++i) {
            char16_t c = word[qsizetype(i)].unicode();
            if (c >= u'A' && c <= u'Z')
                c += u'a' - u'A';
            if (c != char16_t(lower[i]))
                return false;
        }
        return true;
    }

private:
    static constexpr quint32 size = 256;
    struct Entry
    {
        std::string_view word;
        quint32 hash = 0;
        quint16 roles = 0;
    };

    void insert(std::string_view word, quint16 roles)
    {
        const quint32 h = hashOf(word);
        quint32 slot = h & (size - 1);
        while (!m_entries[slot].word.empty())
            slot = (slot + 1) & (size - 1);
        m_entries[slot] = {word, h, roles};
        m_lengths |= 1u << word.size();
        const char first = word.front();
        m_lengthsByFirst[size_t(uchar(first))] |= 1u << word.size();
        m_lengthsByFirst[size_t(uchar(first - 'a' + 'A'))] |= 1u << word.size();
        const quint32 last = 1u << (word.back() - 'a');
        m_lastsByFirst[size_t(uchar(first))] |= last;
        m_lastsByFirst[size_t(uchar(first - 'a' + 'A'))] |= last;
    }

    std::array<Entry, size> m_entries{};
    quint32 m_lengths = 0;
    std::array<quint32, 128> m_lengthsByFirst{}; // by first letter (either case): lengths
    std::array<quint32, 128> m_lastsByFirst{};   // by first letter: last letters (bit 0 'a')
};

const KeywordTable &keywordTable()
{
    static const KeywordTable table;
    return table;
}

class Scan
{
public:
    explicit Scan(QStringView text)
        : m_text(text)
        , m_keywords(keywordTable())
    {
    }

    QList<Finding> run()
    {
        const QChar *p = m_text.data();
        const char16_t *text = m_text.utf16();
        const qsizetype n = m_text.size();
        // Room for one finding per 256 characters (dense transcripts have one per ~130, mixed
        // sessions one per ~340) without growing the list a dozen times on the way.
        m_found.reserve(n / 256);
        qsizetype i = 0;
        while (i < n) {
            const char16_t c = p[i].unicode();
            if (c < 128) {
                const quint8 cls = charClasses[c];
                if (cls == Skip) {
                    i = skipEnd(text, i + 1, n);
                    continue;
                }
                const qsizetype next = cls == Word ? token(i) : trigger(i);
                i = std::max(next, i + 1);
            } else if (QChar(c).isLetterOrNumber()) {
                // A word in another script: not a start of anything, but not a boundary either.
                ++i;
                while (i < n && isTokenWordChar(p[i].unicode()))
                    ++i;
            } else {
                ++i;
            }
        }
        return resolveOverlaps();
    }

private:
    QChar at(qsizetype i) const { return i >= 0 && i < m_text.size() ? m_text[i] : QChar(); }
    // m_text.mid(from, to - from), clamped the same way, but inline: it runs several times per
    // word and QStringView::mid is an out-of-line call.
    QStringView mid(qsizetype from, qsizetype to) const
    {
        return clampedMid(m_text, from, to - from);
    }

    static QStringView clampedMid(QStringView text, qsizetype pos, qsizetype n)
    {
        const qsizetype size = text.size();
        if (pos > size)
            return {};
        if (pos < 0) {
            if (n < 0 || n + pos >= size)
                return text;
            if (n + pos <= 0)
                return {};
            n += pos;
            pos = 0;
        } else if (size_t(n) > size_t(size - pos)) {
            n = size - pos;
        }
        return QStringView(text.data() + pos, n);
    }

    void add(Finding::Type type, qsizetype start, qsizetype length, QString key = {})
    {
        if (length <= 0)
            return;
        Finding f;
        f.type = type;
        f.start = start;
        f.length = length;
        f.value = mid(start, start + length).toString();
        f.key = key.isEmpty() ? keyOf(type, f.value) : std::move(key);
        m_found.append(std::move(f));
    }

    // Finding::keyFor(type, value), without its string temporaries: the same part of the value,
    // lower-cased in one pass for ASCII, and the value itself (shared, no copy) when that is
    // already its key. Service labels are still asked of Finding, so the two cannot drift apart.
    static QString keyOf(Finding::Type type, const QString &value)
    {
        QStringView v = value;
        switch (type) {
        case Finding::Type::Host: {
            const qsizetype dot = v.indexOf(u'.');
            if (dot > 0 && !Finding::isServiceLabel(v.left(dot)))
                v = v.left(dot);
            break;
        }
        case Finding::Type::Domain: {
            qsizetype dot = v.indexOf(u'.');
            while (dot > 0 && Finding::isServiceLabel(v.left(dot))
                   && v.indexOf(u'.', dot + 1) > 0) {
                v = v.mid(dot + 1);
                dot = v.indexOf(u'.');
            }
            if (dot > 0)
                v = v.left(dot);
            break;
        }
        case Finding::Type::User: {
            const qsizetype slash = v.lastIndexOf(u'\\');
            if (slash >= 0)
                v = v.mid(slash + 1);
            const qsizetype at = v.indexOf(u'@');
            if (at > 0)
                v = v.left(at);
            break;
        }
        default:
            break;
        }
        bool upper = false;
        for (const QChar c : v) {
            if (c.unicode() >= 128)
                return v.toString().toLower(); // full Unicode case mapping, as keyFor does
            upper = upper || (c >= u'A' && c <= u'Z');
        }
        if (!upper && v.size() == value.size())
            return value;
        QString key(v.size(), Qt::Uninitialized);
        QChar *out = key.data();
        for (const QChar c : v)
            *out++ = (c >= u'A' && c <= u'Z') ? QChar(c.unicode() + (u'a' - u'A')) : c;
        return key;
    }

    // No overlaps (two placeholders for one text): secrets first, whole, then the rest where
    // they do not touch a kept finding; among equals the earlier start wins.
    QList<Finding> resolveOverlaps()
    {
        // The usual case: the pass found everything in order and nothing overlaps.
        bool clean = true;
        for (qsizetype k = 1; k < m_found.size() && clean; ++k)
            clean = m_found[k - 1].start + m_found[k - 1].length <= m_found[k].start;
        if (clean)
            return std::move(m_found);
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

    // ---- helpers reading a bounded stretch ----

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

    qsizetype skipBlanks(qsizetype i, qsizetype limit = 64) const
    {
        const qsizetype from = i;
        while ((at(i) == u' ' || at(i) == u'\t') && i - from < limit)
            ++i;
        return i;
    }

    // Whether only blanks stand between the start of the line and `s` (bounded look-back).
    bool startsLine(qsizetype s) const
    {
        qsizetype j = s;
        while (j > 0 && s - j < 64 && (m_text[j - 1] == u' ' || m_text[j - 1] == u'\t'))
            --j;
        return j == 0 || m_text[j - 1] == u'\n' || m_text[j - 1] == u'\r';
    }

    // The end of the line `i` is on, at most `limit` further.
    qsizetype lineEnd(qsizetype i, qsizetype limit = 256) const
    {
        const qsizetype from = i;
        while (i < m_text.size() && i - from < limit && m_text[i] != u'\n' && m_text[i] != u'\r')
            ++i;
        return i;
    }

    // `i` past a line break ("\n", "\r\n", wmic's "\r\r\n"), or -1 when there is none at `i`.
    qsizetype pastLineBreak(qsizetype i) const
    {
        const qsizetype from = i;
        while (at(i) == u'\r' && i - from < 3)
            ++i;
        if (at(i) == u'\n')
            return i + 1;
        return i > from ? i : -1;
    }

    static bool isAllDigitsAndDots(QStringView s)
    {
        return std::all_of(s.begin(), s.end(), [](QChar c) { return isAsciiDigit(c) || c == u'.'; });
    }

    // ---- triggers ----

    qsizetype trigger(qsizetype i)
    {
        switch (m_text[i].unicode()) {
        case u'@':
            return address(i);
        case u'\\':
            return backslash(i);
        case u'/':
            return slash(i);
        case u'+':
            return internationalPhone(i);
        case u'(':
            return areaCodePhone(i);
        case u'-':
            return dash(i);
        }
        return i + 1;
    }

    // ---- tokens ----

    // A token: a word ([A-Za-z0-9_]) and whatever dotted or dashed words follow it
    // (dc01.contoso.local, PC-FRONTDESK, S-1-5-21-…, 10.0.19045.3693). Read once, then
    // classified by what it starts with, what it is and what follows it.
    qsizetype token(qsizetype s)
    {
        const QChar *p = m_text.data();
        const qsizetype n = m_text.size();
        if (s > 0 && isTokenWordChar(p[s - 1].unicode())) {
            // Resumed inside a word a detector stopped in: not the start of anything.
            qsizetype j = s;
            while (j < n && isTokenWordChar(p[j].unicode()))
                ++j;
            return j;
        }
        const char16_t *text = m_text.utf16();
        bool ascii = true;
        qsizetype j = wordEnd(text, s, n, ascii);
        const qsizetype firstEnd = j;
        // Keywords are ASCII: a first word with another letter in it is none.
        const bool firstAscii = ascii;
        qsizetype lastWord = s;
        int dots = 0;
        int dashes = 0;
        while (j + 1 < n && (p[j] == u'.' || p[j] == u'-') && isTokenWordChar(p[j + 1].unicode())) {
            (p[j] == u'.' ? dots : dashes) += 1;
            ++j;
            lastWord = j;
            j = wordEnd(text, j, n, ascii);
        }
        const qsizetype e = j;
        const QChar first = p[s];
        const char16_t afterWord = firstEnd < n ? p[firstEnd].unicode() : u'\0';

        // Every number detector needs a '-', ':' or '.' right after the first word (00-15-5d…,
        // 10.20…, fe80:…, 555-…): "default" or "Ethernet" costs this test, not four calls.
        if (isHex(first) && (afterWord == u'-' || afterWord == u':' || afterWord == u'.')) {
            if (const qsizetype r = number(s, firstEnd - s, afterWord, e, dashes); r > s)
                return r;
        }
        const char16_t second = s + 1 < n ? p[s + 1].unicode() : u'\0';
        if ((first.unicode() < 128 && prefixSecond[first.unicode()] != 0
             && (second == prefixSecond[first.unicode()] || (first == u'A' && second == u'S')))
            || (dashes == 4 && e - s == 29)) {
            if (const qsizetype r = prefixed(s, e, dashes); r > s)
                return r;
        }
        const QStringView word(p + s, firstEnd - s);
        if (firstAscii && m_keywords.mayBe(word)) {
            if (const quint16 roles = m_keywords.roles(word)) {
                if (const qsizetype r = keyword(roles, s, firstEnd, e); r > s)
                    return r;
            }
        }
        // An assignment needs '=' or ':' after the token, an optional quote and up to 8 blanks
        // (what assignment() reads first): table columns padded with blanks end here.
        if (e < n && text[e] < 128 && mayAssign[text[e]]) {
            qsizetype k = e;
            if (p[k] == u'"' || p[k] == u'\'')
                ++k;
            const qsizetype blanks = k;
            while (k < n && k - blanks < 8 && (p[k] == u' ' || p[k] == u'\t'))
                ++k;
            if (k < n && (p[k] == u'=' || p[k] == u':')) {
                if (const qsizetype r = assignment(s, lastWord, e); r > s)
                    return r;
            }
        }
        if (dots > 0 && ascii)
            hostName(s, e, dots);
        if (isAsciiDigit(first)) {
            // The rest of a time or a colon-separated number (09:14:02.417): its digits start
            // nothing.
            qsizetype k = e;
            while (k + 1 < n && p[k] == u':' && isHex(p[k + 1])) {
                k += 2;
                while (k < n && (isHex(p[k]) || (p[k] == u'.' && isAsciiDigit(at(k + 1)))))
                    ++k;
            }
            return k;
        }
        return e;
    }

    // ---- numbers: IPv4, IPv6, MAC, BitLocker recovery keys, phone numbers ----

    // Each detector is asked only when the first group fits it: `firstLength` characters
    // followed by `separator` (a date's "2026-" is none of them, a time's "09:" only possibly
    // IPv6 or a MAC).
    qsizetype number(qsizetype i, qsizetype firstLength, char16_t separator, qsizetype tokenEnd,
                     int dashes)
    {
        // 00-15-5d-…, 00:15:5d:…, 0015.5d01.0203
        if ((firstLength == 2 && separator != u'.') || (firstLength == 4 && separator == u'.')) {
            if (qsizetype e = mac(i); e > i)
                return e;
        }
        if (firstLength <= 3 && separator == u'.' && isAsciiDigit(m_text[i])) {
            if (qsizetype e = ipv4(i); e > i)
                return e;
        }
        if (firstLength <= 4 && separator == u':') {
            if (qsizetype e = ipv6(i); e > i)
                return e;
        }
        if (dashes == 7 && recoveryKey(i, tokenEnd)) {
            add(Finding::Type::RecoveryKey, i, tokenEnd - i);
            return tokenEnd;
        }
        // 555-123-4567, 1-555-123-4567
        if ((firstLength == 3 || firstLength == 1) && separator != u':') {
            if (qsizetype e = dashedPhone(i); e > i)
                return e;
        }
        return i;
    }

    bool recoveryKey(qsizetype s, qsizetype e) const
    {
        // 8 groups of 6 digits: 417494-222464-…
        if (e - s != 8 * 6 + 7)
            return false;
        for (qsizetype k = 0; k < e - s; ++k) {
            const QChar c = m_text[s + k];
            if ((k % 7 == 6) ? c != u'-' : !isAsciiDigit(c))
                return false;
        }
        return true;
    }

    qsizetype ipv4(qsizetype i)
    {
        qsizetype j = i;
        int parts = 0;
        std::array<int, 4> octets{};
        while (parts < 4) {
            qsizetype k = j;
            int value = 0;
            while (k < m_text.size() && isAsciiDigit(m_text[k]) && k - j < 3) {
                value = value * 10 + (m_text[k].unicode() - u'0');
                ++k;
            }
            if (k == j || value > 255 || (k - j > 1 && m_text[j] == u'0'))
                return i;
            octets[size_t(parts++)] = value;
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
        // Loopback, "any" and net masks are the same on every network: they stay.
        const quint32 bits = quint32(octets[0]) << 24 | quint32(octets[1]) << 16 | quint32(octets[2]) << 8
                             | quint32(octets[3]);
        const bool mask = bits != 0 && ((~bits + 1) & ~bits) == 0;
        // Version=13.0.0.0, oldVersion="0.0.0.0-13.0.0.0": assembly versions, not addresses.
        qsizetype b = i;
        if (at(b - 1) == u'"' || at(b - 1) == u'\'')
            --b;
        if (mid(std::max<qsizetype>(0, b - 8), b).compare(u"version=", Qt::CaseInsensitive) == 0
            || mid(std::max<qsizetype>(0, b - 8), b).compare(u"version ", Qt::CaseInsensitive) == 0
            || (at(i - 1) == u'-' && m_versionEnd == i - 1)) {
            m_versionEnd = j;
            return j;
        }
        if (octets[0] == 127 || bits == 0 || mask)
            return j;
        add(Finding::Type::Ipv4, i, j - i);
        return j;
    }

    qsizetype ipv6(qsizetype i)
    {
        qsizetype j = i;
        int colons = 0;
        bool doubleColon = false; // "::", noted while reading rather than searched for after
        while (j < m_text.size() && j - i < 45 && (isHex(m_text[j]) || m_text[j] == u':' || m_text[j] == u'.')) {
            if (m_text[j] == u':') {
                doubleColon = doubleColon || (j > i && m_text[j - 1] == u':');
                ++colons;
            }
            ++j;
        }
        if (colons < 2 || isWordChar(at(j)))
            return i;
        // Without "::" an address has seven colons (six before a dotted IPv4 tail): times like
        // 09:14:02 are not worth a parse.
        if (colons < 6 && !doubleColon)
            return i;
        // A zone ("%12", "%eth0") belongs to the address but says nothing: keep it.
        const QString candidate = m_text.mid(i, j - i).toString();
        QHostAddress address;
        if (!address.setAddress(candidate) || address.protocol() != QAbstractSocket::IPv6Protocol)
            return i;
        if (address.isLoopback() || address == QHostAddress(QHostAddress::AnyIPv6))
            return j;
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
        if (!isHex(at(i + 1)))
            return i;
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

    // Digits from `j`; how many.
    int digits(qsizetype &j, int limit) const
    {
        int count = 0;
        while (isAsciiDigit(at(j)) && count < limit + 1) {
            ++j;
            ++count;
        }
        return count;
    }

    // Whether a phone number may end at `j`: not inside a longer number, word or version.
    bool phoneEndsAt(qsizetype j) const
    {
        const QChar c = at(j);
        if (isWordChar(c))
            return false;
        return !((c == u'.' || c == u'-' || c == u':' || c == u'/') && isAsciiDigit(at(j + 1)));
    }

    // 555-123-4567, 555.123.4567, 1-555-123-4567: the North American form, one separator.
    qsizetype dashedPhone(qsizetype i)
    {
        qsizetype j = i;
        if (at(j) == u'1' && (at(j + 1) == u'-' || at(j + 1) == u'.') && isAsciiDigit(at(j + 2)))
            j += 2;
        const QChar sep = at(j + 3);
        if (sep != u'-' && sep != u'.')
            return i;
        if (qsizetype k = j; digits(k, 3) != 3 || at(k) != sep)
            return i;
        j += 4;
        if (qsizetype k = j; digits(k, 3) != 3 || at(k) != sep)
            return i;
        j += 4;
        qsizetype k = j;
        if (digits(k, 4) != 4 || !phoneEndsAt(k))
            return i;
        add(Finding::Type::Phone, i, k - i, phoneKey(i, k));
        return k;
    }

    // (555) 123-4567
    qsizetype areaCodePhone(qsizetype i)
    {
        qsizetype j = i + 1;
        if (digits(j, 3) != 3 || at(j) != u')' || isWordChar(at(i - 1)))
            return i + 1;
        ++j;
        if (at(j) == u' ')
            ++j;
        if (qsizetype k = j; digits(k, 3) != 3 || (at(k) != u'-' && at(k) != u' ' && at(k) != u'.'))
            return i + 1;
        j += 4;
        qsizetype k = j;
        if (digits(k, 4) != 4 || !phoneEndsAt(k))
            return i + 1;
        add(Finding::Type::Phone, i, k - i, phoneKey(i, k));
        return k;
    }

    // +44 20 7946 0958, +1 (555) 123-4567, +49 (0)30 1234567, +447700900123: a country code
    // and groups of digits with single separators, 8 to 15 digits in all.
    qsizetype internationalPhone(qsizetype i)
    {
        if (!isAsciiDigit(at(i + 1)) || isWordChar(at(i - 1)) || at(i - 1) == u'+')
            return i + 1;
        qsizetype j = i + 1;
        int total = 0;
        int groups = 0;
        qsizetype end = i;
        while (j - i < 32) {
            if (at(j) == u'(') {
                qsizetype k = j + 1;
                const int d = digits(k, 4);
                if (d == 0 || d > 4 || at(k) != u')')
                    break;
                total += d;
                j = k + 1;
                if (at(j) == u' ' && isAsciiDigit(at(j + 1)))
                    ++j;
                continue;
            }
            const int d = digits(j, 15);
            if (d == 0)
                break;
            total += d;
            ++groups;
            end = j;
            const QChar c = at(j);
            if ((c == u' ' || c == u'-' || c == u'.') && (isAsciiDigit(at(j + 1)) || at(j + 1) == u'('))
                ++j;
            else if (c != u'(')
                break;
        }
        if (total < 8 || total > 15 || !phoneEndsAt(end) || (groups < 2 && total < 10))
            return i + 1;
        add(Finding::Type::Phone, i, end - i, phoneKey(i, end));
        return end;
    }

    // One number however it is written: its digits.
    QString phoneKey(qsizetype s, qsizetype e) const
    {
        QString key;
        for (qsizetype k = s; k < e; ++k) {
            if (isAsciiDigit(m_text[k]))
                key += m_text[k];
        }
        return key;
    }

    // ---- secrets and keys a token starts with ----

    qsizetype prefixed(qsizetype s, qsizetype e, int dashes)
    {
        // Inline: QStringView::startsWith is an out-of-line call, and this runs for every word.
        const auto starts = [&](QLatin1StringView prefix) {
            if (m_text.size() - s < prefix.size())
                return false;
            for (qsizetype k = 0; k < prefix.size(); ++k) {
                if (m_text[s + k].unicode() != char16_t(uchar(prefix.data()[k])))
                    return false;
            }
            return true;
        };
        const auto wordRun = [&](qsizetype from, qsizetype limit) {
            qsizetype k = from;
            while (k < m_text.size() && k - from < limit && isWordChar(m_text[k]))
                ++k;
            return k;
        };
        switch (m_text[s].unicode()) {
        case u'e':
            // JWTs: three base64url parts, the first a JSON header ("eyJ").
            if (starts(QLatin1StringView("eyJ"))) {
                qsizetype k = s;
                int dots = 0;
                while (k < m_text.size() && k - s < 8192
                       && (isWordChar(m_text[k]) || m_text[k] == u'-' || (m_text[k] == u'.' && dots < 2))) {
                    dots += m_text[k] == u'.';
                    ++k;
                }
                if (dots == 2 && k - s >= 20 && at(k - 1) != u'.') {
                    add(Finding::Type::Secret, s, k - s);
                    return k;
                }
            }
            break;
        case u'A':
            // AWS access keys by their published prefixes.
            if (starts(QLatin1StringView("AKIA")) || starts(QLatin1StringView("ASIA"))) {
                qsizetype k = s + 4;
                while (k < m_text.size() && k - s < 20 && (isAsciiDigit(m_text[k]) || (m_text[k] >= u'A' && m_text[k] <= u'Z')))
                    ++k;
                if (k - s == 20 && !isWordChar(at(k))) {
                    add(Finding::Type::Secret, s, k - s);
                    return k;
                }
            }
            break;
        case u'g':
            // GitHub tokens.
            for (const char *prefix : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"}) {
                const QLatin1StringView pre(prefix);
                if (starts(pre)) {
                    const qsizetype k = wordRun(s + pre.size(), 255);
                    if (k - s - pre.size() >= 20) {
                        add(Finding::Type::Secret, s, k - s);
                        return k;
                    }
                }
            }
            break;
        case u'x':
            // Slack: xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxe- and dashed digits and letters.
            if (starts(QLatin1StringView("xox")) && QStringView(u"abprse").contains(at(s + 3)) && at(s + 4) == u'-'
                && e - s >= 15) {
                add(Finding::Type::Secret, s, e - s);
                return e;
            }
            break;
        case u's':
        case u'r':
            // Stripe-style live and test secret keys.
            for (const char *prefix : {"sk_live_", "sk_test_", "rk_live_", "rk_test_"}) {
                const QLatin1StringView pre(prefix);
                if (starts(pre)) {
                    const qsizetype k = wordRun(s + pre.size(), 255);
                    if (k - s - pre.size() >= 16) {
                        add(Finding::Type::Secret, s, k - s);
                        return k;
                    }
                }
            }
            break;
        case u'S':
            if (starts(QLatin1StringView("S-1-5-21-")))
                return sid(s, e);
            break;
        case u'I':
            // Printer ports: IP_10.20.30.50
            if (starts(QLatin1StringView("IP_")) && isAsciiDigit(at(s + 3))) {
                if (const qsizetype k = ipv4(s + 3); k > s + 3)
                    return k;
            }
            break;
        }
        if (dashes == 4 && e - s == 29 && productKey(s))
            return e;
        return s;
    }

    // S-1-5-21-…: machine and domain SIDs; the well-known ones (S-1-5-18, S-1-5-32-544 …) stay.
    qsizetype sid(qsizetype s, qsizetype e)
    {
        if (at(s - 1) == u'-')
            return s;
        qsizetype k = s + 9;
        int groups = 0;
        while (k < e && isAsciiDigit(at(k))) {
            while (isAsciiDigit(at(k)))
                ++k;
            ++groups;
            if (at(k) == u'-' && isAsciiDigit(at(k + 1)))
                ++k;
            else
                break;
        }
        if (groups < 3 || isWordChar(at(k)))
            return s;
        add(Finding::Type::Sid, s, k - s, m_text.mid(s, k - s).toString().toUpper());
        return k;
    }

    // XXXXX-XXXXX-XXXXX-XXXXX-XXXXX: five groups of five capitals and digits, some digits.
    bool productKey(qsizetype s)
    {
        bool digit = false;
        for (qsizetype k = 0; k < 29; ++k) {
            const QChar c = m_text[s + k];
            if (k % 6 == 5) {
                if (c != u'-')
                    return false;
            } else if (isAsciiDigit(c)) {
                digit = true;
            } else if (!(c >= u'A' && c <= u'Z')) {
                return false;
            }
        }
        if (!digit)
            return false;
        add(Finding::Type::ProductKey, s, 29);
        return true;
    }

    // ---- keywords ----

    qsizetype keyword(quint16 roles, qsizetype s, qsizetype firstEnd, qsizetype e)
    {
        const QChar before = at(s - 1);
        if ((roles & LabelStart) && startsLine(s)) {
            if (const qsizetype r = label(s); r > s)
                return r;
        }
        if ((roles & Header) && firstEnd == e) {
            if (const qsizetype r = header(s, e); r > s)
                return r;
        }
        if ((roles & (Param | PasswordParam | UserParam)) && before == u'-' && firstEnd == e && at(e) == u' '
            && (s < 2 || at(s - 2).isSpace())) {
            const qsizetype v = skipBlanks(e);
            if (at(v) == u'$' || at(v) == u'(')
                return e; // a variable or an expression
            if (roles & PasswordParam)
                return secretValue(v, 1, false);
            if (roles & Param)
                return hostList(v);
            return accountAt(v);
        }
        if ((roles & NetUser) && firstEnd == e && mid(e, e + 6).compare(u" user ", Qt::CaseInsensitive) == 0)
            return netUser(e + 6);
        if ((roles & SecureString) && e - s == 22
            && mid(s, e).compare(QLatin1StringView("convertto-securestring"), Qt::CaseInsensitive) == 0) {
            const qsizetype v = skipBlanks(e);
            if (at(v) == u'"' || at(v) == u'\'')
                return secretValue(v, 1, false);
            return e;
        }
        if ((roles & Bearer) && firstEnd == e && at(e) == u' ')
            return secretValue(e, 16, false);
        if ((roles & KeyWord) && firstEnd == e) {
            if (const qsizetype r = keyWord(s, e); r > s)
                return r;
        }
        if ((roles & Target) && at(e) == u'=') {
            const qsizetype v = e + 1;
            const qsizetype end = nameEnd(v, 255);
            if (end > v && (at(end).isSpace() || end == m_text.size()) && !isAllDigitsAndDots(mid(v, end)))
                addHost(v, end);
            return std::max(end, e);
        }
        if ((roles & UserWord) && firstEnd == e && at(e) == u' ') {
            // sshd, sudo, PAM: "for user X", "invalid user X"
            const QStringView before4 = mid(std::max<qsizetype>(0, s - 4), s);
            const QStringView before8 = mid(std::max<qsizetype>(0, s - 8), s);
            if (before4.compare(u"for ", Qt::CaseInsensitive) == 0 || before8.compare(u"invalid ", Qt::CaseInsensitive) == 0)
                return userAt(e + 1);
        }
        if ((roles & Accepted) && firstEnd == e && at(e) == u' ') {
            // sshd: Accepted publickey for alice from 198.51.100.7
            qsizetype k = e + 1;
            const qsizetype method = k;
            while (k - method < 32 && (isWordChar(at(k)) || at(k) == u'-' || at(k) == u'/'))
                ++k;
            if (k > method && mid(k, k + 5) == u" for ")
                return userAt(k + 5);
        }
        if ((roles & Month) && firstEnd == e && startsLine(s))
            return syslogHost(e);
        if ((roles & Ldap) && at(e) == u'=')
            return ldap(s, e);
        return s;
    }

    // A user name at `v` ending at a blank, a '(' or the end of the line.
    qsizetype userAt(qsizetype v)
    {
        const qsizetype end = nameEnd(v, 104);
        if (end > v && !isWellKnownUser(mid(v, end)) && !isWordChar(at(end)))
            add(Finding::Type::User, v, end - v);
        return std::max(end, v);
    }

    // An account given on a command line (-Identity X, /user:X): DOMAIN\user and addresses
    // are left to their own detectors, a bare name is a user.
    qsizetype accountAt(qsizetype v)
    {
        const bool quoted = at(v) == u'"' || at(v) == u'\'';
        v += quoted;
        const qsizetype end = nameEnd(v, 104);
        if (end == v || at(end) == u'\\' || at(end) == u'@')
            return v;
        const QChar after = at(end);
        if (!(after.isSpace() || after.isNull() || after == u'"' || after == u'\'' || after == u';' || after == u','))
            return end;
        if (m_text[end - 1] == u'$')
            addHost(v, end);
        else if (!isWellKnownUser(mid(v, end)))
            add(Finding::Type::User, v, end - v);
        return end;
    }

    void addHost(qsizetype s, qsizetype e)
    {
        if (e > s && m_text[e - 1] == u'$')
            --e; // a computer account: PC-FRONTDESK$
        const QStringView host = mid(s, e);
        if (host.isEmpty() || host == u"-" || host.compare(u"localhost", Qt::CaseInsensitive) == 0)
            return;
        add(Finding::Type::Host, s, e - s);
    }

    // -ComputerName PC01,PC02 / -ComputerName "PC01"
    qsizetype hostList(qsizetype v)
    {
        qsizetype k = v;
        for (int n = 0; n < 64; ++n) {
            const bool quoted = at(k) == u'"' || at(k) == u'\'';
            if (quoted)
                ++k;
            const qsizetype end = nameEnd(k, 255);
            if (end == k)
                return k;
            if (isAllDigitsAndDots(mid(k, end)))
                return k; // an address: the IPv4 detector takes it
            addHost(k, end);
            k = end + (quoted && (at(end) == u'"' || at(end) == u'\''));
            if (at(k) != u',')
                return k;
            k = skipBlanks(k + 1);
        }
        return k;
    }

    // net user NAME PASSWORD [/options]
    qsizetype netUser(qsizetype e)
    {
        qsizetype n = e;
        while (n < m_text.size() && n - e < 256 && !m_text[n].isSpace())
            ++n; // the account
        qsizetype p = n;
        while (at(p) == u' ')
            ++p;
        if (at(p) == u'/' || at(p) == u'*' || p >= m_text.size() || m_text[p].isSpace())
            return e; // an option, "*" (asks), or nothing: the account is read as usual
        return secretValue(p, 1, false);
    }

    // "Key Content : X" (netsh wlan … key=clear) and key="DbPassword" value="X" (web.config).
    qsizetype keyWord(qsizetype s, qsizetype e)
    {
        if (mid(e, e + 8) == u" Content") {
            qsizetype c = skipBlanks(e + 8);
            if (at(c) != u':')
                return s;
            const qsizetype v = skipBlanks(c + 1);
            qsizetype end = lineEnd(v, 512);
            while (end > v && (m_text[end - 1] == u' ' || m_text[end - 1] == u'\t'))
                --end;
            add(Finding::Type::Secret, v, end - v);
            return end;
        }
        if (at(e) == u'=' && (at(e + 1) == u'"' || at(e + 1) == u'\'')) {
            const QChar quote = at(e + 1);
            const qsizetype nameStart = e + 2;
            qsizetype nameStop = nameStart;
            while (nameStop - nameStart < 128 && !at(nameStop).isNull() && at(nameStop) != quote && !isLineEnd(at(nameStop)))
                ++nameStop;
            const int strength = secretStrength(mid(nameStart, nameStop));
            if (at(nameStop) != quote)
                return s;
            if (strength == 0)
                return nameStop + 1; // key="ClientValidationEnabled": its value is no secret
            const qsizetype stop = lineEnd(nameStop, 160);
            const qsizetype valueAttr = mid(nameStop, stop).indexOf(QLatin1StringView("value="), 0, Qt::CaseInsensitive);
            if (valueAttr < 0)
                return nameStop + 1;
            return secretValue(nameStop + valueAttr + 6, 1, strength == 1);
        }
        return s;
    }

    // A value on its own line after the line holding only its name: `hostname`, wmic's
    // "SerialNumber" column, a Select-Object header underlined with dashes.
    qsizetype header(qsizetype s, qsizetype e)
    {
        qsizetype k = e;
        const bool computerName = mid(s, e).compare(u"computername", Qt::CaseInsensitive) == 0;
        if (computerName && at(k) == u'%')
            ++k; // echo %COMPUTERNAME%
        // hostname -f, hostname -s
        if (at(k) == u' ' && at(k + 1) == u'-' && isAsciiLetter(at(k + 2)) && !isWordChar(at(k + 3)))
            k += 3;
        k = skipBlanks(k);
        qsizetype line = pastLineBreak(k);
        if (line < 0)
            return s;
        qsizetype v = skipBlanks(line);
        if (at(v) == u'-' && at(v + 1) == u'-' && at(v + 2) == u'-') {
            const qsizetype dashesEnd = lineEnd(v);
            line = pastLineBreak(skipBlanks(dashesEnd));
            if (line < 0)
                return s;
            v = skipBlanks(line);
        }
        const qsizetype end = nameEnd(v, 255);
        if (end == v || !isLineEnd(at(skipBlanks(end))))
            return s;
        const bool serial = !computerName && mid(s, e).compare(u"hostname", Qt::CaseInsensitive) != 0;
        if (serial)
            addSerial(v, end);
        else if (!isAllDigitsAndDots(mid(v, end)))
            addHost(v, end);
        return end;
    }

    void addSerial(qsizetype v, qsizetype end)
    {
        const QStringView value = mid(v, end);
        const bool hasDigit = std::any_of(value.begin(), value.end(), isAsciiDigit);
        if (value.size() >= 4 && hasDigit)
            add(Finding::Type::ProductKey, v, end - v);
    }

    // "Label . . . . : value", "Label:<tab>value": a label from the table, then its value.
    qsizetype label(qsizetype s)
    {
        std::array<char, 40> normal{};
        size_t used = 0;
        qsizetype k = s;
        while (k - s < 64) {
            const QChar c = at(k);
            if (c == u':')
                break;
            if (isAsciiLetter(c) || isAsciiDigit(c)) {
                if (used == normal.size())
                    return s;
                const char16_t u = c.unicode();
                normal[used++] = char(u >= u'A' && u <= u'Z' ? u + (u'a' - u'A') : u);
            } else if (!(c == u' ' || c == u'.' || c == u'\t' || c == u'-' || c == u'(' || c == u')')) {
                return s;
            }
            ++k;
        }
        if (at(k) != u':')
            return s;
        const std::string_view name(normal.data(), used);
        LabelKind kind = LabelKind::None;
        for (const Label &l : labels) {
            if (l.name == name) {
                kind = l.kind;
                break;
            }
        }
        if (kind == LabelKind::None)
            return s;
        const qsizetype v = skipBlanks(k + 1);
        switch (kind) {
        case LabelKind::Host:
        case LabelKind::Domain:
        case LabelKind::User:
        case LabelKind::Serial: {
            const qsizetype end = nameEnd(v, 255);
            if (end == v || at(end) == u'\\' || at(end) == u'@' || at(end) == u':')
                return v; // DOMAIN\user, an address, a path: their own detectors read them
            const QStringView value = mid(v, end);
            if (value.startsWith(QLatin1StringView("S-1-")))
                return v; // a SID: its own detector decides
            if (kind == LabelKind::Serial) {
                // One value (a serial) or a product ID, not "To be filled by O.E.M.".
                if (isLineEnd(at(skipBlanks(end))))
                    addSerial(v, end);
                return end;
            }
            if (isAllDigitsAndDots(value))
                return v; // an address
            if (!isLineEnd(at(skipBlanks(end))) && kind != LabelKind::User)
                return end; // "NT AUTHORITY", "Microsoft Windows Network": not one name
            if (kind == LabelKind::Host) {
                addHost(v, end);
            } else if (kind == LabelKind::Domain) {
                if (!isNotADomain(value) && value != u"-" && value.compare(u"N/A", Qt::CaseInsensitive) != 0)
                    add(Finding::Type::Domain, v, end - v);
            } else if (value.endsWith(u'$')) {
                addHost(v, end); // a computer account
            } else if (!isWellKnownUser(value) && isLineEnd(at(skipBlanks(end)))) {
                add(Finding::Type::User, v, end - v);
            }
            return end;
        }
        case LabelKind::Name:
        case LabelKind::KnownName: {
            qsizetype end = lineEnd(v, 128);
            while (end > v && (m_text[end - 1] == u' ' || m_text[end - 1] == u'\t'))
                --end;
            const QStringView value = mid(v, end);
            if (value.isEmpty() || value == u"-" || value.startsWith(u'{') || value.compare(u"N/A", Qt::CaseInsensitive) == 0
                || value.startsWith(QLatin1StringView("CN="), Qt::CaseInsensitive))
                return v;
            const QString key = value.toString().toLower();
            if (kind == LabelKind::KnownName) {
                // "Name : John Smith" after "CN : John Smith": the same person; a Name label
                // alone is too common (services, printers, adapters) to mean one.
                if (!m_names.contains(key))
                    return v;
            } else {
                m_names.insert(key);
            }
            add(Finding::Type::Name, v, end - v, key);
            return end;
        }
        case LabelKind::CanonicalName: {
            // contoso.local/Staff/London/John Smith: the object's own name comes last.
            const qsizetype end = lineEnd(v, 256);
            const qsizetype slash = mid(v, end).lastIndexOf(u'/');
            if (slash < 0)
                return v;
            personName(v + slash + 1, end);
            return v; // the domain at its start is read as usual
        }
        case LabelKind::Phone: {
            qsizetype end = lineEnd(v, 64);
            while (end > v && !isAsciiDigit(m_text[end - 1]))
                --end;
            const QStringView value = mid(v, end);
            const auto digitCount = std::count_if(value.begin(), value.end(), isAsciiDigit);
            const bool phoneChars = std::all_of(value.begin(), value.end(), [](QChar c) {
                return isAsciiDigit(c) || c == u' ' || c == u'-' || c == u'(' || c == u')' || c == u'.' || c == u'+'
                       || c == u'/';
            });
            if (digitCount >= 6 && phoneChars) {
                add(Finding::Type::Phone, v, end - v, phoneKey(v, end));
                return end;
            }
            return v;
        }
        case LabelKind::None:
            break;
        }
        return s;
    }

    // "Mar 11 09:14:02 web01 sshd[2211]:": the host after a syslog time stamp.
    qsizetype syslogHost(qsizetype e)
    {
        qsizetype k = e;
        while (at(k) == u' ' && k - e < 2)
            ++k;
        if (int d = digits(k, 2); d == 0 || d > 2 || at(k) != u' ')
            return e;
        ++k;
        for (int part = 0; part < 3; ++part) {
            if (digits(k, 2) != 2)
                return e;
            if (part < 2 && at(k++) != u':')
                return e;
        }
        if (at(k) == u'.')
            k = [&] { qsizetype j = k + 1; digits(j, 9); return j; }();
        if (at(k) != u' ')
            return e;
        const qsizetype v = k + 1;
        const qsizetype end = nameEnd(v, 255);
        if (end == v || at(end) != u' ' || isAllDigitsAndDots(mid(v, end)))
            return e;
        addHost(v, end);
        // sudo[2330]:    alice : TTY=pts/0 ; …: the user who ran it
        if (mid(end + 1, end + 5) == u"sudo") {
            qsizetype k = end + 5;
            if (at(k) == u'[') {
                while (isAsciiDigit(at(k + 1)) && k - end < 16)
                    ++k;
                k += at(k + 1) == u']' ? 2 : 0;
            }
            if (at(k) == u':') {
                const qsizetype u = skipBlanks(k + 1);
                const qsizetype userEnd = nameEnd(u, 64);
                if (userEnd > u && mid(userEnd, userEnd + 3) == u" : " && !isWellKnownUser(mid(u, userEnd)))
                    add(Finding::Type::User, u, userEnd - u);
                return std::max(userEnd, end);
            }
        }
        return end;
    }

    // CN=John Smith,OU=…,DC=contoso,DC=local
    qsizetype ldap(qsizetype s, qsizetype e)
    {
        const qsizetype v = e + 1;
        qsizetype end = v;
        while (end - v < 128 && !isLineEnd(at(end)) && at(end) != u',' && at(end) != u'"' && at(end) != u'}'
               && at(end) != u'\'')
            ++end;
        if (end == v)
            return e;
        const QStringView value = mid(v, end);
        if (m_text[s].toLower() == u'd') {
            // The first components of a domain; the last (local, com) names nothing.
            if (mid(end, end + 4).compare(u",DC=", Qt::CaseInsensitive) == 0 && !isNotADomain(value))
                add(Finding::Type::Domain, v, end - v);
            return end;
        }
        personName(v, end);
        return end;
    }

    // A person's name: two to four capitalised words (not "Users", not "Domain Users").
    void personName(qsizetype v, qsizetype end)
    {
        while (end > v && m_text[end - 1].isSpace())
            --end;
        const QStringView value = mid(v, end);
        const auto words = value.split(u' ');
        const bool person = words.size() >= 2 && words.size() <= 4
                            && std::all_of(words.begin(), words.end(), [](QStringView w) {
                                   return w.size() >= 2 && w.front().isUpper()
                                          && std::all_of(w.begin() + 1, w.end(), [](QChar c) {
                                                 return c.isLower() || c == u'-' || c == u'\'';
                                             });
                               });
        if (person && !isWellKnownGroup(value)) {
            const QString key = value.toString().toLower();
            m_names.insert(key);
            add(Finding::Type::Name, v, end - v, key);
        }
    }

    // ---- KEY=VALUE and KEY: VALUE after a secret-like name ----

    // 2: a password or secret, any value; 1: a key or token, only a high-entropy value; 0: not
    // secret-like. The last word decides: DB_PASSWORD, client_secret, AccountKey, x-api-key.
    static int secretStrength(QStringView name)
    {
        if (name.size() < 3)
            return 0;
        const auto ends = [&](QLatin1StringView suffix) { return name.endsWith(suffix, Qt::CaseInsensitive); };
        const auto is = [&](QLatin1StringView word) { return name.compare(word, Qt::CaseInsensitive) == 0; };
        const auto whole = [&](QLatin1StringView suffix) {
            return ends(suffix) && (name.size() == suffix.size() || !isAsciiLetter(name[name.size() - suffix.size() - 1]));
        };
        // PublicKeyToken=31bf3856ad364e35: a published assembly key. Asked last: most names end
        // in none of the letters below.
        const auto secret = [&](int strength) {
            return name.startsWith(QLatin1StringView("public"), Qt::CaseInsensitive) ? 0 : strength;
        };
        switch (name.back().toLower().unicode()) {
        case u'd':
            if (ends(QLatin1StringView("password")) || ends(QLatin1StringView("passwd")) || whole(QLatin1StringView("pwd")))
                return secret(2);
            break;
        case u't':
            if (ends(QLatin1StringView("secret")))
                return secret(2);
            break;
        case u'e':
            if (ends(QLatin1StringView("passphrase")))
                return secret(2);
            if (ends(QLatin1StringView("signature")))
                return secret(1);
            break;
        case u'n':
            if (ends(QLatin1StringView("token")))
                return secret(1);
            break;
        case u'y':
            if (ends(QLatin1StringView("key")))
                return secret(1);
            break;
        case u'g':
            if (is(QLatin1StringView("sig")))
                return secret(1);
            break;
        }
        return 0;
    }

    qsizetype assignment(qsizetype s, qsizetype lastWord, qsizetype e)
    {
        qsizetype k = e;
        if (at(k) == u'"' || at(k) == u'\'')
            ++k; // "password": "…"
        k = skipBlanks(k, 8);
        const QChar op = at(k);
        if (op != u'=' && op != u':')
            return s;
        const int strength = secretStrength(mid(lastWord, e));
        if (strength == 0)
            return op == u'=' ? connectionPart(s, lastWord, e, skipBlanks(k + 1, 8)) : s;
        if (op == u':' && at(k + 1) == u':')
            return s; // [System.Text.Encoding]::…
        const qsizetype v = skipBlanks(k + 1);
        if (at(v) == u'=')
            return s; // a comparison: $password == …
        if (at(s - 1) == u'$' && at(v) != u'"' && at(v) != u'\'')
            return s; // $password = Read-Host …: only a literal is a password
        if (at(v) == u'/' && e - lastWord == 3)
            return v; // sudo's PWD=/home/alice is the working directory
        if (op == u':' || strength == 1) {
            const qsizetype end = valueEnd(v, strength == 1);
            const QStringView value = mid(v + (at(v) == u'"' || at(v) == u'\''), end);
            if (isNotASecretValue(value))
                return end;
        }
        return secretValue(v, 1, strength == 1);
    }

    // Server=SQL01\CRM, Data Source=tcp:sql02,1433, User Id=crm_app, AccountName=contosodocs:
    // the server is a host (its instance is not a user), the account a user.
    qsizetype connectionPart(qsizetype s, qsizetype lastWord, qsizetype e, qsizetype v)
    {
        const QStringView word = mid(lastWord, e);
        // The names below start with one of these letters: most words end here.
        switch (word.isEmpty() ? 0 : word.front().unicode() | 0x20) {
        case u'u': case u'i': case u's': case u'a': case u'h':
            break;
        default:
            return s;
        }
        const auto is = [&](const char *w) { return word.compare(QLatin1StringView(w), Qt::CaseInsensitive) == 0; };
        const bool userId = is("uid") || (is("id") && mid(std::max<qsizetype>(0, lastWord - 5), lastWord).compare(u"user ", Qt::CaseInsensitive) == 0);
        const bool server = is("server") || is("source") || is("accountname") || is("host");
        if (!userId && !server && !((is("user") || is("username")) && lastWord == s))
            return s;
        const bool quoted = at(v) == u'"' || at(v) == u'\'';
        v += quoted;
        if (server && mid(v, v + 4).compare(u"tcp:", Qt::CaseInsensitive) == 0)
            v += 4;
        if (!server)
            return accountAt(v);
        qsizetype end = v;
        while (end - v < 255 && (isAsciiLetter(at(end)) || isAsciiDigit(at(end)) || at(end) == u'-' || at(end) == u'_'
                                 || (at(end) == u'.' && isWordChar(at(end + 1)))))
            ++end;
        const QStringView host = mid(v, end);
        if (end == v || isAllDigitsAndDots(host) || host == u"." || host.compare(u"(local)", Qt::CaseInsensitive) == 0)
            return v;
        if (host.contains(u'.')) {
            hostName(v, end, int(host.count(u'.'))); // an FQDN stands on its own: a real TLD or not
            if (m_found.isEmpty() || m_found.last().start != v)
                addHost(v, end);
        } else {
            addHost(v, end);
        }
        if (at(end) == u'\\') // the instance: SQL01\CRM
            return nameEnd(end + 1, 64);
        return end;
    }

    // Where an unquoted value ends: white space, a separator, a closing quote; for keys and
    // tokens in URLs also '&'.
    qsizetype valueEnd(qsizetype from, bool url) const
    {
        const QChar quote = at(from) == u'"' || at(from) == u'\'' ? at(from) : QChar();
        if (!quote.isNull())
            ++from;
        qsizetype e = from;
        while (e < m_text.size() && e - from < 512) {
            const QChar c = m_text[e];
            if (quote.isNull() ? c.isSpace() || c == u';' || c == u',' || c == u'"' || c == u'\'' || c == u'<'
                                     || (url && c == u'&')
                               : c == quote || c == u'\n')
                break;
            ++e;
        }
        return e;
    }

    // The secret value at `from` (quoted or up to a delimiter), if at least `minimum` long;
    // `needsEntropy` for keys and tokens: only a long random-looking value is one ("key=clear"
    // is not). A recovery or product key as a value keeps its own type.
    qsizetype secretValue(qsizetype from, qsizetype minimum, bool needsEntropy)
    {
        from = skipBlanks(from, 8);
        const bool quoted = at(from) == u'"' || at(from) == u'\'';
        const qsizetype e = valueEnd(from, needsEntropy);
        const qsizetype s = from + quoted;
        const QStringView value = mid(s, e);
        if (value.size() < minimum)
            return e;
        if (recoveryKey(s, e)) {
            add(Finding::Type::RecoveryKey, s, e - s);
            return e;
        }
        if (e - s == 29 && productKey(s))
            return e;
        if (needsEntropy) {
            const bool keyChars = std::all_of(value.begin(), value.end(), [](QChar c) {
                return isWordChar(c) || c == u'+' || c == u'/' || c == u'=' || c == u'-' || c == u'.' || c == u'%'
                       || c == u'~';
            });
            const bool hasDigit = std::any_of(value.begin(), value.end(), isAsciiDigit);
            if (value.size() < 20 || !keyChars || !hasDigit || entropy(value) < 3.0)
                return e;
        }
        add(Finding::Type::Secret, s, e - s);
        return e;
    }

    // ---- host names ----

    // A dotted token: an FQDN when its last label is a real TLD and it reads neither as a file
    // (setup.py, ntdll.dll) nor as a .NET namespace (System.Net, Microsoft.PowerShell.Commands).
    void hostName(qsizetype s, qsizetype e, int dots)
    {
        if (at(e) == u'@' || at(e) == u'(')
            return; // the local part of an address; a method call
        const QChar before = at(s - 1);
        if (before == u'\\' || before == u'.' || before == u'$' || before == u'%' || before == u'-'
            || (before == u'/' && at(s - 2) != u'/'))
            return; // a path component or a variable
        const QStringView name = mid(s, e);
        // Most dotted tokens (svchost.exe, 10.0.22621.2506, System.Net) end in no TLD: rule
        // them out before the labels are checked. Nothing below adds a host without one.
        {
            qsizetype dot = name.size() - 1;
            while (dot >= 0 && name[dot] != u'.')
                --dot;
            const QStringView last = name.mid(dot + 1);
            if (!TopLevelDomains::contains(last) && last.compare(u"arpa", Qt::CaseInsensitive) != 0)
                return;
        }
        // Labels: at most 63 characters, no empty ones, no leading or trailing dash.
        std::array<qsizetype, 3> lastDots{-1, -1, -1}; // the last three dots, last first
        bool allNumeric = true;
        qsizetype labelStart = 0;
        for (qsizetype k = 0; k <= name.size(); ++k) {
            if (k == name.size() || name[k] == u'.') {
                const QStringView l = name.mid(labelStart, k - labelStart);
                if (l.isEmpty() || l.size() > 63 || l.front() == u'-' || l.back() == u'-')
                    return;
                if (k < name.size()) {
                    allNumeric = allNumeric && std::all_of(l.begin(), l.end(), isAsciiDigit);
                    lastDots = {k, lastDots[0], lastDots[1]};
                }
                labelStart = k + 1;
            }
        }
        if (allNumeric)
            return; // 1.2.3.de and other versions with a suffix
        QStringView tld = name.mid(lastDots[0] + 1);
        qsizetype suffixDot = lastDots[0];
        if (tld.compare(u"arpa", Qt::CaseInsensitive) == 0) {
            if (lastDots[1] < 0 || name.mid(lastDots[1] + 1, lastDots[0] - lastDots[1] - 1).compare(u"home", Qt::CaseInsensitive) != 0)
                return; // in-addr.arpa and the like
            // Names under home.arpa are the hosts of a home network.
            add(Finding::Type::Host, s, e - s);
            return;
        } else if (!TopLevelDomains::contains(tld)) {
            return;
        }
        const QStringView firstLabel = name.left(name.indexOf(u'.'));
        if (dots == 1 && TopLevelDomains::isFileExtension(tld))
            return;
        // System.Net, Microsoft.Win32.Registry.io: a capitalised first label and a last label
        // with a capital are code, not DNS (which Windows prints all upper or lower case).
        const bool pascal = firstLabel.size() > 1 && firstLabel[0].isUpper() && firstLabel[1].isLower();
        const bool tldHasUpper = std::any_of(tld.begin(), tld.end(), [](QChar c) { return c.isUpper(); });
        if (pascal && tldHasUpper)
            return;
        for (const char *root : {"system", "microsoft", "windows", "mscorlib", "newtonsoft"}) {
            if (firstLabel.compare(QLatin1StringView(root), Qt::CaseInsensitive) == 0)
                return;
        }
        // contoso.co.uk: the registrable part has three labels.
        if (lastDots[1] >= 0 && tld.size() == 2
            && TopLevelDomains::isSecondLevel(name.mid(lastDots[1] + 1, lastDots[0] - lastDots[1] - 1)))
            suffixDot = lastDots[1];
        const qsizetype registrableDot = suffixDot == lastDots[0] ? lastDots[1] : lastDots[2];
        const qsizetype firstDot = name.indexOf(u'.');
        if (isTenantSuffix(name.mid(firstDot + 1))) {
            const bool tenant = name.endsWith(QLatin1StringView(".onmicrosoft.com"), Qt::CaseInsensitive);
            add(tenant ? Finding::Type::Domain : Finding::Type::Host, s, e - s);
            return;
        }
        if (isPublicDomain(name.mid(registrableDot + 1)))
            return;
        // contoso.com and contoso.local are domains, pc-frontdesk.contoso.local is a host.
        add(registrableDot < 0 ? Finding::Type::Domain : Finding::Type::Host, s, e - s);
    }

    // ---- the other triggers ----

    // user@domain.tld: the user and the domain.
    qsizetype address(qsizetype at)
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
            lastDot = mid(at + 1, e).lastIndexOf(u'.');
            lastDot = lastDot < 0 ? -1 : at + 1 + lastDot;
        }
        if (s == at || lastDot <= at + 1 || e - lastDot - 1 < 2)
            return at + 1;
        for (qsizetype k = lastDot + 1; k < e; ++k) {
            if (!isAsciiLetter(m_text[k]))
                return at + 1; // the last label of a domain is letters: "a@1.2" is not an address
        }
        const QStringView user = mid(s, at);
        if (!isWellKnownUser(user))
            add(Finding::Type::User, s, at - s);
        add(Finding::Type::Domain, at + 1, e - at - 1);
        return e;
    }

    // A backslash: \\HOST\share, C:\Users\NAME, DOMAIN\NAME.
    qsizetype backslash(qsizetype i)
    {
        // C:\\Users\\NAME: a path with its separators escaped (JSON, C strings, PowerShell
        // here-strings, a command's own quoting) — not \\HOST after a drive letter.
        if (at(i + 1) == u'\\' && at(i - 1) == u':' && isAsciiLetter(at(i - 2))) {
            static const QString users = QStringLiteral("users\\\\");
            if (!m_text.mid(i + 2).startsWith(users, Qt::CaseInsensitive))
                return i + 2;
            const qsizetype s = i + 2 + users.size();
            qsizetype e = s;
            while (e < m_text.size() && e - s < 64 && isNameChar(m_text[e]))
                ++e;
            if (e > s && !isWellKnownUser(mid(s, e)))
                add(Finding::Type::User, s, e - s);
            return std::max(e, i + 2);
        }
        if (at(i + 1) == u'\\' && (i == 0 || !isNameChar(at(i - 1)))) {
            // UNC: \\HOST\…
            const qsizetype e = nameEnd(i + 2, 255);
            if (e > i + 2 && (at(e) == u'\\' || at(e).isSpace() || e == m_text.size())) {
                const QStringView host = mid(i + 2, e);
                const bool pseudo = host == u"." || host == u"?" || host.compare(u"tsclient", Qt::CaseInsensitive) == 0
                                    || host.compare(u"localhost", Qt::CaseInsensitive) == 0
                                    || host.compare(u"wsl$", Qt::CaseInsensitive) == 0
                                    || host.compare(u"wsl.localhost", Qt::CaseInsensitive) == 0;
                if (!pseudo && !isAllDigitsAndDots(host)) // \\.\pipe, \\?\C:, \\tsclient\C
                    add(Finding::Type::Host, i + 2, e - i - 2);
                if (isAllDigitsAndDots(host))
                    return i + 2; // \\10.0.0.5\share: the IPv4 detector reads it
                if (at(e) == u'\\')
                    return homeShare(e);
            }
            return std::max(e, i + 2);
        }
        // …\Users\NAME with a drive before: the profile's owner.
        static const QString users = QStringLiteral("users\\");
        if (at(i - 1) == u':' && isAsciiLetter(at(i - 2)) && m_text.mid(i + 1).startsWith(users, Qt::CaseInsensitive)) {
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
            const QStringView name = mid(s, e);
            if (!name.isEmpty() && !isWellKnownUser(name))
                add(Finding::Type::User, s, e - s);
            return e;
        }
        // DOMAIN\user: an upper-case NetBIOS name, not a path segment, then a user name.
        qsizetype s = i;
        bool lower = false;
        while (s > 0 && i - s < 15
               && (isAsciiDigit(m_text[s - 1]) || isAsciiLetter(m_text[s - 1]) || m_text[s - 1] == u'-'
                   || m_text[s - 1] == u'_')) {
            lower = lower || (m_text[s - 1] >= u'a' && m_text[s - 1] <= u'z');
            --s;
        }
        const QChar before = at(s - 1);
        const bool userSwitch = before == u':'
                                && (mid(std::max<qsizetype>(0, s - 6), s).compare(u"/user:", Qt::CaseInsensitive) == 0
                                    || mid(std::max<qsizetype>(0, s - 3), s).compare(u"/u:", Qt::CaseInsensitive) == 0);
        if (s == i || isWordChar(before) || before == u'\\' || before == u'/' || (before == u':' && !userSwitch)
            || before == u'.')
            return i + 1;
        const QStringView domain = mid(s, i);
        if (isNotADomain(domain) || !isAsciiLetter(domain.front()))
            return i + 1;
        const qsizetype e = nameEnd(i + 1, 104);
        if (e == i + 1 || at(e) == u'\\' || at(e) == u'/')
            return i + 1; // a path goes on: not an account
        if (lower) {
            // contoso\jsmith in lower case is whoami's way; elsewhere it is a relative path
            // (logs\app). Accept it alone on its line or before a SID (whoami /user).
            const qsizetype after = skipBlanks(e);
            const bool whoami = startsLine(s)
                                && (isLineEnd(at(after)) || (after > e && mid(after, after + 4) == u"S-1-"));
            if (!whoami)
                return i + 1;
        }
        const QStringView user = mid(i + 1, e);
        add(Finding::Type::Domain, s, i - s);
        if (!isWellKnownUser(user))
            add(Finding::Type::User, i + 1, e - i - 1);
        return e;
    }

    // \\HOST\home$\jsmith, \\HOST\Users\jsmith, \\HOST\profiles$\jsmith.V6: the folder after a
    // share of home folders is its owner.
    qsizetype homeShare(qsizetype slash)
    {
        const qsizetype share = slash + 1;
        const qsizetype shareEnd = nameEnd(share, 64);
        if (at(shareEnd) != u'\\')
            return shareEnd;
        QStringView name = mid(share, shareEnd);
        if (name.endsWith(u'$'))
            name.chop(1);
        bool homes = false;
        for (const char *h : {"home", "homes", "users", "profiles", "redirected", "redirect", "folderredirection", "userdata"})
            homes = homes || name.compare(QLatin1StringView(h), Qt::CaseInsensitive) == 0;
        if (!homes)
            return shareEnd;
        const qsizetype u = shareEnd + 1;
        qsizetype end = nameEnd(u, 104);
        // Roaming profile folders carry a version suffix: jsmith.V6
        const qsizetype dot = mid(u, end).lastIndexOf(QLatin1StringView(".V"));
        if (dot > 0 && std::all_of(m_text.begin() + u + dot + 2, m_text.begin() + end, isAsciiDigit))
            end = u + dot;
        if (end > u && !isWellKnownUser(mid(u, end)))
            add(Finding::Type::User, u, end - u);
        return end;
    }

    // /home/NAME, /p:PASSWORD
    qsizetype slash(qsizetype i)
    {
        const QChar next = at(i + 1);
        if (next == u'/')
            return i + 2; // a URL: the host after it starts a token with "//" before it
        static const QString home = QStringLiteral("/home/");
        if (next == u'h' && mid(i, i + home.size()) == home && !isWordChar(at(i - 1))) {
            const qsizetype s = i + home.size();
            const qsizetype e = nameEnd(s, 64);
            const QStringView name = mid(s, e);
            if (!name.isEmpty() && !isWellKnownUser(name))
                add(Finding::Type::User, s, e - s);
            return e;
        }
        if (isWordChar(at(i - 1)))
            return i + 1;
        if (mid(i, i + 3).compare(u"/p:", Qt::CaseInsensitive) == 0)
            return secretValue(i + 3, 1, false); // cmdkey /p:X
        if (mid(i, i + 6).compare(u"/pass:", Qt::CaseInsensitive) == 0)
            return secretValue(i + 6, 1, false); // cmdkey /pass:X
        if (mid(i, i + 3).compare(u"/u:", Qt::CaseInsensitive) == 0)
            return accountAt(i + 3); // net use /u:X, runas /u:X
        if (mid(i, i + 6).compare(u"/user:", Qt::CaseInsensitive) == 0)
            return accountAt(i + 6);
        return i + 1;
    }

    // '-': a PEM block, or a run of dashes (a table rule) stepped over at once.
    qsizetype dash(qsizetype i)
    {
        qsizetype e = i;
        while (e < m_text.size() && m_text[e] == u'-')
            ++e;
        static const QString begin = QStringLiteral("-----BEGIN ");
        if (e - i == 5 && mid(i, i + begin.size()) == begin)
            return pem(i + begin.size());
        // A single dash before a word is a parameter (-Password X): the word reads its dash.
        return e - i == 1 ? i + 1 : e;
    }

    // PEM private keys: everything between BEGIN and END, every line of it.
    qsizetype pem(qsizetype e)
    {
        const qsizetype headerEnd = mid(e, e + 64).indexOf(QLatin1StringView("-----"));
        if (headerEnd < 0)
            return e;
        if (!mid(e, e + headerEnd).endsWith(QLatin1StringView("PRIVATE KEY")))
            return e + headerEnd + 5;
        const qsizetype bodyStart = e + headerEnd + 5;
        const qsizetype footer = m_text.indexOf(QLatin1StringView("-----END "), bodyStart);
        const qsizetype bodyEnd = footer < 0 ? m_text.size() : footer; // cut off: all the rest
        add(Finding::Type::Secret, bodyStart, bodyEnd - bodyStart);
        return bodyEnd + 1;
    }

    const QStringView m_text;
    const KeywordTable &m_keywords;
    QList<Finding> m_found;
    QSet<QString> m_names; // person names found from CN= and name labels, lower-cased
    qsizetype m_versionEnd = -1; // where the last dotted version read as one ended
};

} // namespace

QList<Finding> TranscriptScanner::scan(QStringView text)
{
    return Scan(text).run();
}

} // namespace casefile
