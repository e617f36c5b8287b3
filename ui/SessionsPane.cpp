#include "SessionsPane.h"

#include "SessionController.h"
#include "SessionFilterProxy.h"
#include "SessionTreeDelegate.h"
#include "SessionTreeModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTreeView>
#include <QVBoxLayout>

namespace casefile {

SessionsPane::SessionsPane(SessionController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_model(controller->sessions())
    , m_proxy(new SessionFilterProxy(this))
    , m_search(new QLineEdit(this))
    , m_group(new QComboBox(this))
    , m_endpoint(new QComboBox(this))
    , m_technician(new QComboBox(this))
    , m_tag(new QLineEdit(this))
    , m_liveOnly(new QCheckBox(tr("Live only"), this))
    , m_useDates(new QCheckBox(tr("Opened between"), this))
    , m_from(new QDateEdit(QDate::currentDate().addDays(-30), this))
    , m_to(new QDateEdit(QDate::currentDate(), this))
    , m_hits(new QLabel(this))
    , m_view(new QTreeView(this))
{
    m_proxy->setSourceModel(m_model);
    m_search->setPlaceholderText(tr("Search sessions, commands and output"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search sessions"));
    m_group->setAccessibleName(tr("Client group filter"));
    m_endpoint->setAccessibleName(tr("Endpoint filter"));
    m_technician->setAccessibleName(tr("Technician filter"));
    m_tag->setPlaceholderText(tr("Tag"));
    m_tag->setAccessibleName(tr("Tag filter"));
    m_liveOnly->setAccessibleName(tr("Show live sessions only"));
    m_useDates->setAccessibleName(tr("Filter by date opened"));
    m_from->setCalendarPopup(true);
    m_to->setCalendarPopup(true);
    m_from->setAccessibleName(tr("Opened from"));
    m_to->setAccessibleName(tr("Opened until"));
    m_from->setEnabled(false);
    m_to->setEnabled(false);
    m_hits->setAccessibleName(tr("Search result"));
    m_hits->setWordWrap(true);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new SessionTreeDelegate(m_view));
    m_view->setAccessibleName(tr("Sessions"));
    m_view->setUniformRowHeights(true);
    m_view->setSortingEnabled(false);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(SessionTreeModel::NameColumn, QHeaderView::Stretch);
    m_view->header()->setSectionResizeMode(SessionTreeModel::OpenedColumn, QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(SessionTreeModel::FoundColumn, QHeaderView::Interactive);
    m_view->header()->resizeSection(SessionTreeModel::FoundColumn, m_view->fontMetrics().averageCharWidth() * 28);
    m_view->setColumnHidden(SessionTreeModel::FoundColumn, true); // shown while a search finds something

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_search);
    auto *filters = new QFormLayout;
    filters->addRow(tr("Client group"), m_group);
    filters->addRow(tr("Endpoint"), m_endpoint);
    filters->addRow(tr("Technician"), m_technician);
    filters->addRow(tr("Tag"), m_tag);
    auto *dates = new QHBoxLayout;
    dates->addWidget(m_useDates);
    dates->addWidget(m_from);
    dates->addWidget(m_to);
    filters->addRow(dates);
    filters->addRow(m_liveOnly);
    layout->addLayout(filters);
    layout->addWidget(m_hits);
    layout->addWidget(m_view, 1);
    m_hits->hide();

    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(300);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchDelay.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &SessionsPane::searchNow);
    connect(&m_searchDelay, &QTimer::timeout, this, &SessionsPane::searchNow);
    connect(m_group, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setClientGroup(m_group->currentData().toString()); m_view->expandAll(); });
    connect(m_endpoint, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setEndpoint(m_endpoint->currentData().toString()); m_view->expandAll(); });
    connect(m_technician, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setTechnician(m_technician->currentData().toString()); m_view->expandAll(); });
    connect(m_tag, &QLineEdit::textChanged, this, [this](const QString &t) { m_proxy->setTag(t); m_view->expandAll(); });
    connect(m_liveOnly, &QCheckBox::toggled, this, [this](bool on) { m_proxy->setLiveOnly(on); m_view->expandAll(); });
    auto dateFilter = [this] {
        const bool on = m_useDates->isChecked();
        m_from->setEnabled(on);
        m_to->setEnabled(on);
        m_proxy->setDateRange(on ? m_from->date() : QDate(), on ? m_to->date() : QDate());
        m_view->expandAll();
    };
    connect(m_useDates, &QCheckBox::toggled, this, dateFilter);
    connect(m_from, &QDateEdit::dateChanged, this, dateFilter);
    connect(m_to, &QDateEdit::dateChanged, this, dateFilter);
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex &index) {
        if (index.data(SessionTreeModel::NodeTypeRole).value<SessionTreeModel::NodeType>()
            == SessionTreeModel::NodeType::Session)
            emit openRequested(index.data(SessionTreeModel::IdRole).toString());
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        rebuildFilters();
        m_view->expandAll();
    });
    connect(controller, &SessionController::sessionsRefreshed, this, &SessionsPane::rebuildFilters);
    rebuildFilters();
}

