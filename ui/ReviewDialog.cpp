#include "ReviewDialog.h"

#include "FindingsDelegate.h"
#include "ItemViews.h"
#include "OutputView.h"
#include "SessionController.h"
#include "SessionFilterBar.h"
#include "SessionFilterProxy.h"
#include "SessionTreeDelegate.h"
#include "SessionTreeModel.h"
#include "Theme.h"

#include <QAction>
#include <QApplication>
#include <QButtonGroup>
#include <QClipboard>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace casefile {

namespace {
using Decision = RedactionPlan::Decision;

QLabel *hint(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, p.color(QPalette::PlaceholderText));
    label->setPalette(p);
    return label;
}

QColor translucent(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}
} // namespace

ReviewDialog::ReviewDialog(SessionController *controller, const QStringList &preselected, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_stack(new QStackedWidget(this))
    , m_steps(new QLabel(this))
    , m_back(new QPushButton(tr("< &Back"), this))
    , m_next(new QPushButton(tr("&Next >"), this))
    , m_undoButton(new QToolButton(this))
    , m_redoButton(new QToolButton(this))
{
    setObjectName(QStringLiteral("ReviewDialog"));
    setWindowTitle(tr("Review and publish"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/casefile.svg")));
    setSizeGripEnabled(true);
    resize(1320, 840);

    m_stack->addWidget(buildChoosePage());
    m_stack->addWidget(buildReviewPage());
    m_stack->addWidget(buildPublishPage());

    m_undo = new QAction(tr("&Undo"), this);
    m_undo->setShortcut(QKeySequence::Undo);
    m_undo->setEnabled(false);
    m_redo = new QAction(tr("&Redo"), this);
    m_redo->setShortcut(QKeySequence::Redo);
    m_redo->setEnabled(false);
    addAction(m_undo);
    addAction(m_redo);
    connect(m_undo, &QAction::triggered, this, [this] { if (m_review) m_review->undoStack()->undo(); });
    connect(m_redo, &QAction::triggered, this, [this] { if (m_review) m_review->undoStack()->redo(); });
    m_undoButton->setDefaultAction(m_undo);
    m_redoButton->setDefaultAction(m_redo);
    m_undoButton->setAccessibleName(tr("Undo the last decision"));
    m_redoButton->setAccessibleName(tr("Redo the decision undone"));
    m_back->setAccessibleName(tr("Back"));
    m_next->setAccessibleName(tr("Next"));
    auto *close = new QPushButton(tr("&Close"), this);
    close->setAccessibleName(tr("Close the review"));
    close->setAutoDefault(false);
    m_back->setAutoDefault(false);
    m_next->setAutoDefault(false);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_back, &QPushButton::clicked, this, [this] { showPage(Page(qMax(0, int(page()) - 1))); });
    connect(m_next, &QPushButton::clicked, this, [this] {
        if (page() == ChoosePage)
            startReview(chosenSessions());
        else
            showPage(PublishPage);
    });

    m_steps->setTextFormat(Qt::RichText);
    m_steps->setContentsMargins(4, 2, 4, 6);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_undoButton);
    buttons->addWidget(m_redoButton);
    buttons->addStretch(1);
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    buttons->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_steps);
    layout->addWidget(m_stack, 1);
    layout->addLayout(buttons);

    // Preselected sessions (the one open in the console) are chosen already.
    m_sessions->expandAll();
    for (const QString &id : preselected) {
        const QModelIndex row = m_proxy->mapFromSource(controller->sessions()->indexOfSession(id));
        if (row.isValid()) {
            m_sessions->selectionModel()->select(row, QItemSelectionModel::Select | QItemSelectionModel::Rows);
            m_sessions->scrollTo(row);
        }
    }
    showPage(ChoosePage);
    updateChosen();

    m_previewDelay.setSingleShot(true);
    m_previewDelay.setInterval(60); // a burst of decisions (held-down key) redraws once
    connect(&m_previewDelay, &QTimer::timeout, this, &ReviewDialog::refreshPreview);
}

ReviewDialog::~ReviewDialog()
{
    // The views point into buffers and models that go before the widgets do.
    m_original->setBuffer(nullptr);
    m_preview->setBuffer(nullptr);
    ItemViews::setModel(m_findings, nullptr);
}

