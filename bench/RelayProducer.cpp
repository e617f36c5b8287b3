#include "RelayProducer.h"

#include "BenchUtil.h"
#include "RelayStore.h"

#include <QProcess>
#include <QWebSocket>

namespace {
constexpr qint64 maxQueuedBytes = 1024 * 1024;
constexpr qsizetype commandFrameBytes = 64 * 1024; // the agent's largest chunk
} // namespace

RelayProducer::RelayProducer(const QList<QByteArray> &frames, const QString &storePath,
                             QObject *parent)
    : QObject(parent), m_frames(frames), m_storePath(storePath)
{}

RelayProducer::RelayProducer(const QString &shellText, QObject *parent)
    : QObject(parent), m_shellText(shellText)
{}

RelayProducer::~RelayProducer()
{
    if (m_process) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_storeThread.quit();
    m_storeThread.wait();
}

bool RelayProducer::start(const QString &url)
{
    if (!m_storePath.isEmpty()) {
        m_store = RelayStore::start(m_storePath, m_storeThread, &m_error);
        if (!m_store)
            return false;
        connect(m_store, &RelayStore::stored, this, &RelayProducer::send);
        connect(m_store, &RelayStore::failed, this, [](const QString &error) {
            qWarning("floor producer: a commit failed: %s", qPrintable(error));
        });
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_startedNs = BenchUtil::steadyNs();
        if (m_shellText.isEmpty())
            pump();
        else
            startCommand();
    });
    if (m_shellText.isEmpty())
        connect(m_socket, &QWebSocket::bytesWritten, this, &RelayProducer::pump);
    m_socket->open(QUrl(url));
    return true;
}

void RelayProducer::pump()
{
    // bytesWritten also fires for the handshake request, before the socket is connected.
    if (m_startedNs.load() == 0)
        return;
    while (m_next < m_frames.size() && m_socket->bytesToWrite() < maxQueuedBytes) {
        if (!m_store) {
            m_socket->sendBinaryMessage(m_frames.at(m_next++));
            continue;
        }
        if (m_storing >= maxQueuedBytes)
            return;
        const QByteArray frame = m_frames.at(m_next++);
        m_storing += frame.size();
        QMetaObject::invokeMethod(m_store, [store = m_store, frame] { store->add(frame); });
    }
}

void RelayProducer::send(const QList<QByteArray> &frames)
{
    for (const QByteArray &frame : frames) {
        m_storing -= frame.size();
        m_socket->sendBinaryMessage(frame);
    }
    pump();
}

void RelayProducer::startCommand()
{
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] { readCommand(false); });
    connect(m_process, &QProcess::finished, this, [this] { readCommand(true); });
    m_process->start(QStringLiteral("sh"), {QStringLiteral("-c"), m_shellText});
}

void RelayProducer::readCommand(bool finished)
{
    m_pending += m_process->readAllStandardOutput();
    // Whole frames of 64 KiB, cut after a line so no character is split; the rest at the end.
    qsizetype from = 0;
    while (m_pending.size() - from >= commandFrameBytes || (finished && from < m_pending.size())) {
        qsizetype cut = m_pending.size() - from;
        if (cut >= commandFrameBytes) {
            cut = m_pending.lastIndexOf('\n', from + commandFrameBytes - 1) + 1 - from;
            if (cut <= 0)
                cut = commandFrameBytes;
        }
        m_socket->sendBinaryMessage(QByteArray(m_pending.constData() + from, cut));
        from += cut;
    }
    m_pending.remove(0, from);
}
