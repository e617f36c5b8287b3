#pragma once

#include "SessionController.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <functional>

class QAction;
class QLabel;
class QSplitter;
class QTreeView;

namespace casefile {

class ApprovalsPane;
class ChatPane;
class CommandBar;
class ConnectionStatus;
class ElidedLabel;
class HypothesesPane;
class OutputPane;
class ReviewDialog;
class SessionDocument;
class SessionsPane;

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
};

} // namespace casefile
