#pragma once

#include "Finding.h"

#include <QList>
#include <QStringView>

namespace casefile {

// Finds personal data in IT transcripts (command output, command lines, chat) in one pass over
// the text: every detector starts from a cheap trigger (a digit, '@', a backslash, "/home/",
// "S-1-5-21-") and reads a bounded stretch around it, so the time is linear in the length and
// no input makes it backtrack. Built for transcripts, not prose: diagnostic tokens survive —
// versions (10.0.19045.3693), KB numbers, error codes, GUIDs, well-known SIDs (S-1-5-18),
// NT AUTHORITY\SYSTEM, registry hives, Windows system paths, ports and timestamps.
//
// Detectors so far: user names (C:\Users\NAME, /home/NAME, DOMAIN\NAME, the local part of an
// address), Windows and DNS domains, UNC host names, IPv4 addresses, MAC addresses, machine and
// domain SIDs. Findings come back sorted by position and never overlap.
class TranscriptScanner
{
public:
    static QList<Finding> scan(QStringView text);
};

} // namespace casefile
