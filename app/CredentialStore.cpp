#include "CredentialStore.h"

#include <qt6keychain/keychain.h>

namespace casefile {

namespace {
// QtKeychain says "Unknown error" when no Secret Service (GNOME Keyring, KWallet) runs.
QString explain(QKeychain::Job *job)
{
    if (job->error() == QKeychain::EntryNotFound)
        return CredentialStore::tr("No token is stored for this server.");
    return CredentialStore::tr("The system keychain did not answer (%1). Is a keyring such as GNOME Keyring "
                               "or KWallet running?")
        .arg(job->errorString());
}
} // namespace

CredentialStore::CredentialStore(QObject *parent)
    : QObject(parent)
{
}

QString CredentialStore::serviceName()
{
    return QStringLiteral("Casefile");
}

void CredentialStore::read(const QString &server, std::function<void(const QString &, const QString &)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(serviceName(), this);
    job->setAutoDelete(true);
    job->setKey(server);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (read->error() != QKeychain::NoError)
            done(QString(), explain(read));
        else
            done(read->textData(), QString());
    });
    job->start();
}

void CredentialStore::write(const QString &server, const QString &token, std::function<void(const QString &)> done)
{
    auto *job = new QKeychain::WritePasswordJob(serviceName(), this);
    job->setAutoDelete(true);
    job->setKey(server);
    job->setTextData(token);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        done(j->error() == QKeychain::NoError ? QString() : explain(j));
    });
    job->start();
}

void CredentialStore::remove(const QString &server, std::function<void(const QString &)> done)
{
    auto *job = new QKeychain::DeletePasswordJob(serviceName(), this);
    job->setAutoDelete(true);
    job->setKey(server);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        done(j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound ? QString() : explain(j));
    });
    job->start();
}

} // namespace casefile
