#include "SessionFilterProxy.h"

#include "SessionTreeModel.h"

#include <QDateTime>

namespace casefile {

SessionFilterProxy::SessionFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
}

void SessionFilterProxy::refilter()
{
    // invalidateFilter() keeps the view's expansion where rows survive.
    invalidateFilter();
}

void SessionFilterProxy::setText(const QString &text)
{
    if (m_text == text.trimmed())
        return;
    m_text = text.trimmed();
    refilter();
}

void SessionFilterProxy::setTextHits(const QSet<QString> &sessions)
{
    m_hits = sessions;
    refilter();
}

void SessionFilterProxy::setClientGroup(const QString &id)
{
    m_clientGroup = id;
    refilter();
}

void SessionFilterProxy::setEndpoint(const QString &id)
{
    m_endpoint = id;
    refilter();
}

void SessionFilterProxy::setTechnician(const QString &id)
{
    m_technician = id;
    refilter();
}

void SessionFilterProxy::setTag(const QString &tag)
{
    m_tag = tag.trimmed();
    refilter();
}

void SessionFilterProxy::setDateRange(const QDate &from, const QDate &to)
{
    m_from = from;
    m_to = to;
    refilter();
}

void SessionFilterProxy::setLiveOnly(bool liveOnly)
{
    m_liveOnly = liveOnly;
    refilter();
}

bool SessionFilterProxy::isFiltering() const
{
    return !m_text.isEmpty() || !m_clientGroup.isEmpty() || !m_endpoint.isEmpty() ||
           !m_technician.isEmpty() || !m_tag.isEmpty() || m_from.isValid() || m_to.isValid() ||
           m_liveOnly;
}

bool SessionFilterProxy::sessionMatches(const QModelIndex &index) const
{
    using R = SessionTreeModel;
    if (!m_clientGroup.isEmpty() && index.data(R::ClientGroupRole).toString() != m_clientGroup)
        return false;
    if (!m_endpoint.isEmpty() && index.data(R::EndpointRole).toString() != m_endpoint)
        return false;
    if (!m_technician.isEmpty() && index.data(R::TechnicianRole).toString() != m_technician)
        return false;
    if (!m_tag.isEmpty() &&
        !index.data(R::TagsRole).toStringList().contains(m_tag, Qt::CaseInsensitive))
        return false;
    if (m_liveOnly && !index.data(R::LiveRole).toBool())
        return false;
    if (m_from.isValid() || m_to.isValid()) {
        const QDate day = index.data(R::OpenedAtRole).toDateTime().toLocalTime().date();
        if ((m_from.isValid() && day < m_from) || (m_to.isValid() && day > m_to))
            return false;
    }
    if (!m_text.isEmpty()) {
        const QString id = index.data(R::IdRole).toString();
        if (m_hits.contains(id))
            return true;
        // Every word must appear somewhere, in any order: "spooler acme" finds both.
        const QString haystack = index.data(R::SearchTextRole).toString();
        const auto words = QStringView(m_text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (const QStringView word : words) {
            if (!haystack.contains(word, Qt::CaseInsensitive))
                return false;
        }
    }
    return true;
}

bool SessionFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const auto type =
        index.data(SessionTreeModel::NodeTypeRole).value<SessionTreeModel::NodeType>();
    if (type != SessionTreeModel::NodeType::Session) {
        // Shown through a matching session (recursive filtering), or when nothing filters.
        if (isFiltering())
            return false;
        return true;
    }
    return sessionMatches(index);
}

} // namespace casefile
