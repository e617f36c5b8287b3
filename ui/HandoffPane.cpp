#include "HandoffPane.h"

#include <QTextBrowser>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace casefile {

HandoffPane::HandoffPane(QWidget *parent)
    : QWidget(parent)
    , m_toggle(new QToolButton(this))
    , m_browser(new QTextBrowser(this))
{
    setObjectName(QStringLiteral("handoffPane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_toggle->setText(tr("Handoff summary"));
    m_toggle->setAccessibleName(tr("Show or hide the handoff summary"));
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setAutoRaise(true);
    m_toggle->setCheckable(true);
    m_toggle->setChecked(true);
    m_toggle->setArrowType(Qt::DownArrow);
    QFont bold = m_toggle->font();
    bold.setBold(true);
    m_toggle->setFont(bold);
    m_browser->setAccessibleName(tr("Handoff summary"));
    m_browser->setOpenLinks(false); // evidence links are the console's, never a browser's
    m_browser->setReadOnly(true);
    layout->addWidget(m_toggle);
    layout->addWidget(m_browser, 1);
    connect(m_toggle, &QToolButton::toggled, this, &HandoffPane::setExpanded);
    connect(m_browser, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        // evidence:<command>:<fromLine>
        if (url.scheme() != QLatin1String("evidence"))
            return;
        const QStringList parts = url.path().split(QLatin1Char(':'));
        if (parts.size() != 2)
            return;
        bool ok = false;
        const qint64 line = parts.at(1).toLongLong(&ok);
        if (ok)
            emit evidenceActivated(parts.at(0), line);
    });
}

void HandoffPane::setSummary(const HandoffSummary &summary)
{
    m_summary = summary;
    m_browser->setHtml(summary.toHtml());
}

void HandoffPane::setExpanded(bool expanded)
{
    m_toggle->setChecked(expanded);
    m_toggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_browser->setVisible(expanded);
    // Collapsed, the pane is its header only, so the splitter gives the timeline the room.
    setMaximumHeight(expanded ? QWIDGETSIZE_MAX : m_toggle->sizeHint().height());
}

bool HandoffPane::isExpanded() const
{
    return m_toggle->isChecked();
}

} // namespace casefile