QWidget *ReviewDialog::buildChoosePage()
{
    auto *page = new QWidget(this);
    SessionTreeModel *model = m_controller->sessions();
    m_proxy = new SessionFilterProxy(page);
    m_proxy->setSourceModel(model);
    m_filters = new SessionFilterBar(model, SessionFilterBar::Shape::TwoColumns, 30, page);
    m_sessions = new QTreeView(page);
    m_chosen = new QLabel(page);

    m_filters->setProxy(m_proxy);
    m_filters->setTechnicianShown(false); // this page has never filtered by technician
    m_sessions->setModel(m_proxy);
    m_sessions->setItemDelegate(new SessionTreeDelegate(m_sessions));
    m_sessions->setAccessibleName(tr("Sessions to publish"));
    m_sessions->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_sessions->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_sessions->setUniformRowHeights(true);
    m_sessions->setAlternatingRowColors(true);
    m_sessions->header()->setStretchLastSection(false);
    m_sessions->header()->setSectionResizeMode(SessionTreeModel::NameColumn, QHeaderView::Stretch);
    m_sessions->header()->setSectionResizeMode(SessionTreeModel::OpenedColumn, QHeaderView::ResizeToContents);
    m_sessions->setColumnHidden(SessionTreeModel::FoundColumn, true);
    m_chosen->setAccessibleName(tr("Sessions chosen"));
    auto *selectShown = new QPushButton(tr("Choose &all shown"), page);
    selectShown->setAccessibleName(tr("Choose every session shown"));
    selectShown->setAutoDefault(false);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(hint(tr("Choose one session, or several: a client group or endpoint row takes every session shown "
                              "under it — for example everything for a client that is changing MSP. Ctrl and Shift "
                              "add to the choice."),
                           page));
    layout->addWidget(m_filters);
    layout->addWidget(m_sessions, 1);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_chosen, 1);
    bottom->addWidget(selectShown);
    layout->addLayout(bottom);

    connect(m_filters, &SessionFilterBar::changed, this, [this] {
        m_sessions->expandAll();
        updateChosen();
    });
    connect(m_sessions->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ReviewDialog::updateChosen);
    connect(selectShown, &QPushButton::clicked, this, [this] {
        m_sessions->selectAll();
        updateChosen();
    });
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
        m_filters->refill();
        m_sessions->expandAll();
    });
    return page;
}

QStringList ReviewDialog::chosenSessions() const
{
    // Tree order; a chosen group or endpoint brings every session shown under it.
    QStringList out;
    const QItemSelectionModel *selection = m_sessions->selectionModel();
    std::function<void(const QModelIndex &, bool)> walk = [&](const QModelIndex &parent, bool chosen) {
        for (int r = 0; r < m_proxy->rowCount(parent); ++r) {
            const QModelIndex i = m_proxy->index(r, 0, parent);
            const bool here = chosen || selection->isSelected(i);
            if (i.data(SessionTreeModel::NodeTypeRole).value<SessionTreeModel::NodeType>() == SessionTreeModel::NodeType::Session) {
                if (here)
                    out.append(i.data(SessionTreeModel::IdRole).toString());
            } else {
                walk(i, here);
            }
        }
    };
    walk(QModelIndex(), false);
    out.removeDuplicates();
    return out;
}

void ReviewDialog::updateChosen()
{
    const qsizetype n = chosenSessions().size();
    m_chosen->setText(n == 0 ? tr("No session chosen.") : tr("%n session(s) chosen.", nullptr, int(n)));
    updateButtons();
}

