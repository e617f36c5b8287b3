#include "ApprovalsPane.h"

#include "ApprovalModel.h"
#include "ItemViews.h"

#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace casefile {

ApprovalsPane::ApprovalsPane(QWidget *parent)
    : QWidget(parent)
    , m_pending(new QLabel(this))
    , m_view(new QTableView(this))
    , m_prompt(new QPlainTextEdit(this))
{
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("Approvals"));
    m_view->setWordWrap(false);
    m_prompt->setReadOnly(true);
    m_prompt->setPlaceholderText(tr("The exact prompt shown to the end user"));
    m_prompt->setAccessibleName(tr("Prompt shown to the end user"));
    m_pending->setAccessibleName(tr("Pending approvals"));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_prompt);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_pending);
    layout->addWidget(split, 1);
    updateState();
}

void ApprovalsPane::setModel(ApprovalModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    ItemViews::setModel(m_view, model);
    m_prompt->clear();
    if (model) {
        QHeaderView *h = m_view->horizontalHeader();
        h->setStretchLastSection(false);
        for (int c = 0; c < ApprovalModel::ColumnCount; ++c)
            h->setSectionResizeMode(c, c == ApprovalModel::CommandColumn ? QHeaderView::Stretch : QHeaderView::ResizeToContents);
        // Who decided can be long ("policy:auto-approve"): cut, the tooltip has it.
        h->setSectionResizeMode(ApprovalModel::DecidedByColumn, QHeaderView::Interactive);
        h->resizeSection(ApprovalModel::DecidedByColumn, m_view->fontMetrics().horizontalAdvance(QLatin1Char('M')) * 7);
        connect(model, &ApprovalModel::pendingCountChanged, this, &ApprovalsPane::updateState);
        connect(model, &QAbstractItemModel::modelReset, this, &ApprovalsPane::updateState);
        connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int, int last) {
            // The newest request is the one the technician is waiting on.
            m_view->selectRow(last);
            updateState();
        });
        // A request asked and answered in one batch changes no count: refresh on every change.
        connect(model, &QAbstractItemModel::dataChanged, this, &ApprovalsPane::updateState);
        connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &ApprovalsPane::showPrompt);
    }
    updateState();
}

QString ApprovalsPane::pendingText() const
{
    return m_pending->text();
}

void ApprovalsPane::updateState()
{
    const int pending = m_model ? m_model->pendingCount() : 0;
    if (pending > 0) {
        m_pending->setText(tr("%n request(s) waiting for the end user", nullptr, pending));
        m_pending->setStyleSheet(QStringLiteral("font-weight: bold; color: palette(highlighted-text); "
                                                "background: palette(highlight); padding: 2px;"));
    } else {
        m_pending->setText(tr("No request waiting"));
        m_pending->setStyleSheet(QString());
    }
    showPrompt();
}

void ApprovalsPane::showPrompt()
{
    const QModelIndex current = m_view->currentIndex();
    QString text = current.isValid() ? current.data(ApprovalModel::PromptRole).toString() : QString();
    if (m_prompt->toPlainText() != text)
        m_prompt->setPlainText(text);
}

} // namespace casefile
