#pragma once

#include "events/Event.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <vector>

namespace casefile {

// Every hypothesis of a session with its current state. Ruled-out and confirmed ones stay, with
// the evidence that decided them; reopening keeps the earlier evidence visible in the tooltip.
class HypothesisModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_PROPERTY(int openCount READ openCount NOTIFY openCountChanged)
public:
    enum Column
    {
        StatusColumn,
        TextColumn,
        EvidenceColumn,
        UpdatedColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        StatusRole,          // "open", "ruled_out", "confirmed"
        EvidenceCommandsRole, // QStringList of command ids
        NoteRole,
    };
    struct Evidence
    {
        QString command;
        qint64 fromLine = -1; // -1: the whole output
        qint64 toLine = -1;
    };

    explicit HypothesisModel(QObject *parent = nullptr);

    void addEvents(const QList<Event> &events);
    // Command texts, to describe evidence.
    void setCommandText(const QString &command, const QString &text);
    void clear();

    int openCount() const;
    QList<Evidence> evidence(const QString &hypothesis) const;
    QModelIndex indexOf(const QString &hypothesis) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

signals:
    void openCountChanged(int count);

private:
    struct Row
    {
        QString id;
        QString text;
        QString status = QStringLiteral("open");
        QList<Evidence> evidence;
        QString note;
        QDateTime updated;
    };
    QString evidenceText(const Evidence &e) const;

    std::vector<Row> m_rows;
    QHash<QString, int> m_rowOf;
    QHash<QString, QString> m_commandTexts;
};

} // namespace casefile
