#pragma once

#include "store/SessionInfo.h"

#include <QAbstractItemModel>
#include <QDateTime>
#include <QHash>
#include <QPair>
#include <memory>
#include <vector>

namespace casefile {

// The sessions browser: client group → endpoint → session, sessions newest first. Updated in
// place (upserts), so a view keeps its expansion and selection while the list refreshes.
class SessionTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum class NodeType
    {
        ClientGroup,
        Endpoint,
        Session,
    };
    Q_ENUM(NodeType)
    enum Column
    {
        NameColumn,
        OpenedColumn,
        FoundColumn, // where a full-text search found the session, while one is in force
        ColumnCount
    };
    enum Role
    {
        NodeTypeRole = Qt::UserRole + 1,
        IdRole,
        ClientGroupRole, // id
        EndpointRole,    // id
        TechnicianRole,  // id
        TagsRole,        // QStringList
        OpenedAtRole,    // QDateTime (UTC)
        LiveRole,        // bool: session not closed / endpoint online
        SearchTextRole,  // what the free-text filter looks at
        HitRole,         // a search snippet for the session, when a search found it
    };
    struct EndpointInfo
    {
        QString id;
        QString hostname;
        QString clientGroup;
        QString os;
        bool online = false;
    };

    explicit SessionTreeModel(QObject *parent = nullptr);
    ~SessionTreeModel() override;

    void setClientGroupName(const QString &id, const QString &name);
    void setEndpoints(const QList<EndpointInfo> &endpoints);
    void upsertSessions(const QList<SessionInfo> &sessions);
    void setTechnicianName(const QString &id, const QString &name);
    void setHits(const QHash<QString, QString> &snippetBySession);
    void clear();

    QModelIndex indexOfSession(const QString &session) const;
    std::optional<SessionInfo> sessionInfo(const QString &session) const;
    QString endpointName(const QString &endpoint) const;
    QList<EndpointInfo> endpoints() const;
    // Technicians of the sessions listed, with their names where known, by name.
    QList<QPair<QString, QString>> technicians() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Node
    {
        NodeType type = NodeType::ClientGroup;
        QString id;
        Node *parent = nullptr;
        std::vector<std::unique_ptr<Node>> children;
        SessionInfo session;  // sessions
        EndpointInfo endpoint; // endpoints
        int row() const;
    };

    Node *groupNode(const QString &id);
    Node *endpointNode(const QString &id, const QString &clientGroup);
    QModelIndex indexOf(const Node *node, int column = 0) const;
    QString groupName(const QString &id) const;

    Node m_root;
    QHash<QString, QString> m_groupNames;
    QHash<QString, QString> m_technicianNames;
    QHash<QString, Node *> m_endpoints;
    QHash<QString, Node *> m_sessions;
    QHash<QString, QString> m_hits;
};

} // namespace casefile
