#include "StoreFixtures.h"
#include "TestEvents.h"
#include "store/EventStore.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace casefile;

// Files that are not (good) Casefile stores: each gives a clear error, never a crash, and is
// left exactly as it was.
class tst_StoreFiles : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void committedBrokenFiles_data();
    void committedBrokenFiles();
    void foreignDatabase();
    void newerSchema();
    void directory();
    void zeroByteFileBecomesAStore();
    void readOnlyMissingFile();
    void truncatedStore();
    void damagedPages();
    void secondStoreKeepsTheFirstsLocks();

private:
    QString dbPath() const { return m_dir->filePath(QStringLiteral("store.db")); }
    QByteArray digest(const QString &path);
    QString makeRealStore(int events);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_StoreFiles::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

QByteArray tst_StoreFiles::digest(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

QString tst_StoreFiles::makeRealStore(int events)
{
    EventStore store;
    if (!store.open(dbPath()))
        qFatal("cannot create store");
    const QString session = Event::newId();
    const QString cmd = Event::newId();
    QList<Event> batch{TestEvents::opened(session, {})};
    for (int i = 0; i < events; ++i)
        batch.append(TestEvents::output(session, cmd, i, QStringLiteral("%1 Get-WinEvent -LogName System | line of output\n").arg(i).repeated(8)));
    if (!store.append(batch).ok)
        qFatal("cannot fill store");
    store.close(); // checkpoints the WAL into the main file
    return session;
}

void tst_StoreFiles::committedBrokenFiles_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("text file") << QStringLiteral("not-a-database.db") << QStringLiteral("not an SQLite database");
    QTest::newRow("garbage after header") << QStringLiteral("garbage-after-header.db") << QStringLiteral("not a usable Casefile store");
}

void tst_StoreFiles::committedBrokenFiles()
{
    QFETCH(QString, fixture);
    QFETCH(QString, fragment);
    QVERIFY(QFile::copy(QStringLiteral(CASEFILE_TEST_DATA "/store/") + fixture, dbPath()));
    const QByteArray before = digest(dbPath());
    EventStore store;
    QVERIFY(!store.open(dbPath()));
    QVERIFY2(store.errorString().contains(fragment), qPrintable(store.errorString()));
    QVERIFY(store.errorString().contains(dbPath()));
    QVERIFY(!store.isOpen());
    QCOMPARE(digest(dbPath()), before);
    // Every call on a store that failed to open is a clear error too.
    QVERIFY(!store.append({TestEvents::note(Event::newId(), QStringLiteral("x"))}).ok);
    QVERIFY(!store.read(Event::newId()));
    QVERIFY(!store.verify(Event::newId()).ok);
}

void tst_StoreFiles::foreignDatabase()
{
    QString error;
    QVERIFY2(StoreFixtures::loadSql(QStringLiteral("foreign.sql"), dbPath(), &error), qPrintable(error));
    const QByteArray before = digest(dbPath());
    EventStore store;
    QVERIFY(!store.open(dbPath()));
    QVERIFY2(store.errorString().contains(QStringLiteral("not a Casefile store")), qPrintable(store.errorString()));
    QVERIFY(store.errorString().contains(QStringLiteral("customers")));
    QCOMPARE(digest(dbPath()), before);
}

void tst_StoreFiles::newerSchema()
{
    QString error;
    QVERIFY(StoreFixtures::loadSql(QStringLiteral("schema-v99.sql"), dbPath(), &error));
    const QByteArray before = digest(dbPath());
    EventStore store;
    QVERIFY(!store.open(dbPath()));
    QCOMPARE(digest(dbPath()), before);
    QVERIFY2(store.errorString().contains(QStringLiteral("newer than this Casefile")), qPrintable(store.errorString()));
}

void tst_StoreFiles::directory()
{
    EventStore store;
    QVERIFY(!store.open(m_dir->path()));
    QVERIFY(store.errorString().contains(QStringLiteral("is a directory")));
}

void tst_StoreFiles::zeroByteFileBecomesAStore()
{
    QFile f(dbPath());
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    EventStore store;
    QVERIFY2(store.open(dbPath()), qPrintable(store.errorString()));
    const QString s = Event::newId();
    QVERIFY(store.append({TestEvents::opened(s, {})}).ok);
}