QWidget *ReviewDialog::buildReviewPage()
{
    auto *page = new QWidget(this);
    m_scanLabel = new QLabel(page);
    m_progress = new QProgressBar(page);
    m_cancelScan = new QPushButton(tr("Cancel"), page);
    m_findings = new QTreeView(page);
    m_summary = new QLabel(page);
    m_redactValue = new QPushButton(tr("&Redact all"), page);
    m_keepValue = new QPushButton(tr("&Keep all"), page);
    m_redactOne = new QPushButton(tr("Redact this one"), page);
    m_keepOne = new QPushButton(tr("Keep this one"), page);
    m_textTitle = new QLabel(page);
    m_original = new OutputView(page);
    m_preview = new OutputView(page);
    m_redactSelection = new QPushButton(tr("Redact &selection"), page);
    m_redactLine = new QPushButton(tr("Redact &line"), page);
    m_redactWhole = new QPushButton(tr("Redact &whole text"), page);
    m_addTerm = new QPushButton(tr("Add to client &dictionary…"), page);

    m_scanLabel->setAccessibleName(tr("Scan status"));
    m_progress->setAccessibleName(tr("Scan progress"));
    m_progress->setTextVisible(true);
    m_cancelScan->setAccessibleName(tr("Cancel the scan"));
    m_findings->setAccessibleName(tr("Findings"));
    m_findings->setUniformRowHeights(true);
    m_findings->setAlternatingRowColors(true);
    m_findings->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_findings->setItemDelegate(new FindingsDelegate(m_findings));
    m_findings->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_summary->setAccessibleName(tr("Findings summary"));
    m_redactValue->setAccessibleName(tr("Redact every occurrence of this value"));
    m_keepValue->setAccessibleName(tr("Keep every occurrence of this value"));
    m_redactOne->setAccessibleName(tr("Redact only this occurrence"));
    m_keepOne->setAccessibleName(tr("Keep only this occurrence"));
    m_redactValue->setToolTip(tr("Every occurrence of the value, or of every value of the type (R)"));
    m_keepValue->setToolTip(tr("Every occurrence of the value, or of every value of the type (K)"));
    m_redactOne->setToolTip(tr("Only the occurrence selected (Shift+R)"));
    m_keepOne->setToolTip(tr("Only the occurrence selected (Shift+K)"));
    m_textTitle->setAccessibleName(tr("Text shown"));
    m_original->setAccessibleName(tr("Original text"));
    m_preview->setAccessibleName(tr("Preview as published"));
    m_original->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_redactSelection->setAccessibleName(tr("Redact the selected text"));
    m_redactLine->setAccessibleName(tr("Redact the selected lines"));
    m_redactWhole->setAccessibleName(tr("Redact the whole text"));
    m_addTerm->setAccessibleName(tr("Add a term to the client dictionary"));
    for (QPushButton *b : {m_cancelScan, m_redactValue, m_keepValue, m_redactOne, m_keepOne, m_redactSelection,
                           m_redactLine, m_redactWhole, m_addTerm})
        b->setAutoDefault(false);

    // Keys on the findings tree only: letters typed into the publish form stay letters.
    const auto treeAction = [this](const QString &text, const QKeySequence &key, auto slot) {
        auto *a = new QAction(text, m_findings);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetShortcut);
        m_findings->addAction(a);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    treeAction(tr("Redact all"), QKeySequence(Qt::Key_R), [this] { decideCurrent(Decision::Redact, false); });
    treeAction(tr("Keep all"), QKeySequence(Qt::Key_K), [this] { decideCurrent(Decision::Keep, false); });
    treeAction(tr("Redact this one"), QKeySequence(Qt::SHIFT | Qt::Key_R), [this] { decideCurrent(Decision::Redact, true); });
    treeAction(tr("Keep this one"), QKeySequence(Qt::SHIFT | Qt::Key_K), [this] { decideCurrent(Decision::Keep, true); });
    treeAction(tr("Next undecided"), QKeySequence(Qt::Key_N), [this] {
        const QModelIndex next = m_review ? m_review->findings()->nextUndecided(m_findings->currentIndex()) : QModelIndex();
        if (next.isValid())
            m_findings->setCurrentIndex(next);
    });
    const auto viewAction = [this](const QString &text, const QKeySequence &key, auto slot) {
        auto *a = new QAction(text, m_original);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetShortcut);
        m_original->addAction(a);
        connect(a, &QAction::triggered, this, slot);
    };
    viewAction(tr("Redact selection"), QKeySequence(Qt::Key_R), [this] { redactSelection(); });
    viewAction(tr("Redact line"), QKeySequence(Qt::Key_L), [this] { redactLines(); });
    viewAction(tr("Redact whole text"), QKeySequence(), [this] { toggleWholeText(); });
    viewAction(tr("Add to client dictionary…"), QKeySequence(Qt::Key_D), [this] { askForTerm(); });

    connect(m_cancelScan, &QPushButton::clicked, this, [this] { if (m_review) m_review->cancel(); });
    connect(m_redactValue, &QPushButton::clicked, this, [this] { decideCurrent(Decision::Redact, false); });
    connect(m_keepValue, &QPushButton::clicked, this, [this] { decideCurrent(Decision::Keep, false); });
    connect(m_redactOne, &QPushButton::clicked, this, [this] { decideCurrent(Decision::Redact, true); });
    connect(m_keepOne, &QPushButton::clicked, this, [this] { decideCurrent(Decision::Keep, true); });
    connect(m_redactSelection, &QPushButton::clicked, this, &ReviewDialog::redactSelection);
    connect(m_redactLine, &QPushButton::clicked, this, &ReviewDialog::redactLines);
    connect(m_redactWhole, &QPushButton::clicked, this, &ReviewDialog::toggleWholeText);
    connect(m_addTerm, &QPushButton::clicked, this, &ReviewDialog::askForTerm);
    connect(m_original, &OutputView::selectionChanged, this, &ReviewDialog::updateButtons);
    // Original and preview keep their line breaks alike: one scroll position serves both.
    connect(m_original->verticalScrollBar(), &QScrollBar::valueChanged, m_preview->verticalScrollBar(), &QScrollBar::setValue);
    connect(m_preview->verticalScrollBar(), &QScrollBar::valueChanged, m_original->verticalScrollBar(), &QScrollBar::setValue);

    // Findings of the shown text, tinted by their decision, in the original.
    m_original->setMarker([this](qsizetype line, const QString &) {
        QList<OutputView::Mark> marks;
        if (!m_review || m_text < 0 || m_text >= m_review->package().texts().size())
            return marks;
        const auto &t = m_review->package().texts().at(m_text);
        const TextLines &lines = m_review->lines(m_text);
        const qsizetype start = lines.lineStart(line);
        const qsizetype end = lines.lineEnd(t.text, line);
        if (QStringView(t.text).mid(start, end - start).contains(u'\x1b'))
            return marks; // columns of the shown text differ from the record's here
        const auto &findings = t.findings;
        auto it = std::lower_bound(findings.cbegin(), findings.cend(), start,
                                   [](const Finding &f, qsizetype s) { return f.start + f.length <= s; });
        const QPalette pal = palette();
        for (; it != findings.cend() && it->start < end; ++it) {
            const qsizetype from = qMax(it->start, start);
            const qsizetype to = qMin(it->start + it->length, end);
            const int decision = int(m_review->decisionOf(m_text, it - findings.cbegin()));
            marks.append({from - start, to - from, translucent(FindingsDelegate::decisionColor(decision, pal), 70)});
        }
        return marks;
    });
    // Placeholders in the preview.
    m_preview->setMarker([this](qsizetype, const QString &text) {
        QList<OutputView::Mark> marks;
        const QColor colour = translucent(palette().color(QPalette::Highlight), 60);
        for (qsizetype i = text.indexOf(u'<'); i >= 0; i = text.indexOf(u'<', i + 1)) {
            qsizetype j = i + 1;
            while (j < text.size() && (text.at(j).isUpper() || text.at(j).isDigit() || text.at(j) == u'_'))
                ++j;
            if (j < text.size() && text.at(j) == u'>' && j > i + 2) {
                marks.append({i, j - i + 1, colour});
                i = j;
            }
        }
        return marks;
    });

    auto *scan = new QHBoxLayout;
    scan->addWidget(m_scanLabel);
    scan->addWidget(m_progress, 1);
    scan->addWidget(m_cancelScan);

    auto *left = new QWidget(page);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_summary);
    leftLayout->addWidget(m_findings, 1);
    auto *valueButtons = new QGridLayout;
    valueButtons->addWidget(m_redactValue, 0, 0);
    valueButtons->addWidget(m_keepValue, 0, 1);
    valueButtons->addWidget(m_redactOne, 1, 0);
    valueButtons->addWidget(m_keepOne, 1, 1);
    leftLayout->addLayout(valueButtons);

    auto *right = new QWidget(page);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_textTitle);
    auto *texts = new QSplitter(Qt::Horizontal, right);
    const auto titled = [texts](const QString &title, QWidget *view) {
        auto *box = new QWidget(texts);
        auto *l = new QVBoxLayout(box);
        l->setContentsMargins(0, 0, 0, 0);
        auto *label = new QLabel(title, box);
        QFont f = label->font();
        f.setBold(true);
        label->setFont(f);
        l->addWidget(label);
        l->addWidget(view, 1);
        return box;
    };
    texts->addWidget(titled(tr("Original"), m_original));
    texts->addWidget(titled(tr("As published"), m_preview));
    rightLayout->addWidget(texts, 1);
    auto *textButtons = new QHBoxLayout;
    textButtons->addWidget(m_redactSelection);
    textButtons->addWidget(m_redactLine);
    textButtons->addWidget(m_redactWhole);
    textButtons->addStretch(1);
    textButtons->addWidget(m_addTerm);
    rightLayout->addLayout(textButtons);

    auto *split = new QSplitter(Qt::Horizontal, page);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({520, 780});

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(scan);
    layout->addWidget(split, 1);
    return page;
}

