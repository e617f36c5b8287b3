#include "SignInDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace casefile {

SignInDialog::SignInDialog(QWidget *parent)
    : QDialog(parent)
    , m_server(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("Remember the token in the system keychain"), this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Sign in to Casefile"));
    m_server->setPlaceholderText(QStringLiteral("http://127.0.0.1:8470"));
    m_server->setAccessibleName(tr("Server address"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(QStringLiteral("cf_…"));
    m_token->setAccessibleName(tr("Access token"));
    m_remember->setAccessibleName(tr("Remember token"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Sign in"));
    auto *form = new QFormLayout;
    form->addRow(tr("&Server:"), m_server);
    form->addRow(tr("&Token:"), m_token);
    form->addRow(m_remember);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Ask your Casefile administrator for a token "
                                    "(casefiled admin issue-token)."), this));
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_server, &QLineEdit::textChanged, this, &SignInDialog::validate);
    connect(m_token, &QLineEdit::textChanged, this, &SignInDialog::validate);
    validate();
}

QString SignInDialog::server() const
{
    return m_server->text().trimmed();
}

void SignInDialog::setServer(const QString &server)
{
    m_server->setText(server);
}

QString SignInDialog::token() const
{
    return m_token->text().trimmed();
}

void SignInDialog::setToken(const QString &token)
{
    m_token->setText(token);
}

bool SignInDialog::remember() const
{
    return m_remember->isChecked();
}

void SignInDialog::setRemember(bool remember)
{
    m_remember->setChecked(remember);
}

void SignInDialog::setError(const QString &error)
{
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
}

void SignInDialog::validate()
{
    const QUrl url = QUrl::fromUserInput(server());
    const bool ok = url.isValid() && !url.host().isEmpty() && !token().isEmpty();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

} // namespace casefile
