#include "SessionTreeModel.h"

#include "DisplayFormat.h"

#include <QLocale>

namespace casefile {

int SessionTreeModel::Node::row() const
{
    if (!parent)
        return 0;
    const auto &siblings = parent->children;
    for (size_t i = 0; i < siblings.size(); ++i) {
        if (siblings[i].get() == this)
            return int(i);
    }
    return -1;
}

SessionTreeModel::SessionTreeModel(QObject *parent) : QAbstractItemModel(parent) {}

SessionTreeModel::~SessionTreeModel() = default;

QModelIndex SessionTreeModel::indexOf(const Node *node, int column) const
{
    if (!node || node == &m_root)
        return {};
    return createIndex(node->row(), column, const_cast<Node *>(node));
}

QString SessionTreeModel::groupName(const QString &id) const
{
    const QString name = m_groupNames.value(id);
    return name.isEmpty() ? tr("Client group %1").arg(id.left(8)) : name;
}

SessionTreeModel::Node *SessionTreeModel::groupNode(const QString &id)
{
    for (const auto &g : m_root.children) {
        if (g->id == id)
            return g.get();
    }
    // Groups sorted by name so the list is stable as data arrives.
    const QString name = groupName(id);
    size_t pos = 0;
    while (pos < m_root.children.size() &&
           QString::localeAwareCompare(groupName(m_root.children[pos]->id), name) <= 0)
        ++pos;
    beginInsertRows(QModelIndex(), int(pos), int(pos));
    auto node = std::make_unique<Node>();
    node->type = NodeType::ClientGroup;
    node->id = id;
    node->parent = &m_root;
    Node *raw = node.get();
    m_root.children.insert(m_root.children.begin() + qptrdiff(pos), std::move(node));
    endInsertRows();
    return raw;
}

SessionTreeModel::Node *SessionTreeModel::endpointNode(const QString &id,
                                                       const QString &clientGroup)
{
    if (Node *n = m_endpoints.value(id))
        return n;
    Node *group = groupNode(clientGroup);
    EndpointInfo info;
    info.id = id;
    info.clientGroup = clientGroup;
    const int pos = int(group->children.size());
    beginInsertRows(indexOf(group), pos, pos);
    auto node = std::make_unique<Node>();
    node->type = NodeType::Endpoint;
    node->id = id;
    node->parent = group;
    node->endpoint = info;
    Node *raw = node.get();
    group->children.push_back(std::move(node));
    m_endpoints.insert(id, raw);
    endInsertRows();
    return raw;
}

void SessionTreeModel::setClientGroupName(const QString &id, const QString &name)
{
    m_groupNames.insert(id, name);
    for (const auto &g : m_root.children) {
        if (g->id == id) {
            const QModelIndex i = indexOf(g.get());
            emit dataChanged(i, i);
        }
    }
}

void SessionTreeModel::setEndpoints(const QList<EndpointInfo> &endpoints)
{
    for (const EndpointInfo &info : endpoints) {
        Node *n = endpointNode(info.id, info.clientGroup);
        n->endpoint = info;
        emit dataChanged(indexOf(n, 0), indexOf(n, ColumnCount - 1));
    }
}

void SessionTreeModel::upsertSessions(const QList<SessionInfo> &sessions)
{
    for (const SessionInfo &s : sessions) {
        if (Node *existing = m_sessions.value(s.id)) {
            existing->session = s;
            emit dataChanged(indexOf(existing, 0), indexOf(existing, ColumnCount - 1));
            continue;
        }
        Node *endpoint = endpointNode(s.endpoint, s.clientGroup);
        // Newest first; openedAt is RFC 3339 UTC, so text order is time order.
        size_t pos = 0;
        while (pos < endpoint->children.size() &&
               endpoint->children[pos]->session.openedAt >= s.openedAt)
            ++pos;
        beginInsertRows(indexOf(endpoint), int(pos), int(pos));
        auto node = std::make_unique<Node>();
        node->type = NodeType::Session;
        node->id = s.id;
        node->parent = endpoint;
        node->session = s;
        m_sessions.insert(s.id, node.get());
        endpoint->children.insert(endpoint->children.begin() + qptrdiff(pos), std::move(node));
        endInsertRows();
    }
}

void SessionTreeModel::setTechnicianName(const QString &id, const QString &name)
{
    m_technicianNames.insert(id, name);
}

void SessionTreeModel::setHits(const QHash<QString, QString> &snippetBySession)
{
    const QHash<QString, QString> before = m_hits;
    m_hits = snippetBySession;
    for (auto it = m_sessions.cbegin(); it != m_sessions.cend(); ++it) {
        if (before.value(it.key()) != m_hits.value(it.key()))
            emit dataChanged(indexOf(it.value(), 0), indexOf(it.value(), ColumnCount - 1));
    }
}

void SessionTreeModel::clear()
{
    beginResetModel();
    m_root.children.clear();
    m_endpoints.clear();
    m_sessions.clear();
    m_hits.clear();
    endResetModel();
}

QModelIndex SessionTreeModel::indexOfSession(const QString &session) const
{
    return indexOf(m_sessions.value(session));
}

std::optional<SessionInfo> SessionTreeModel::sessionInfo(const QString &session) const
{
    const Node *n = m_sessions.value(session);
    return n ? std::optional<SessionInfo>(n->session) : std::nullopt;
}

QString SessionTreeModel::endpointName(const QString &endpoint) const
{
    const Node *n = m_endpoints.value(endpoint);
    return n && !n->endpoint.hostname.isEmpty() ? n->endpoint.hostname : endpoint.left(8);
}

QList<SessionTreeModel::EndpointInfo> SessionTreeModel::endpoints() const
{
    QList<EndpointInfo> out;
    for (const Node *n : m_endpoints)
        out.append(n->endpoint);
    std::sort(out.begin(), out.end(), [](const EndpointInfo &a, const EndpointInfo &b) {
        return QString::localeAwareCompare(a.hostname, b.hostname) < 0;
    });
    return out;
}

QList<QPair<QString, QString>> SessionTreeModel::technicians() const
{
    QHash<QString, QString> seen;
    for (const Node *n : m_sessions) {
        const QString id = n->session.technician;
        if (!id.isEmpty() && !seen.contains(id)) {
            const QString name = m_technicianNames.value(id);
            seen.insert(id, name.isEmpty() ? tr("Technician %1").arg(id.left(8)) : name);
        }
    }
    QList<QPair<QString, QString>> out;
    for (auto it = seen.cbegin(); it != seen.cend(); ++it)
        out.append({it.key(), it.value()});
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) {
        return QString::localeAwareCompare(a.second, b.second) < 0;
    });
    return out;
}

