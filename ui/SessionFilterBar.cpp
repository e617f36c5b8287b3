#include "SessionFilterBar.h"

#include "SessionFilterProxy.h"
#include "SessionTreeModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>

namespace casefile {

SessionFilterBar::SessionFilterBar(SessionTreeModel *sessions, Shape shape, int daysBack, QWidget *parent)
    : QWidget(parent)
    , m_sessions(sessions)
    , m_group(new QComboBox(this))
    , m_endpoint(new QComboBox(this))
    , m_technician(new QComboBox(this))
    , m_tag(new QLineEdit(this))
    , m_useDates(new QCheckBox(tr("Opened between"), this))
    , m_from(new QDateEdit(QDate::currentDate().addDays(-daysBack), this))
    , m_to(new QDateEdit(QDate::currentDate(), this))
{
    m_group->setAccessibleName(tr("Client group filter"));
    m_endpoint->setAccessibleName(tr("Endpoint filter"));
    m_technician->setAccessibleName(tr("Technician filter"));
    m_tag->setPlaceholderText(tr("Tag"));
    m_tag->setAccessibleName(tr("Tag filter"));
    m_useDates->setAccessibleName(tr("Filter by date opened"));
    m_from->setCalendarPopup(true);
    m_to->setCalendarPopup(true);
    m_from->setAccessibleName(tr("Opened from"));
    m_to->setAccessibleName(tr("Opened until"));
    m_from->setEnabled(false);
    m_to->setEnabled(false);

    auto *dates = new QHBoxLayout;
    dates->addWidget(m_useDates);
    dates->addWidget(m_from);
    dates->addWidget(m_to);
    if (shape == Shape::Column) {
        auto *form = new QFormLayout(this);
        form->setContentsMargins(0, 0, 0, 0);
        form->addRow(tr("Client group"), m_group);
        form->addRow(tr("Endpoint"), m_endpoint);
        form->addRow(tr("Technician"), m_technician);
        form->addRow(tr("Tag"), m_tag);
        form->addRow(dates);
        m_technicianForm = m_lastForm = form;
    } else {
        auto *row = new QHBoxLayout(this);
        row->setContentsMargins(0, 0, 0, 0);
        auto *lists = new QFormLayout;
        lists->addRow(tr("Client &group"), m_group);
        lists->addRow(tr("&Endpoint"), m_endpoint);
        lists->addRow(tr("Technician"), m_technician);
        auto *rest = new QFormLayout;
        rest->addRow(tr("&Tag"), m_tag);
        rest->addRow(dates);
        row->addLayout(lists, 1);
        row->addSpacing(16);
        row->addLayout(rest, 1);
        m_technicianForm = lists;
        m_lastForm = rest;
    }

    connect(m_group, &QComboBox::currentIndexChanged, this, [this] {
        if (m_proxy)
            m_proxy->setClientGroup(clientGroup());
        emit changed();
    });
    connect(m_endpoint, &QComboBox::currentIndexChanged, this, [this] {
        if (m_proxy)
            m_proxy->setEndpoint(endpoint());
        emit changed();
    });
    connect(m_technician, &QComboBox::currentIndexChanged, this, [this] {
        if (m_proxy)
            m_proxy->setTechnician(technician());
        emit changed();
    });
    connect(m_tag, &QLineEdit::textChanged, this, [this](const QString &t) {
        if (m_proxy)
            m_proxy->setTag(t);
        emit changed();
    });
    connect(m_useDates, &QCheckBox::toggled, this, &SessionFilterBar::datesChanged);
    connect(m_from, &QDateEdit::dateChanged, this, &SessionFilterBar::datesChanged);
    connect(m_to, &QDateEdit::dateChanged, this, &SessionFilterBar::datesChanged);
    refill();
}

void SessionFilterBar::setProxy(SessionFilterProxy *proxy)
{
    m_proxy = proxy;
}

void SessionFilterBar::setTechnicianShown(bool shown)
{
    m_technicianForm->setRowVisible(m_technician, shown);
}

void SessionFilterBar::addRow(QWidget *widget)
{
    m_lastForm->addRow(widget);
}

QString SessionFilterBar::clientGroup() const
{
    return m_group->currentData().toString();
}

QString SessionFilterBar::endpoint() const
{
    return m_endpoint->currentData().toString();
}

QString SessionFilterBar::technician() const
{
    return m_technician->currentData().toString();
}

QString SessionFilterBar::tag() const
{
    return m_tag->text().trimmed();
}

QDate SessionFilterBar::from() const
{
    return m_useDates->isChecked() ? m_from->date() : QDate();
}

QDate SessionFilterBar::to() const
{
    return m_useDates->isChecked() ? m_to->date() : QDate();
}

void SessionFilterBar::datesChanged()
{
    const bool on = m_useDates->isChecked();
    m_from->setEnabled(on);
    m_to->setEnabled(on);
    if (m_proxy)
        m_proxy->setDateRange(from(), to());
    emit changed();
}

void SessionFilterBar::refill()
{
    const QString group = clientGroup();
    const QString endpointId = endpoint();
    const QString technicianId = technician();
    {
        // Clearing and refilling is no choice of the user's: only a real change below tells.
        const QSignalBlocker b1(m_group);
        const QSignalBlocker b2(m_endpoint);
        const QSignalBlocker b3(m_technician);
        m_group->clear();
        m_endpoint->clear();
        m_technician->clear();
        m_group->addItem(tr("All client groups"), QString());
        for (int r = 0; r < m_sessions->rowCount(); ++r) {
            const QModelIndex g = m_sessions->index(r, 0);
            m_group->addItem(g.data().toString(), g.data(SessionTreeModel::IdRole));
        }
        m_endpoint->addItem(tr("All endpoints"), QString());
        for (const auto &e : m_sessions->endpoints())
            m_endpoint->addItem(e.hostname.isEmpty() ? e.id.left(8) : e.hostname, e.id);
        m_technician->addItem(tr("Anyone"), QString());
        for (const auto &t : m_sessions->technicians())
            m_technician->addItem(t.second, t.first);
        m_group->setCurrentIndex(qMax(0, m_group->findData(group)));
        m_endpoint->setCurrentIndex(qMax(0, m_endpoint->findData(endpointId)));
        m_technician->setCurrentIndex(qMax(0, m_technician->findData(technicianId)));
    }
    // A choice that is gone fell back to "All …": the filter must follow (the signals were blocked).
    bool fellBack = false;
    if (clientGroup() != group) {
        if (m_proxy)
            m_proxy->setClientGroup(clientGroup());
        fellBack = true;
    }
    if (endpoint() != endpointId) {
        if (m_proxy)
            m_proxy->setEndpoint(endpoint());
        fellBack = true;
    }
    if (technician() != technicianId) {
        if (m_proxy)
            m_proxy->setTechnician(technician());
        fellBack = true;
    }
    if (fellBack)
        emit changed();
}

} // namespace casefile
