#include "DiskFull.h"
#include "agent/AgentJournal.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <unistd.h>

using namespace casefile;

// The agent's journal of commands: what it claims runs at most once, and what it cannot write
// (a full disk) is reported, never taken for done.
class tst_AgentJournal : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void claimedOnceAndFinished();
    void fullDiskIsReported();
    void notADatabase();

private:
    QTemporaryDir m_dir;
};

void tst_AgentJournal::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // As casefile-agent does: a write past the file size limit fails instead of killing.
    std::signal(SIGXFSZ, SIG_IGN);
}

void tst_AgentJournal::claimedOnceAndFinished()
{
    const QString path = m_dir.filePath(QStringLiteral("claims.db"));
    QUuid firstNamespace;
    {
        AgentJournal journal;
        QVERIFY2(journal.open(path), qPrintable(journal.errorString()));
        firstNamespace = journal.idNamespace();
        QVERIFY(!firstNamespace.isNull());
        QCOMPARE(journal.claimCommand(QStringLiteral("s1"), QStringLiteral("c1")),
                 AgentJournal::Claim::Claimed);
        QCOMPARE(journal.claimCommand(QStringLiteral("s1"), QStringLiteral("c1")),
                 AgentJournal::Claim::Seen);
        QCOMPARE(journal.claimCommand(QStringLiteral("s1"), QStringLiteral("c2")),
                 AgentJournal::Claim::Claimed);
        QVERIFY(journal.finishCommand(QStringLiteral("c1")));
    }
    // Another run of the agent: c1 is still seen (never run twice), c2 is the one cut off.
    AgentJournal journal;
    QVERIFY(journal.open(path));
    QCOMPARE(journal.idNamespace(), firstNamespace); // ids derived after a restart match
    AgentJournal other;
    QVERIFY(other.open(m_dir.filePath(QStringLiteral("other.db"))));
    QVERIFY(!other.idNamespace().isNull());
    QVERIFY(other.idNamespace() != firstNamespace); // a secret of each agent
    QCOMPARE(journal.claimCommand(QStringLiteral("s1"), QStringLiteral("c1")),
             AgentJournal::Claim::Seen);
    const auto unfinished = journal.unfinishedCommands();
    QCOMPARE(unfinished.size(), 1);
    QCOMPARE(unfinished.first().first, QStringLiteral("s1"));
    QCOMPARE(unfinished.first().second, QStringLiteral("c2"));
}

void tst_AgentJournal::fullDiskIsReported()
{
    AgentJournal journal;
    QVERIFY(journal.open(m_dir.filePath(QStringLiteral("full.db"))));
    QCOMPARE(journal.claimCommand(QStringLiteral("s1"), QStringLiteral("running")),
             AgentJournal::Claim::Claimed);
    {
        DiskFull full(::getpid());
        QVERIFY(full.isOk());
        QVERIFY(!journal.finishCommand(QStringLiteral("running")));
        QVERIFY(!journal.errorString().isEmpty());
        QCOMPARE(journal.claimCommand(QStringLiteral("s1"), QStringLiteral("new")),
                 AgentJournal::Claim::Failed);
        QVERIFY(!journal.markContextSent(QStringLiteral("s1")));
        QVERIFY(!journal.contextSent(QStringLiteral("s1")));
        // Reading still works, and no write took effect.
        const auto unfinished = journal.unfinishedCommands();
        QCOMPARE(unfinished.size(), 1);
        QCOMPARE(unfinished.first().second, QStringLiteral("running"));
        QVERIFY(full.end());
    }
    QVERIFY2(journal.finishCommand(QStringLiteral("running")), qPrintable(journal.errorString()));
    QVERIFY(journal.unfinishedCommands().isEmpty());
    QCOMPARE(journal.claimCommand(QStringLiteral("s1"), QStringLiteral("new")),
             AgentJournal::Claim::Claimed);
    QVERIFY2(journal.markContextSent(QStringLiteral("s1")), qPrintable(journal.errorString()));
    QVERIFY(journal.contextSent(QStringLiteral("s1")));
    QVERIFY(journal.markContextSent(QStringLiteral("s1"))); // noted already: still fine
}

void tst_AgentJournal::notADatabase()
{
    const QString path = m_dir.filePath(QStringLiteral("garbage.db"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'x'));
    file.close();
    AgentJournal journal;
    QVERIFY(!journal.open(path));
    QVERIFY2(journal.errorString().contains(path), qPrintable(journal.errorString()));
}

QTEST_GUILESS_MAIN(tst_AgentJournal)
#include "tst_AgentJournal.moc"
