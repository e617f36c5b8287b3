// Tokens go to the OS keychain or nowhere: never into a file the console writes.
#include "CredentialStore.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace casefile;

class tst_CredentialStore : public QObject
{
    Q_OBJECT
private slots:
    void keychainOrNothing();
};

void tst_CredentialStore::keychainOrNothing()
{
    // A home of its own, so a plain-file fallback anywhere under it would be found.
    QTemporaryDir home;
    qputenv("HOME", home.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", (home.path() + QStringLiteral("/.config")).toUtf8());
    qputenv("XDG_DATA_HOME", (home.path() + QStringLiteral("/.local/share")).toUtf8());
    const QString server = QStringLiteral("http://127.0.0.1:8470");
    const QString token = QStringLiteral("cf_tst_CredentialStore_") + QString::number(QDateTime::currentMSecsSinceEpoch());

    CredentialStore store;
    bool wrote = false;
    QString writeError = QStringLiteral("not called");
    store.write(server, token, [&](const QString &error) {
        wrote = true;
        writeError = error;
    });
    QTRY_VERIFY_WITH_TIMEOUT(wrote, 30000); // called back exactly once, keychain or not

    bool read = false;
    QString readToken;
    QString readError;
    store.read(server, [&](const QString &t, const QString &error) {
        read = true;
        readToken = t;
        readError = error;
    });
    QTRY_VERIFY_WITH_TIMEOUT(read, 30000);
    if (writeError.isEmpty()) {
        // A keychain answered: the token comes back, and goes away again.
        QCOMPARE(readToken, token);
        bool removed = false;
        store.remove(server, [&](const QString &error) {
            removed = true;
            QVERIFY2(error.isEmpty(), qPrintable(error));
        });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 30000);
    } else {
        // No keychain here: it says so, and nothing is read back.
        qInfo("no keychain: %s", qPrintable(writeError));
        QVERIFY(readToken.isEmpty());
        QVERIFY(!readError.isEmpty());
    }
    // Either way no file under the home holds the token.
    QDirIterator it(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains(token.toUtf8()), qPrintable(f.fileName()));
    }
}

QTEST_MAIN(tst_CredentialStore)
#include "tst_CredentialStore.moc"
