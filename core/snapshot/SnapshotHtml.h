#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

namespace casefile {

// A snapshot as one self-contained HTML page: no script, no external resource, one inline
// style sheet allowed by its hash in the Content-Security-Policy. Every character that comes
// from the record is escaped (and terminal escape sequences and other control characters
// dropped), so a transcript holding markup shows it as text and can never run anything.
class SnapshotHtml
{
    Q_DECLARE_TR_FUNCTIONS(SnapshotHtml)

public:
    static QByteArray render(const QJsonObject &snapshot);
    // The header value to serve the page with.
    static QByteArray contentSecurityPolicy();
    // A small page for errors (expired, revoked, unknown link), same style and policy.
    static QByteArray message(const QString &title, const QString &text);

    static QString escape(QStringView text);

private:
    static const QByteArray &styleSheet();
};

} // namespace casefile