QModelIndex SessionTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (parent.isValid() && parent.column() != 0)
        return {};
    const Node *p =
        parent.isValid() ? static_cast<const Node *>(parent.internalPointer()) : &m_root;
    if (row >= int(p->children.size()))
        return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex SessionTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *n = static_cast<const Node *>(child.internalPointer());
    return indexOf(n->parent);
}

int SessionTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    const Node *p =
        parent.isValid() ? static_cast<const Node *>(parent.internalPointer()) : &m_root;
    return int(p->children.size());
}

int SessionTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant SessionTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *n = static_cast<const Node *>(index.internalPointer());
    const QDateTime opened = QDateTime::fromString(n->session.openedAt, Qt::ISODateWithMs);
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == OpenedColumn) {
            if (n->type != NodeType::Session)
                return {};
            return DisplayFormat::when(opened);
        }
        if (index.column() == FoundColumn)
            return n->type == NodeType::Session ? m_hits.value(n->id) : QString();
        switch (n->type) {
        case NodeType::ClientGroup:
            return groupName(n->id);
        case NodeType::Endpoint:
            return n->endpoint.hostname.isEmpty() ? n->id.left(8) : n->endpoint.hostname;
        case NodeType::Session:
            return n->session.ticket.isEmpty()
                       ? n->session.title
                       : QStringLiteral("%1 · %2").arg(n->session.ticket, n->session.title);
        }
        return {};
    case Qt::ToolTipRole: {
        if (n->type == NodeType::Endpoint)
            return tr("%1 (%2) — %3")
                .arg(n->endpoint.hostname, n->endpoint.os,
                     n->endpoint.online ? tr("online") : tr("offline"));
        if (n->type != NodeType::Session)
            return {};
        QStringList lines{n->session.title};
        if (!n->session.ticket.isEmpty())
            lines << tr("Ticket: %1").arg(n->session.ticket);
        if (!n->session.tags.isEmpty())
            lines << tr("Tags: %1").arg(n->session.tags.join(QStringLiteral(", ")));
        lines << (n->session.isOpen() ? tr("Live") : tr("Closed"));
        if (m_hits.contains(n->id))
            lines << tr("Found: %1").arg(m_hits.value(n->id));
        return lines.join(QLatin1Char('\n'));
    }
    case NodeTypeRole:
        return QVariant::fromValue(n->type);
    case IdRole:
        return n->id;
    case ClientGroupRole:
        return n->type == NodeType::ClientGroup ? n->id
               : n->type == NodeType::Endpoint  ? n->endpoint.clientGroup
                                                : n->session.clientGroup;
    case EndpointRole:
        return n->type == NodeType::Endpoint  ? n->id
               : n->type == NodeType::Session ? n->session.endpoint
                                              : QString();
    case TechnicianRole:
        return n->session.technician;
    case TagsRole:
        return n->session.tags;
    case OpenedAtRole:
        return n->type == NodeType::Session ? QVariant(opened) : QVariant();
    case LiveRole:
        return n->type == NodeType::Session    ? n->session.isOpen()
               : n->type == NodeType::Endpoint ? n->endpoint.online
                                               : false;
    case SearchTextRole:
        if (n->type != NodeType::Session)
            return {};
        return QStringList{n->session.title,
                           n->session.ticket,
                           n->session.tags.join(QLatin1Char(' ')),
                           endpointName(n->session.endpoint),
                           groupName(n->session.clientGroup),
                           m_technicianNames.value(n->session.technician)}
            .join(QLatin1Char('\n'));
    case HitRole:
        return m_hits.value(n->id);
    default:
        return {};
    }
}

QVariant SessionTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Session");
    case OpenedColumn:
        return tr("Opened");
    case FoundColumn:
        return tr("Found");
    }
    return {};
}

} // namespace casefile
