#include "ServerFixture.h"
#include "WsTestClient.h"
#include "events/EventCodec.h"
#include "events/bodies/NoteAddedBody.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QtTest>

using namespace casefile;

namespace {

// A WebSocket client made by hand on a QTcpSocket, so the test can stop reading for real:
// the kernel buffers fill and the server sees a subscriber that cannot keep up.
class RawWsClient
{
public:
    bool open(quint16 port)
    {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!m_socket.waitForConnected(5000))
            return false;
        m_socket.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QElapsedTimer t;
        t.start();
        while (!m_buffer.contains("\r\n\r\n") && t.elapsed() < 5000) {
            m_socket.waitForReadyRead(100);
            m_buffer += m_socket.readAll();
        }
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0 || !m_buffer.startsWith("HTTP/1.1 101"))
            return false;
        m_buffer.remove(0, end + 4);
        return true;
    }
    void sendText(const QByteArray &payload)
    {
        QByteArray frame;
        frame += char(0x81);
        if (payload.size() < 126) {
            frame += char(0x80 | payload.size());
        } else {
            frame += char(0x80 | 126);
            frame += char((payload.size() >> 8) & 0xff);
            frame += char(payload.size() & 0xff);
        }
        const quint32 mask = QRandomGenerator::global()->generate();
        const char key[4] = {char(mask >> 24), char(mask >> 16), char(mask >> 8), char(mask)};
        frame.append(key, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            frame += char(payload.at(i) ^ key[i % 4]);
        m_socket.write(frame);
        m_socket.flush();
    }
    // Reads and parses frames until `until` returns true or the time is up.
    void read(int timeoutMs, const std::function<bool()> &until)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs && !until()) {
            if (m_socket.bytesAvailable() == 0)
                m_socket.waitForReadyRead(100);
            m_buffer += m_socket.readAll();
            parse();
        }
    }
    // Reads on, discarding, until the server closes the connection; true if it did.
    bool readUntilClosed(int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs && m_socket.state() == QAbstractSocket::ConnectedState) {
            m_socket.waitForReadyRead(100);
            m_socket.readAll();
        }
        return m_socket.state() != QAbstractSocket::ConnectedState;
    }
    QList<QJsonObject> messages;

private:
    void parse()
    {
        for (;;) {
            if (m_buffer.size() < 2)
                return;
            const auto b1 = quint8(m_buffer.at(1));
            qint64 length = b1 & 0x7f;
            qsizetype offset = 2;
            if (length == 126) {
                if (m_buffer.size() < 4)
                    return;
                length = (quint8(m_buffer.at(2)) << 8) | quint8(m_buffer.at(3));
                offset = 4;
            } else if (length == 127) {
                if (m_buffer.size() < 10)
                    return;
                length = 0;
                for (int i = 2; i < 10; ++i)
                    length = (length << 8) | quint8(m_buffer.at(i));
                offset = 10;
            }
            if (m_buffer.size() < offset + length)
                return;
            const int opcode = quint8(m_buffer.at(0)) & 0x0f;
            if (opcode == 0x1 || opcode == 0x0)
                m_text += m_buffer.mid(offset, length);
            if ((quint8(m_buffer.at(0)) & 0x80) && (opcode == 0x1 || opcode == 0x0)) {
                messages.append(QJsonDocument::fromJson(m_text).object());
                m_text.clear();
            }
            m_buffer.remove(0, offset + length);
        }
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
    QByteArray m_text;
};

// VmRSS now, or VmHWM: the most it ever was.
qint64 rssKiB(qint64 pid, const QByteArray &field = QByteArrayLiteral("VmRSS:"))
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// What every test here starts from: casefiled with an org and an enrolled endpoint, and a
// technician's connection with a new session on it.
struct Setup
{
    ServerFixture server;
    ServerFixture::Org org;
    WsTestClient writer;
    QString session;

    bool start(const QString &title)
    {
        org = server.createOrg(QStringLiteral("Contoso"));
        QJsonObject enrolled;
        if (!server.start() ||
            server.enroll(server.enrollmentCode(org.clientGroup), QStringLiteral("PC-1"),
                          &enrolled) != 200 ||
            !writer.open(server.wsUrl()) ||
            writer.hello(org.technicianToken).value(QStringLiteral("type")).toString() !=
                QLatin1String("welcome"))
            return false;
        session =
            writer
                .request(QStringLiteral("open"),
                         {{QStringLiteral("endpoint"), enrolled.value(QStringLiteral("endpoint"))},
                          {QStringLiteral("title"), title}})
                .value(QStringLiteral("session"))
                .toString();
        return JsonReader::isUuid(session);
    }
};

} // namespace

