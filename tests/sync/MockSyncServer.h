#pragma once

#include "events/Event.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QUrl>
#include <QWebSocketServer>

#include <functional>

class QWebSocket;

// A small in-test server that speaks docs/PROTOCOL.md section 6 well enough to exercise
// SyncClient: hello/welcome, append with de-duplication on (session, id), subscribe with
// replay and live pushes, ping, and knobs for the failures a real network produces.
class MockSyncServer : public QObject
{
    Q_OBJECT

public:
    explicit MockSyncServer(quint16 port = 0, QObject *parent = nullptr);
    ~MockSyncServer() override;
    bool isListening() const { return m_server.isListening(); }
    quint16 port() const { return m_server.serverPort(); }
    // Without the /ws path: the client adds it.
    QUrl url() const;

    // Seals a draft onto the session's record and pushes it to the subscribers.
    casefile::Event addEvent(casefile::Event draft);
    // Pushes already sealed events as they are (duplicates, replays).
    void push(const QString &session, const QList<casefile::Event> &events);
    // Sends a message to every welcomed connection.
    void broadcast(const QJsonObject &message);
    // Aborts every connection, as a crashing server or a cut cable would.
    void dropAll();

    // --- knobs ---
    QString token = QStringLiteral("cf_good");
    QJsonObject principal;
    int eventsPerAppend = 1000;
    qint64 frameBytes = 1024 * 1024; // the frame limit its welcome announces
    int heartbeatMs = 15000;
    int dropAfterCommitOfAppend =
        0; // the n-th append (1-based): committed, connection dropped, no reply
    int dropBeforeCommitOfAppend = 0; // the n-th append: connection dropped before committing
    QStringList appendErrors;         // codes answered to the next appends, one each
    QStringList subscribeErrors;      // codes answered to the next subscribes, one each
    QStringList sessionsErrors;       // codes answered to the next `sessions`, one each
    QStringList openErrors;           // codes answered to the next `open`s, one each
    QStringList liveSessions;         // the ids `sessions` lists, newest first, by limit and offset
    int errorAtAppend = 0;            // the n-th append is answered with errorCode
    QString errorCode;
    bool errorAfterAborted = false;   // ... and that answer sent after the next append's `aborted`
    QString refuseMarker;             // an append with a note of this text is refused as a whole
    QSet<QString> closedSessions;     // an append with an event of these is refused (conflict)
    bool nameRefusedEvents = false;   // a refusal names the event (index, id, wholeSession)
    QHash<QString, QString> closedAt; // a subscribe to these sessions says they closed then
    int replayPage = 0;               // events per replay push; 0: the whole replay in one
    bool silentAfterWelcome = false;  // answers nothing after welcome, pings included
    QSet<QString> unansweredOps;
    bool replayFromStart = false; // replay from seq 1 whatever `after` says
    bool keepPushingAfterUnsubscribe = false;
    bool binaryFrames = false; // accepts a hello's binaryFrames (PROTOCOL.md 6.1)

    // --- what it saw ---
    int connections = 0;
    int disconnects = 0;
    QList<QJsonObject> hellos;
    QStringList paths;
    int pings = 0;
    int appendRequests = 0;
    int eventsReceived = 0; // drafts received in appends, resends included
    int abortedAppends = 0; // refused because an earlier append of their pipeline was
    struct AppendArrival
    {
        qint64 pipeline;
        qint64 ms;           // since the server was made
        QString refusedWith; // the code it was answered with at once, if any
    };
    QList<AppendArrival> arrivals; // every append, in the order received
    int duplicates = 0;
    int binaryMessages = 0;          // messages that came in binary frames
    int textMessagesAfterBinary = 0; // text messages on a connection switched to binary
    int largestAppend = 0; // events in the largest append
    qint64 largestMessage = 0;
    int fragmentedMessages = 0;
    QList<QJsonObject> subscribes;
    QList<qint64> subscribeMs; // when each came, since the server was made
    QList<QJsonObject> sessionsRequests;
    QList<QJsonObject> requests; // every message after the welcome but pings, answered or not
    QStringList unsubscribed;
    QStringList committedIds; // in commit order, each (session, id) once
    QHash<QString, QList<casefile::Event>> records;

private:
    void accept();
    void onMessage(QWebSocket *socket, const QString &text);
    void handleAppend(QWebSocket *socket, qint64 req, const QJsonObject &message);
    void handleSubscribe(QWebSocket *socket, qint64 req, const QJsonObject &message);
    void send(QWebSocket *socket, const QJsonObject &message);
    void reply(QWebSocket *socket, qint64 req, const QJsonObject &fields);
    void error(QWebSocket *socket, qint64 req, const QString &code, const QString &message,
               const QJsonObject &fields = {});
    void pushTo(QWebSocket *socket, const QString &session, const QList<casefile::Event> &events);

    QWebSocketServer m_server;
    QList<QPointer<QWebSocket>> m_sockets;
    QList<QWebSocket *> m_welcomed;
    QSet<QWebSocket *> m_binary; // welcomed with binaryFrames
    QHash<QWebSocket *, QSet<QString>> m_subscribers;
    QHash<QWebSocket *, qint64> m_abortedPipeline;
    std::function<void()> m_delayedError;
    QElapsedTimer m_clock;
};
