#pragma once

#include "events/Event.h"

#include <QList>
#include <QString>

// Builds realistic draft events for tests and benchmarks.
class TestEvents
{
public:
    struct SessionSpec
    {
        QString org = casefile::Event::newId();
        QString clientGroup = casefile::Event::newId();
        QString endpoint = casefile::Event::newId();
        QString technician = casefile::Event::newId();
        QString title = QStringLiteral("Outlook cannot connect");
        QStringList tags;
        QString at; // empty: now
    };

    static casefile::Event opened(const QString &session, const SessionSpec &spec);
    static casefile::Event requested(const QString &session, const QString &command, const QString &text);
    static casefile::Event output(const QString &session, const QString &command, qint64 chunk,
                                  const QString &data);
    static casefile::Event note(const QString &session, const QString &text);
    static casefile::Event closed(const QString &session);
    // The drafts of tests/data/chains/printer-session.jsonl (seq, prev and hash removed).
    static QList<casefile::Event> printerSessionDrafts();
    // The same record as sealed events, as a store or a snapshot holds them.
    static QList<casefile::Event> printerSession();
    static QList<QByteArray> printerSessionLines();
    static casefile::Actor technician();
    static casefile::Actor endpoint();
};
