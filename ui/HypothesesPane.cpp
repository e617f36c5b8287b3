#include "HypothesesPane.h"

#include "HypothesisModel.h"
#include "ItemViews.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace casefile {

HypothesesPane::HypothesesPane(QWidget *parent)
    : QWidget(parent)
    , m_view(new QTableView(this))
    , m_count(new QLabel(this))
    , m_add(new QPushButton(tr("Add…"), this))
    , m_ruleOut(new QPushButton(tr("Rule out"), this))
    , m_confirm(new QPushButton(tr("Confirm"), this))
    , m_reopen(new QPushButton(tr("Reopen"), this))
{
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    m_view->setAccessibleName(tr("Hypotheses"));
    m_add->setAccessibleName(tr("Add hypothesis"));
    m_ruleOut->setAccessibleName(tr("Rule out hypothesis"));
    m_ruleOut->setToolTip(tr("Rule out, with the selected output lines or command as evidence"));
    m_confirm->setAccessibleName(tr("Confirm hypothesis"));
    m_confirm->setToolTip(tr("Confirm, with the selected output lines or command as evidence"));
    m_reopen->setAccessibleName(tr("Reopen hypothesis"));
    m_count->setAccessibleName(tr("Open hypotheses"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_count);
    layout->addWidget(m_view, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addStretch(1);
    buttons->addWidget(m_ruleOut);
    buttons->addWidget(m_confirm);
    buttons->addWidget(m_reopen);
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString text = QInputDialog::getText(this, tr("Add hypothesis"), tr("Possible cause:"),
                                                   QLineEdit::Normal, QString(), &ok);
        if (ok && !text.trimmed().isEmpty())
            emit addRequested(text.trimmed());
    });
    connect(m_ruleOut, &QPushButton::clicked, this,
            [this] { emit statusChangeRequested(currentHypothesis(), QStringLiteral("ruled_out")); });
    connect(m_confirm, &QPushButton::clicked, this,
            [this] { emit statusChangeRequested(currentHypothesis(), QStringLiteral("confirmed")); });
    connect(m_reopen, &QPushButton::clicked, this,
            [this] { emit statusChangeRequested(currentHypothesis(), QStringLiteral("open")); });
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        emit evidenceActivated(index.data(HypothesisModel::IdRole).toString());
    });
    updateState();
}

void HypothesesPane::setModel(HypothesisModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    ItemViews::setModel(m_view, model);
    if (model) {
        connect(model, &HypothesisModel::openCountChanged, this, &HypothesesPane::updateState);
        connect(model, &QAbstractItemModel::dataChanged, this, &HypothesesPane::updateState);
        connect(model, &QAbstractItemModel::rowsInserted, this, &HypothesesPane::updateState);
        connect(model, &QAbstractItemModel::modelReset, this, &HypothesesPane::updateState);
        connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &HypothesesPane::updateState);
        QHeaderView *h = m_view->horizontalHeader();
        h->setStretchLastSection(false);
        h->setSectionResizeMode(HypothesisModel::StatusColumn, QHeaderView::ResizeToContents);
        h->setSectionResizeMode(HypothesisModel::TextColumn, QHeaderView::Stretch);
        h->setSectionResizeMode(HypothesisModel::EvidenceColumn, QHeaderView::Interactive);
        h->resizeSection(HypothesisModel::EvidenceColumn, 110);
        h->setSectionResizeMode(HypothesisModel::UpdatedColumn, QHeaderView::ResizeToContents);
    }
    updateState();
}

QString HypothesesPane::currentHypothesis() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(HypothesisModel::IdRole).toString() : QString();
}

void HypothesesPane::setEditable(bool editable)
{
    m_editable = editable;
    updateState();
}

void HypothesesPane::updateState()
{
    const int open = m_model ? m_model->openCount() : 0;
    const int total = m_model ? m_model->rowCount() : 0;
    m_count->setText(tr("%1 open of %n hypothesis(es)", nullptr, total).arg(open));
    const QModelIndex current = m_view->currentIndex();
    const QString status = current.isValid() ? current.data(HypothesisModel::StatusRole).toString() : QString();
    m_add->setEnabled(m_editable && m_model);
    m_ruleOut->setEnabled(m_editable && status == QLatin1String("open"));
    m_confirm->setEnabled(m_editable && status == QLatin1String("open"));
    m_reopen->setEnabled(m_editable && !status.isEmpty() && status != QLatin1String("open"));
}

} // namespace casefile
