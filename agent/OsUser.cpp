#include "OsUser.h"

#include <QByteArray>

#include <cerrno>
#include <pwd.h>
#include <unistd.h>

namespace casefile {

QString OsUser::effectiveName()
{
    return nameOf(::geteuid());
}

QString OsUser::nameOf(uint uid)
{
    // getpwuid_r, not getpwuid: the agent may capture context on another thread.
    long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    QByteArray buffer(size > 0 ? size : 16384, Qt::Uninitialized);
    passwd entry{};
    passwd *found = nullptr;
    while (::getpwuid_r(uid, &entry, buffer.data(), size_t(buffer.size()), &found) == ERANGE &&
           buffer.size() < 1024 * 1024)
        buffer.resize(buffer.size() * 2);
    if (found && found->pw_name && *found->pw_name)
        return QString::fromLocal8Bit(found->pw_name);
    return QStringLiteral("uid %1").arg(uid);
}

} // namespace casefile
