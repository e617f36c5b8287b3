#include "ConsoleApp.h"

#include "MainWindow.h"
#include "SessionController.h"
#include "SignInDialog.h"

#include <QApplication>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

namespace casefile {

ConsoleApp::ConsoleApp(QObject *parent)
    : QObject(parent)
{
}

ConsoleApp::~ConsoleApp()
{
    m_window.reset(); // before the controller it shows
}

QString ConsoleApp::dataDirFor(const QUrl &server, const QString &token)
{
    // One directory per server and token: an outbox only ever holds its own user's actions, so
    // signing in as someone else never sends them (the server would refuse them for good).
    const QUrl endpoint = SyncClient::endpointFor(server).adjusted(QUrl::StripTrailingSlash | QUrl::RemoveUserInfo
                                                                   | QUrl::RemoveFragment | QUrl::RemoveQuery);
    const QByteArray key = endpoint.toString().toUtf8() + '\n' + token.toUtf8();
    const QString id = QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(16));
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/servers/") + id;
}

void ConsoleApp::start(const QString &server, const QString &token, const QString &openSession, const QString &link)
{
    m_openSession = openSession;
    m_openLink = link;
    const QString last = server.isEmpty() ? QSettings().value(QStringLiteral("server/url")).toString() : server;
    if (!last.isEmpty() && !token.isEmpty()) {
        signIn(last, token, false, false); // a token given with no server is for the last one
        return;
    }
    if (last.isEmpty()) {
        showSignIn(QString());
        return;
    }
    m_credentials.read(last, [this, last](const QString &stored, const QString &error) {
        if (stored.isEmpty()) {
            if (!error.isEmpty())
                qInfo("casefile: no token from the keychain (%s)", qPrintable(error));
            QSettings().setValue(QStringLiteral("server/url"), last);
            showSignIn(QString());
            return;
        }
        signIn(last, stored, false, true);
    });
}

void ConsoleApp::showSignIn(const QString &error)
{
    auto *dialog = new SignInDialog(m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setServer(QSettings().value(QStringLiteral("server/url"), QStringLiteral("http://127.0.0.1:8470")).toString());
    dialog->setRemember(true);
    dialog->setError(error);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        signIn(dialog->server(), dialog->token(), dialog->remember(), false);
    });
    connect(dialog, &QDialog::rejected, this, [this] {
        if (!m_window)
            QCoreApplication::quit();
    });
    dialog->open();
}

void ConsoleApp::signIn(const QString &server, const QString &token, bool remember, bool fromKeychain)
{
    if (!m_window) {
        signInNow(server, token, remember, fromKeychain);
        return;
    }
    // The old window goes; dialogs it runs (a question, a new session …) are closed first and the
    // window is replaced only once their event loops have returned, never from inside them.
    for (int i = 0; i < 16; ++i) {
        QWidget *modal = QApplication::activeModalWidget();
        if (!modal)
            break;
        if (auto *dialog = qobject_cast<QDialog *>(modal))
            dialog->reject();
        else
            modal->close();
    }
    QTimer::singleShot(0, this, [this, server, token, remember, fromKeychain] {
        signInNow(server, token, remember, fromKeychain);
    });
}

void ConsoleApp::signInNow(const QString &server, const QString &token, bool remember, bool fromKeychain)
{
    const QUrl url = QUrl::fromUserInput(server);
    QSettings settings;
    settings.setValue(QStringLiteral("server/url"), server);
    const QString dataDir = dataDirFor(url, token);
    const QString identityKey = QStringLiteral("identity/") + QFileInfo(dataDir).fileName();
    if (m_window)
        m_window->close();
    m_window.reset();
    m_controller = std::make_unique<SessionController>(dataDir);
    m_controller->setIdentity(QJsonDocument::fromJson(settings.value(identityKey).toByteArray()).object());
    m_window = std::make_unique<MainWindow>(m_controller.get());
    connect(m_window.get(), &MainWindow::signInRequested, this, [this] { showSignIn(QString()); });
    QPointer<MainWindow> window = m_window.get();
    connect(m_controller.get(), &SessionController::signedIn, this,
            [this, identityKey, server, token, remember, window](const QJsonObject &principal) {
                // Kept so actions can be queued offline at the next start.
                QSettings().setValue(identityKey, QJsonDocument(principal).toJson(QJsonDocument::Compact));
                // Remembered once the server has taken it, so a mistyped token never replaces
                // a good one in the keychain.
                if (!remember)
                    return;
                m_credentials.write(server, token, [window](const QString &error) {
                    if (error.isEmpty())
                        return;
                    qWarning("casefile: the token could not be kept in the keychain: %s", qPrintable(error));
                    if (window)
                        window->showMessage(tr("The token was not remembered: %1").arg(error));
                });
            });
    connect(m_controller.get(), &SessionController::signInFailed, this,
            [this, server, fromKeychain](const QString &code, const QString &message) {
                // Only the keychain's own token is forgotten when the server refuses it.
                if (code == QLatin1String("unauthorized") && fromKeychain)
                    m_credentials.remove(server, [](const QString &) {});
                showSignIn(tr("Sign-in failed: %1").arg(message));
            });
    m_controller->connectToServer(url, token);
    m_window->show();
    // --open applies to the first sign-in; later ones reopen the last session.
    const QString session = !m_openSession.isEmpty() ? std::exchange(m_openSession, QString())
                                                     : settings.value(QStringLiteral("session/last")).toString();
    if (!session.isEmpty())
        m_window->openSession(session);
    // A link from the command line (the desktop file's %u) opens over it, once.
    if (!m_openLink.isEmpty())
        m_window->openLink(std::exchange(m_openLink, QString()));
}

} // namespace casefile
