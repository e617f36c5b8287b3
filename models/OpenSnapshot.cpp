#include "OpenSnapshot.h"

#include "events/EventCodec.h"
#include "events/bodies/SessionOpenedBody.h"
#include "snapshot/SnapshotDocument.h"

#include <QJsonArray>

#include <optional>

namespace casefile {

std::unique_ptr<OpenSnapshot> OpenSnapshot::load(const QByteArray &bytes, QString *error)
{
    const auto verified = SnapshotDocument::verify(bytes);
    if (!verified.ok) {
        *error = tr("The snapshot does not verify and is not shown: %1").arg(verified.error);
        return nullptr;
    }
    std::unique_ptr<OpenSnapshot> s(new OpenSnapshot);
    s->m_bytes = bytes;
    s->m_snapshot = verified.snapshot;
    for (const QJsonValue v : verified.snapshot.value(QStringLiteral("sessions")).toArray()) {
        Session session;
        for (const QJsonValue e : v.toObject().value(QStringLiteral("events")).toArray()) {
            // Strictly, as sealed events: the chain held, so anything else is a malformed file.
            auto decoded = EventCodec::fromJson(e.toObject(), EventCodec::Mode::Sealed);
            if (!decoded.ok()) {
                *error = tr("The snapshot holds an event the console cannot read: %1").arg(decoded.error.toString());
                return nullptr;
            }
            session.events.append(std::move(decoded.event));
        }
        s->m_sessions.push_back(std::move(session));
    }
    if (s->m_sessions.empty()) {
        *error = tr("The snapshot holds no session.");
        return nullptr;
    }
    return s;
}

QString OpenSnapshot::id() const
{
    return m_snapshot.value(QStringLiteral("id")).toString();
}

QString OpenSnapshot::title() const
{
    return m_snapshot.value(QStringLiteral("title")).toString();
}

QString OpenSnapshot::summaryText() const
{
    return m_snapshot.value(QStringLiteral("summary")).toString();
}

QString OpenSnapshot::audience() const
{
    return m_snapshot.value(QStringLiteral("audience")).toString();
}

QString OpenSnapshot::expiresAt() const
{
    return m_snapshot.value(QStringLiteral("expiresAt")).toString();
}

QString OpenSnapshot::publisherName() const
{
    return m_snapshot.value(QStringLiteral("publisher")).toObject().value(QStringLiteral("name")).toString();
}

void OpenSnapshot::setOrigin(const QUrl &server, const QString &token)
{
    m_server = server;
    m_token = token;
}

QString OpenSnapshot::sessionId(int index) const
{
    const auto &events = m_sessions.at(size_t(index)).events;
    return events.isEmpty() ? QString() : events.first().session;
}

namespace {
// The session's opening event, or nullopt when the record has none.
std::optional<SessionOpenedBody> openedBody(const QList<Event> &events)
{
    for (const Event &e : events) {
        if (e.kind == EventKind::SessionOpened)
            return e.bodyAs<SessionOpenedBody>();
    }
    return std::nullopt;
}
} // namespace

QString OpenSnapshot::sessionTitle(int index) const
{
    const auto opened = openedBody(events(index));
    return opened ? opened->title : sessionId(index).left(8);
}

QString OpenSnapshot::endpoint(int index) const
{
    const auto opened = openedBody(events(index));
    return opened ? opened->endpoint : QString();
}

const QList<Event> &OpenSnapshot::events(int index) const
{
    return m_sessions.at(size_t(index)).events;
}

HandoffSummary OpenSnapshot::handoff(int index) const
{
    return HandoffSummary::fromEvents(events(index));
}

SessionDocument *OpenSnapshot::document(int index)
{
    Session &s = m_sessions.at(size_t(index));
    if (!s.document) {
        s.document = new SessionDocument(sessionId(index), this);
        s.document->addEvents(s.events);
    }
    return s.document;
}

} // namespace casefile