QWidget *ReviewDialog::buildPublishPage()
{
    auto *page = new QWidget(this);
    m_title = new QLineEdit(page);
    m_summaryNote = new QPlainTextEdit(page);
    m_expiry = new QSpinBox(page);
    m_audienceOrg = new QRadioButton(tr("People in the &organisation (signed in)"), page);
    m_audienceLink = new QRadioButton(tr("&Anyone with the link"), page);
    m_publish = new QPushButton(tr("&Publish"), page);
    m_publishStatus = new QLabel(page);
    m_link = new QLineEdit(page);
    m_copy = new QPushButton(tr("&Copy"), page);

    m_title->setAccessibleName(tr("Snapshot title"));
    m_title->setMaxLength(200);
    m_summaryNote->setAccessibleName(tr("Summary note"));
    m_summaryNote->setPlaceholderText(tr("What was wrong, what was found, what fixed it — for the reader of the snapshot"));
    m_summaryNote->setTabChangesFocus(true);
    m_expiry->setRange(1, 90);
    m_expiry->setValue(7);
    m_expiry->setSuffix(tr(" days"));
    m_expiry->setAccessibleName(tr("Expires after days"));
    m_audienceOrg->setAccessibleName(tr("Audience: people in the organisation"));
    m_audienceLink->setAccessibleName(tr("Audience: anyone with the link"));
    m_audienceOrg->setChecked(true);
    auto *audience = new QButtonGroup(page);
    audience->addButton(m_audienceOrg);
    audience->addButton(m_audienceLink);
    m_publish->setAccessibleName(tr("Publish the snapshot"));
    m_publish->setAutoDefault(false);
    m_publishStatus->setAccessibleName(tr("Publish status"));
    m_publishStatus->setWordWrap(true);
    m_publishStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_link->setReadOnly(true);
    m_link->setAccessibleName(tr("Published link"));
    m_link->setPlaceholderText(tr("The link appears here once published"));
    m_copy->setAccessibleName(tr("Copy the link"));
    m_copy->setAutoDefault(false);
    m_copy->setEnabled(false);

    auto *form = new QFormLayout;
    form->addRow(tr("&Title:"), m_title);
    form->addRow(tr("&Summary:"), m_summaryNote);
    form->addRow(tr("&Expires after:"), m_expiry);
    auto *who = new QVBoxLayout;
    who->addWidget(m_audienceOrg);
    who->addWidget(m_audienceLink);
    form->addRow(tr("Audience:"), who);
    auto *linkRow = new QHBoxLayout;
    linkRow->addWidget(m_link, 1);
    linkRow->addWidget(m_copy);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(hint(tr("The server signs the snapshot, applies the same decisions to its own copy of the "
                              "record and refuses it while any finding is undecided. The title and summary are "
                              "scrubbed of every redacted value too."),
                           page));
    layout->addLayout(form);
    auto *publishRow = new QHBoxLayout;
    publishRow->addWidget(m_publishStatus, 1);
    publishRow->addWidget(m_publish);
    layout->addLayout(publishRow);
    layout->addLayout(linkRow);
    layout->addStretch(1);

    connect(m_title, &QLineEdit::textChanged, this, &ReviewDialog::updateButtons);
    connect(m_publish, &QPushButton::clicked, this, &ReviewDialog::publish);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_link->text());
        m_publishStatus->setText(tr("The link is copied to the clipboard."));
    });
    return page;
}

