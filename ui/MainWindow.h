#pragma once

#include "DeepLink.h"
#include "OpenSnapshot.h"
#include "SessionController.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <functional>

class QAction;
class QComboBox;
class QLabel;
class QSplitter;
class QTreeView;

namespace casefile {

class ApprovalsPane;
class ChatPane;
class CommandBar;
class ConnectionStatus;
class ElidedLabel;
class HandoffPane;
class HypothesesPane;
class OutputPane;
class ReviewDialog;
class SessionDocument;
class SessionsPane;
class TeamSearchDialog;

// The technician's window: sessions browser (left), the open session's timeline with the output
// viewer and command bar (centre), hypotheses, approvals, chat and machine context (right), and
// the connection in the status bar. Docks, splitters and geometry are restored between runs.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(SessionController *controller, QWidget *parent = nullptr);
    ~MainWindow() override;

    void openSession(const QString &session);
    SessionDocument *document() const { return m_document; }

    // Runs a command in the open session as the command bar does.
    bool runCommand(const QString &shell, const QString &text, bool change);
    // Asks first when `confirm` is set, as Esc does.
    void cancelCommand(const QString &command, bool confirm);
    // Rules out, confirms or reopens with the current evidence (the selected output lines, or the
    // selected command) and an optional note, without asking.
    bool changeHypothesis(const QString &hypothesis, const QString &status, const QString &note = {});
    QList<SessionController::Evidence> currentEvidence() const;
    // Shows the evidence of a hypothesis: its command's output with the lines selected.
    void showEvidence(const QString &hypothesis);
    void showCommandOutput(const QString &command);

    // Review and publish, with the open session chosen; one dialog at a time, not modal.
    ReviewDialog *openReview();
    ReviewDialog *reviewDialog() const;

    // Snapshots, shown read-only through the same panes. Each refuses (and says why) a document
    // that does not verify; `seq` selects that entry once shown.
    bool openSnapshotBytes(const QByteArray &bytes, const QUrl &server = {}, const QString &token = {}, qint64 seq = 0);
    bool openSnapshotFile(const QString &path);
    // An http(s) …/s/<token> page link or a casefile:// link (a session or a snapshot).
    void openLink(const QString &link);
    void openDeepLink(const DeepLink &link);
    OpenSnapshot *snapshot() const { return m_snapshot.get(); }
    void showSnapshotSession(int index);
    // Writes the open snapshot (.casefile, .html or .pdf by the suffix); a PDF shows progress.
    bool exportSnapshot(const QString &path);
    // The summary shown above the timeline (a snapshot, or a closed session).
    HandoffPane *handoffPane() const { return m_handoff; }
    QLabel *snapshotBanner() const { return m_banner; }
    QComboBox *snapshotSessions() const { return m_snapshotSessions; }
    // Shows a command's output at a line (an evidence link of the summary).
    void showEvidenceLine(const QString &command, qint64 fromLine);

    // A follow-up of the open session or snapshot session on `endpoint`, carrying its hypotheses.
    void startFollowUp(const QString &endpoint, const QString &title,
                       std::function<void(const QString &session, const QString &error)> done = {});

    // The entry of the timeline at `seq` (a command's row for its output), selected and shown;
    // with `find`, that word is looked for in the command's output.
    bool selectEntry(qint64 seq, const QString &command = {}, const QString &find = {});
    // casefile:// link to a timeline row (empty when it has no place in a link).
    QUrl linkToEntry(const QModelIndex &row) const;

    TeamSearchDialog *openTeamSearch();
    TeamSearchDialog *teamSearchDialog() const;

    // A line in the status bar (what was done, what failed).
    void showMessage(const QString &message);

    SessionsPane *sessionsPane() const { return m_sessionsPane; }
    QTreeView *timelineView() const { return m_timeline; }
    OutputPane *outputPane() const { return m_output; }
    CommandBar *commandBar() const { return m_commandBar; }
    HypothesesPane *hypothesesPane() const { return m_hypotheses; }
    ApprovalsPane *approvalsPane() const { return m_approvals; }
    ChatPane *chatPane() const { return m_chat; }
    QTreeView *contextView() const { return m_context; }
    ConnectionStatus *connectionStatus() const { return m_status; }

signals:
    void signInRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // Points every pane at `doc`.
    void showDocument(SessionDocument *doc);
    void buildMenus();
    void restoreSettings();
    void saveSettings();
    void updateTitle();
    void updateEditable();
    void onTimelineCurrentChanged(const QModelIndex &current);
    void newSession();
    void addNote();
    void closeCurrentSession();
    void cancelRunning();
    void showError(const QString &message);
    void notify(int icon, const QString &title, const QString &text);
    void leaveSnapshot();
    void showHandoffFor(SessionDocument *doc);
    void applyPendingSelection();
    void openSnapshotLinkDialog();
    void openSnapshotFileDialog();
    void exportSnapshotDialog();
    void followUpDialog();
    void timelineMenu(const QPoint &pos);

    SessionController *m_controller;
    QPointer<SessionDocument> m_document;
    SessionsPane *m_sessionsPane;
    QTreeView *m_timeline;
    OutputPane *m_output;
    CommandBar *m_commandBar;
    QSplitter *m_centreSplit;
    HypothesesPane *m_hypotheses;
    ApprovalsPane *m_approvals;
    ChatPane *m_chat;
    QTreeView *m_context;
    ConnectionStatus *m_status;
    ElidedLabel *m_message;
    QString m_showWhenListed; // a command just run: selected when its row appears
    bool m_timelineAtEnd = true; // the timeline was scrolled to its end before rows came
    QTimer m_tick;
    std::function<void()> m_defaultDocks;
    QAction *m_noteAction = nullptr;
    QAction *m_closeAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QPointer<ReviewDialog> m_review;
    QPointer<TeamSearchDialog> m_search;
    std::unique_ptr<OpenSnapshot> m_snapshot;
    int m_snapshotIndex = 0;
    QLabel *m_banner;
    QComboBox *m_snapshotSessions;
    HandoffPane *m_handoff;
    QAction *m_exportAction = nullptr;
    // Selected once the open document has that entry (a link or search hit opened before its
    // events arrived).
    qint64 m_pendingSeq = 0;
    QString m_pendingCommand;
    QString m_pendingFind;
    int m_handoffGeneration = 0;
};

} // namespace casefile
