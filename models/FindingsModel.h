#pragma once

#include "redact/Finding.h"
#include "redact/RedactionPlan.h"
#include "snapshot/SnapshotPackage.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QList>

namespace casefile {

class ReviewSession;

// The findings of a review package as a tree: finding type → value (every occurrence of one
// user, host, address …) → each occurrence with its line in context. Rows are small index
// structs; text is made in data() for the rows on screen only, so a package with a hundred
// thousand findings costs its groups, not a string per occurrence. Decision counts are kept
// per value and recounted only for the values a change touched.
class FindingsModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column
    {
        ValueColumn,
        CountColumn,
        DecisionColumn,
        WhereColumn,
        ColumnCount
    };
    enum class NodeKind
    {
        Type,
        Value,
        Occurrence,
    };
    Q_ENUM(NodeKind)
    // A type or value whose findings are not all decided alike.
    static constexpr int Mixed = 3;
    enum Role
    {
        NodeKindRole = Qt::UserRole + 1,
        DecisionRole,     // int: RedactionPlan::Decision, or Mixed
        UndecidedRole,    // qsizetype: findings below (or this one) without a decision
        FindingTypeRole,  // int: Finding::Type
        KeyRole,          // the value's placeholder key
        TextIndexRole,    // occurrences: the text in the package
        FindingIndexRole, // occurrences: the finding in that text
        StartRole,        // occurrences: offset in the text
        LengthRole,
        OwnDecisionRole,  // occurrences: true when decided on its own, not with its value
        WholeTextRole,    // occurrences: its whole text is redacted
    };

    explicit FindingsModel(ReviewSession *review, QObject *parent = nullptr);

    // After a scan: every value of the package, grouped.
    void reset(QList<SnapshotPackage::Group> groups);
    // Decisions changed for these values (type + key); all of them when `all`.
    void recount(const QList<QPair<Finding::Type, QString>> &values, bool all);
    qsizetype undecidedCount() const { return m_undecided; }
    qsizetype findingCount() const { return m_findings; }
    qsizetype valueCount() const { return m_groups.size(); }

    QModelIndex indexOfValue(Finding::Type type, const QString &key, int column = 0) const;
    // The first value at or after `from` (in tree order) that still has undecided findings.
    QModelIndex nextUndecided(const QModelIndex &from) const;
    const SnapshotPackage::Group *group(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString typeTitle(Finding::Type type);
    static QString decisionText(int decision);

private:
    struct Counts
    {
        qsizetype undecided = 0;
        qsizetype redact = 0;
        qsizetype keep = 0;
        int decision(qsizetype total) const;
    };
    struct TypeNode
    {
        Finding::Type type = Finding::Type::User;
        QList<int> groups; // indexes into m_groups
        qsizetype findings = 0;
        Counts counts;
    };

    NodeKind kindOf(const QModelIndex &index) const;
    int groupOf(const QModelIndex &index) const; // values and occurrences
    QModelIndex indexOfGroup(int group, int column) const;
    Counts count(int group) const;
    int occurrenceDecision(const SnapshotPackage::Occurrence &o) const;
    QString context(const SnapshotPackage::Occurrence &o, bool full) const;

    ReviewSession *m_review;
    QList<SnapshotPackage::Group> m_groups;
    QList<Counts> m_counts;
    QList<int> m_groupType; // group → row of its type
    QList<int> m_groupRow;  // group → row under its type
    QList<TypeNode> m_types;
    QHash<QString, int> m_byValue; // type name + '\n' + key → group
    qsizetype m_undecided = 0;
    qsizetype m_findings = 0;
};

} // namespace casefile
