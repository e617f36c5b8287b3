#pragma once

#include "CredentialStore.h"

#include <QObject>
#include <QPointer>
#include <QUrl>
#include <memory>

namespace casefile {

class MainWindow;
class SessionController;

// Start-up and sign-in: finds the server and token (command line, environment, or the last
// server with its token from the keychain, else the sign-in dialog), makes a SessionController
// with a data directory per server, shows the main window and reopens the last session.
class ConsoleApp : public QObject
{
    Q_OBJECT
public:
    explicit ConsoleApp(QObject *parent = nullptr);
    ~ConsoleApp() override;

    // `server`/`token` from the command line or the environment win over what is stored.
    // `link`: a casefile:// or snapshot page link opened once signed in.
    void start(const QString &server, const QString &token, const QString &openSession, const QString &link = {});
    MainWindow *window() const { return m_window.get(); }

    // Where the outbox and cache of one server and token live.
    static QString dataDirFor(const QUrl &server, const QString &token);

private:
    // fromKeychain: the token was read from the keychain (and is forgotten if refused).
    void signIn(const QString &server, const QString &token, bool remember, bool fromKeychain);
    void signInNow(const QString &server, const QString &token, bool remember, bool fromKeychain);
    void showSignIn(const QString &error);

    CredentialStore m_credentials;
    std::unique_ptr<SessionController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    QString m_openSession;
    QString m_openLink;
};

} // namespace casefile
