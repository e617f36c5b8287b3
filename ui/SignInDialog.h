#pragma once

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace casefile {

// Server address and token. The token field is masked; "remember" keeps it in the OS keychain
// (never in a plain file).
class SignInDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SignInDialog(QWidget *parent = nullptr);

    QString server() const;
    void setServer(const QString &server);
    QString token() const;
    void setToken(const QString &token);
    bool remember() const;
    void setRemember(bool remember);
    void setError(const QString &error);

private:
    void validate();

    QLineEdit *m_server;
    QLineEdit *m_token;
    QCheckBox *m_remember;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace casefile
