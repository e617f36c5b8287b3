#include "TeamSearchDialog.h"

#include "SessionFilterBar.h"
#include "SessionTreeModel.h"

#include <QAbstractTextDocumentLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardItemModel>
#include <QStyledItemDelegate>
#include <QTextDocument>
#include <QVBoxLayout>

namespace casefile {

namespace {

// A hit as rich text: the session's title, then the snippet with the matches in bold.
class HitDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem o = option;
        initStyleOption(&o, index);
        const QString html = o.text;
        o.text.clear();
        o.widget->style()->drawControl(QStyle::CE_ItemViewItem, &o, painter, o.widget);
        QTextDocument doc;
        doc.setDefaultFont(o.font);
        doc.setHtml(html);
        doc.setTextWidth(o.rect.width() - 8);
        QAbstractTextDocumentLayout::PaintContext context;
        context.palette = o.palette;
        context.palette.setColor(QPalette::Text, o.state & QStyle::State_Selected ? o.palette.color(QPalette::HighlightedText)
                                                                                 : o.palette.color(QPalette::Text));
        painter->save();
        painter->translate(o.rect.topLeft() + QPoint(4, 2));
        doc.documentLayout()->draw(painter, context);
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override
    {
        return {option.rect.width(), option.fontMetrics.height() * 2 + 8};
    }
};

QString snippetHtml(const QString &snippet)
{
    QString html = snippet.toHtmlEscaped();
    html.replace(QChar(0xE000), QStringLiteral("<b>")).replace(QChar(0xE001), QStringLiteral("</b>"));
    html.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return html;
}

// Where in the record a hit is, in the technician's words.
QString kindLabel(const QString &kind)
{
    if (kind == QLatin1String("command.output"))
        return TeamSearchDialog::tr("output");
    if (kind == QLatin1String("command.requested"))
        return TeamSearchDialog::tr("command");
    if (kind == QLatin1String("chat.message"))
        return TeamSearchDialog::tr("chat");
    if (kind == QLatin1String("note.added"))
        return TeamSearchDialog::tr("note");
    if (kind.startsWith(QLatin1String("hypothesis.")))
        return TeamSearchDialog::tr("hypothesis");
    if (kind.startsWith(QLatin1String("session.")))
        return TeamSearchDialog::tr("session");
    return kind;
}

} // namespace

TeamSearchDialog::TeamSearchDialog(SessionController *controller, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_text(new QLineEdit(this))
    , m_filters(new SessionFilterBar(controller->sessions(), SessionFilterBar::Shape::Column, 90, this))
    , m_search(new QPushButton(tr("&Search"), this))
    , m_results(new QListView(this))
    , m_model(new QStandardItemModel(this))
    , m_more(new QPushButton(tr("&More results"), this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("TeamSearchDialog"));
    setWindowTitle(tr("Search all sessions"));
    m_text->setPlaceholderText(tr("Words, \"a phrase\" or prefix*"));
    m_text->setClearButtonEnabled(true);
    m_text->setAccessibleName(tr("Search text"));
    m_search->setAccessibleName(tr("Search"));
    m_search->setDefault(true);
    m_results->setModel(m_model);
    m_results->setItemDelegate(new HitDelegate(m_results));
    m_results->setAccessibleName(tr("Search results"));
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setAlternatingRowColors(true);
    m_more->setAccessibleName(tr("Load more results"));
    m_more->setEnabled(false);
    m_status->setAccessibleName(tr("Search status"));

    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    top->addWidget(m_text, 1);
    top->addWidget(m_search);
    layout->addLayout(top);
    layout->addWidget(m_filters);
    layout->addWidget(m_results, 1);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_more);
    layout->addLayout(bottom);
    resize(720, 560);

    connect(m_search, &QPushButton::clicked, this, &TeamSearchDialog::search);
    connect(m_text, &QLineEdit::returnPressed, this, &TeamSearchDialog::search);
    connect(m_more, &QPushButton::clicked, this, &TeamSearchDialog::loadMore);
    connect(m_results, &QListView::activated, this, [this](const QModelIndex &index) {
        static const QRegularExpression word(QStringLiteral("[\\w.\\-]+"));
        const QString first = word.match(m_query.text).captured(0);
        emit hitActivated(index.data(SessionRole).toString(), index.data(SeqRole).toLongLong(),
                          index.data(CommandRole).toString(), first);
    });
    // The lists follow the sessions browser's refreshes.
    connect(controller, &SessionController::sessionsRefreshed, m_filters, &SessionFilterBar::refill);
}

void TeamSearchDialog::search()
{
    m_query = {};
    m_query.text = m_text->text().trimmed();
    m_query.clientGroup = m_filters->clientGroup();
    m_query.endpoint = m_filters->endpoint();
    m_query.technician = m_filters->technician();
    m_query.tag = m_filters->tag();
    m_query.from = m_filters->from();
    m_query.to = m_filters->to();
    m_query.limit = m_pageSize;
    m_model->clear();
    m_more->setEnabled(false);
    if (m_query.text.isEmpty()) {
        m_status->setText(tr("Type what to look for."));
        return;
    }
    ++m_generation;
    fetch(0);
}

void TeamSearchDialog::loadMore()
{
    if (!m_busy)
        fetch(m_model->rowCount());
}

void TeamSearchDialog::fetch(int offset)
{
    m_query.offset = offset;
    m_busy = true;
    m_more->setEnabled(false);
    m_status->setText(tr("Searching…"));
    QPointer<TeamSearchDialog> self(this);
    const int generation = m_generation;
    m_controller->search(m_query, [self, generation](const QList<SessionController::RemoteHit> &hits, bool more,
                                                      const QString &error) {
        if (!self || generation != self->m_generation)
            return;
        self->m_busy = false;
        if (!error.isEmpty()) {
            self->m_status->setText(tr("The search failed: %1").arg(error));
            return;
        }
        for (const auto &hit : hits) {
            const auto info = self->m_controller->sessions()->sessionInfo(hit.session);
            const QString title = info ? info->title : QString();
            auto *item = new QStandardItem(QStringLiteral("<b>%1</b> <span style=\"color:gray\">· %2</span><br>%3")
                                               .arg((title.isEmpty() ? hit.session.left(8) : title).toHtmlEscaped(),
                                                    kindLabel(hit.kind).toHtmlEscaped(), snippetHtml(hit.snippet)));
            item->setData(hit.session, SessionRole);
            item->setData(hit.seq, SeqRole);
            item->setData(hit.command, CommandRole);
            item->setToolTip(QString(hit.snippet).remove(QChar(0xE000)).remove(QChar(0xE001)));
            self->m_model->appendRow(item);
        }
        self->m_more->setEnabled(more);
        self->m_status->setText(self->m_model->rowCount() == 0
                                    ? tr("Nothing found.")
                                    : tr("%n hit(s) shown", nullptr, self->m_model->rowCount())
                                          + (more ? tr("; there are more.") : QString()));
    });
}

} // namespace casefile
