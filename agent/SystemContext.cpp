#include "SystemContext.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QSysInfo>

#include <cmath>
#include <cstring>
#include <sys/utsname.h>
#include <utmpx.h>

namespace casefile {

namespace {

constexpr qint64 maxSmallFileBytes = 1024 * 1024;

// KEY=value lines as in os-release(5): values may be quoted with " (backslash escapes $ " \ `)
// or ', or unquoted. Lines that do not parse are skipped; *skipped counts them.
QHash<QString, QString> parseAssignments(const QByteArray &data, int *skipped)
{
    static const QRegularExpression keyPattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    QHash<QString, QString> values;
    const QList<QByteArray> lines = data.split('\n');
    for (const QByteArray &rawLine : lines) {
        const QString line = QString::fromUtf8(rawLine).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype equals = line.indexOf(QLatin1Char('='));
        const QString key = equals > 0 ? line.left(equals) : QString();
        if (!keyPattern.match(key).hasMatch()) {
            ++*skipped;
            continue;
        }
        const QString raw = line.mid(equals + 1);
        QString value;
        bool ok = true;
        if (raw.startsWith(QLatin1Char('"'))) {
            ok = false;
            for (qsizetype i = 1; i < raw.size(); ++i) {
                const QChar c = raw.at(i);
                if (c == QLatin1Char('\\') && i + 1 < raw.size() &&
                    QStringView(u"$\"\\`").contains(raw.at(i + 1))) {
                    value += raw.at(++i);
                } else if (c == QLatin1Char('"')) {
                    ok = raw.mid(i + 1).trimmed().isEmpty();
                    break;
                } else {
                    value += c;
                }
            }
        } else if (raw.startsWith(QLatin1Char('\''))) {
            const qsizetype end = raw.indexOf(QLatin1Char('\''), 1);
            ok = end > 0 && raw.mid(end + 1).trimmed().isEmpty();
            value = raw.mid(1, end - 1);
        } else {
            value = raw;
            ok = !raw.contains(QLatin1Char('"')) && !raw.contains(QLatin1Char('\''));
        }
        if (!ok) {
            ++*skipped;
            continue;
        }
        values.insert(key, value);
    }
    return values;
}

QString firstNonEmpty(const QHash<QString, QString> &values,
                      std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const QString value = values.value(QLatin1String(key)).trimmed();
        if (!value.isEmpty())
            return value;
    }
    return {};
}

utsname unameInfo()
{
    utsname info{};
    ::uname(&info);
    return info;
}

} // namespace

ContextCapturedBody SystemContext::capture()
{
    m_problems.clear();
    ContextCapturedBody body;
    body.hostname = readHostname();
    readOs(body);
    body.domain = readDomain(body.hostname);
    body.user = readLoggedInUser();
    body.uptimeSeconds = readUptime();
    readCpu(body);
    body.memoryBytes = readMemory();
    body.updates = readUpdates();
    return body;
}

void SystemContext::problem(const QString &text)
{
    m_problems.append(text);
}

QByteArray SystemContext::readSmallFile(const QString &path, bool reportMissing)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (reportMissing || file.exists())
            problem(tr("cannot read %1: %2").arg(path, file.errorString()));
        return {};
    }
    // /proc files report size 0; read until end of file, within a sane limit.
    return file.read(maxSmallFileBytes);
}

QString SystemContext::readHostname()
{
    QString name = QString::fromUtf8(readSmallFile(m_sources.hostname, true)).trimmed();
    if (name.isEmpty()) {
        name = QSysInfo::machineHostName();
        problem(tr("%1 gave no host name; using %2").arg(m_sources.hostname, name));
    }
    return name;
}

void SystemContext::readOs(ContextCapturedBody &body)
{
    const utsname uts = unameInfo();
    QString kernel = QString::fromUtf8(readSmallFile(m_sources.kernelRelease, true)).trimmed();
    if (kernel.isEmpty())
        kernel = QString::fromUtf8(uts.release);
    body.osBuild = kernel;

    QString osReleasePath;
    for (const QString &path : m_sources.osRelease) {
        if (QFileInfo::exists(path)) {
            osReleasePath = path;
            break;
        }
    }
    QHash<QString, QString> values;
    if (osReleasePath.isEmpty()) {
        problem(tr("no os-release file (%1)").arg(m_sources.osRelease.join(QLatin1String(", "))));
    } else {
        int skipped = 0;
        values = parseAssignments(readSmallFile(osReleasePath, true), &skipped);
        if (skipped > 0)
            problem(tr("%1: %n line(s) could not be read", nullptr, skipped).arg(osReleasePath));
    }
    // The distribution when it says who it is, else the kernel: "Linux" and its release.
    body.os = firstNonEmpty(values, {"NAME", "PRETTY_NAME"});
    if (body.os.isEmpty())
        body.os = QString::fromUtf8(uts.sysname);
    body.osVersion = firstNonEmpty(values, {"VERSION", "VERSION_ID", "BUILD_ID"});
    if (body.osVersion.isEmpty())
        body.osVersion = kernel;
}

