#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

class QThread;

// The storage of the end-to-end benchmark's floor: a SQLite file written the way casefile's own
// stores write (WAL, synchronous = FULL), holding frames as they are, with nothing parsed,
// encoded, hashed or indexed. Lives in a thread of its own, like casefiled's store thread:
// frames given while a commit runs wait and go together in the next transaction (group commit),
// and come back through stored() once durable, in the order they were given.
class RelayStore : public QObject
{
    Q_OBJECT

public:
    explicit RelayStore(const QString &path, QObject *parent = nullptr);
    ~RelayStore() override;

    // A store for `path` living in `thread`, which this starts; deleted when the thread finishes.
    // nullptr (and `error` set) when the file cannot be opened.
    static RelayStore *start(const QString &path, QThread &thread, QString *error);

    // Opens the file. Call in the store's thread; false with error() set on failure.
    bool open();
    QString error() const { return m_error; }

    // Queues a frame for the next transaction. Call in the store's thread (a queued invocation).
    void add(const QByteArray &frame);

signals:
    // Frames committed, in order.
    void stored(const QList<QByteArray> &frames);
    // A commit failed: its frames are lost, and the run will not complete.
    void failed(const QString &error);

private:
    void commit();

    const QString m_path;
    const QString m_connection;
    QList<QByteArray> m_pending;
    bool m_commitQueued = false;
    QString m_error;
};
