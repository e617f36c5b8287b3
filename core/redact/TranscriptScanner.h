#pragma once

#include "Finding.h"

#include <QList>
#include <QStringView>

namespace casefile {

// Finds personal data in IT transcripts (command output, command lines, chat) in one pass over
// the text: words are read once (a keyword costs a bit test and one table look-up)
// and every detector starts from a cheap trigger (a word, '@', a backslash, '/', '+', '(', '-')
// and reads a bounded stretch around it, so the time is linear in the length and no input makes
// it backtrack. Built for transcripts, not prose: diagnostic tokens survive — versions
// (10.0.19045.3693), KB numbers, error codes, event ids, GUIDs, well-known SIDs (S-1-5-18),
// NT AUTHORITY\SYSTEM, registry hives, Windows system paths, DLL and .NET names, ports,
// timestamps, loopback addresses and net masks.
//
// Detectors: user names (C:\Users\NAME, /home/NAME, DOMAIN\NAME, addresses and UPNs, account
// labels and switches, home shares, sshd and sudo), Windows and DNS domains, host names (UNC,
// NetBIOS names from labels such as "Host Name", -ComputerName, `hostname` output, syslog, and
// FQDNs ending in a real TLD — see TopLevelDomains), IPv4/IPv6, MACs, machine and domain SIDs,
// phone numbers, product keys and serial numbers, BitLocker recovery keys, person and company
// names from directory labels, and secrets (passwords on command lines and in connection
// strings, high-entropy values after key/token/secret names, Wi-Fi keys, bearer tokens, JWTs,
// cloud, GitHub, Slack and Stripe keys, PEM private-key bodies). Findings come back sorted by
// position and never overlap; a secret wins any overlap.
class TranscriptScanner
{
public:
    static QList<Finding> scan(QStringView text);
};

} // namespace casefile