std::optional<QString> SystemContext::readDomain(const QString &hostname)
{
    // What `hostname -d` prints without asking DNS: the part after the first dot of a fully
    // qualified host name, else the resolver's own domain (the last "domain" or "search" line
    // wins, as in resolv.conf(5)).
    const qsizetype dot = hostname.indexOf(QLatin1Char('.'));
    if (dot > 0 && dot + 1 < hostname.size())
        return hostname.mid(dot + 1);

    QFile file(m_sources.resolvConf);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    QString domain;
    const QList<QByteArray> lines = file.read(maxSmallFileBytes).split('\n');
    for (const QByteArray &line : lines) {
        const QStringList words = QString::fromUtf8(line).split(
            QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
        if (words.size() < 2)
            continue;
        if (words.first() == QLatin1String("domain") || words.first() == QLatin1String("search"))
            domain = words.at(1);
    }
    while (domain.endsWith(QLatin1Char('.')))
        domain.chop(1);
    if (domain.isEmpty())
        return std::nullopt;
    return domain;
}

std::optional<QString> SystemContext::readLoggedInUser()
{
    if (std::optional<QString> user = userFromLogind())
        return user;
    return userFromUtmp();
}

std::optional<QString> SystemContext::userFromLogind()
{
    // One file per session in systemd-logind's runtime directory (KEY=value lines). The person
    // at the machine has a local, active session on a seat; remote (ssh) sessions rank lower,
    // greeters and background sessions (cron) are not people.
    const QDir dir(m_sources.logindSessions);
    if (!dir.exists())
        return std::nullopt;
    QString best;
    int bestScore = -1;
    const QStringList files = dir.entryList(QDir::Files, QDir::Name);
    for (const QString &name : files) {
        if (name.endsWith(QLatin1String(".ref")))
            continue;
        int skipped = 0;
        const auto values = parseAssignments(readSmallFile(dir.filePath(name), true), &skipped);
        const QString user = values.value(QStringLiteral("USER"));
        const QString sessionClass = values.value(QStringLiteral("CLASS"), QStringLiteral("user"));
        if (user.isEmpty() || sessionClass != QLatin1String("user") ||
            values.value(QStringLiteral("STATE")) == QLatin1String("closing"))
            continue;
        const int score = (values.value(QStringLiteral("REMOTE")) != QLatin1String("1") ? 4 : 0) +
                          (values.value(QStringLiteral("ACTIVE")) == QLatin1String("1") ? 2 : 0) +
                          (values.value(QStringLiteral("SEAT")).isEmpty() ? 0 : 1);
        if (score > bestScore) {
            best = user;
            bestScore = score;
        }
    }
    if (best.isEmpty())
        return std::nullopt;
    return best;
}

std::optional<QString> SystemContext::userFromUtmp()
{
    if (!QFileInfo::exists(m_sources.utmp))
        return std::nullopt;
    const QByteArray path = QFile::encodeName(m_sources.utmp);
    if (::utmpxname(path.constData()) != 0) {
        problem(tr("cannot read %1").arg(m_sources.utmp));
        return std::nullopt;
    }
    // A login on a local terminal or display (no remote host, or an X display ":0") is the
    // person at the machine; otherwise the first login.
    QString local;
    QString any;
    ::setutxent();
    while (const utmpx *entry = ::getutxent()) {
        if (entry->ut_type != USER_PROCESS || entry->ut_user[0] == '\0')
            continue;
        // ut_user is a fixed-size field, not always NUL-terminated.
        const char *userField = entry->ut_user;
        const QString user = QString::fromLocal8Bit(
            QByteArrayView(userField, qsizetype(::strnlen(userField, sizeof entry->ut_user))));
        const bool isLocal = entry->ut_host[0] == '\0' || entry->ut_host[0] == ':';
        if (any.isEmpty())
            any = user;
        if (isLocal && local.isEmpty())
            local = user;
    }
    ::endutxent();
    ::utmpxname(_PATH_UTMPX); // leave the process-wide setting as it was
    const QString user = local.isEmpty() ? any : local;
    if (user.isEmpty())
        return std::nullopt;
    return user;
}

std::optional<qint64> SystemContext::readUptime()
{
    const QByteArray data = readSmallFile(m_sources.uptime, true);
    if (data.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double seconds = data.simplified().split(' ').value(0).toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds < 0) {
        problem(tr("%1: not an uptime").arg(m_sources.uptime));
        return std::nullopt;
    }
    return qint64(seconds);
}

void SystemContext::readCpu(ContextCapturedBody &body)
{
    const QByteArray data = readSmallFile(m_sources.cpuInfo, true);
    if (data.isEmpty())
        return;
    // "key<tabs>: value" lines in one block per logical processor. The model is named
    // differently per architecture; "Model" on ARM boards is the board, the best there is.
    static const char *const modelKeys[] = {"model name", "Model",     "Hardware",
                                            "Processor",  "cpu model", "cpu"};
    QHash<QString, QString> firstValue;
    int processors = 0;
    QSet<QString> physicalCores;
    QString physicalId;
    const QList<QByteArray> lines = data.split('\n');
    for (const QByteArray &rawLine : lines) {
        const QString line = QString::fromUtf8(rawLine);
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon <= 0) {
            if (line.trimmed().isEmpty())
                physicalId.clear(); // end of a processor's block
            continue;
        }
        const QString key = line.left(colon).trimmed();
        const QString value = line.mid(colon + 1).simplified();
        if (!firstValue.contains(key))
            firstValue.insert(key, value);
        bool numeric = false;
        if (key == QLatin1String("processor")) {
            value.toInt(&numeric);
            if (numeric)
                ++processors;
        } else if (key == QLatin1String("physical id")) {
            physicalId = value;
        } else if (key == QLatin1String("core id")) {
            // Cores, not hardware threads: unique (package, core) pairs.
            physicalCores.insert(physicalId + QLatin1Char('/') + value);
        }
    }
    for (const char *key : modelKeys) {
        const QString value = firstValue.value(QLatin1String(key));
        if (!value.isEmpty()) {
            body.cpu = value;
            break;
        }
    }
    if (!body.cpu)
        problem(tr("%1: no processor model").arg(m_sources.cpuInfo));
    if (!physicalCores.isEmpty())
        body.cpuCores = physicalCores.size();
    else if (processors > 0)
        body.cpuCores = processors;
    else
        problem(tr("%1: no processors listed").arg(m_sources.cpuInfo));
}