ReviewDialog::Page ReviewDialog::page() const
{
    return Page(m_stack->currentIndex());
}

void ReviewDialog::showPage(Page page)
{
    m_stack->setCurrentIndex(int(page));
    updateSteps();
    updateButtons();
    if (page == ReviewPage)
        m_findings->setFocus();
    else if (page == PublishPage)
        m_title->setFocus();
}

void ReviewDialog::updateSteps()
{
    const QStringList names{tr("1 Choose sessions"), tr("2 Review findings"), tr("3 Publish")};
    QStringList parts;
    for (int i = 0; i < names.size(); ++i)
        parts << (i == int(page()) ? QStringLiteral("<b>%1</b>").arg(names.at(i).toHtmlEscaped())
                                   : QStringLiteral("<span style=\"color:%1\">%2</span>")
                                         .arg(palette().color(QPalette::PlaceholderText).name(), names.at(i).toHtmlEscaped()));
    m_steps->setText(parts.join(QStringLiteral("&nbsp;&nbsp;›&nbsp;&nbsp;")));
}

void ReviewDialog::startReview(const QStringList &sessions)
{
    if (sessions.isEmpty() || !m_controller)
        return;
    if (m_review && m_review->sessionIds() == sessions && m_review->state() != ReviewSession::State::Failed) {
        showPage(ReviewPage); // the same choice: keep the decisions made
        return;
    }
    m_text = -1;
    m_original->setBuffer(nullptr);
    m_preview->setBuffer(nullptr);
    ItemViews::setModel(m_findings, nullptr);
    m_published = false;
    m_link->clear();
    m_copy->setEnabled(false);
    m_review = std::make_unique<ReviewSession>();
    ReviewSession *review = m_review.get();
    ItemViews::setModel(m_findings, review->findings());
    QHeaderView *header = m_findings->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(FindingsModel::ValueColumn, QHeaderView::Stretch);
    const QFontMetrics fm = m_findings->fontMetrics();
    header->setSectionResizeMode(FindingsModel::CountColumn, QHeaderView::Interactive);
    header->resizeSection(FindingsModel::CountColumn, fm.horizontalAdvance(QStringLiteral("999999")) + 16);
    header->resizeSection(FindingsModel::DecisionColumn, fm.horizontalAdvance(QLatin1Char('M')) * 11);
    header->resizeSection(FindingsModel::WhereColumn, fm.horizontalAdvance(QLatin1Char('M')) * 13);
    connect(m_findings->selectionModel(), &QItemSelectionModel::currentChanged, this, &ReviewDialog::onCurrentFinding);

    connect(review, &ReviewSession::progress, this, [this](qint64 done, qint64 total, const QString &what) {
        m_scanLabel->setText(what);
        if (total <= 0) {
            m_progress->setRange(0, 0); // not known yet: busy
        } else {
            m_progress->setRange(0, 1000);
            m_progress->setValue(int(done * 1000 / total));
        }
    });
    connect(review, &ReviewSession::stateChanged, this, [this](ReviewSession::State) { updateButtons(); });
    connect(review, &ReviewSession::failed, this, [this](const QString &message) { m_scanLabel->setText(message); });
    connect(review, &ReviewSession::scanned, this, [this] {
        for (int r = 0; r < m_review->findings()->rowCount(); ++r)
            m_findings->expand(m_review->findings()->index(r, 0));
        const QModelIndex first = m_review->findings()->nextUndecided(QModelIndex());
        m_findings->setCurrentIndex(first.isValid() ? first : m_review->findings()->index(0, 0));
        if (m_text >= 0)
            m_previewDelay.start();
        updateButtons();
    });
    connect(review, &ReviewSession::planChanged, this, [this] {
        m_previewDelay.start();
        m_original->viewport()->update();
        updateButtons();
    });
    connect(review->undoStack(), &QUndoStack::canUndoChanged, m_undo, &QAction::setEnabled);
    connect(review->undoStack(), &QUndoStack::canRedoChanged, m_redo, &QAction::setEnabled);
    connect(review->undoStack(), &QUndoStack::undoTextChanged, this,
            [this](const QString &text) { m_undo->setToolTip(text.isEmpty() ? tr("Undo") : tr("Undo: %1").arg(text)); });
    connect(review->undoStack(), &QUndoStack::redoTextChanged, this,
            [this](const QString &text) { m_redo->setToolTip(text.isEmpty() ? tr("Redo") : tr("Redo: %1").arg(text)); });
    connect(review, &ReviewSession::published, this, [this](const QJsonObject &result) {
        m_publishing = false;
        m_published = true;
        const QString url = result.value(QStringLiteral("url")).toString();
        m_link->setText(url);
        m_copy->setEnabled(true);
        QApplication::clipboard()->setText(url);
        const QDateTime expires = QDateTime::fromString(result.value(QStringLiteral("expiresAt")).toString(), Qt::ISODateWithMs);
        m_publishStatus->setText(tr("Published. The link is copied to the clipboard; it works until %1.")
                                     .arg(QLocale().toString(expires.toLocalTime(), QLocale::ShortFormat)));
        updateButtons();
    });
    connect(review, &ReviewSession::publishFailed, this, [this](const QString &code, const QString &message) {
        m_publishing = false;
        if (code == QLatin1String("forbidden"))
            m_publishStatus->setText(tr("Publishing needs the reviewer or admin role: %1").arg(message));
        else if (code == QLatin1String("conflict"))
            m_publishStatus->setText(tr("The server still finds findings without a decision: %1").arg(message));
        else
            m_publishStatus->setText(tr("Publishing failed: %1").arg(message));
        updateButtons();
    });

    // A title to start from: the session's, or how many there are.
    if (sessions.size() == 1) {
        const auto info = m_controller->sessions()->sessionInfo(sessions.first());
        m_title->setText(info ? info->title : QString());
    } else {
        m_title->setText(tr("%n sessions", nullptr, int(sessions.size())));
    }
    showPage(ReviewPage);
    review->load(m_controller, sessions);
    updateButtons();
}

