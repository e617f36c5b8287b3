#include "TestEvents.h"

#include "events/EventCodec.h"
#include "events/bodies/ChatMessageBody.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/CommandRequestedBody.h"
#include "events/bodies/NoteAddedBody.h"
#include "events/bodies/SessionClosedBody.h"
#include "events/bodies/SessionOpenedBody.h"

#include <QFile>

using namespace casefile;

Actor TestEvents::technician()
{
    static const QString id = Event::newId();
    return {QStringLiteral("user"), id};
}

Actor TestEvents::endpoint()
{
    static const QString id = Event::newId();
    return {QStringLiteral("endpoint"), id};
}

Event TestEvents::opened(const QString &session, const SessionSpec &spec)
{
    SessionOpenedBody body;
    body.org = spec.org;
    body.clientGroup = spec.clientGroup;
    body.endpoint = spec.endpoint;
    body.technician = spec.technician;
    body.title = spec.title;
    body.tags = spec.tags;
    Event e = Event::make(session, technician(), body);
    if (!spec.at.isEmpty())
        e.at = spec.at;
    return e;
}

Event TestEvents::requested(const QString &session, const QString &command, const QString &text)
{
    CommandRequestedBody body;
    body.command = command;
    body.shell = QStringLiteral("bash");
    body.text = text;
    return Event::make(session, technician(), body);
}

Event TestEvents::output(const QString &session, const QString &command, qint64 chunk, const QString &data)
{
    CommandOutputBody body;
    body.command = command;
    body.stream = QStringLiteral("stdout");
    body.chunk = chunk;
    body.data = data;
    return Event::make(session, endpoint(), body);
}

Event TestEvents::note(const QString &session, const QString &text)
{
    NoteAddedBody body;
    body.text = text;
    return Event::make(session, technician(), body);
}

Event TestEvents::closed(const QString &session)
{
    return Event::make(session, technician(), SessionClosedBody{});
}

QList<QByteArray> TestEvents::printerSessionLines()
{
    QFile file(QStringLiteral(CASEFILE_TEST_DATA "/chains/printer-session.jsonl"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing chain fixture");
    QList<QByteArray> lines;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.isEmpty())
            lines.append(line);
    }
    return lines;
}

QList<Event> TestEvents::printerSession()
{
    QList<Event> events;
    for (const QByteArray &line : printerSessionLines())
        events.append(EventCodec::decode(line, EventCodec::Mode::Sealed).event);
    return events;
}

QList<Event> TestEvents::printerSessionDrafts()
{
    QList<Event> drafts;
    for (Event e : printerSession()) {
        e.seq = 0;
        e.prev.clear();
        e.hash.clear();
        drafts.append(e);
    }
    return drafts;
}
