#pragma once

#include <QObject>
#include <QPointer>

class QWebSocket;
class QWebSocketServer;

// The baseline of the end-to-end benchmark: a bare QtWebSockets relay that forwards every binary
// frame from the producer (path /produce) to the consumer (path /consume), with no parsing and
// no storage. Lives in a thread of its own, so it does not share an event loop with either end.
class BareRelay : public QObject
{
    Q_OBJECT

public:
    explicit BareRelay(QObject *parent = nullptr);
    ~BareRelay() override;

    // Listens on 127.0.0.1, any free port; 0 on failure. Call in the relay's thread.
    quint16 listen();

private:
    void onNewConnection();

    QWebSocketServer *m_server = nullptr;
    QPointer<QWebSocket> m_producer;
    QPointer<QWebSocket> m_consumer;
};
