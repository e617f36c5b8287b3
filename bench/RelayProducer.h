#pragma once

#include <QByteArray>
#include <QObject>
#include <QStringList>
#include <QThread>

#include <atomic>

class QProcess;
class RelayStore;
class QWebSocket;

// The agent's side of the baseline, in a thread of its own: sends binary frames (UTF-8, as
// casefile's clients send when the server accepts them) to BareRelay.
// Given frames go as fast as the socket drains (at most about 1 MiB queued, like a process
// writing into a pipe). Or a command's stdout is sent on in 64 KiB frames as it comes, with
// nothing else done to it (no backpressure: the relay outpaces the command).
// Given frames and a store path, every frame is committed to a RelayStore (in a thread of its
// own, at most about 1 MiB on its way there) before it is sent: the agent's outbox, at its least.
class RelayProducer : public QObject
{
    Q_OBJECT

public:
    explicit RelayProducer(const QList<QByteArray> &frames, const QString &storePath = {},
                           QObject *parent = nullptr);
    // Runs `sh -c shellText` once connected.
    explicit RelayProducer(const QString &shellText, QObject *parent = nullptr);
    ~RelayProducer() override;

    // Connects to `url` and starts sending once connected. Call in the producer's thread.
    // False (with error() set) when the store cannot be opened.
    bool start(const QString &url);
    QString error() const { return m_error; }
    // steadyNs() just before the first frame was queued (or the command started), 0 until then.
    qint64 startedNs() const { return m_startedNs.load(); }

private:
    void pump();
    void startCommand();
    void readCommand(bool finished);
    void send(const QList<QByteArray> &frames);

    const QList<QByteArray> m_frames;
    const QString m_shellText;
    const QString m_storePath;
    QThread m_storeThread;
    RelayStore *m_store = nullptr;
    qint64 m_storing = 0; // bytes given to the store and not yet committed
    QString m_error;
    QWebSocket *m_socket = nullptr;
    QProcess *m_process = nullptr;
    QByteArray m_pending; // command output not sent yet
    qsizetype m_next = 0;
    std::atomic<qint64> m_startedNs{0};
};
