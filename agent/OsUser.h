#pragma once

#include <QString>

namespace casefile {

// Names of OS accounts: who a command runs as (command.started `user`) and who answered a
// consent prompt (approval.decided `decidedBy`).
class OsUser
{
public:
    // The account this process acts as (effective uid).
    static QString effectiveName();
    // The login name of `uid`; "uid <n>" when the account database has no entry, so the record
    // never says "" about who ran something.
    static QString nameOf(uint uid);
};

} // namespace casefile