std::optional<qint64> SystemContext::readMemory()
{
    const QByteArray data = readSmallFile(m_sources.memInfo, true);
    if (data.isEmpty())
        return std::nullopt;
    for (const QByteArray &line : data.split('\n')) {
        if (!line.startsWith("MemTotal:"))
            continue;
        const QList<QByteArray> words = line.simplified().split(' ');
        bool ok = false;
        const qint64 amount = words.value(1).toLongLong(&ok);
        const QByteArray unit = words.value(2);
        if (ok && amount >= 0 && (unit == "kB" || unit.isEmpty()) && amount < (qint64(1) << 43))
            return unit.isEmpty() ? amount : amount * 1024;
        break;
    }
    problem(tr("%1: no MemTotal").arg(m_sources.memInfo));
    return std::nullopt;
}

QStringList SystemContext::readUpdates()
{
    // dpkg's log: "2024-05-14 10:02:11 upgrade libssl3:amd64 3.0.11-1~deb12u2 3.0.13-1~deb12u1".
    // Newest first, one entry per package (its latest change).
    static const QRegularExpression entry(QStringLiteral(
        "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}) (install|upgrade) (\\S+) (\\S+) (\\S+)$"));
    QStringList updates;
    QSet<QString> seen;
    for (const QString &path : m_sources.dpkgLogs) {
        QFile file(path);
        if (!file.exists())
            continue; // no dpkg, or no rotated log yet: nothing to tell
        if (!file.open(QIODevice::ReadOnly)) {
            problem(tr("cannot read %1: %2").arg(path, file.errorString()));
            continue;
        }
        const qint64 size = file.size();
        if (size > maxLogTailBytes)
            file.seek(size - maxLogTailBytes);
        QList<QByteArray> lines = file.readAll().split('\n');
        if (size > maxLogTailBytes && !lines.isEmpty())
            lines.removeFirst(); // cut in the middle
        for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
            const QRegularExpressionMatch m = entry.match(QString::fromUtf8(*it).trimmed());
            if (!m.hasMatch() || seen.contains(m.captured(3)))
                continue;
            seen.insert(m.captured(3));
            const bool upgrade = m.captured(2) == QLatin1String("upgrade");
            updates.append(m.captured(1) + QLatin1Char(' ') + m.captured(2) + QLatin1Char(' ') +
                           m.captured(3) + QLatin1Char(' ') +
                           (upgrade ? m.captured(4) + QLatin1String(" -> ") : QString()) +
                           m.captured(5));
            if (updates.size() == maxUpdates)
                return updates;
        }
    }
    return updates;
}

} // namespace casefile
