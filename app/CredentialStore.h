#pragma once

#include <QObject>
#include <QString>
#include <functional>

namespace casefile {

// Tokens in the OS keychain (Secret Service, KWallet, macOS Keychain, Windows Credential
// Manager) through QtKeychain, keyed by server address. Never a plain file: where no keychain
// answers, nothing is stored and the console asks again at the next start.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    explicit CredentialStore(QObject *parent = nullptr);

    // Each calls back exactly once, from the event loop; `error` is empty on success.
    void read(const QString &server, std::function<void(const QString &token, const QString &error)> done);
    void write(const QString &server, const QString &token, std::function<void(const QString &error)> done);
    void remove(const QString &server, std::function<void(const QString &error)> done);

    static QString serviceName();
};

} // namespace casefile
