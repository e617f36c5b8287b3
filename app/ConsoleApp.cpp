#include "ConsoleApp.h"

#include "MainWindow.h"
#include "SessionController.h"
#include "SignInDialog.h"

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

QString ConsoleApp::dataDirFor(const QUrl &server)
{
    const QByteArray key = server.adjusted(QUrl::StripTrailingSlash).toString().toUtf8();
    const QString id = QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(16));
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/servers/") + id;
}

void ConsoleApp::start(const QString &server, const QString &token, const QString &openSession)
{
    m_openSession = openSession;
    if (!server.isEmpty() && !token.isEmpty()) {
        signIn(server, token, false);
        return;
    }
    const QString last = server.isEmpty() ? QSettings().value(QStringLiteral("server/url")).toString() : server;
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
        signIn(last, stored, false);
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
        signIn(dialog->server(), dialog->token(), dialog->remember());
    });
    connect(dialog, &QDialog::rejected, this, [this] {
        if (!m_window)
            QCoreApplication::quit();
    });
    dialog->open();
}

void ConsoleApp::signIn(const QString &server, const QString &token, bool remember)
{
    const QUrl url = QUrl::fromUserInput(server);
    QSettings settings;
    settings.setValue(QStringLiteral("server/url"), server);
    if (remember) {
        m_credentials.write(server, token, [](const QString &error) {
            if (!error.isEmpty())
                qWarning("casefile: the token could not be kept in the keychain: %s", qPrintable(error));
        });
    }
    const QString identityKey = QStringLiteral("identity/") + QFileInfo(dataDirFor(url)).fileName();
    if (m_window)
        m_window->close();
    m_window.reset();
    m_controller = std::make_unique<SessionController>(dataDirFor(url));
    m_controller->setIdentity(QJsonDocument::fromJson(settings.value(identityKey).toByteArray()).object());
    m_window = std::make_unique<MainWindow>(m_controller.get());
    connect(m_window.get(), &MainWindow::signInRequested, this, [this] { showSignIn(QString()); });
    connect(m_controller.get(), &SessionController::signedIn, this, [identityKey](const QJsonObject &principal) {
        // Kept so actions can be queued offline at the next start.
        QSettings().setValue(identityKey, QJsonDocument(principal).toJson(QJsonDocument::Compact));
    });
    connect(m_controller.get(), &SessionController::signInFailed, this,
            [this, server](const QString &code, const QString &message) {
                if (code == QLatin1String("unauthorized"))
                    m_credentials.remove(server, [](const QString &) {});
                showSignIn(tr("Sign-in failed: %1").arg(message));
            });
    m_controller->connectToServer(url, token);
    m_window->show();
    const QString session = !m_openSession.isEmpty() ? m_openSession : settings.value(QStringLiteral("session/last")).toString();
    if (!session.isEmpty())
        m_window->openSession(session);
}

} // namespace casefile
