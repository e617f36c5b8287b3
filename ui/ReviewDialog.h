#pragma once

#include "OutputBuffer.h"
#include "ReviewSession.h"

#include <QDialog>
#include <QPointer>
#include <QTimer>
#include <memory>

class QAction;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QStackedWidget;
class QToolButton;
class QTreeView;

namespace casefile {

class OutputView;
class SessionController;
class SessionFilterBar;
class SessionFilterProxy;

// Review and publish: choose sessions (one, or many by client group, endpoint, tag and date),
// decide every finding with the original and the scrubbed preview side by side, then publish a
// signed, expiring snapshot and hand out its link. Non-modal: a reviewer can keep the console
// open beside it.
class ReviewDialog : public QDialog
{
    Q_OBJECT
public:
    enum Page
    {
        ChoosePage,
        ReviewPage,
        PublishPage,
    };

    ReviewDialog(SessionController *controller, const QStringList &preselected, QWidget *parent = nullptr);
    ~ReviewDialog() override;

    // Sessions chosen on the first page, in the order the browser lists them.
    QStringList chosenSessions() const;
    // Reads the sessions and shows the review page (what Next does on the first page).
    void startReview(const QStringList &sessions);
    Page page() const;
    void showPage(Page page);

    ReviewSession *review() const { return m_review.get(); }
    QTreeView *sessionsView() const { return m_sessions; }
    QTreeView *findingsView() const { return m_findings; }
    OutputView *originalView() const { return m_original; }
    OutputView *previewView() const { return m_preview; }
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *publishButton() const { return m_publish; }
    QLineEdit *titleEdit() const { return m_title; }
    QLineEdit *linkEdit() const { return m_link; }
    QLabel *publishStatus() const { return m_publishStatus; }
    QAction *undoAction() const { return m_undo; }
    QAction *redoAction() const { return m_redo; }
    qsizetype shownText() const { return m_text; }

    // The reviewer's actions, as the buttons and keys do them.
    void decideCurrent(RedactionPlan::Decision decision, bool occurrenceOnly);
    void redactSelection();
    void redactLines();
    void toggleWholeText();
    bool addTerm(const QString &term);
    void showText(qsizetype text);

private:
    QWidget *buildChoosePage();
    QWidget *buildReviewPage();
    QWidget *buildPublishPage();
    void updateChosen();
    void updateButtons();
    void updateSteps();
    void onCurrentFinding(const QModelIndex &current);
    void refreshPreview();
    void askForTerm();
    void publish();
    // Offset in the shown text of a position in the original view.
    qsizetype offsetOf(qsizetype line, qsizetype column) const;

    QPointer<SessionController> m_controller;
    std::unique_ptr<ReviewSession> m_review;
    QStackedWidget *m_stack;
    QLabel *m_steps;
    QPushButton *m_back;
    QPushButton *m_next;
    QAction *m_undo = nullptr;
    QAction *m_redo = nullptr;
    QToolButton *m_undoButton;
    QToolButton *m_redoButton;

    // Choose.
    SessionFilterProxy *m_proxy;
    SessionFilterBar *m_filters;
    QTreeView *m_sessions;
    QLabel *m_chosen;

    // Review.
    QLabel *m_scanLabel;
    QProgressBar *m_progress;
    QPushButton *m_cancelScan;
    QTreeView *m_findings;
    QLabel *m_summary;
    QPushButton *m_redactValue;
    QPushButton *m_keepValue;
    QPushButton *m_redactOne;
    QPushButton *m_keepOne;
    QLabel *m_textTitle;
    OutputView *m_original;
    OutputView *m_preview;
    QPushButton *m_redactSelection;
    QPushButton *m_redactLine;
    QPushButton *m_redactWhole;
    QPushButton *m_addTerm;
    qsizetype m_text = -1;
    OutputBuffer m_originalBuffer;
    std::unique_ptr<OutputBuffer> m_previewBuffer;
    QTimer m_previewDelay;

    // Publish.
    QLineEdit *m_title;
    QPlainTextEdit *m_summaryNote;
    QSpinBox *m_expiry;
    QRadioButton *m_audienceOrg;
    QRadioButton *m_audienceLink;
    QPushButton *m_publish;
    QLabel *m_publishStatus;
    QLineEdit *m_link;
    QPushButton *m_copy;
    bool m_publishing = false;
    bool m_published = false;
};

} // namespace casefile
