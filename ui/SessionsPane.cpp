#include "SessionsPane.h"

#include "SessionController.h"
#include "SessionFilterBar.h"
#include "SessionFilterProxy.h"
#include "SessionTreeDelegate.h"
#include "SessionTreeModel.h"

#include <QCheckBox>
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
    , m_filters(new SessionFilterBar(m_model, SessionFilterBar::Shape::Column, 30, this))
    , m_liveOnly(new QCheckBox(tr("Live only"), this))
    , m_hits(new QLabel(this))
    , m_view(new QTreeView(this))
{
    m_proxy->setSourceModel(m_model);
    m_search->setPlaceholderText(tr("Search sessions, commands and output"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search sessions"));
    m_filters->setProxy(m_proxy);
    m_liveOnly->setAccessibleName(tr("Show live sessions only"));
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
    m_filters->addRow(m_liveOnly);
    // The keyboard reaches "Live only" right after the tag, as it always has.
    setTabOrder(m_filters->tagEdit(), m_liveOnly);
    layout->addWidget(m_filters);
    layout->addWidget(m_hits);
    layout->addWidget(m_view, 1);
    m_hits->hide();

    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(300);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchDelay.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &SessionsPane::searchNow);
    connect(&m_searchDelay, &QTimer::timeout, this, &SessionsPane::searchNow);
    connect(m_filters, &SessionFilterBar::changed, m_view, &QTreeView::expandAll);
    connect(m_liveOnly, &QCheckBox::toggled, this, [this](bool on) { m_proxy->setLiveOnly(on); m_view->expandAll(); });
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex &index) {
        if (index.data(SessionTreeModel::NodeTypeRole).value<SessionTreeModel::NodeType>()
            == SessionTreeModel::NodeType::Session)
            emit openRequested(index.data(SessionTreeModel::IdRole).toString());
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        m_filters->refill();
        m_view->expandAll();
    });
    connect(controller, &SessionController::sessionsRefreshed, m_filters, &SessionFilterBar::refill);
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

} // namespace casefile
