#pragma once

#include "FindingsModel.h"
#include "PlanChange.h"
#include "TextLines.h"
#include "events/Event.h"
#include "redact/RedactionDictionary.h"
#include "redact/RedactionPlan.h"
#include "snapshot/SnapshotPackage.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QUndoStack>

#include <atomic>
#include <memory>

class QThread;

namespace casefile {

class SessionController;

// One review of one or many sessions before they are published: the package of their texts,
// the reviewer's RedactionPlan with undo and redo, the findings as a model, and the original
// and scrubbed text of any part for the preview. Scans run on a worker thread with progress
// and cancel; the window stays responsive and keeps showing the last results until a new scan
// is done. Publishing waits until undecidedCount() is zero.
class ReviewSession : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Empty,
        Loading,  // reading the sessions and client dictionaries from the server
        Scanning,
        Ready,
        Failed,
    };
    Q_ENUM(State)

    explicit ReviewSession(QObject *parent = nullptr);
    ~ReviewSession() override;

    // Reads the sessions (in this order) and their client groups' dictionaries through the
    // controller, then scans.
    void load(SessionController *controller, const QStringList &sessions);
    // Or without a server: sealed events of one session, the dictionary, then scan().
    void addSession(const QList<Event> &events);
    void setDictionary(const RedactionDictionary &dictionary);
    void scan();
    // Stops a load or scan; the results of the last finished scan stay.
    void cancel();

    State state() const { return m_state; }
    QString errorString() const { return m_error; }
    bool isBusy() const { return m_state == State::Loading || m_state == State::Scanning; }

    const SnapshotPackage &package() const { return m_package; }
    const RedactionPlan &plan() const { return m_plan; }
    FindingsModel *findings() { return &m_findings; }
    QUndoStack *undoStack() { return &m_undo; }
    qsizetype undecidedCount() const { return m_findings.undecidedCount(); }
    QStringList sessionIds() const { return m_package.sessionIds(); }
    QStringList clientGroups() const { return m_clientGroups; }
    QString sessionTitle(const QString &session) const { return m_titles.value(session); }

    // Decisions; each is one undo step.
    void decideValue(Finding::Type type, const QString &key, RedactionPlan::Decision decision);
    void decideType(Finding::Type type, RedactionPlan::Decision decision);
    void decideOccurrence(qsizetype text, qsizetype finding, RedactionPlan::Decision decision);
    void redactSpan(qsizetype text, qsizetype start, qsizetype length);
    void redactLine(qsizetype text, qsizetype line);
    void setWholeTextRedacted(qsizetype text, bool redacted);
    // Finds and redacts the term everywhere (scans again); published packages also add it to
    // their client groups' dictionaries.
    bool addTerm(const QString &term, Finding::Type type = Finding::Type::Name);

    // The decision in force for a finding (its text redacted whole counts as redacted).
    RedactionPlan::Decision decisionOf(qsizetype text, qsizetype finding) const;
    // "output of ipconfig /all", "chat", "note" …; with the session's title when there are several.
    QString describeText(qsizetype text) const;
    const TextLines &lines(qsizetype text) const;
    // The text as it would be published.
    QString redactedText(qsizetype text) const;
    // Texts the reviewer can open: outputs, commands, chat, notes … in package order.
    QList<qsizetype> textsWithFindings() const;

    // The `publish` request for this package and plan.
    QJsonObject publishParams(const QString &title, const QString &summary, int expiresInDays,
                              const QString &audience) const;
    // Publishes through the controller; after success the added terms go to the client
    // dictionaries.
    void publish(SessionController *controller, const QString &title, const QString &summary, int expiresInDays,
                 const QString &audience);

    // For PlanChange: puts a plan in force and recounts the values it touched.
    void setPlan(const RedactionPlan &plan, const PlanChange::Values &values, bool all);

signals:
    void stateChanged(casefile::ReviewSession::State state);
    // Loading: sessions read of total; scanning: characters scanned of total.
    void progress(qint64 done, qint64 total, const QString &what);
    void planChanged();
    void undecidedCountChanged(qsizetype count);
    void scanned();
    void failed(const QString &message);
    void published(const QJsonObject &result);
    void publishFailed(const QString &code, const QString &message);

private:
    struct ScanJob;
    void setState(State state);
    void change(const QString &text, const RedactionPlan &after, const PlanChange::Values &values, bool all);
    void loadNext(SessionController *controller);
    void loadDictionaries(SessionController *controller);
    void finishScan(const std::shared_ptr<ScanJob> &job);
    void fail(const QString &message);

    SnapshotPackage m_package;
    RedactionPlan m_plan;
    RedactionDictionary m_dictionary;
    QUndoStack m_undo;
    FindingsModel m_findings;
    State m_state = State::Empty;
    QString m_error;
    QStringList m_clientGroups;
    QHash<QString, QString> m_titles;   // session → title
    QHash<QString, QString> m_commands; // command id → its text
    QHash<QString, qint64> m_reviewedThrough; // session → the last seq loaded for review
    mutable QHash<qsizetype, TextLines> m_lines;
    // Loading.
    QStringList m_toLoad;
    qsizetype m_loadTotal = 0;
    quint64 m_loadGeneration = 0;
    // Scanning: the newest job wins; older ones are cancelled and their results dropped.
    QList<QThread *> m_threads;
    std::shared_ptr<ScanJob> m_job;
};

} // namespace casefile