void ReviewDialog::onCurrentFinding(const QModelIndex &current)
{
    updateButtons();
    if (!m_review || !current.isValid())
        return;
    const auto kind = current.data(FindingsModel::NodeKindRole).value<FindingsModel::NodeKind>();
    QModelIndex occurrence = current.siblingAtColumn(0);
    if (kind == FindingsModel::NodeKind::Type)
        return;
    if (kind == FindingsModel::NodeKind::Value)
        occurrence = m_review->findings()->index(0, 0, occurrence);
    if (!occurrence.isValid())
        return;
    const qsizetype text = occurrence.data(FindingsModel::TextIndexRole).toLongLong();
    const qsizetype start = occurrence.data(FindingsModel::StartRole).toLongLong();
    const qsizetype length = occurrence.data(FindingsModel::LengthRole).toLongLong();
    if (text != m_text)
        showText(text);
    const TextLines &lines = m_review->lines(text);
    const qsizetype line = lines.lineOf(start);
    const qsizetype endLine = lines.lineOf(start + length);
    m_original->select({line, start - lines.lineStart(line)}, {endLine, start + length - lines.lineStart(endLine)});
}

void ReviewDialog::showText(qsizetype text)
{
    if (!m_review || text < 0 || text >= m_review->package().texts().size())
        return;
    m_text = text;
    const auto &t = m_review->package().texts().at(text);
    const OutputStream stream = t.stream == QLatin1String("stderr") ? OutputStream::Stderr : OutputStream::Stdout;
    m_original->setBuffer(nullptr);
    m_originalBuffer.clear();
    m_originalBuffer.append(stream, QStringView(t.text));
    m_original->setBuffer(&m_originalBuffer);
    m_original->scrollToLine(0);
    m_textTitle->setText(tr("<b>%1</b> — %n line(s)", nullptr, int(m_originalBuffer.lineCount()))
                             .arg(m_review->describeText(text).toHtmlEscaped()));
    refreshPreview();
    updateButtons();
}