// A subscriber that stops reading must not hold up anyone else, must not make the server hoard
// the whole stream for it, and must still get every event, in order, once it reads again.
class tst_SlowSubscriber : public QObject
{
    Q_OBJECT

private slots:
    void slowSubscriberResyncsFromTheStore();
    void clientThatDoesNotReadItsRepliesIsDropped();
    void replayOfLargeEventsIsPacedNotDropped();
};

void tst_SlowSubscriber::slowSubscriberResyncsFromTheStore()
{
    Setup setup;
    QVERIFY(setup.start(QStringLiteral("Big")));
    ServerFixture &server = setup.server;
    const ServerFixture::Org &org = setup.org;
    WsTestClient &writer = setup.writer;
    const QString session = setup.session;

    RawWsClient slow;
    QVERIFY(slow.open(server.port()));
    slow.sendText(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                                            {QStringLiteral("token"), org.viewerToken}}).toJson(QJsonDocument::Compact));
    slow.sendText(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("subscribe")}, {QStringLiteral("req"), 1},
                                            {QStringLiteral("session"), session}}).toJson(QJsonDocument::Compact));
    slow.read(5000, [&] { return slow.messages.size() >= 2; }); // welcome, result

    WsTestClient fast;
    QVERIFY(fast.open(server.wsUrl()));
    QCOMPARE(fast.hello(org.viewerToken).value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
    QCOMPARE(fast.request(QStringLiteral("subscribe"), {{QStringLiteral("session"), session}}).value(QStringLiteral("type")).toString(),
             QStringLiteral("result"));

    // 40 MB of notes while the slow client reads nothing.
    const int notes = 640;
    const QString text = QString(64 * 1024, QLatin1Char('n'));
    const Actor tech{QStringLiteral("user"), org.technician};
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < notes; i += 8) {
        QJsonArray batch;
        for (int j = 0; j < 8; ++j)
            batch.append(Event::make(session, tech, NoteAddedBody{QString::number(i + j) + text, {}}).toJson());
        QCOMPARE(writer.request(QStringLiteral("append"), {{QStringLiteral("events"), batch}}).value(QStringLiteral("type")).toString(),
                 QStringLiteral("result"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(fast.pushedEvents(session).size(), notes + 1, 60000);
    qInfo("fast subscriber had all %d events after %lld ms while the slow one read nothing", notes + 1, t.elapsed());
    const qint64 rss = rssKiB(server.serverPid());
    qInfo("casefiled resident memory with a stalled subscriber: %lld KiB", rss);
    // 40 MB were written; a server that queued all of it for the stalled client would hold
    // at least that much (and twice as much as UTF-16 on the way). It holds only its window.
    QVERIFY2(rss > 0 && rss < 60 * 1024, qPrintable(QString::number(rss)));

    // Now the slow one reads: every event, in order, no gap, none twice.
    QList<qint64> seqs;
    slow.read(120000, [&] {
        seqs.clear();
        for (const QJsonObject &m : slow.messages) {
            for (const QJsonValue &e : m.value(QStringLiteral("events")).toArray())
                seqs.append(e.toObject().value(QStringLiteral("seq")).toInteger());
        }
        return seqs.size() >= notes + 1;
    });
    QCOMPARE(seqs.size(), notes + 1);
    for (int i = 0; i < seqs.size(); ++i)
        QCOMPARE(seqs.at(i), qint64(i + 1));
}

// Replies cannot wait for the store like pushes: a client that asks for half a megabyte at a
// time and reads nothing would have the server hold every answer. It is dropped instead.
void tst_SlowSubscriber::clientThatDoesNotReadItsRepliesIsDropped()
{
    Setup setup;
    QVERIFY(setup.start(QStringLiteral("Read me")));
    ServerFixture &server = setup.server;
    const ServerFixture::Org &org = setup.org;
    const ServerFixture::Org other = server.createOrg(QStringLiteral("Fabrikam"));
    WsTestClient &writer = setup.writer;
    const QString session = setup.session;
    const Actor tech{QStringLiteral("user"), org.technician};
    const QString text = QString(64 * 1024, QLatin1Char('n'));
    for (int i = 0; i < 8; ++i) { // 4 MB: every read below answers about 512 KiB
        QJsonArray batch;
        for (int j = 0; j < 8; ++j)
            batch.append(Event::make(session, tech, NoteAddedBody{text, {}}).toJson());
        QCOMPARE(writer.request(QStringLiteral("append"), {{QStringLiteral("events"), batch}})
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("result"));
    }

    RawWsClient greedy;
    QVERIFY(greedy.open(server.port()));
    greedy.sendText(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                                              {QStringLiteral("token"), org.viewerToken}})
                        .toJson(QJsonDocument::Compact));
    greedy.read(5000, [&] { return !greedy.messages.isEmpty(); }); // welcome
    // 800 reads of ~512 KiB each: 400 MB of answers if the server kept them all.
    for (int i = 1; i <= 800; ++i)
        greedy.sendText(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("read")},
                                                  {QStringLiteral("req"), i},
                                                  {QStringLiteral("session"), session},
                                                  {QStringLiteral("limit"), 5000}})
                            .toJson(QJsonDocument::Compact));
    QTRY_VERIFY_WITH_TIMEOUT(server.serverLog().contains(QStringLiteral("MiB of replies unread")),
                             60000);
    // Everyone else is served meanwhile.
    WsTestClient bystander;
    QVERIFY(bystander.open(server.wsUrl()));
    QCOMPARE(bystander.hello(other.viewerToken).value(QStringLiteral("type")).toString(),
             QStringLiteral("welcome"));
    QElapsedTimer t;
    t.start();
    QCOMPARE(bystander.request(QStringLiteral("ping")).value(QStringLiteral("type")).toString(),
             QStringLiteral("result"));
    QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
    const qint64 peak = rssKiB(server.serverPid(), QByteArrayLiteral("VmHWM:"));
    qInfo("casefiled's peak resident memory: %lld KiB", peak);
    QVERIFY2(peak > 0 && peak < 200 * 1024, qPrintable(QString::number(peak)));
    // The connection is gone: reading on finds its end.
    QVERIFY(greedy.readUntilClosed(30000));
}

