#include "RelayProducer.h"

#include "BenchUtil.h"

#include <QWebSocket>

namespace {
constexpr qint64 maxQueuedBytes = 1024 * 1024;
}

RelayProducer::RelayProducer(const QStringList &frames, QObject *parent) : QObject(parent), m_frames(frames) {}

RelayProducer::~RelayProducer() = default;

void RelayProducer::start(const QString &url)
{
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_startedNs = BenchUtil::steadyNs();
        pump();
    });
    connect(m_socket, &QWebSocket::bytesWritten, this, &RelayProducer::pump);
    m_socket->open(QUrl(url));
}

void RelayProducer::pump()
{
    // bytesWritten also fires for the handshake request, before the socket is connected.
    if (m_startedNs.load() == 0)
        return;
    while (m_next < m_frames.size() && m_socket->bytesToWrite() < maxQueuedBytes)
        m_socket->sendTextMessage(m_frames.at(m_next++));
}