void ReviewDialog::refreshPreview()
{
    m_previewDelay.stop();
    if (!m_review || m_text < 0)
        return;
    const auto &t = m_review->package().texts().at(m_text);
    auto buffer = std::make_unique<OutputBuffer>();
    buffer->append(t.stream == QLatin1String("stderr") ? OutputStream::Stderr : OutputStream::Stdout,
                   QStringView(m_review->redactedText(m_text)));
    const int scroll = m_original->verticalScrollBar()->value();
    m_preview->setBuffer(buffer.get());
    m_previewBuffer = std::move(buffer); // the old one goes only after the view let go of it
    m_preview->verticalScrollBar()->setValue(scroll);
    m_original->viewport()->update();
}

qsizetype ReviewDialog::offsetOf(qsizetype line, qsizetype column) const
{
    const auto &t = m_review->package().texts().at(m_text);
    const TextLines &lines = m_review->lines(m_text);
    const qsizetype start = lines.lineStart(line);
    const qsizetype end = lines.lineEnd(t.text, line);
    const QStringView raw = QStringView(t.text).mid(start, end - start);
    if (!raw.contains(u'\x1b'))
        return start + qMin(column, raw.size());
    // Escape sequences are not shown: find the shown text before the column in the raw line.
    const QString shown = m_originalBuffer.displayText(line).left(column);
    qsizetype r = 0;
    qsizetype s = 0;
    while (r < raw.size() && s < shown.size()) {
        if (raw.at(r) == shown.at(s))
            ++s;
        ++r;
    }
    return start + r;
}

void ReviewDialog::decideCurrent(Decision decision, bool occurrenceOnly)
{
    if (!m_review || m_review->state() != ReviewSession::State::Ready)
        return;
    const QModelIndex current = m_findings->currentIndex().siblingAtColumn(0);
    if (!current.isValid())
        return;
    const auto kind = current.data(FindingsModel::NodeKindRole).value<FindingsModel::NodeKind>();
    const auto type = Finding::Type(current.data(FindingsModel::FindingTypeRole).toInt());
    if (kind == FindingsModel::NodeKind::Occurrence && occurrenceOnly) {
        m_review->decideOccurrence(current.data(FindingsModel::TextIndexRole).toLongLong(),
                                   current.data(FindingsModel::FindingIndexRole).toLongLong(), decision);
        // On to the next occurrence of the same value.
        const QModelIndex next = current.sibling(current.row() + 1, 0);
        if (next.isValid())
            m_findings->setCurrentIndex(next);
        return;
    }
    if (occurrenceOnly)
        return;
    if (kind == FindingsModel::NodeKind::Type)
        m_review->decideType(type, decision);
    else
        m_review->decideValue(type, current.data(FindingsModel::KeyRole).toString(), decision);
    // On to the next value that still needs a decision.
    const QModelIndex value = kind == FindingsModel::NodeKind::Occurrence ? current.parent() : current;
    const QModelIndex next = m_review->findings()->nextUndecided(value);
    if (next.isValid()) {
        m_findings->setCurrentIndex(next);
        m_findings->scrollTo(next);
    }
}

void ReviewDialog::redactSelection()
{
    if (!m_review || m_text < 0 || !m_original->hasSelection())
        return;
    const auto [from, to] = m_original->selection();
    const qsizetype start = offsetOf(from.line, from.column);
    const qsizetype end = offsetOf(to.line, to.column);
    m_review->redactSpan(m_text, start, end - start);
}

void ReviewDialog::redactLines()
{
    if (!m_review || m_text < 0)
        return;
    const auto [first, last] = m_original->selectedLines();
    if (first == last) {
        m_review->redactLine(m_text, first);
        return;
    }
    const TextLines &lines = m_review->lines(m_text);
    const qsizetype start = lines.lineStart(first);
    m_review->redactSpan(m_text, start, lines.lineEnd(m_review->package().texts().at(m_text).text, last) - start);
}

