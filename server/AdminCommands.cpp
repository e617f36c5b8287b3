#include "AdminCommands.h"

#include "Directory.h"
#include "store/EventStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>

namespace casefile {

namespace {
enum ExitCode { Ok = 0, Failed = 1, Usage = 2 };
}

AdminCommands::AdminCommands(QTextStream &out, QTextStream &err) : m_out(out), m_err(err) {}

qint64 AdminCommands::parseDuration(const QString &text)
{
    if (text.size() < 2)
        return -1;
    bool ok = false;
    const qint64 n = text.chopped(1).toLongLong(&ok);
    if (!ok || n <= 0)
        return -1;
    switch (text.back().toLatin1()) {
    case 's':
        return n;
    case 'm':
        return n * 60;
    case 'h':
        return n * 3600;
    case 'd':
        return n * 86400;
    default:
        return -1;
    }
}

int AdminCommands::usage(const QString &problem)
{
    if (!problem.isEmpty())
        m_err << problem << Qt::endl;
    m_err << QCoreApplication::translate(
                 "AdminCommands",
                 "usage: casefiled admin [--data DIR] [--json] COMMAND\n"
                 "  create-org NAME\n"
                 "  create-user --org ID --name NAME --role admin|technician|reviewer|viewer\n"
                 "  issue-token --user ID [--ttl 30d]\n"
                 "  revoke-token --id TOKEN-ID\n"
                 "  revoke-endpoint --endpoint ID\n"
                 "  create-client-group --org ID NAME\n"
                 "  enrollment-code --client-group ID [--ttl 1h]\n")
          << Qt::flush;
    return Usage;
}

int AdminCommands::run(const QStringList &args, const QString &defaultDataDir)
{
    QCommandLineParser parser;
    parser.addOptions(
        {{QStringLiteral("data"), QStringLiteral("Data directory."), QStringLiteral("dir"),
          defaultDataDir},
         {QStringLiteral("json"), QStringLiteral("Print one JSON object.")},
         {QStringLiteral("org"), QStringLiteral("Org id."), QStringLiteral("id")},
         {QStringLiteral("name"), QStringLiteral("Name."), QStringLiteral("name")},
         {QStringLiteral("role"), QStringLiteral("Role."), QStringLiteral("role")},
         {QStringLiteral("user"), QStringLiteral("User id."), QStringLiteral("id")},
         {QStringLiteral("id"), QStringLiteral("Token id."), QStringLiteral("id")},
         {QStringLiteral("client-group"), QStringLiteral("Client group id."), QStringLiteral("id")},
         {QStringLiteral("endpoint"), QStringLiteral("Endpoint id."), QStringLiteral("id")},
         {QStringLiteral("ttl"), QStringLiteral("Lifetime (90s, 15m, 1h, 7d)."),
          QStringLiteral("duration")}});
    if (!parser.parse(QStringList{QStringLiteral("admin")} + args))
        return usage(parser.errorText());
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usage();
    const QString command = positional.first();
    const QString rest = positional.mid(1).join(QLatin1Char(' '));

    const QString dir = parser.value(QStringLiteral("data"));
    if (!QDir().mkpath(dir)) {
        m_err << QCoreApplication::translate("AdminCommands", "cannot create %1").arg(dir) << Qt::endl;
        return Failed;
    }
    const QString path = QDir(dir).filePath(QStringLiteral("casefile.db"));
    EventStore store; // creates and migrates the file
    if (!store.open(path)) {
        m_err << store.errorString() << Qt::endl;
        return Failed;
    }
    Directory directory;
    if (!directory.open(path)) {
        m_err << directory.errorString() << Qt::endl;
        return Failed;
    }

    QJsonObject made;
    const auto need = [&](const char *option) {
        if (parser.value(QLatin1String(option)).isEmpty()) {
            usage(QCoreApplication::translate("AdminCommands", "%1 needs --%2").arg(command, QLatin1String(option)));
            return false;
        }
        return true;
    };
    qint64 ttl = 0;
    if (parser.isSet(QStringLiteral("ttl"))) {
        ttl = parseDuration(parser.value(QStringLiteral("ttl")));
        if (ttl < 0)
            return usage(QCoreApplication::translate("AdminCommands", "--ttl: expected a duration like 90s, 15m, 1h or 7d"));
    }

    if (command == QLatin1String("create-org")) {
        const auto id = directory.createOrg(rest);
        if (!id)
            return m_err << directory.errorString() << Qt::endl, Failed;
        made = {{QStringLiteral("org"), *id}, {QStringLiteral("name"), rest}};
    } else if (command == QLatin1String("create-user")) {
        if (!need("org") || !need("name") || !need("role"))
            return Usage;
        const auto id = directory.createUser(parser.value(QStringLiteral("org")), parser.value(QStringLiteral("name")),
                                             parser.value(QStringLiteral("role")));
        if (!id)
            return m_err << directory.errorString() << Qt::endl, Failed;
        made = {{QStringLiteral("user"), *id}, {QStringLiteral("role"), parser.value(QStringLiteral("role"))}};
    } else if (command == QLatin1String("issue-token")) {
        if (!need("user"))
            return Usage;
        const auto secret = directory.issueToken(parser.value(QStringLiteral("user")), ttl);
        if (!secret)
            return m_err << directory.errorString() << Qt::endl, Failed;
        made = {{QStringLiteral("tokenId"), secret->id}, {QStringLiteral("token"), secret->value},
                {QStringLiteral("expiresAt"), secret->expiresAt}};
    } else if (command == QLatin1String("revoke-token")) {
        if (!need("id"))
            return Usage;
        if (!directory.revokeToken(parser.value(QStringLiteral("id"))))
            return m_err << directory.errorString() << Qt::endl, Failed;
        made = {{QStringLiteral("revoked"), parser.value(QStringLiteral("id"))}};
    } else if (command == QLatin1String("revoke-endpoint")) {
        // The endpoint's own token(s): its agent is refused from now on, and a running server
        // drops its connection within seconds. Enrolling again needs a new code.
        if (!need("endpoint"))
            return Usage;
        const auto revoked =
            directory.revokeEndpointTokens(parser.value(QStringLiteral("endpoint")));
        if (!revoked)
            return m_err << directory.errorString() << Qt::endl, Failed;
        made = {{QStringLiteral("endpoint"), parser.value(QStringLiteral("endpoint"))},
                {QStringLiteral("revokedTokens"), *revoked}};
    } else if (command == QLatin1String("create-client-group")) {
        if (!need("org"))
            return Usage;
        const auto id = directory.createClientGroup(parser.value(QStringLiteral("org")), rest);
        if (!id)
            return m_err << directory.errorString() << Qt::endl, Failed;
        made = {{QStringLiteral("clientGroup"), *id}, {QStringLiteral("name"), rest}};
    } else if (command == QLatin1String("enrollment-code")) {
        if (!need("client-group"))
            return Usage;
        const auto secret = directory.createEnrollmentCode(parser.value(QStringLiteral("client-group")),
                                                           ttl > 0 ? ttl : 3600);
        if (!secret)
            return m_err << directory.errorString() << Qt::endl, Failed;
        made = {{QStringLiteral("code"), secret->value}, {QStringLiteral("expiresAt"), secret->expiresAt}};
    } else {
        return usage(QCoreApplication::translate("AdminCommands", "unknown admin command '%1'").arg(command));
    }

    if (parser.isSet(QStringLiteral("json"))) {
        m_out << QString::fromUtf8(QJsonDocument(made).toJson(QJsonDocument::Compact)) << Qt::endl;
    } else {
        for (auto it = made.constBegin(); it != made.constEnd(); ++it)
            m_out << it.key() << ": " << it.value().toString() << '\n';
        if (made.contains(QStringLiteral("token")) || made.contains(QStringLiteral("code")))
            m_out << QCoreApplication::translate("AdminCommands", "(shown only now: the server keeps only its digest)")
                  << '\n';
        m_out.flush();
    }
    return Ok;
}

} // namespace casefile
