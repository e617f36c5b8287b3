#include "agent/OsUser.h"

#include <QProcess>
#include <QtTest>

#include <unistd.h>

using namespace casefile;

class tst_OsUser : public QObject
{
    Q_OBJECT

private slots:
    void effectiveNameIsWhatIdSays();
    void knownAndUnknownAccounts();
};

void tst_OsUser::effectiveNameIsWhatIdSays()
{
    QProcess id;
    id.start(QStringLiteral("id"), {QStringLiteral("-un")});
    QVERIFY(id.waitForFinished(10000));
    QCOMPARE(OsUser::effectiveName(), QString::fromLocal8Bit(id.readAllStandardOutput()).trimmed());
    QCOMPARE(OsUser::effectiveName(), OsUser::nameOf(::geteuid()));
}

void tst_OsUser::knownAndUnknownAccounts()
{
    QCOMPARE(OsUser::nameOf(0), QStringLiteral("root"));
    // An account without a passwd entry is still named, never "".
    QCOMPARE(OsUser::nameOf(3999999999u), QStringLiteral("uid 3999999999"));
}

QTEST_GUILESS_MAIN(tst_OsUser)
#include "tst_OsUser.moc"