void ReviewDialog::toggleWholeText()
{
    if (!m_review || m_text < 0)
        return;
    m_review->setWholeTextRedacted(m_text, !m_review->plan().isWholeText(m_review->package().texts().at(m_text).id));
}

bool ReviewDialog::addTerm(const QString &term)
{
    return m_review && m_review->state() == ReviewSession::State::Ready && m_review->addTerm(term);
}

void ReviewDialog::askForTerm()
{
    if (!m_review || m_review->state() != ReviewSession::State::Ready)
        return;
    bool ok = false;
    QPointer<ReviewDialog> self(this);
    const QString term = QInputDialog::getText(
        this, tr("Add to client dictionary"),
        tr("A company, person or site name to redact wherever it appears. It is saved to the client dictionary "
           "when the snapshot is published."),
        QLineEdit::Normal, m_original->selectedText().section(QLatin1Char('\n'), 0, 0).trimmed(), &ok);
    if (!self || !ok || term.trimmed().isEmpty())
        return;
    if (!addTerm(term))
        m_scanLabel->setText(tr("“%1” is already in the dictionary or too short to be a term.").arg(term.trimmed()));
}

void ReviewDialog::publish()
{
    if (!m_review || !m_controller || !m_publish->isEnabled())
        return;
    m_publishing = true;
    m_publishStatus->setText(tr("Publishing…"));
    m_review->publish(m_controller, m_title->text().trimmed(), m_summaryNote->toPlainText().trimmed(), m_expiry->value(),
                      m_audienceLink->isChecked() ? QStringLiteral("link") : QStringLiteral("org"));
    updateButtons();
}

void ReviewDialog::updateButtons()
{
    const Page p = page();
    m_back->setEnabled(p != ChoosePage);
    m_next->setVisible(p != PublishPage);
    m_next->setEnabled(p == ChoosePage ? !chosenSessions().isEmpty() : (m_review != nullptr));

    const bool ready = m_review && m_review->state() == ReviewSession::State::Ready;
    const bool busy = m_review && m_review->isBusy();
    m_progress->setVisible(busy);
    m_cancelScan->setVisible(busy);
    if (!busy && m_review && m_review->state() == ReviewSession::State::Ready)
        m_scanLabel->setText(tr("Scanned %n text(s).", nullptr, int(m_review->package().texts().size())));
    const qsizetype undecided = m_review ? m_review->undecidedCount() : 0;
    if (m_review && (ready || m_review->findings()->findingCount() > 0))
        m_summary->setText(tr("%1 findings in %2 values — <b>%3 undecided</b>")
                               .arg(m_review->findings()->findingCount())
                               .arg(m_review->findings()->valueCount())
                               .arg(undecided));
    else
        m_summary->clear();

    const QModelIndex current = m_findings->currentIndex();
    const auto kind = current.isValid() ? current.data(FindingsModel::NodeKindRole).value<FindingsModel::NodeKind>()
                                        : FindingsModel::NodeKind::Type;
    m_redactValue->setEnabled(ready && current.isValid());
    m_keepValue->setEnabled(ready && current.isValid());
    m_redactOne->setEnabled(ready && current.isValid() && kind == FindingsModel::NodeKind::Occurrence);
    m_keepOne->setEnabled(m_redactOne->isEnabled());
    const bool text = ready && m_text >= 0;
    m_redactSelection->setEnabled(text && m_original->hasSelection());
    m_redactLine->setEnabled(text);
    m_redactWhole->setEnabled(text);
    m_addTerm->setEnabled(ready);
    if (text)
        m_redactWhole->setText(m_review->plan().isWholeText(m_review->package().texts().at(m_text).id)
                                   ? tr("Show &whole text again")
                                   : tr("Redact &whole text"));

    // The gate: nothing is published while a finding waits for a decision.
    const bool titled = !m_title->text().trimmed().isEmpty();
    m_publish->setEnabled(ready && undecided == 0 && titled && !m_publishing && !m_published);
    if (m_publishing || m_published)
        return;
    if (!m_review)
        m_publishStatus->setText(tr("Choose sessions first."));
    else if (!ready)
        m_publishStatus->setText(tr("Waiting for the scan to finish."));
    else if (undecided > 0)
        m_publishStatus->setText(tr("Decide every finding first: %n still undecided.", nullptr, int(undecided)));
    else if (!titled)
        m_publishStatus->setText(tr("Give the snapshot a title."));
    else
        m_publishStatus->setText(tr("Every finding is decided. Ready to publish."));
}

} // namespace casefile
