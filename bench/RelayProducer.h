#pragma once

#include <QObject>
#include <QStringList>

#include <atomic>

class QWebSocket;

// The agent's side of the baseline: sends the given frames to BareRelay as text frames, as
// fast as the socket drains (at most about 1 MiB queued, like a process writing into a pipe),
// in a thread of its own.
class RelayProducer : public QObject
{
    Q_OBJECT

public:
    RelayProducer(const QStringList &frames, QObject *parent = nullptr);
    ~RelayProducer() override;

    // Connects to `url` and starts sending once connected. Call in the producer's thread.
    void start(const QString &url);
    // steadyNs() just before the first frame was queued, 0 until then.
    qint64 startedNs() const { return m_startedNs.load(); }

private:
    void pump();

    const QStringList m_frames;
    QWebSocket *m_socket = nullptr;
    qsizetype m_next = 0;
    std::atomic<qint64> m_startedNs{0};
};