// A replay page is up to 500 events of up to 1 MiB each: queued whole, 80 notes of 900 KB
// went past the unread-replies limit and every subscriber from the start was dropped, again on
// each reconnect. The page is sent as far as the slow-subscriber window and resumed when drained.
void tst_SlowSubscriber::replayOfLargeEventsIsPacedNotDropped()
{
    Setup setup;
    QVERIFY(setup.start(QStringLiteral("Pasted logs")));
    ServerFixture &server = setup.server;
    const ServerFixture::Org &org = setup.org;
    WsTestClient &writer = setup.writer;
    const QString session = setup.session;
    const Actor tech{QStringLiteral("user"), org.technician};
    const int notes = 80;
    const QString text = QString(900 * 1000, QLatin1Char('l'));
    for (int i = 0; i < notes; ++i) {
        const QJsonObject r = writer.request(
            QStringLiteral("append"),
            {{QStringLiteral("events"),
              QJsonArray{Event::make(session, tech, NoteAddedBody{text, {}}).toJson()}}});
        QCOMPARE(r.value(QStringLiteral("type")).toString(), QStringLiteral("result"));
    }

    WsTestClient reader;
    QVERIFY(reader.open(server.wsUrl()));
    QCOMPARE(reader.hello(org.viewerToken).value(QStringLiteral("type")).toString(),
             QStringLiteral("welcome"));
    QCOMPARE(reader.request(QStringLiteral("subscribe"), {{QStringLiteral("session"), session}})
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("result"));
    QTRY_COMPARE_WITH_TIMEOUT(reader.pushedEvents(session).size(), notes + 1, 60000);
    QVERIFY(reader.isConnected());
    const QJsonArray pushed = reader.pushedEvents(session);
    for (int i = 0; i < pushed.size(); ++i)
        QCOMPARE(pushed.at(i).toObject().value(QStringLiteral("seq")).toInteger(), qint64(i + 1));
    QVERIFY(!server.serverLog().contains(QStringLiteral("MiB of replies unread")));
}

QTEST_GUILESS_MAIN(tst_SlowSubscriber)
#include "tst_SlowSubscriber.moc"
