#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace casefile {

// The server's receipt for one appended event: the event is committed under `seq` and will
// never be lost. `duplicate` means it had already been stored (a resend after a reconnect) and
// `seq` is the original one.
struct AppendAck
{
    QString id;
    QString session;
    qint64 seq = 0;
    QString hash;
    bool duplicate = false;
};

} // namespace casefile

Q_DECLARE_METATYPE(casefile::AppendAck)
