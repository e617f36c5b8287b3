#include "ConnectionStatus.h"

#include <QHBoxLayout>
#include <QLabel>

namespace casefile {

ConnectionStatus::ConnectionStatus(QWidget *parent)
    : QWidget(parent)
    , m_state(new QLabel(this))
    , m_pending(new QLabel(this))
    , m_server(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_state);
    layout->addWidget(m_pending);
    layout->addWidget(m_server);
    m_state->setAccessibleName(tr("Connection"));
    m_pending->setAccessibleName(tr("Actions waiting to be sent"));
    m_server->setAccessibleName(tr("Server"));
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &ConnectionStatus::refresh);
    refresh();
    setPending(0);
}

void ConnectionStatus::setState(SyncClient::State state)
{
    m_current = state;
    if (state != SyncClient::State::Reconnecting)
        m_countdown.stop();
    refresh();
}

void ConnectionStatus::setReconnectIn(int ms)
{
    m_reconnectMs = ms;
    m_since.start();
    m_countdown.start();
    refresh();
}

void ConnectionStatus::setPending(qint64 count)
{
    m_pending->setText(count > 0 ? tr("%n action(s) waiting to be sent", nullptr, int(count)) : QString());
    m_pending->setVisible(count > 0);
}

void ConnectionStatus::setServer(const QString &server)
{
    m_server->setText(server);
}

QString ConnectionStatus::stateText() const
{
    return m_state->text();
}

QString ConnectionStatus::pendingText() const
{
    return m_pending->text();
}

void ConnectionStatus::refresh()
{
    QString text;
    QString colour;
    switch (m_current) {
    case SyncClient::State::Online:
        text = tr("● Online");
        colour = QStringLiteral("#2e7d32");
        break;
    case SyncClient::State::Connecting:
        text = tr("● Connecting…");
        colour = QStringLiteral("#b26a00");
        break;
    case SyncClient::State::Reconnecting: {
        const qint64 left = m_since.isValid() ? qMax<qint64>(0, m_reconnectMs - m_since.elapsed()) : m_reconnectMs;
        text = tr("● Reconnecting in %1 s").arg((left + 999) / 1000);
        colour = QStringLiteral("#b26a00");
        break;
    }
    case SyncClient::State::Offline:
        text = tr("● Offline");
        colour = QStringLiteral("#c62828");
        break;
    }
    m_state->setText(text);
    m_state->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;").arg(colour));
}

} // namespace casefile