QString SessionsPane::currentSession() const
{
    const QModelIndex i = m_view->currentIndex();
    if (i.data(SessionTreeModel::NodeTypeRole).value<SessionTreeModel::NodeType>() != SessionTreeModel::NodeType::Session)
        return {};
    return i.data(SessionTreeModel::IdRole).toString();
}

QString SessionsPane::currentEndpoint() const
{
    return m_view->currentIndex().data(SessionTreeModel::EndpointRole).toString();
}

void SessionsPane::searchNow()
{
    m_searchDelay.stop();
    const QString text = m_search->text().trimmed();
    QHash<QString, QString> snippets;
    if (!text.isEmpty()) {
        for (const SearchHit &hit : m_controller->searchCache(text)) {
            if (!snippets.contains(hit.session)) {
                QString snippet = hit.snippet;
                snippet.replace(QChar(SearchHit::markStart), QLatin1Char('[')).replace(QChar(SearchHit::markEnd), QLatin1Char(']'));
                snippets.insert(hit.session, snippet);
            }
        }
    }
    m_model->setHits(snippets);
    m_view->setColumnHidden(SessionTreeModel::FoundColumn, snippets.isEmpty());
    m_proxy->setTextHits(QSet<QString>(snippets.keyBegin(), snippets.keyEnd()));
    m_proxy->setText(text);
    if (text.isEmpty()) {
        m_hits->hide();
    } else {
        m_hits->setText(snippets.isEmpty() ? tr("No command or output in the cached sessions matches.")
                                           : tr("Found in %n session(s) (commands, output, chat, notes); hover a session to see where.",
                                                nullptr, int(snippets.size())));
        m_hits->show();
    }
    m_view->expandAll();
}

void SessionsPane::rebuildFilters()
{
    // Keep the choice while the lists refresh.
    const QString group = m_group->currentData().toString();
    const QString endpoint = m_endpoint->currentData().toString();
    const QString technician = m_technician->currentData().toString();
    const QSignalBlocker b1(m_group);
    const QSignalBlocker b2(m_endpoint);
    const QSignalBlocker b3(m_technician);
    m_group->clear();
    m_endpoint->clear();
    m_technician->clear();
    m_technician->addItem(tr("Anyone"), QString());
    for (const auto &t : m_model->technicians())
        m_technician->addItem(t.second, t.first);
    m_technician->setCurrentIndex(qMax(0, m_technician->findData(technician)));
    m_group->addItem(tr("All client groups"), QString());
    m_endpoint->addItem(tr("All endpoints"), QString());
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QModelIndex g = m_model->index(r, 0);
        m_group->addItem(g.data().toString(), g.data(SessionTreeModel::IdRole));
    }
    for (const auto &e : m_model->endpoints())
        m_endpoint->addItem(e.hostname.isEmpty() ? e.id.left(8) : e.hostname, e.id);
    m_group->setCurrentIndex(qMax(0, m_group->findData(group)));
    m_endpoint->setCurrentIndex(qMax(0, m_endpoint->findData(endpoint)));
    // A choice that is gone falls back to "All …": the filter must follow (the signals were blocked).
    if (m_group->currentData().toString() != group)
        m_proxy->setClientGroup(m_group->currentData().toString());
    if (m_endpoint->currentData().toString() != endpoint)
        m_proxy->setEndpoint(m_endpoint->currentData().toString());
    if (m_technician->currentData().toString() != technician)
        m_proxy->setTechnician(m_technician->currentData().toString());
}

} // namespace casefile
