#include "DeepLink.h"

#include "events/JsonReader.h"

#include <QRegularExpression>
#include <QUrlQuery>

namespace casefile {

namespace {

bool isToken(const QString &token)
{
    static const QRegularExpression pattern(QStringLiteral("^cfs_[A-Za-z0-9_-]{16,128}$"));
    return pattern.match(token).hasMatch();
}

bool isServer(const QUrl &url)
{
    return url.isValid() && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
           && !url.host().isEmpty() && url.path().size() <= 1 && !url.hasQuery() && !url.hasFragment()
           && url.userInfo().isEmpty();
}

} // namespace

QUrl DeepLink::toUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("casefile"));
    url.setHost(target == Target::Session ? QStringLiteral("session") : QStringLiteral("snapshot"));
    url.setPath(QLatin1Char('/') + id);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("server"), QString::fromUtf8(server.toEncoded()));
    if (seq > 0)
        query.addQueryItem(QStringLiteral("seq"), QString::number(seq));
    url.setQuery(query);
    return url;
}

QUrl DeepLink::snapshotUrl() const
{
    if (target != Target::Snapshot)
        return {};
    QUrl url = server;
    url.setPath(QStringLiteral("/s/") + id);
    return url;
}

std::optional<DeepLink> DeepLink::parse(const QString &text, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")) {
        if (auto page = fromSnapshotPage(url))
            return page;
        return fail(QStringLiteral("not a snapshot link (expected …/s/<token>)"));
    }
    if (!url.isValid() || url.scheme() != QLatin1String("casefile"))
        return fail(QStringLiteral("not a casefile:// link"));
    DeepLink link;
    if (url.host() == QLatin1String("session"))
        link.target = Target::Session;
    else if (url.host() == QLatin1String("snapshot"))
        link.target = Target::Snapshot;
    else
        return fail(QStringLiteral("casefile:// links name a session or a snapshot"));
    link.id = url.path().mid(1);
    if (link.target == Target::Session ? !JsonReader::isUuid(link.id) : !isToken(link.id))
        return fail(QStringLiteral("the link's %1 is malformed").arg(url.host()));
    const QUrlQuery query(url);
    link.server = QUrl(query.queryItemValue(QStringLiteral("server"), QUrl::FullyDecoded), QUrl::StrictMode);
    if (!isServer(link.server))
        return fail(QStringLiteral("server: expected an http(s) address without a path"));
    if (query.hasQueryItem(QStringLiteral("seq"))) {
        bool ok = false;
        link.seq = query.queryItemValue(QStringLiteral("seq")).toLongLong(&ok);
        if (!ok || link.seq < 1)
            return fail(QStringLiteral("seq: expected a positive number"));
    }
    return link;
}

std::optional<DeepLink> DeepLink::fromSnapshotPage(const QUrl &url)
{
    const QString path = url.path();
    if (!path.startsWith(QLatin1String("/s/")))
        return std::nullopt;
    QString token = path.mid(3);
    if (token.endsWith(QLatin1String(".json")))
        token.chop(5);
    if (!isToken(token))
        return std::nullopt;
    DeepLink link;
    link.target = Target::Snapshot;
    link.id = token;
    link.server = url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
    return isServer(link.server) ? std::optional<DeepLink>(link) : std::nullopt;
}

} // namespace casefile
