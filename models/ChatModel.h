#pragma once

#include "events/Event.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <vector>

namespace casefile {

// The conversation between technician and end user, oldest first.
class ChatModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role
    {
        AuthorRole = Qt::UserRole + 1,
        TextRole,
        TimestampRole,
        FromEndUserRole, // bool: written at the endpoint
    };

    explicit ChatModel(QObject *parent = nullptr);
    void addEvents(const QList<Event> &events);
    void setActorName(const QString &id, const QString &name);
    void clear();

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QDateTime at;
        QString actorId;
        bool fromEndUser = false;
        QString text;
    };
    QString author(const Row &row) const;

    std::vector<Row> m_rows;
    QHash<QString, QString> m_names;
};

} // namespace casefile
