#include "TopLevelDomains.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <string_view>

namespace casefile {

namespace {

// Every delegated country code (IANA root zone), two letters each.
constexpr std::string_view countryCodes =
    "acadaeafagaialamaoaqarasatauawaxazbabbbdbebfbgbhbibjbmbnbobqbrbsbtbwbybzcacccdcfcgchcickclcmcn"
    "cocrcucvcwcxcyczdedjdkdmdodzeceeegeresetfifjfkfmfofrgagbgdgegfggghgiglgmgngpgqgrgsgtgugwgyhkhm"
    "hnhrhthuidieilim"
    "inioiqirisitjejmjojpkekgkhkikmknkpkrkwkykzlalblclilklrlsltlulvlymamcmdmemgmhmkmlmmmnmompmqmrms"
    "mtmumvmwmxmymznancnenfngninlnonpnrnunzompapepfpgphpkplpmpnprpsptpwpyqarerorsrurwsasbscsdsesgsh"
    "siskslsmsnsosrssstsusvsxsysztctdtftgthtjtktltmtntotrtttvtwtzuaugukusuyuzvavcvevgvivnvuwfwsyeyt"
    "zazmzw";

// Generic TLDs seen in company, provider and internal names, sorted. Not the dictionary words
// code is full of (data, network, management, security, services, systems, windows, office).
constexpr std::array<std::string_view, 96> generics = {
    "academy", "aero", "agency", "amsterdam", "app", "asia", "bayern", "berlin",
    "biz", "blog", "cat", "clinic", "cloud", "club", "com", "company",
    "consulting", "coop", "corp", "dental", "design", "dev", "digital", "edu",
    "email", "energy", "eus", "expert", "finance", "fund", "gal", "global",
    "gmbh", "gov", "guru", "hamburg", "health", "home", "host", "hosting",
    "inc", "info", "institute", "int", "internal", "intranet", "jobs", "koeln",
    "lan", "law", "legal", "life", "llc", "local", "localdomain", "london",
    "ltd", "media", "mil", "mobi", "museum", "name", "net", "news",
    "nrw", "nyc", "online", "org", "page", "paris", "partners", "post",
    "press", "private", "pro", "ruhr", "saarland", "school", "scot", "shop",
    "site", "solutions", "space", "store", "support", "swiss", "team", "tech",
    "tel", "tokyo", "travel", "wales", "website", "wien", "xxx", "xyz",
};

constexpr std::array<std::string_view, 21> fileExtensions = {
    "ac", "ai", "am", "app", "as", "ax", "cf", "in", "md", "mk", "ml",
    "mm", "mo", "pl", "pm", "pro", "ps", "py", "rs", "sh", "tf",
};

constexpr std::array<std::string_view, 12> secondLevels = {
    "ac", "co", "com", "edu", "gov", "ltd", "me", "net", "nhs", "org", "plc", "sch",
};

// `label` lower-cased into `buffer`; empty when it is not short ASCII letters.
std::string_view lowered(QStringView label, std::array<char, 16> &buffer)
{
    if (label.size() > qsizetype(buffer.size()))
        return {};
    for (qsizetype i = 0; i < label.size(); ++i) {
        const char16_t c = label[i].unicode();
        if (c >= u'A' && c <= u'Z')
            buffer[size_t(i)] = char(c - u'A' + 'a');
        else if (c >= u'a' && c <= u'z')
            buffer[size_t(i)] = char(c);
        else
            return {};
    }
    return {buffer.data(), size_t(label.size())};
}

const std::bitset<26 * 26> &countryCodeSet()
{
    static const std::bitset<26 * 26> set = [] {
        std::bitset<26 * 26> s;
        for (size_t i = 0; i + 1 < countryCodes.size(); i += 2)
            s.set(size_t(countryCodes[i] - 'a') * 26 + size_t(countryCodes[i + 1] - 'a'));
        return s;
    }();
    return set;
}

template<size_t N>
bool sortedContains(const std::array<std::string_view, N> &list, std::string_view word)
{
    return std::binary_search(list.begin(), list.end(), word);
}

} // namespace

bool TopLevelDomains::contains(QStringView label)
{
    std::array<char, 16> buffer;
    const std::string_view word = lowered(label, buffer);
    if (word.size() == 2)
        return countryCodeSet().test(size_t(word[0] - 'a') * 26 + size_t(word[1] - 'a'));
    return word.size() > 2 && sortedContains(generics, word);
}

bool TopLevelDomains::isFileExtension(QStringView label)
{
    std::array<char, 16> buffer;
    return sortedContains(fileExtensions, lowered(label, buffer));
}

bool TopLevelDomains::isSecondLevel(QStringView label)
{
    std::array<char, 16> buffer;
    return sortedContains(secondLevels, lowered(label, buffer));
}

} // namespace casefile
