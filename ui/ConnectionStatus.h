#pragma once

#include "sync/SyncClient.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QLabel;

namespace casefile {

// The status bar's account of the connection: online / reconnecting in N s / offline, how many
// actions wait in the outbox, and which server.
class ConnectionStatus : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionStatus(QWidget *parent = nullptr);

    void setState(SyncClient::State state);
    void setReconnectIn(int ms);
    void setPending(qint64 count);
    void setServer(const QString &server);

    QString stateText() const;
    QString pendingText() const;

private:
    void refresh();

    QLabel *m_state;
    QLabel *m_pending;
    QLabel *m_server;
    SyncClient::State m_current = SyncClient::State::Offline;
    QElapsedTimer m_since;
    int m_reconnectMs = 0;
    QTimer m_countdown;
};

} // namespace casefile
