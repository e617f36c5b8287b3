#include "MainWindow.h"

#include "ApprovalsPane.h"
#include "ChatPane.h"
#include "CommandBar.h"
#include "ElidedLabel.h"
#include "ConnectionStatus.h"
#include "HandoffPane.h"
#include "HypothesesPane.h"
#include "ItemViews.h"
#include "NewSessionDialog.h"
#include "OutputPane.h"
#include "OutputView.h"
#include "ReviewDialog.h"
#include "SessionDocument.h"
#include "SessionsPane.h"
#include "SnapshotExporter.h"
#include "TeamSearchDialog.h"
#include "Theme.h"
#include "TimelineDelegate.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QProgressDialog>
#include <QTextBrowser>
#include <QDockWidget>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenu>
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
    , m_banner(new QLabel(this))
    , m_snapshotSessions(new QComboBox(this))
    , m_handoff(new HandoffPane(this))
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
    // A snapshot says what it is above everything it shows.
    m_banner->setObjectName(QStringLiteral("snapshotBanner"));
    m_banner->setAccessibleName(tr("Snapshot"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setMargin(6);
    m_banner->setAutoFillBackground(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel#snapshotBanner { background: #fff4ce; color: #4a3b00; border: 1px solid #e0c060; border-radius: 3px; }"));
    m_banner->hide();
    m_snapshotSessions->setAccessibleName(tr("Session of the snapshot"));
    m_snapshotSessions->hide();
    connect(m_snapshotSessions, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_snapshot && index >= 0 && index != m_snapshotIndex)
            showSnapshotSession(index);
    });
    centreLayout->addWidget(m_banner);
    centreLayout->addWidget(m_snapshotSessions);
    m_handoff->hide();
    connect(m_handoff, &HandoffPane::evidenceActivated, this, &MainWindow::showEvidenceLine);
    m_centreSplit->setObjectName(QStringLiteral("centreSplit"));
    m_centreSplit->addWidget(m_handoff);
    m_centreSplit->addWidget(m_timeline);
    m_centreSplit->addWidget(m_output);
    m_centreSplit->setStretchFactor(0, 2);
    m_centreSplit->setStretchFactor(1, 2);
    m_centreSplit->setStretchFactor(2, 3);
    m_timeline->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_timeline, &QWidget::customContextMenuRequested, this, &MainWindow::timelineMenu);
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
    file->addSeparator();
    QAction *openLinkAction = file->addAction(tr("Open snapshot &link…"), this, &MainWindow::openSnapshotLinkDialog);
    openLinkAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    QAction *openFile = file->addAction(tr("Open snapshot &file…"), this, &MainWindow::openSnapshotFileDialog);
    openFile->setShortcut(QKeySequence::Open);
    m_exportAction = file->addAction(tr("&Export snapshot…"), this, &MainWindow::exportSnapshotDialog);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setEnabled(false);
    file->addSeparator();
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
    QAction *followUp = session->addAction(tr("Start &follow-up session…"), this, &MainWindow::followUpDialog);
    followUp->setToolTip(tr("A new session on the same endpoint that starts from this one's hypotheses"));
    QAction *teamSearch = session->addAction(tr("Search &all sessions…"), this, &MainWindow::openTeamSearch);
    teamSearch->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
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
    if (!m_snapshot && m_document && m_document->session() == session)
        return;
    if (m_document && !m_snapshot)
        m_controller->closeDocument(m_document->session());
    // The snapshot's documents go once the panes show the session instead.
    std::unique_ptr<OpenSnapshot> old = std::move(m_snapshot);
    leaveSnapshot();
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
    connect(doc, &SessionDocument::closedChanged, this, [this, doc](bool closed) {
        if (closed && m_document == doc && !m_snapshot)
            showHandoffFor(doc);
    });
    // Opened before its events arrived (not cached yet): show the latest command once there is one.
    connect(doc, &SessionDocument::eventsAdded, this, [this] {
        if (m_document && m_output->command().isEmpty() && !m_document->lastCommand().isEmpty()) {
            const QModelIndex row = m_document->timeline()->indexOfCommand(m_document->lastCommand());
            m_timeline->setCurrentIndex(row);
            m_timeline->scrollTo(row);
        }
        applyPendingSelection();
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
    if (!m_snapshot)
        showHandoffFor(doc);
    applyPendingSelection();
    updateTitle();
    updateEditable();
}

void MainWindow::updateTitle()
{
    if (!m_document) {
        setWindowTitle(tr("Casefile"));
        return;
    }
    if (m_snapshot) {
        setWindowTitle(tr("%1 — snapshot (read-only) — Casefile").arg(m_snapshot->title()));
        return;
    }
    const QString host = m_controller->sessions()->endpointName(m_document->endpoint());
    setWindowTitle(tr("%1 — %2 — Casefile").arg(m_document->title().isEmpty() ? m_document->session().left(8) : m_document->title(), host));
}

void MainWindow::updateEditable()
{
    const QString r = m_controller->identity().value(QStringLiteral("role")).toString();
    const bool technician = r == QLatin1String("technician") || r == QLatin1String("admin");
    const bool editable = m_document && !m_snapshot && !m_document->isClosed() && technician;
    m_commandBar->setRunEnabled(editable);
    m_commandBar->setEnabled(!m_snapshot); // a snapshot is a record, never a place to run anything
    if (m_exportAction)
        m_exportAction->setEnabled(m_snapshot != nullptr);
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

void MainWindow::notify(int icon, const QString &title, const QString &text)
{
    // Window-modal but not blocking: a link opened from outside never waits in a nested loop.
    auto *box = new QMessageBox(QMessageBox::Icon(icon), title, text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("notice"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::leaveSnapshot()
{
    m_snapshot.reset();
    m_banner->hide();
    m_snapshotSessions->hide();
    m_handoff->hide();
    updateEditable();
}

bool MainWindow::openSnapshotBytes(const QByteArray &bytes, const QUrl &server, const QString &token, qint64 seq)
{
    QString error;
    auto snapshot = OpenSnapshot::load(bytes, &error);
    if (!snapshot) {
        // Nothing of an unverified document is shown; what is on screen stays.
        showError(error);
        notify(QMessageBox::Warning, tr("Snapshot not opened"), error);
        return false;
    }
    snapshot->setOrigin(server, token);
    if (m_document && !m_snapshot)
        m_controller->closeDocument(m_document->session());
    std::unique_ptr<OpenSnapshot> old = std::move(m_snapshot);
    m_snapshot = std::move(snapshot);
    {
        const QSignalBlocker block(m_snapshotSessions);
        m_snapshotSessions->clear();
        for (int i = 0; i < m_snapshot->sessionCount(); ++i)
            m_snapshotSessions->addItem(m_snapshot->sessionTitle(i));
    }
    m_snapshotSessions->setVisible(m_snapshot->sessionCount() > 1);
    const QDateTime expires = QDateTime::fromString(m_snapshot->expiresAt(), Qt::ISODateWithMs);
    const QString when = expires.isValid() ? QLocale().toString(expires.toLocalTime(), QLocale::ShortFormat) : m_snapshot->expiresAt();
    QString banner = QStringLiteral("<b>%1</b> — %2").arg(tr("Snapshot · read-only · expires %1").arg(when).toHtmlEscaped(),
                                                           m_snapshot->title().toHtmlEscaped());
    if (!m_snapshot->publisherName().isEmpty())
        banner += QStringLiteral("<br>") + tr("Published by %1").arg(m_snapshot->publisherName()).toHtmlEscaped();
    if (!m_snapshot->summaryText().isEmpty())
        banner += QStringLiteral("<br><i>%1</i>").arg(m_snapshot->summaryText().toHtmlEscaped());
    m_banner->setText(banner);
    m_banner->show();
    m_snapshotIndex = -1;
    showSnapshotSession(0);
    old.reset(); // its documents are no longer shown
    if (seq > 0)
        selectEntry(seq);
    showMessage(tr("Snapshot verified: signature and every session's chain hold."));
    return true;
}

void MainWindow::showSnapshotSession(int index)
{
    if (!m_snapshot || index < 0 || index >= m_snapshot->sessionCount())
        return;
    m_snapshotIndex = index;
    {
        const QSignalBlocker block(m_snapshotSessions);
        m_snapshotSessions->setCurrentIndex(index);
    }
    SessionDocument *doc = m_snapshot->document(index);
    // Technicians of our own org by name (the snapshot names only its publisher); endpoints stay
    // as the record has them, so a redacted host name is not put back next to its placeholder.
    for (const auto &t : m_controller->sessions()->technicians())
        doc->setActorName(t.first, t.second);
    doc->setActorName(m_controller->identity().value(QStringLiteral("id")).toString(),
                      m_controller->identity().value(QStringLiteral("name")).toString());
    showDocument(doc);
    m_handoff->setSummary(m_snapshot->handoff(index));
    m_handoff->show();
}

bool MainWindow::openSnapshotFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showError(tr("Cannot read %1: %2").arg(path, file.errorString()));
        return false;
    }
    return openSnapshotBytes(file.readAll());
}

void MainWindow::openLink(const QString &link)
{
    QString error;
    const auto parsed = DeepLink::parse(link, &error);
    if (!parsed) {
        showError(tr("This is not a Casefile link (%1): %2").arg(error, link));
        return;
    }
    openDeepLink(*parsed);
}

void MainWindow::openDeepLink(const DeepLink &link)
{
    if (link.target == DeepLink::Target::Snapshot) {
        showMessage(tr("Fetching the snapshot…"));
        QPointer<MainWindow> self(this);
        m_controller->fetchSnapshot(link, [self, link](const QByteArray &bytes, const QString &error) {
            if (!self)
                return;
            if (!error.isEmpty()) {
                self->showError(error);
                return;
            }
            self->openSnapshotBytes(bytes, link.server, link.id, link.seq);
        });
        return;
    }
    const QUrl ours = m_controller->httpServer();
    if (link.server.host() != ours.host() || link.server.port() != ours.port()) {
        const QString message = tr("This link is for a session on %1, but you are signed in to %2. Sign in to that server to open it.")
                                     .arg(link.server.toString(), ours.toString());
        showError(message);
        notify(QMessageBox::Information, tr("Another server"), message);
        return;
    }
    openSession(link.id);
    if (link.seq > 0)
        selectEntry(link.seq);
}

void MainWindow::showEvidenceLine(const QString &command, qint64 fromLine)
{
    if (!m_document || !m_document->command(command)) {
        showMessage(tr("That command's output is not in this record."));
        return;
    }
    // The whole range when the summary has it, else the one line.
    qint64 toLine = fromLine;
    const HandoffSummary &s = m_handoff->summary();
    for (const auto *list : {&s.ruledOut, &s.confirmed, &s.open}) {
        for (const auto &h : *list) {
            for (const auto &e : h.evidence) {
                if (e.command == command && qMax<qint64>(0, e.fromLine) == fromLine && e.toLine >= fromLine)
                    toLine = e.toLine;
            }
        }
    }
    showCommandOutput(command);
    m_output->view()->refreshNow();
    m_output->view()->selectLines(fromLine, toLine);
    m_output->view()->scrollToLine(fromLine);
}

void MainWindow::showHandoffFor(SessionDocument *doc)
{
    // Past sessions of the org get the summary too, from the server's record.
    ++m_handoffGeneration;
    if (!doc || !doc->isClosed()) {
        m_handoff->hide();
        return;
    }
    const int generation = m_handoffGeneration;
    const QString session = doc->session();
    QPointer<MainWindow> self(this);
    m_controller->readSession(session, {}, [self, generation, session](const QList<Event> &events, const QString &error) {
        if (!self || generation != self->m_handoffGeneration || self->m_snapshot)
            return;
        QList<Event> record = events;
        if (!error.isEmpty() || record.isEmpty()) {
            // Offline: what the local cache holds of it.
            const auto cached = self->m_controller->cachedEvents(session);
            if (!cached || cached->isEmpty())
                return; // the panes still show the session itself
            record = *cached;
        }
        self->m_handoff->setSummary(HandoffSummary::fromEvents(record));
        self->m_handoff->show();
    });
}

bool MainWindow::selectEntry(qint64 seq, const QString &command, const QString &find)
{
    m_pendingSeq = seq;
    m_pendingCommand = command;
    m_pendingFind = find;
    applyPendingSelection();
    return m_pendingSeq == 0 && m_pendingCommand.isEmpty();
}

void MainWindow::applyPendingSelection()
{
    if (!m_document || (m_pendingSeq <= 0 && m_pendingCommand.isEmpty()))
        return;
    TimelineModel *timeline = m_document->timeline();
    QModelIndex row;
    if (!m_pendingCommand.isEmpty()) {
        row = timeline->indexOfCommand(m_pendingCommand);
    } else if (m_document->lastSeq() >= m_pendingSeq) {
        // The entry at that seq, or the one it belongs to (output and start belong to their command).
        for (int r = 0; r < timeline->rowCount(); ++r) {
            const QModelIndex i = timeline->index(r, 0);
            if (i.data(TimelineModel::SeqRole).toLongLong() > m_pendingSeq)
                break;
            row = i;
        }
    }
    if (!row.isValid())
        return; // not there yet: tried again as events arrive
    const QString find = std::exchange(m_pendingFind, QString());
    m_pendingSeq = 0;
    m_pendingCommand.clear();
    m_timeline->setCurrentIndex(row);
    m_timeline->scrollTo(row, QAbstractItemView::PositionAtCenter);
    const QString command = row.data(TimelineModel::CommandIdRole).toString();
    if (!command.isEmpty() && !find.isEmpty()) {
        m_output->showCommand(command);
        m_output->view()->refreshNow();
        m_output->view()->scrollToLine(0);
        m_output->view()->find(find);
    }
}

QUrl MainWindow::linkToEntry(const QModelIndex &index) const
{
    QModelIndex row = index.siblingAtColumn(0);
    if (row.parent().isValid())
        row = row.parent(); // an output row: its command
    const qint64 seq = row.data(TimelineModel::SeqRole).toLongLong();
    if (!m_document || seq <= 0)
        return {};
    DeepLink link;
    link.seq = seq;
    if (m_snapshot) {
        if (m_snapshot->linkToken().isEmpty())
            return {}; // opened from a file: there is no link to point at
        link.target = DeepLink::Target::Snapshot;
        link.id = m_snapshot->linkToken();
        link.server = m_snapshot->server();
    } else {
        link.target = DeepLink::Target::Session;
        link.id = m_document->session();
        link.server = m_controller->httpServer();
    }
    return link.toUrl();
}

void MainWindow::timelineMenu(const QPoint &pos)
{
    const QModelIndex index = m_timeline->indexAt(pos);
    if (!index.isValid())
        return;
    const QUrl link = linkToEntry(index);
    QMenu menu(this);
    QAction *copy = menu.addAction(tr("Copy &link to entry"));
    copy->setEnabled(!link.isEmpty());
    if (link.isEmpty())
        copy->setToolTip(tr("A snapshot opened from a file has no link."));
    if (menu.exec(m_timeline->viewport()->mapToGlobal(pos)) == copy) {
        QGuiApplication::clipboard()->setText(link.toString(QUrl::FullyEncoded));
        showMessage(tr("Link copied: %1").arg(link.toString(QUrl::FullyEncoded)));
    }
}

void MainWindow::openSnapshotLinkDialog()
{
    bool ok = false;
    const QString link = QInputDialog::getText(this, tr("Open snapshot link"),
                                               tr("Snapshot link (https://…/s/… or casefile://…):"), QLineEdit::Normal,
                                               QGuiApplication::clipboard()->text().trimmed().left(500), &ok);
    if (ok && !link.trimmed().isEmpty())
        openLink(link.trimmed());
}

void MainWindow::openSnapshotFileDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open snapshot file"), QString(),
                                                      tr("Casefile snapshots (*.casefile);;All files (*)"));
    if (!path.isEmpty())
        openSnapshotFile(path);
}

bool MainWindow::exportSnapshot(const QString &path)
{
    if (!m_snapshot)
        return false;
    const auto format = SnapshotExporter::formatFor(path);
    QString error;
    bool ok = false;
    if (format == SnapshotExporter::Format::Pdf) {
        QProgressDialog progress(tr("Writing the PDF…"), tr("Cancel"), 0, 100, this);
        progress.setWindowTitle(tr("Export snapshot"));
        progress.setWindowModality(Qt::WindowModal);
        progress.setMinimumDuration(300);
        ok = SnapshotExporter::write(m_snapshot->bytes(), format, path, &error, [&progress](int done, int total) {
            progress.setMaximum(qMax(1, total));
            progress.setValue(done);
            QCoreApplication::processEvents(); // so Cancel is seen
            return !progress.wasCanceled();
        });
    } else {
        ok = SnapshotExporter::write(m_snapshot->bytes(), format, path, &error);
    }
    if (ok)
        showMessage(tr("Exported to %1").arg(path));
    else
        showError(error);
    return ok;
}

void MainWindow::exportSnapshotDialog()
{
    if (!m_snapshot)
        return;
    const QString signedFilter = tr("Signed snapshot (*.casefile)");
    const QString htmlFilter = tr("Web page (*.html)");
    const QString pdfFilter = tr("PDF document (*.pdf)");
    QString chosen;
    QString path = QFileDialog::getSaveFileName(this, tr("Export snapshot"), m_snapshot->title() + QStringLiteral(".casefile"),
                                                QStringList{signedFilter, htmlFilter, pdfFilter}.join(QStringLiteral(";;")), &chosen);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += chosen == pdfFilter ? QStringLiteral(".pdf") : chosen == htmlFilter ? QStringLiteral(".html") : QStringLiteral(".casefile");
    exportSnapshot(path);
}

void MainWindow::startFollowUp(const QString &endpoint, const QString &title,
                               std::function<void(const QString &, const QString &)> done)
{
    if (!m_document)
        return;
    HandoffSummary from;
    QString followUpOf;
    if (m_snapshot) {
        from = m_snapshot->handoff(m_snapshotIndex);
        followUpOf = m_snapshot->sessionId(m_snapshotIndex); // linked when the server knows it
    } else {
        // Straight from what the panes show: the hypotheses with their last notes.
        HypothesisModel *h = m_document->hypotheses();
        from.session = m_document->session();
        from.title = m_document->title();
        followUpOf = from.session;
        for (int r = 0; r < h->rowCount(); ++r) {
            const QModelIndex i = h->index(r, HypothesisModel::TextColumn);
            HandoffSummary::Hypothesis hy;
            hy.id = i.data(HypothesisModel::IdRole).toString();
            hy.text = i.data().toString();
            hy.status = i.data(HypothesisModel::StatusRole).toString();
            hy.note = i.data(HypothesisModel::NoteRole).toString();
            (hy.status == QLatin1String("ruled_out")   ? from.ruledOut
             : hy.status == QLatin1String("confirmed") ? from.confirmed
                                                       : from.open)
                .append(hy);
        }
    }
    QPointer<MainWindow> self(this);
    m_controller->openFollowUp(endpoint, title, from, followUpOf,
                               [self, done](const QString &session, const QString &error) {
                                   if (!self)
                                       return;
                                   if (!error.isEmpty())
                                       self->showError(tr("The follow-up session could not be started: %1").arg(error));
                                   if (!session.isEmpty())
                                       self->openSession(session);
                                   if (done)
                                       done(session, error);
                               });
}

void MainWindow::followUpDialog()
{
    if (!m_document) {
        showError(tr("Open a session or a snapshot first."));
        return;
    }
    // The same endpoint when it is ours; a snapshot from elsewhere lets the user pick one.
    const QString endpoint = m_snapshot ? m_snapshot->endpoint(m_snapshotIndex) : m_document->endpoint();
    const QString title = m_snapshot ? m_snapshot->sessionTitle(m_snapshotIndex) : m_document->title();
    QPointer<NewSessionDialog> dialog = new NewSessionDialog(m_controller->sessions()->endpoints(), endpoint, this);
    dialog->setWindowTitle(tr("Start follow-up session"));
    dialog->setTitle(tr("Follow-up: %1").arg(title));
    QPointer<MainWindow> self(this);
    const int result = dialog->exec();
    if (!self || !dialog)
        return;
    dialog->deleteLater();
    if (result == QDialog::Accepted)
        startFollowUp(dialog->endpoint(), dialog->title());
}

TeamSearchDialog *MainWindow::teamSearchDialog() const
{
    return m_search;
}

TeamSearchDialog *MainWindow::openTeamSearch()
{
    if (!m_search) {
        m_search = new TeamSearchDialog(m_controller, this);
        m_search->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_search, &TeamSearchDialog::hitActivated, this,
                [this](const QString &session, qint64 seq, const QString &command, const QString &word) {
                    openSession(session);
                    selectEntry(seq, command, command.isEmpty() ? QString() : word);
                });
    }
    m_search->show();
    m_search->raise();
    m_search->activateWindow();
    m_search->textEdit()->setFocus();
    return m_search;
}

} // namespace casefile
