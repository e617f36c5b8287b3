#pragma once

#include "SessionTreeModel.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLineEdit;

namespace casefile {

// Opens a session on an enrolled endpoint: endpoint, title, ticket and tags.
class NewSessionDialog : public QDialog
{
    Q_OBJECT
public:
    NewSessionDialog(const QList<SessionTreeModel::EndpointInfo> &endpoints, const QString &preferred,
                     QWidget *parent = nullptr);
    QString endpoint() const;
    QString title() const;
    void setTitle(const QString &title);
    QString ticket() const;
    QStringList tags() const;

private:
    QComboBox *m_endpoint;
    QLineEdit *m_title;
    QLineEdit *m_ticket;
    QLineEdit *m_tags;
    QDialogButtonBox *m_buttons;
};

} // namespace casefile
