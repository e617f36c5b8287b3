#pragma once

#include <QObject>
#include <QPointer>
#include <QThread>

class RelayStore;
class QWebSocket;
class QWebSocketServer;

// The baseline of the end-to-end benchmark: a bare QtWebSockets relay that forwards every binary
// frame from the producer (path /produce) to the consumer (path /consume), with no parsing and
// no storage. Lives in a thread of its own, so it does not share an event loop with either end.
// Given a store path it is the floor instead: every frame is committed to a RelayStore (in a
// thread of its own) before it is passed on, which is all the storing a server must do.
class BareRelay : public QObject
{
    Q_OBJECT

public:
    explicit BareRelay(const QString &storePath = {}, QObject *parent = nullptr);
    ~BareRelay() override;

    // Listens on 127.0.0.1, any free port; 0 on failure (see error()). Call in the relay's thread.
    quint16 listen();
    QString error() const { return m_error; }

private:
    void onNewConnection();
    void forward(const QList<QByteArray> &frames);

    const QString m_storePath;
    QThread m_storeThread;
    RelayStore *m_store = nullptr;
    QString m_error;
    QWebSocketServer *m_server = nullptr;
    QPointer<QWebSocket> m_producer;
    QPointer<QWebSocket> m_consumer;
};
