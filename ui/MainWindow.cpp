#include "MainWindow.h"

#include "ApprovalsPane.h"
#include "ChatPane.h"
#include "CommandBar.h"
#include "ElidedLabel.h"
#include "ConnectionStatus.h"
#include "HypothesesPane.h"
#include "ItemViews.h"
#include "NewSessionDialog.h"
#include "OutputPane.h"
#include "OutputView.h"
#include "ReviewDialog.h"
#include "SessionDocument.h"
#include "SessionsPane.h"
#include "Theme.h"
#include "TimelineDelegate.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QScrollBar>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace casefile {

namespace {
QDockWidget *makeDock(QMainWindow *window, const QString &title, const QString &objectName, QWidget *content)
{
    auto *dock = new QDockWidget(title, window);
    dock->setObjectName(objectName); // saveState() needs it
    dock->setWidget(content);
    return dock;
}
} // namespace

MainWindow::MainWindow(SessionController *controller, QWidget *parent)
    : QMainWindow(parent)
    , m_controller(controller)
    , m_sessionsPane(new SessionsPane(controller, this))
    , m_timeline(new QTreeView(this))
    , m_output(new OutputPane(this))
    , m_commandBar(new CommandBar(this))
    , m_centreSplit(new QSplitter(Qt::Vertical, this))
    , m_hypotheses(new HypothesesPane(this))
    , m_approvals(new ApprovalsPane(this))
    , m_chat(new ChatPane(this))
    , m_context(new QTreeView(this))
    , m_status(new ConnectionStatus(this))
    , m_message(new ElidedLabel(this))
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/casefile.svg")));
    m_timeline->setAccessibleName(tr("Timeline"));
    m_timeline->setItemDelegate(new TimelineDelegate(m_timeline));
    m_timeline->setUniformRowHeights(true);
    m_timeline->setAlternatingRowColors(true);
    m_timeline->setRootIsDecorated(true);
    m_timeline->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_context->setAccessibleName(tr("Machine context"));
    m_context->setAlternatingRowColors(true);

    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(4, 4, 4, 4);
    m_centreSplit->setObjectName(QStringLiteral("centreSplit"));
    m_centreSplit->addWidget(m_timeline);
    m_centreSplit->addWidget(m_output);
    m_centreSplit->setStretchFactor(0, 2);
    m_centreSplit->setStretchFactor(1, 3);
    centreLayout->addWidget(m_centreSplit, 1);
    centreLayout->addWidget(m_commandBar);
    setCentralWidget(centre);

    auto *sessionsDock = makeDock(this, tr("Sessions"), QStringLiteral("sessionsDock"), m_sessionsPane);
    auto *hypothesesDock = makeDock(this, tr("Hypotheses"), QStringLiteral("hypothesesDock"), m_hypotheses);
    auto *approvalsDock = makeDock(this, tr("Approvals"), QStringLiteral("approvalsDock"), m_approvals);
    auto *chatDock = makeDock(this, tr("Chat"), QStringLiteral("chatDock"), m_chat);
    auto *contextDock = makeDock(this, tr("Machine context"), QStringLiteral("contextDock"), m_context);
    addDockWidget(Qt::LeftDockWidgetArea, sessionsDock);
    addDockWidget(Qt::RightDockWidgetArea, hypothesesDock);
    addDockWidget(Qt::RightDockWidgetArea, approvalsDock);
    addDockWidget(Qt::RightDockWidgetArea, chatDock);
    tabifyDockWidget(chatDock, contextDock);
    chatDock->raise();
    m_defaultDocks = [this, sessionsDock, hypothesesDock] {
        resizeDocks({sessionsDock, hypothesesDock}, {260, 380}, Qt::Horizontal);
    };

    statusBar()->addPermanentWidget(m_status);
    m_message->setAccessibleName(tr("Messages"));
    statusBar()->addWidget(m_message, 1);

    connect(m_sessionsPane, &SessionsPane::openRequested, this, &MainWindow::openSession);
    connect(m_commandBar, &CommandBar::runRequested, this, &MainWindow::runCommand);
    connect(m_hypotheses, &HypothesesPane::addRequested, this, [this](const QString &text) {
        if (m_document && !m_controller->addHypothesis(m_document->session(), text))
            showError(m_controller->errorString());
    });
    connect(m_hypotheses, &HypothesesPane::statusChangeRequested, this,
            [this](const QString &hypothesis, const QString &status) {
                if (hypothesis.isEmpty() || !m_document)
                    return;
                const QString session = m_document->session();
                QString note;
                if (status != QLatin1String("open")) {
                    bool ok = false;
                    const auto evidence = currentEvidence();
                    const QString what = evidence.isEmpty()
                                             ? tr("No output lines or command are selected: this is recorded without evidence.")
                                             : tr("The selected output lines or command are recorded as evidence.");
                    note = QInputDialog::getText(this, status == QLatin1String("ruled_out") ? tr("Rule out") : tr("Confirm"),
                                                 what + QStringLiteral("\n\n") + tr("Note (optional):"),
                                                 QLineEdit::Normal, QString(), &ok);
                    // The dialog ran an event loop: another session may be open by now.
                    if (!ok || !m_document || m_document->session() != session)
                        return;
                }
                changeHypothesis(hypothesis, status, note.trimmed());
            });
    connect(m_hypotheses, &HypothesesPane::evidenceActivated, this, &MainWindow::showEvidence);
    connect(m_chat, &ChatPane::sendRequested, this, [this](const QString &text) {
        if (m_document && !m_controller->sendChat(m_document->session(), text))
            showError(m_controller->errorString());
    });
    connect(controller, &SessionController::stateChanged, this, [this](SyncClient::State state) {
        m_status->setState(state);
        m_status->setServer(m_controller->sync()->server().toString(QUrl::RemoveUserInfo));
    });
    connect(controller, &SessionController::reconnectIn, m_status, &ConnectionStatus::setReconnectIn);
    connect(controller, &SessionController::pendingCountChanged, m_status, &ConnectionStatus::setPending);
    connect(controller, &SessionController::actionRefused, this, &MainWindow::showError);
    connect(controller, &SessionController::documentReplaced, this, [this](const QString &session, SessionDocument *doc) {
        if (m_document.isNull() || m_document->session() == session) {
            m_output->setDocument(nullptr); // the old buffers go with the old document
            showDocument(doc);
            showMessage(tr("The local copy of this session did not match the server's; it was read again from the server."));
        }
    });
    connect(controller, &SessionController::signedIn, this, [this](const QJsonObject &principal) {
        m_message->setText(tr("Signed in as %1 (%2)")
                               .arg(principal.value(QStringLiteral("name")).toString(),
                                    principal.value(QStringLiteral("role")).toString()));
        updateEditable();
    });
    m_status->setServer(controller->sync()->server().toString());
    m_status->setState(controller->sync()->state());
    m_status->setPending(controller->pendingCount());

    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (m_document) {
            m_document->timeline()->tick();
            m_document->approvals()->tick();
        }
    });
    m_tick.start();

    buildMenus();
    restoreSettings();
    updateTitle();
    updateEditable();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newSession = file->addAction(tr("&New session…"), this, &MainWindow::newSession);
    newSession->setShortcut(QKeySequence::New);
    file->addAction(tr("&Sign in…"), this, &MainWindow::signInRequested);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *session = menuBar()->addMenu(tr("&Session"));
    QAction *run = session->addAction(tr("&Run command"), m_commandBar, &CommandBar::submit);
    run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    QAction *cancel = session->addAction(tr("&Cancel running command…"), this, &MainWindow::cancelRunning);
    cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    QAction *find = session->addAction(tr("&Find in output…"), m_output, &OutputPane::openFind);
    find->setShortcut(QKeySequence::Find);
    m_noteAction = session->addAction(tr("Add &note…"), this, &MainWindow::addNote);
    m_noteAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    session->addSeparator();
    QAction *review = session->addAction(tr("Review and &publish…"), this, &MainWindow::openReview);
    review->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    review->setToolTip(tr("Redact and publish a snapshot of this session or several (Ctrl+Shift+P)"));
    m_closeAction = session->addAction(tr("C&lose session…"), this, &MainWindow::closeCurrentSession);
    m_cancelAction = cancel;
    QAction *refresh = session->addAction(tr("Re&fresh sessions"), m_controller, &SessionController::refresh);
    refresh->setShortcut(QKeySequence::Refresh);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    QMenu *theme = view->addMenu(tr("&Theme"));
    auto *group = new QActionGroup(this);
    const Theme::Mode current = Theme::fromString(QSettings().value(QStringLiteral("theme")).toString());
    for (const auto &[mode, label] : {std::pair{Theme::Mode::System, tr("&System")},
                                      std::pair{Theme::Mode::Light, tr("&Light")},
                                      std::pair{Theme::Mode::Dark, tr("&Dark")}}) {
        QAction *a = theme->addAction(label);
        a->setCheckable(true);
        a->setChecked(mode == current);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, mode = mode] {
            Theme::apply(mode);
            QSettings().setValue(QStringLiteral("theme"), Theme::toString(mode));
            m_output->view()->setDarkTheme(Theme::isDark());
        });
    }

    newSession->setIcon(QIcon(QStringLiteral(":/icons/session.svg")));
    run->setIcon(QIcon(QStringLiteral(":/icons/run.svg")));
    cancel->setIcon(QIcon(QStringLiteral(":/icons/cancel.svg")));
    find->setIcon(QIcon(QStringLiteral(":/icons/find.svg")));
    QToolBar *tools = addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->addAction(newSession);
    tools->addSeparator();
    tools->addAction(run);
    tools->addAction(cancel);
    tools->addAction(find);
    tools->addSeparator();
    tools->addAction(review);
    view->insertAction(view->actions().value(0), tools->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Casefile"), this, [this] {
        QMessageBox::about(this, tr("About Casefile"),
                           tr("<b>Casefile %1</b><p>Troubleshooting sessions recorded as operational memory: "
                              "every command, its output, consent, hypotheses and chat, hash-chained.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::restoreSettings()
{
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1400, 900);
    if (!restoreState(s.value(QStringLiteral("window/state")).toByteArray()))
        QTimer::singleShot(0, this, m_defaultDocks); // first run: sizes apply once the window is laid out
    m_centreSplit->restoreState(s.value(QStringLiteral("window/centreSplit")).toByteArray());
    m_timeline->header()->restoreState(s.value(QStringLiteral("window/timelineHeader")).toByteArray());
    m_commandBar->setHistory(s.value(QStringLiteral("commands/history")).toStringList());
    m_commandBar->setShell(s.value(QStringLiteral("commands/shell"), QStringLiteral("sh")).toString());
}

void MainWindow::saveSettings()
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/centreSplit"), m_centreSplit->saveState());
    s.setValue(QStringLiteral("window/timelineHeader"), m_timeline->header()->saveState());
    s.setValue(QStringLiteral("commands/history"), m_commandBar->history());
    s.setValue(QStringLiteral("commands/shell"), m_commandBar->shell());
    if (m_document)
        s.setValue(QStringLiteral("session/last"), m_document->session());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    event->accept();
}

void MainWindow::openSession(const QString &session)
{
    if (m_document && m_document->session() == session)
        return;
    if (m_document)
        m_controller->closeDocument(m_document->session());
    showDocument(m_controller->openSession(session));
}

void MainWindow::showDocument(SessionDocument *doc)
{
    m_document = doc;
    ItemViews::setModel(m_timeline, doc->timeline());
    // Fixed widths from the font, not ResizeToContents: that measures every row again on each
    // change, and a streaming command changes its row many times a second.
    QHeaderView *header = m_timeline->header();
    const QFontMetrics fm = m_timeline->fontMetrics();
    const int pad = fm.horizontalAdvance(QLatin1Char('M')) * 2;
    header->setStretchLastSection(false);
    for (int c = 0; c < TimelineModel::ColumnCount; ++c)
        header->setSectionResizeMode(c, c == TimelineModel::SummaryColumn ? QHeaderView::Stretch : QHeaderView::Interactive);
    // Column 0 also holds the tree's expand arrow.
    header->resizeSection(TimelineModel::TimeColumn,
                          fm.horizontalAdvance(QStringLiteral("23:59:59")) + m_timeline->indentation() + pad);
    const int icon = m_timeline->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_timeline);
    header->resizeSection(TimelineModel::KindColumn, fm.horizontalAdvance(tr("Hypothesis")) + icon + 2 * pad);
    header->resizeSection(TimelineModel::ActorColumn, fm.horizontalAdvance(QLatin1Char('M')) * 8);
    header->resizeSection(TimelineModel::StatusColumn, fm.horizontalAdvance(QLatin1Char('M')) * 8);
    header->resizeSection(TimelineModel::DurationColumn, fm.horizontalAdvance(QStringLiteral("99.9 s")) + pad);
    connect(m_timeline->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::onTimelineCurrentChanged);
    connect(doc->timeline(), &QAbstractItemModel::rowsAboutToBeInserted, this, [this](const QModelIndex &parent) {
        if (!parent.isValid())
            m_timelineAtEnd = m_timeline->verticalScrollBar()->value() >= m_timeline->verticalScrollBar()->maximum();
    });
    connect(doc->timeline(), &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent, int, int last) {
        if (parent.isValid() || !m_document)
            return;
        if (!m_showWhenListed.isEmpty()) {
            const QModelIndex row = m_document->timeline()->indexOfCommand(m_showWhenListed);
            if (row.isValid()) {
                m_showWhenListed.clear();
                m_timeline->setCurrentIndex(row);
                m_timeline->scrollTo(row);
                return;
            }
        }
        // Keep the newest row in sight while the technician is at the end of the timeline; one
        // reading further up stays where they are.
        if (m_timelineAtEnd)
            m_timeline->scrollTo(m_document->timeline()->index(last, 0));
    });
    connect(doc, &SessionDocument::closedChanged, this, &MainWindow::updateEditable);
    // Opened before its events arrived (not cached yet): show the latest command once there is one.
    connect(doc, &SessionDocument::eventsAdded, this, [this] {
        if (m_document && m_output->command().isEmpty() && !m_document->lastCommand().isEmpty()) {
            const QModelIndex row = m_document->timeline()->indexOfCommand(m_document->lastCommand());
            m_timeline->setCurrentIndex(row);
            m_timeline->scrollTo(row);
        }
        updateTitle();
    });
    m_output->setDocument(doc);
    m_hypotheses->setModel(doc->hypotheses());
    m_approvals->setModel(doc->approvals());
    m_chat->setModel(doc->chat());
    ItemViews::setModel(m_context, doc->context());
    m_context->expandAll();
    m_context->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    // Open on the latest command, where a technician picks up.
    const QString last = doc->lastCommand();
    if (!last.isEmpty()) {
        m_timeline->setCurrentIndex(doc->timeline()->indexOfCommand(last));
        m_timeline->scrollToBottom();
    }
    updateTitle();
    updateEditable();
}

