#pragma once

#include <QByteArray>
#include <QObject>
#include <QStringList>

#include <atomic>

class QProcess;
class QWebSocket;

// The agent's side of the baseline, in a thread of its own: sends binary frames (UTF-8, as
// casefile's clients send when the server accepts them) to BareRelay.
// Given frames go as fast as the socket drains (at most about 1 MiB queued, like a process
// writing into a pipe). Or a command's stdout is sent on in 64 KiB frames as it comes, with
// nothing else done to it (no backpressure: the relay outpaces the command).
class RelayProducer : public QObject
{
    Q_OBJECT

public:
    explicit RelayProducer(const QList<QByteArray> &frames, QObject *parent = nullptr);
    // Runs `sh -c shellText` once connected.
    explicit RelayProducer(const QString &shellText, QObject *parent = nullptr);
    ~RelayProducer() override;

    // Connects to `url` and starts sending once connected. Call in the producer's thread.
    void start(const QString &url);
    // steadyNs() just before the first frame was queued (or the command started), 0 until then.
    qint64 startedNs() const { return m_startedNs.load(); }

private:
    void pump();
    void startCommand();
    void readCommand(bool finished);

    const QList<QByteArray> m_frames;
    const QString m_shellText;
    QWebSocket *m_socket = nullptr;
    QProcess *m_process = nullptr;
    QByteArray m_pending; // command output not sent yet
    qsizetype m_next = 0;
    std::atomic<qint64> m_startedNs{0};
};
