#include "FindingsModel.h"

#include <QSet>

#include "ReviewSession.h"

#include <QFont>
#include <algorithm>

namespace casefile {

namespace {
// internalId: 0 a type row; 1..groupBase-1 a value under type (id - 1); groupBase + g an
// occurrence of value g.
constexpr quintptr groupBase = 100;
constexpr qsizetype contextBefore = 40;
constexpr qsizetype contextAfter = 80;

QString valueId(Finding::Type type, const QString &key)
{
    return Finding::typeName(type) + QLatin1Char('\n') + key;
}
} // namespace

int FindingsModel::Counts::decision(qsizetype total) const
{
    if (undecided == total)
        return int(RedactionPlan::Decision::Undecided);
    if (redact == total)
        return int(RedactionPlan::Decision::Redact);
    if (keep == total)
        return int(RedactionPlan::Decision::Keep);
    return Mixed;
}

FindingsModel::FindingsModel(ReviewSession *review, QObject *parent)
    : QAbstractItemModel(parent), m_review(review)
{
}

QString FindingsModel::typeTitle(Finding::Type type)
{
    switch (type) {
    case Finding::Type::User: return tr("User names");
    case Finding::Type::Domain: return tr("Domains");
    case Finding::Type::Host: return tr("Host names");
    case Finding::Type::Ipv4: return tr("IPv4 addresses");
    case Finding::Type::Ipv6: return tr("IPv6 addresses");
    case Finding::Type::Mac: return tr("MAC addresses");
    case Finding::Type::Sid: return tr("SIDs");
    case Finding::Type::Secret: return tr("Secrets");
    case Finding::Type::Phone: return tr("Phone numbers");
    case Finding::Type::ProductKey: return tr("Product keys and serials");
    case Finding::Type::RecoveryKey: return tr("Recovery keys");
    case Finding::Type::Name: return tr("Client dictionary");
    }
    return Finding::typeName(type);
}

QString FindingsModel::decisionText(int decision)
{
    switch (decision) {
    case int(RedactionPlan::Decision::Redact): return tr("Redact");
    case int(RedactionPlan::Decision::Keep): return tr("Keep");
    case Mixed: return tr("Mixed");
    default: return tr("Undecided");
    }
}

void FindingsModel::reset(QList<SnapshotPackage::Group> groups)
{
    beginResetModel();
    // By type, then the most frequent values first: the ones worth deciding for all at once.
    std::stable_sort(groups.begin(), groups.end(), [](const SnapshotPackage::Group &a, const SnapshotPackage::Group &b) {
        if (a.type != b.type)
            return a.type < b.type;
        if (a.occurrences.size() != b.occurrences.size())
            return a.occurrences.size() > b.occurrences.size();
        return a.value.compare(b.value, Qt::CaseInsensitive) < 0;
    });
    m_groups = std::move(groups);
    m_counts = QList<Counts>(m_groups.size());
    m_groupType = QList<int>(m_groups.size());
    m_groupRow = QList<int>(m_groups.size());
    m_types.clear();
    m_byValue.clear();
    m_findings = 0;
    for (int g = 0; g < m_groups.size(); ++g) {
        const auto &group = m_groups.at(g);
        if (m_types.isEmpty() || m_types.last().type != group.type)
            m_types.append(TypeNode{group.type, {}, 0, {}});
        TypeNode &t = m_types.last();
        m_groupType[g] = int(m_types.size() - 1);
        m_groupRow[g] = int(t.groups.size());
        t.groups.append(g);
        t.findings += group.occurrences.size();
        m_findings += group.occurrences.size();
        m_byValue.insert(valueId(group.type, group.key), g);
    }
    m_undecided = 0;
    for (int g = 0; g < m_groups.size(); ++g) {
        m_counts[g] = count(g);
        Counts &t = m_types[m_groupType.at(g)].counts;
        t.undecided += m_counts.at(g).undecided;
        t.redact += m_counts.at(g).redact;
        t.keep += m_counts.at(g).keep;
        m_undecided += m_counts.at(g).undecided;
    }
    endResetModel();
}

int FindingsModel::occurrenceDecision(const SnapshotPackage::Occurrence &o) const
{
    return int(m_review->decisionOf(o.text, o.finding));
}

FindingsModel::Counts FindingsModel::count(int group) const
{
    Counts c;
    for (const auto &o : m_groups.at(group).occurrences) {
        switch (RedactionPlan::Decision(occurrenceDecision(o))) {
        case RedactionPlan::Decision::Undecided: ++c.undecided; break;
        case RedactionPlan::Decision::Redact: ++c.redact; break;
        case RedactionPlan::Decision::Keep: ++c.keep; break;
        }
    }
    return c;
}

void FindingsModel::recount(const QList<QPair<Finding::Type, QString>> &values, bool all)
{
    QList<int> touched;
    QSet<int> seen;
    if (all) {
        for (int g = 0; g < m_groups.size(); ++g)
            touched.append(g);
    } else {
        for (const auto &[type, key] : values) {
            const int g = m_byValue.value(valueId(type, key), -1);
            if (g >= 0 && !seen.contains(g)) {
                seen.insert(g);
                touched.append(g);
            }
        }
    }
    // Many values at once ("redact all users"): one relayout. A tree view looks up every
    // changed row, so thousands of dataChanged signals cost it seconds.
    const bool bulk = touched.size() > 8;
    if (bulk)
        emit layoutAboutToBeChanged();
    QList<int> types;
    for (int g : std::as_const(touched)) {
        const Counts before = m_counts.at(g);
        const Counts after = count(g);
        m_counts[g] = after;
        Counts &t = m_types[m_groupType.at(g)].counts;
        t.undecided += after.undecided - before.undecided;
        t.redact += after.redact - before.redact;
        t.keep += after.keep - before.keep;
        m_undecided += after.undecided - before.undecided;
        if (!types.contains(m_groupType.at(g)))
            types.append(m_groupType.at(g));
        if (bulk)
            continue;
        // The value's row and its occurrences (their decisions follow the value's).
        const QModelIndex row = indexOfGroup(g, 0);
        emit dataChanged(row, row.siblingAtColumn(ColumnCount - 1));
        const int n = rowCount(row);
        if (n > 0)
            emit dataChanged(index(0, 0, row), index(n - 1, ColumnCount - 1, row));
    }
    if (bulk) {
        emit layoutChanged();
        return;
    }
    for (int t : std::as_const(types))
        emit dataChanged(index(t, 0), index(t, ColumnCount - 1));
}

QModelIndex FindingsModel::indexOfGroup(int group, int column) const
{
    if (group < 0 || group >= m_groups.size())
        return {};
    return createIndex(m_groupRow.at(group), column, quintptr(m_groupType.at(group)) + 1);
}

QModelIndex FindingsModel::indexOfValue(Finding::Type type, const QString &key, int column) const
{
    return indexOfGroup(m_byValue.value(valueId(type, key), -1), column);
}

const SnapshotPackage::Group *FindingsModel::group(const QModelIndex &index) const
{
    const int g = groupOf(index);
    return g >= 0 ? &m_groups.at(g) : nullptr;
}

QModelIndex FindingsModel::nextUndecided(const QModelIndex &from) const
{
    // Tree order of values is group order (groups are sorted by type, then as shown).
    int start = 0;
    if (from.isValid()) {
        if (kindOf(from) == NodeKind::Type)
            start = m_types.at(from.row()).groups.value(0, int(m_groups.size()));
        else
            start = groupOf(from);
    }
    for (int i = 0; i < m_groups.size(); ++i) {
        const int g = int((start + i) % m_groups.size());
        if (m_counts.at(g).undecided > 0)
            return indexOfGroup(g, 0);
    }
    return {};
}

FindingsModel::NodeKind FindingsModel::kindOf(const QModelIndex &index) const
{
    const quintptr id = index.internalId();
    if (id == 0)
        return NodeKind::Type;
    return id < groupBase ? NodeKind::Value : NodeKind::Occurrence;
}

int FindingsModel::groupOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return -1;
    const quintptr id = index.internalId();
    if (id == 0)
        return -1;
    if (id < groupBase)
        return m_types.at(int(id - 1)).groups.at(index.row());
    return int(id - groupBase);
}

