#include "NewSessionDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>

namespace casefile {

NewSessionDialog::NewSessionDialog(const QList<SessionTreeModel::EndpointInfo> &endpoints,
                                   const QString &preferred, QWidget *parent)
    : QDialog(parent)
    , m_endpoint(new QComboBox(this))
    , m_title(new QLineEdit(this))
    , m_ticket(new QLineEdit(this))
    , m_tags(new QLineEdit(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("New session"));
    for (const auto &e : endpoints) {
        m_endpoint->addItem(e.online ? tr("%1 (online)").arg(e.hostname) : tr("%1 (offline)").arg(e.hostname), e.id);
    }
    m_endpoint->setCurrentIndex(qMax(0, m_endpoint->findData(preferred)));
    m_endpoint->setAccessibleName(tr("Endpoint"));
    m_title->setPlaceholderText(tr("What is wrong, e.g. “Printing fails on 2nd floor”"));
    m_title->setAccessibleName(tr("Session title"));
    m_ticket->setAccessibleName(tr("Ticket"));
    m_tags->setPlaceholderText(tr("comma separated"));
    m_tags->setAccessibleName(tr("Tags"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Open session"));
    auto *form = new QFormLayout(this);
    form->addRow(tr("&Endpoint:"), m_endpoint);
    form->addRow(tr("&Title:"), m_title);
    form->addRow(tr("Tic&ket:"), m_ticket);
    form->addRow(tr("T&ags:"), m_tags);
    form->addRow(m_buttons);
    auto validate = [this] {
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_endpoint->count() > 0 && !title().isEmpty());
    };
    connect(m_title, &QLineEdit::textChanged, this, validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

QString NewSessionDialog::endpoint() const
{
    return m_endpoint->currentData().toString();
}

QString NewSessionDialog::title() const
{
    return m_title->text().trimmed();
}

void NewSessionDialog::setTitle(const QString &title)
{
    m_title->setText(title);
}

QString NewSessionDialog::ticket() const
{
    return m_ticket->text().trimmed();
}

QStringList NewSessionDialog::tags() const
{
    QStringList out;
    for (const QString &t : m_tags->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!t.trimmed().isEmpty())
            out << t.trimmed();
    }
    return out;
}

} // namespace casefile
