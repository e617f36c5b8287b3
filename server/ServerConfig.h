#pragma once

#include <QHostAddress>
#include <QString>

namespace casefile {

struct ServerConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8470;
    QString dataDir;
    QString tlsCert;
    QString tlsKey;
};

} // namespace casefile