QModelIndex FindingsModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_types.size() ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.column() != 0)
        return {};
    switch (kindOf(parent)) {
    case NodeKind::Type:
        return row < m_types.at(parent.row()).groups.size() ? createIndex(row, column, quintptr(parent.row()) + 1)
                                                             : QModelIndex();
    case NodeKind::Value: {
        const int g = groupOf(parent);
        return row < m_groups.at(g).occurrences.size() ? createIndex(row, column, groupBase + quintptr(g))
                                                        : QModelIndex();
    }
    case NodeKind::Occurrence:
        break;
    }
    return {};
}

QModelIndex FindingsModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    switch (kindOf(child)) {
    case NodeKind::Type:
        return {};
    case NodeKind::Value:
        return createIndex(int(child.internalId() - 1), 0, quintptr(0));
    case NodeKind::Occurrence:
        return indexOfGroup(int(child.internalId() - groupBase), 0);
    }
    return {};
}

int FindingsModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_types.size());
    if (parent.column() != 0)
        return 0;
    switch (kindOf(parent)) {
    case NodeKind::Type:
        return int(m_types.at(parent.row()).groups.size());
    case NodeKind::Value:
        return int(m_groups.at(groupOf(parent)).occurrences.size());
    case NodeKind::Occurrence:
        break;
    }
    return 0;
}

int FindingsModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QString FindingsModel::context(const SnapshotPackage::Occurrence &o, bool full) const
{
    const auto &text = m_review->package().texts().at(o.text);
    const Finding &f = text.findings.at(o.finding);
    const QStringView all(text.text);
    const TextLines &lines = m_review->lines(o.text);
    const qsizetype line = lines.lineOf(f.start);
    const qsizetype start = lines.lineStart(line);
    const qsizetype end = std::max(lines.lineEnd(all, line), f.start + f.length);
    qsizetype from = start;
    qsizetype to = end;
    if (!full) {
        from = std::max(start, f.start - contextBefore);
        to = std::min(end, f.start + f.length + contextAfter);
    }
    QString out = all.mid(from, to - from).toString();
    out.replace(QLatin1Char('\t'), QLatin1Char(' '));
    out.replace(QLatin1Char('\n'), QChar(0x21B5)); // a finding across lines (a PEM key)
    out.remove(QLatin1Char('\r'));
    if (from > start)
        out.prepend(QChar(0x2026));
    if (to < end)
        out.append(QChar(0x2026));
    return out;
}

QVariant FindingsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const NodeKind kind = kindOf(index);
    if (role == NodeKindRole)
        return QVariant::fromValue(kind);
    const int column = index.column();

    if (kind == NodeKind::Type) {
        const TypeNode &t = m_types.at(index.row());
        const int decision = t.counts.decision(t.findings);
        switch (role) {
        case Qt::DisplayRole:
            if (column == ValueColumn)
                return typeTitle(t.type);
            if (column == CountColumn)
                return QString::number(t.findings);
            if (column == DecisionColumn)
                return t.counts.undecided > 0 ? tr("%n undecided", nullptr, int(t.counts.undecided))
                                              : decisionText(decision);
            if (column == WhereColumn)
                return tr("%n value(s)", nullptr, int(t.groups.size()));
            return {};
        case Qt::FontRole: {
            QFont f;
            f.setBold(true);
            return f;
        }
        case DecisionRole: return decision;
        case UndecidedRole: return t.counts.undecided;
        case FindingTypeRole: return int(t.type);
        default: return {};
        }
    }

    const int g = groupOf(index);
    const SnapshotPackage::Group &group = m_groups.at(g);
    if (kind == NodeKind::Value) {
        const Counts &c = m_counts.at(g);
        const int decision = c.decision(group.occurrences.size());
        switch (role) {
        case Qt::DisplayRole:
            if (column == ValueColumn)
                return group.value;
            if (column == CountColumn)
                return QString::number(group.occurrences.size());
            if (column == DecisionColumn)
                return decision == Mixed && c.undecided > 0
                           ? tr("%1 of %2 undecided").arg(c.undecided).arg(group.occurrences.size())
                           : decisionText(decision);
            if (column == WhereColumn && !group.occurrences.isEmpty())
                return m_review->describeText(group.occurrences.first().text);
            return {};
        case Qt::ToolTipRole:
            return tr("%1: %2 — found %n time(s)", nullptr, int(group.occurrences.size()))
                .arg(typeTitle(group.type), group.value);
        case Qt::FontRole:
            if (c.undecided > 0) {
                QFont f;
                f.setBold(true);
                return f;
            }
            return {};
        case DecisionRole: return decision;
        case UndecidedRole: return c.undecided;
        case FindingTypeRole: return int(group.type);
        case KeyRole: return group.key;
        default: return {};
        }
    }

    const SnapshotPackage::Occurrence &o = group.occurrences.at(index.row());
    const auto &text = m_review->package().texts().at(o.text);
    const Finding &f = text.findings.at(o.finding);
    switch (role) {
    case Qt::DisplayRole:
        if (column == ValueColumn)
            return context(o, false);
        if (column == DecisionColumn) {
            if (m_review->plan().isWholeText(text.id))
                return tr("Redacted with its text");
            return decisionText(occurrenceDecision(o));
        }
        if (column == WhereColumn)
            return tr("%1, line %2").arg(m_review->describeText(o.text)).arg(m_review->lines(o.text).lineOf(f.start) + 1);
        return {};
    case Qt::ToolTipRole:
        return context(o, true).left(500);
    case DecisionRole: return occurrenceDecision(o);
    case UndecidedRole: return qsizetype(occurrenceDecision(o) == int(RedactionPlan::Decision::Undecided));
    case FindingTypeRole: return int(f.type);
    case KeyRole: return f.key;
    case TextIndexRole: return o.text;
    case FindingIndexRole: return o.finding;
    case StartRole: return f.start;
    case LengthRole: return f.length;
    case OwnDecisionRole:
        return m_review->plan().occurrenceDecision(text.id, f.start) != RedactionPlan::Decision::Undecided;
    case WholeTextRole: return m_review->plan().isWholeText(text.id);
    default: return {};
    }
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ValueColumn: return tr("Finding");
    case CountColumn: return tr("Count");
    case DecisionColumn: return tr("Decision");
    case WhereColumn: return tr("Where");
    default: return {};
    }
}

} // namespace casefile