void MainWindow::updateTitle()
{
    if (!m_document) {
        setWindowTitle(tr("Casefile"));
        return;
    }
    const QString host = m_controller->sessions()->endpointName(m_document->endpoint());
    setWindowTitle(tr("%1 — %2 — Casefile").arg(m_document->title().isEmpty() ? m_document->session().left(8) : m_document->title(), host));
}

void MainWindow::updateEditable()
{
    const QString r = m_controller->identity().value(QStringLiteral("role")).toString();
    const bool technician = r == QLatin1String("technician") || r == QLatin1String("admin");
    const bool editable = m_document && !m_document->isClosed() && technician;
    m_commandBar->setRunEnabled(editable);
    m_hypotheses->setEditable(editable);
    m_chat->setEditable(editable);
    if (m_noteAction) {
        m_noteAction->setEnabled(editable);
        m_closeAction->setEnabled(editable);
        m_cancelAction->setEnabled(editable);
    }
    updateTitle();
}

void MainWindow::onTimelineCurrentChanged(const QModelIndex &current)
{
    const QString command = current.data(TimelineModel::CommandIdRole).toString();
    if (!command.isEmpty())
        m_output->showCommand(command);
}

void MainWindow::showCommandOutput(const QString &command)
{
    if (!m_document)
        return;
    const QModelIndex row = m_document->timeline()->indexOfCommand(command);
    if (row.isValid())
        m_timeline->setCurrentIndex(row);
    m_output->showCommand(command);
}

