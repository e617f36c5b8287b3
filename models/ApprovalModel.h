#pragma once

#include "events/Event.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <vector>

namespace casefile {

// The consent record of a session: what the end user was asked, word for word, and what they
// decided, by whom and when. A pending request shows how long it has waited (refresh with tick()).
class ApprovalModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        RequestedColumn,
        CommandColumn,
        DecisionColumn,
        DecidedByColumn,
        DecidedAtColumn,
        ColumnCount
    };
    enum Role
    {
        CommandIdRole = Qt::UserRole + 1,
        PromptRole,
        PendingRole,  // bool
        DecisionRole, // "", "approved", "denied", "timed_out", "withdrawn"
    };

    explicit ApprovalModel(QObject *parent = nullptr);

    void addEvents(const QList<Event> &events);
    void tick();
    void clear();
    int pendingCount() const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

signals:
    void pendingCountChanged(int count);

private:
    struct Row
    {
        QString command;
        QString commandText;
        QString prompt;
        QDateTime requestedAt;
        QString decision; // empty while pending
        QString decidedBy;
        QDateTime decidedAt;
        QString reason;
    };

    std::vector<Row> m_rows;
    QHash<QString, int> m_rowOf;              // command id → row
    QHash<QString, QString> m_commandTexts; // command id → its text
};

} // namespace casefile