void tst_StoreFiles::readOnlyMissingFile()
{
    StoreOptions ro;
    ro.readOnly = true;
    EventStore store;
    QVERIFY(!store.open(dbPath(), ro));
    QVERIFY(store.errorString().contains(QStringLiteral("does not exist")));
    QVERIFY(!QFile::exists(dbPath()));
}

void tst_StoreFiles::truncatedStore()
{
    const QString session = makeRealStore(400);
    QFile f(dbPath());
    const qint64 size = f.size();
    QVERIFY(size > 64 * 1024);
    QVERIFY(f.resize(size / 2));

    EventStore store;
    // Either the open or the first full read reports the damage; neither may crash or hang.
    if (store.open(dbPath())) {
        const auto events = store.read(session, 0, 100000);
        const ChainReport report = store.verify(session);
        QVERIFY2(!events || !report.ok, "a store cut in half read back as complete");
        if (!events)
            QVERIFY2(store.errorString().contains(QStringLiteral("malformed")), qPrintable(store.errorString()));
    } else {
        QVERIFY2(store.errorString().contains(QStringLiteral("malformed")), qPrintable(store.errorString()));
    }
}

void tst_StoreFiles::damagedPages()
{
    const QString session = makeRealStore(400);
    QFile f(dbPath());
    QVERIFY(f.open(QIODevice::ReadWrite));
    // Scribble over pages in the middle of the file (past the schema on page 1).
    const qint64 size = f.size();
    QByteArray junk(16384, '\xa5');
    f.seek(size / 3);
    f.write(junk);
    f.close();

    EventStore store;
    if (store.open(dbPath())) {
        const auto events = store.read(session, 0, 100000);
        const ChainReport report = store.verify(session);
        QVERIFY2(!events || !report.ok, "damaged pages went unnoticed");
        QVERIFY(!report.ok);
        QVERIFY(!report.message.isEmpty());
    } else {
        QVERIFY(!store.errorString().isEmpty());
    }
}

QTEST_GUILESS_MAIN(tst_StoreFiles)
namespace {
// Whether another process would find a lock on `path` in the way of a write lock on all of
// it. Asked from a child process: a descriptor of the file opened and closed here would itself
// drop this process's locks.
bool isLocked(const QString &path)
{
    const QByteArray name = QFile::encodeName(path);
    const pid_t child = ::fork();
    if (child == 0) {
        const int fd = ::open(name.constData(), O_RDONLY);
        struct flock probe = {};
        probe.l_type = F_WRLCK;
        probe.l_whence = SEEK_SET;
        const bool locked = fd >= 0 && ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
        ::_exit(locked ? 0 : 1);
    }
    int status = 0;
    return child > 0 && ::waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
} // namespace

// A second store on a file this process already has open (the server's writer thread beside
// its event loop) must not close a descriptor of that file: that drops every POSIX lock the
// process holds on it, and another process then deletes the WAL under the open connections.
void tst_StoreFiles::secondStoreKeepsTheFirstsLocks()
{
    makeRealStore(3);
    EventStore first;
    QVERIFY2(first.open(dbPath()), qPrintable(first.errorString()));
    QVERIFY(first.read(QString(), 0, 1)); // a read: the connection is live
    QVERIFY2(isLocked(dbPath()), "an open WAL connection holds a shared lock on the file");
    {
        EventStore second;
        QVERIFY2(second.open(dbPath()), qPrintable(second.errorString()));
        QVERIFY2(isLocked(dbPath()), "opening a second store dropped the first one's lock");
    }
    QVERIFY2(isLocked(dbPath()), "closing the second store dropped the first one's lock");
    first.close();
    // Once no store holds it, the header is checked again.
    QFile::resize(dbPath(), 0);
    QFile text(dbPath());
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("not a database at all, just text that is long enough\n");
    text.close();
    EventStore third;
    QVERIFY(!third.open(dbPath()));
    QVERIFY2(third.errorString().contains(QStringLiteral("not an SQLite database")), qPrintable(third.errorString()));
}

#include "tst_StoreFiles.moc"