bool MainWindow::runCommand(const QString &shell, const QString &text, bool change)
{
    if (!m_document) {
        showError(tr("Open a session first."));
        return false;
    }
    QString command;
    if (!m_controller->runCommand(m_document->session(), shell, text, change, &command)) {
        showError(m_controller->errorString());
        m_commandBar->setText(text); // not queued: give the text back rather than lose it
        m_commandBar->setChange(change);
        return false;
    }
    m_showWhenListed = command;
    m_message->setText(change ? tr("Asking the end user to approve: %1").arg(text) : tr("Sent: %1").arg(text));
    return true;
}

void MainWindow::cancelRunning()
{
    if (!m_document)
        return;
    // The selected command if it runs, else the newest running one.
    QString command = m_timeline->currentIndex().data(TimelineModel::CommandIdRole).toString();
    const auto *c = m_document->command(command);
    if (!c || c->finished) {
        command.clear();
        const QStringList ids = m_document->commandIds();
        for (auto it = ids.crbegin(); it != ids.crend(); ++it) {
            if (!m_document->command(*it)->finished) {
                command = *it;
                break;
            }
        }
    }
    if (command.isEmpty()) {
        m_message->setText(tr("No command is running."));
        return;
    }
    cancelCommand(command, true);
}

void MainWindow::cancelCommand(const QString &command, bool confirm)
{
    if (!m_document)
        return;
    const auto *c = m_document->command(command);
    if (!c)
        return;
    // Copies: the question runs an event loop, after which the document may be another one.
    const QString session = m_document->session();
    const QString text = c->text;
    if (confirm) {
        QPointer<MainWindow> self(this);
        const auto answer = QMessageBox::question(this, tr("Cancel command"),
                                                  tr("Stop this command on the endpoint?\n\n%1").arg(text),
                                                  QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (!self || answer != QMessageBox::Yes)
            return;
    }
    m_controller->cancelCommand(session, command);
    m_message->setText(tr("Cancel sent: %1").arg(text));
}

QList<SessionController::Evidence> MainWindow::currentEvidence() const
{
    const QString shown = m_output->command();
    if (!shown.isEmpty() && m_output->view()->hasSelection()) {
        const auto [first, last] = m_output->view()->selectedLines();
        return {{shown, first, last}};
    }
    const QString selected = m_timeline->currentIndex().data(TimelineModel::CommandIdRole).toString();
    if (!selected.isEmpty())
        return {{selected, -1, -1}};
    return {};
}

bool MainWindow::changeHypothesis(const QString &hypothesis, const QString &status, const QString &note)
{
    if (!m_document)
        return false;
    const auto evidence = status == QLatin1String("open") ? QList<SessionController::Evidence>() : currentEvidence();
    if (!m_controller->updateHypothesis(m_document->session(), hypothesis, status, evidence, note)) {
        showError(m_controller->errorString());
        return false;
    }
    return true;
}

void MainWindow::showEvidence(const QString &hypothesis)
{
    if (!m_document)
        return;
    const auto evidence = m_document->hypotheses()->evidence(hypothesis);
    if (evidence.isEmpty()) {
        m_message->setText(tr("This hypothesis has no evidence recorded."));
        return;
    }
    const auto &e = evidence.first();
    showCommandOutput(e.command);
    if (e.fromLine >= 0)
        m_output->view()->selectLines(e.fromLine, qMax(e.fromLine, e.toLine));
    m_output->view()->setFocus();
}

void MainWindow::newSession()
{
    // On the heap: if the window goes away while it is open (a new sign-in), so does the dialog.
    QPointer<NewSessionDialog> dialog =
        new NewSessionDialog(m_controller->sessions()->endpoints(), m_sessionsPane->currentEndpoint(), this);
    QPointer<MainWindow> self(this);
    const int result = dialog->exec();
    if (!self || !dialog)
        return;
    dialog->deleteLater();
    if (result != QDialog::Accepted)
        return;
    m_controller->openNewSession(dialog->endpoint(), dialog->title(), dialog->ticket(), dialog->tags(),
                                 [self](const QString &session, const QString &error) {
                                     if (!self)
                                         return;
                                     if (!error.isEmpty())
                                         self->showError(tr("The session could not be opened: %1").arg(error));
                                     else
                                         self->openSession(session);
                                 });
}

void MainWindow::addNote()
{
    if (!m_document)
        return;
    const QString session = m_document->session();
    bool ok = false;
    const QString text = QInputDialog::getMultiLineText(this, tr("Add note"), tr("Note:"), QString(), &ok);
    if (ok && !text.trimmed().isEmpty() && !m_controller->addNote(session, text.trimmed()))
        showError(m_controller->errorString());
}

void MainWindow::closeCurrentSession()
{
    if (!m_document || m_document->isClosed())
        return;
    const QString session = m_document->session(); // the one the user asked to close
    bool ok = false;
    const QString summary = QInputDialog::getMultiLineText(
        this, tr("Close session"), tr("Nothing can be added after closing. Summary (optional):"), QString(), &ok);
    if (ok && !m_controller->closeSession(session, summary.trimmed()))
        showError(m_controller->errorString());
}

ReviewDialog *MainWindow::reviewDialog() const
{
    return m_review;
}

ReviewDialog *MainWindow::openReview()
{
    if (m_review) {
        m_review->raise();
        m_review->activateWindow();
        return m_review;
    }
    const QStringList chosen = m_document ? QStringList{m_document->session()} : QStringList();
    m_review = new ReviewDialog(m_controller, chosen, this);
    m_review->setAttribute(Qt::WA_DeleteOnClose);
    m_review->show();
    return m_review;
}

void MainWindow::showMessage(const QString &message)
{
    m_message->setText(message);
}

void MainWindow::showError(const QString &message)
{
    m_message->setText(message);
    statusBar()->setToolTip(message);
}

} // namespace casefile
