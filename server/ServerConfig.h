#pragma once

#include <QHostAddress>
#include <QString>
#include <QUrl>

namespace casefile {

struct ServerConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8470;
    QString dataDir;
    QString tlsCert;
    QString tlsKey;
    // Where people reach this server, for snapshot links; empty: the listening address.
    QUrl publicUrl;
};

} // namespace casefile
