#pragma once

#include "events/Event.h"

#include <QAbstractItemModel>
#include <QDateTime>
#include <QHash>
#include <optional>
#include <vector>

namespace casefile {

// The centre of the console: one row per command, approval, hypothesis change, chat message,
// note and session milestone, in record order. A command row has one child, its output, once
// output has arrived. Rows update in place as a command is approved, starts, streams and ends.
// Fed by SessionDocument; events must arrive in seq order, each once.
class TimelineModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column
    {
        TimeColumn,
        KindColumn,
        SummaryColumn,
        ActorColumn,
        StatusColumn,
        DurationColumn,
        ColumnCount
    };
    enum class EntryType
    {
        SessionOpened,
        Context,
        Command,
        Output, // the child row of a command
        Approval,
        Hypothesis,
        Chat,
        Note,
        SessionClosed,
    };
    Q_ENUM(EntryType)
    enum class Phase
    {
        Queued,           // requested, the agent has not answered yet
        AwaitingApproval, // the end user is being asked
        Running,
        Finished,
    };
    Q_ENUM(Phase)
    enum Role
    {
        EntryTypeRole = Qt::UserRole + 1,
        SeqRole,
        CommandIdRole,
        HypothesisIdRole,
        PhaseRole,      // commands only
        RunningRole,    // bool: a command not finished yet, an approval not decided yet
        ProblemRole,    // bool: failed, denied, non-zero exit, ruled out … drawn as a warning
        TimestampRole,  // QDateTime (UTC)
        CommandTextRole,
        LineCountRole,  // commands and their output row
    };

    explicit TimelineModel(QObject *parent = nullptr);

    void addEvents(const QList<Event> &events);
    // The output of a command now has `lines` lines; `lastLine` is its last non-empty line.
    void setOutputLines(const QString &command, qsizetype lines, const QString &lastLine);
    // Names shown for actors (user and endpoint ids); unknown ones are shown shortened.
    void setActorName(const QString &id, const QString &name);
    // Running commands show their elapsed time; call this every second to refresh it.
    void tick();
    void clear();

    QModelIndex indexOfCommand(const QString &command, int column = 0) const;
    int runningCount() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Entry
    {
        EntryType type = EntryType::Note;
        qint64 seq = 0;
        QDateTime at;
        QString actorId;
        QString actorType;
        QString summary;
        QString detail; // tooltip
        QString commandId;
        QString hypothesisId;
        QString status; // approvals, hypotheses
        bool problem = false;
        bool pending = false; // an approval not decided yet
        // commands
        QString shell;
        bool change = false;
        Phase phase = Phase::Queued;
        QString finishStatus;
        std::optional<qint64> exitCode;
        qint64 durationMs = -1;
        QDateTime startedAt;
        QString runAs;
        qsizetype lines = 0;
        QString lastLine;
        bool hasOutputRow = false;
    };

    Entry &entryAt(qsizetype i);
    // A command not finished or an approval not decided: its row changes with the clock.
    static bool isLive(const Entry &e);
    void apply(const Event &e);
    void markChanged(qsizetype i);
    QString actorName(const Entry &entry) const;
    QString statusText(const Entry &e) const;
    QString kindText(const Entry &e) const;

    std::vector<Entry> m_entries;
    std::vector<Entry> m_staged; // rows being added by the current addEvents() call
    qsizetype m_changedFirst = -1;
    qsizetype m_changedLast = -1;
    QHash<QString, qsizetype> m_commandRow;  // command id → row (past m_entries: staged)
    QHash<QString, qsizetype> m_approvalRow; // command id → its approval row
    QHash<QString, QString> m_hypothesisText;
    QHash<QString, QString> m_actorNames;
};

} // namespace casefile
