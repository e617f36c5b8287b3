#include "Agent.h"

#include "ProcessSession.h"

#include "CommandRunner.h"
#include "SystemContext.h"
#include "events/EventCodec.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/CommandRequestedBody.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QLockFile>
#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>
#include <utility>

Q_LOGGING_CATEGORY(lcAgent, "casefile.agent")

namespace casefile {

Agent::Agent(const Config &config, ConsentPrompt *prompt, QObject *parent)
    : QObject(parent), m_config(config), m_prompt(prompt)
{
    m_prompt->setParent(this);
    m_writeRetry.setSingleShot(true);
    m_writeRetry.setInterval(1000);
    connect(&m_writeRetry, &QTimer::timeout, this, &Agent::retryWrites);
    connect(m_prompt, &ConsentPrompt::decided, this, &Agent::onDecided);
    connect(&m_sync, &SyncClient::welcomed, this, &Agent::onWelcomed);
    m_listRetry.setSingleShot(true);
    connect(&m_listRetry, &QTimer::timeout, this, [this] {
        if (m_sync.state() == SyncClient::State::Online)
            listLiveSessions(0);
    });
    m_refollowRetry.setSingleShot(true);
    connect(&m_refollowRetry, &QTimer::timeout, this, [this] {
        if (m_sync.state() != SyncClient::State::Online)
            return; // the welcome lists the live sessions again
        const QSet<QString> sessions = std::exchange(m_refollow, {});
        for (const QString &session : sessions) {
            m_refollowing.insert(session);
            follow(session);
        }
    });
    connect(&m_sync, &SyncClient::subscribed, this,
            [this](const QString &session, qint64, const QString &closedAt) {
                // Every session refused before is followed now: the next refusal starts from
                // the shortest delay again, not from where a long-gone one left it.
                if (m_refollowing.remove(session) && m_refollowing.isEmpty() &&
                    m_refollow.isEmpty())
                    m_refollowBackoff.reset();
                // Closed since the list (or while the connection was down): none of its
                // requests is acted on, however many parts its replay comes in, and nothing is
                // recorded (the server would refuse it).
                if (!closedAt.isEmpty())
                    onClosed(session);
                else if (m_followed.contains(session))
                    captureContext(session);
            });
    connect(&m_sync, &SyncClient::subscribeFailed, this, &Agent::onSubscribeFailed);
    connect(&m_sync, &SyncClient::eventsReceived, this, &Agent::onEvents);
    connect(&m_sync, &SyncClient::pushReceived, this, &Agent::onPush);
    connect(&m_sync, &SyncClient::stateChanged, this, [this](SyncClient::State state) {
        emit connectedChanged(state == SyncClient::State::Online);
    });
    connect(&m_sync, &SyncClient::fatalError, this, [this](const QString &code, const QString &message) {
        emit fatal(tr("the server refused this agent (%1): %2").arg(code, message));
    });
    connect(&m_sync, &SyncClient::acknowledged, this, &Agent::onAcknowledged);
    connect(&m_sync, &SyncClient::appendRefused, this, &Agent::onRefused);
}

void Agent::onAcknowledged(const QList<AppendAck> &acks)
{
    if (m_approvals.isEmpty())
        return;
    for (const AppendAck &ack : acks) {
        const QString command = m_approvals.take(ack.id);
        if (!command.isEmpty() && m_waiting.contains(command))
            run(m_waiting.value(command).session, command);
    }
}

void Agent::onRefused(const QStringList &ids, const QString &code, const QString &message)
{
    qCWarning(lcAgent) << "server refused" << ids.size() << "events:" << code << message;
    for (const QString &id : ids) {
        const QString command = m_approvals.take(id);
        if (command.isEmpty() || !m_waiting.contains(command))
            continue;
        const QString session = m_waiting.take(command).session;
        qCWarning(lcAgent)
            << "command" << command
            << "was approved, but the approval is not on the record; it will not run";
        finishWithoutRunning(
            session, command, QStringLiteral("failed"),
            tr("not run: the server refused the record of its approval (%1)").arg(code));
    }
}

Agent::~Agent()
{
    // Whatever still runs is killed by its runner; its end is recorded by the next start.
    queueRecorded();
}

bool Agent::start(QString *error)
{
    if (!QDir().mkpath(m_config.stateDir)) {
        *error = tr("cannot create %1").arg(m_config.stateDir);
        return false;
    }
    const QDir state(m_config.stateDir);
    // One agent per state directory: a second would take the first one's running commands for
    // leftovers of a crash, record them as failed and stop them, and share its outbox.
    m_lock = std::make_unique<QLockFile>(state.filePath(QStringLiteral("agent.lock")));
    m_lock->setStaleLockTime(0); // stale only when its process is gone, however long it ran
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, application;
        m_lock->getLockInfo(&pid, &host, &application);
        *error =
            m_lock->error() == QLockFile::LockFailedError
                ? tr("another casefile-agent (pid %1) is using %2").arg(pid).arg(m_config.stateDir)
                : tr("cannot lock %1").arg(state.filePath(QStringLiteral("agent.lock")));
        return false;
    }
    if (!m_journal.open(state.filePath(QStringLiteral("agent.db")))) {
        *error = m_journal.errorString();
        return false;
    }
    // The endpoint owner's policy: --policy, else one in the state directory, else the
    // built-in default. A broken policy is not fatal, but then nothing runs at all.
    QString policyPath = m_config.policyPath;
    if (policyPath.isEmpty() && QFile::exists(state.filePath(QStringLiteral("consent-policy.json"))))
        policyPath = state.filePath(QStringLiteral("consent-policy.json"));
    if (policyPath.isEmpty())
        policyPath = QStringLiteral(":/casefile-agent/consent-policy.json");
    // A file named with --policy that is not there is a mistake, not "no policy".
    m_policy = ConsentPolicy::fromFile(policyPath, !m_config.policyPath.isEmpty());
    if (!m_policy.isValid())
        qCWarning(lcAgent) << "consent policy is invalid; no command will run:" << m_policy.errorString();

    m_sync.setServer(m_config.server);
    m_sync.setToken(m_config.token);
    m_sync.setClientName(QStringLiteral("casefile-agent/" CASEFILE_VERSION));
    m_sync.setOutboxPath(state.filePath(QStringLiteral("outbox.db")));

    // Commands cut off by an earlier crash or kill: say so in their records, never rerun them,
    // and stop whatever of them still runs: the record must not say "stopped" of a command that
    // goes on changing the machine.
    const auto unfinished = m_journal.unfinishedCommands();
    for (const auto &[session, command] : unfinished) {
        const auto leader = m_journal.processOf(command);
        const int killed = leader ? ProcessSession::killLeftovers(*leader) : 0;
        if (killed > 0)
            qCWarning(lcAgent) << "stopped" << killed << "processes left running by command"
                               << command;
        finishWithoutRunning(
            session, command, QStringLiteral("failed"),
            killed > 0 ? tr("the agent stopped while this command was running; "
                            "%n of its processes still running were stopped when "
                            "the agent started again",
                            nullptr, killed)
                       : tr("the agent stopped while this command was pending or running"));
    }
    m_sync.start();
    return true;
}

Event Agent::draft(const QString &session, EventKind kind, const QJsonObject &body) const
{
    Event e = Event::makeDraft(session, kind, Actor{QStringLiteral("endpoint"), m_config.endpoint});
    e.body = body;
    return e;
}

QString Agent::record(const QString &session, EventKind kind, const QJsonObject &body)
{
    return recordDraft(draft(session, kind, body), {});
}

void Agent::recordOutput(const QString &session, const QString &command, const QString &stream,
                         qint64 chunk, const QByteArray &data)
{
    // The body stays empty: the document is all the outbox needs, and a chunk of output taken
    // through QString and QJsonObject on its way there cost a fifth of the agent's work.
    const Event e = draft(session, EventKind::CommandOutput);
    recordDraft(e, EventCodec::encodeEnvelope(
                       e, CommandOutputBody::canonical(command, stream, chunk, data), false));
}

QString Agent::recordDraft(const Event &e, const QByteArray &doc)
{
    m_unqueued.append(e);
    m_unqueuedDocs.append(doc);
    m_unqueuedBytes += doc.size();
    // Everything recorded meanwhile goes into the outbox in one durable transaction, at most
    // one every queueIntervalMs: a fast command's output costs one fsync per batch, not one per
    // chunk or per read of its pipe (the agent waited a quarter of a stream on them).
    if (m_unqueued.size() == 1) {
        const qint64 since = m_sinceQueued.isValid() ? m_sinceQueued.elapsed() : queueIntervalMs;
        QTimer::singleShot(int(std::max<qint64>(0, queueIntervalMs - since)), this,
                           &Agent::queueRecorded);
    } else if (m_holding)
        holdRunners(m_unqueuedBytes > m_config.maxHeldBytes);
    return e.id;
}

bool Agent::queueRecorded()
{
    // In pieces: after a full disk the backlog goes as soon as there is room for part of it,
    // and a piece the outbox will never take is gone through event by event.
    m_sinceQueued.start();
    constexpr qsizetype pieceEvents = 64;
    qsizetype done = 0;
    bool stuck = false;
    const auto queued = [this, &done] {
        m_unqueuedBytes -= m_unqueuedDocs.at(done).size();
        const Event &e = m_unqueued.at(done++);
        if (const auto it = m_finishAfterQueued.find(e.id); it != m_finishAfterQueued.end()) {
            markFinished(it.value());
            m_finishAfterQueued.erase(it);
        } else if (const auto c = m_contextAfterQueued.find(e.id);
                   c != m_contextAfterQueued.end()) {
            // Not noted: the next start captures it again; its id keeps that one off the record.
            if (!m_journal.markContextSent(c.value()))
                qCWarning(lcAgent) << "cannot note in the journal that the context of session"
                                   << c.value() << "was sent:" << m_journal.errorString();
            m_contextAfterQueued.erase(c);
        }
    };
    while (done < m_unqueued.size() && !stuck) {
        const QList<Event> piece = m_unqueued.mid(done, pieceEvents);
        const QList<QByteArray> docs = m_unqueuedDocs.mid(done, pieceEvents);
        if (m_sync.append(piece, docs)) {
            for (qsizetype i = 0; i < piece.size(); ++i)
                queued();
            continue;
        }
        stuck = m_sync.appendFailedInStorage();
        for (qsizetype i = 0; i < piece.size() && !stuck; ++i) {
            if (!m_sync.append({piece.at(i)}, {docs.at(i)})) {
                stuck = m_sync.appendFailedInStorage();
                if (stuck)
                    break;
                // Never to be taken (too large for a message): say so and go on with the rest.
                qCWarning(lcAgent)
                    << "cannot queue event" << piece.at(i).id << "of kind"
                    << eventKindName(piece.at(i).kind) << ":" << m_sync.errorString();
            }
            queued();
        }
    }
    m_unqueued.remove(0, done);
    m_unqueuedDocs.remove(0, done);
    if (stuck) {
        // A full disk: keep the rest, in order (what is recorded meanwhile goes behind it),
        // and try again, so the output of a command running now is not lost.
        if (!m_holding)
            qCWarning(lcAgent) << "cannot write the outbox; keeping" << m_unqueued.size()
                               << "events in memory and trying again every second:"
                               << m_sync.errorString();
        m_holding = true;
        scheduleWriteRetry();
        holdRunners(m_unqueuedBytes > m_config.maxHeldBytes);
        return false;
    }
    if (m_holding)
        qCInfo(lcAgent) << "the outbox takes events again";
    m_holding = false;
    m_unqueuedBytes = 0;
    holdRunners(false);
    return true;
}

void Agent::holdRunners(bool hold)
{
    if (hold == m_runnersHeld && !hold)
        return;
    if (hold && !m_runnersHeld)
        qCWarning(lcAgent) << "pausing" << m_running.size() << "running command(s): more than"
                           << m_config.maxHeldBytes / (1024 * 1024)
                           << "MiB of output wait for room in the outbox";
    else if (!hold && !m_running.isEmpty())
        qCInfo(lcAgent) << "resuming the running commands";
    m_runnersHeld = hold;
    // Every time while held: a command started since is paused too.
    for (const Running &running : std::as_const(m_running)) {
        if (running.runner)
            running.runner->setPaused(hold);
    }
}

void Agent::retryWrites()
{
    queueRecorded();
    // Requests the journal could not claim: claimed (and run) in order once it can.
    while (!m_unclaimed.isEmpty() && claimAndHandle(m_unclaimed.constFirst()))
        m_unclaimed.removeFirst();
    m_unfinished.removeIf(
        [this](const QString &command) { return m_journal.finishCommand(command); });
    if (!m_unclaimed.isEmpty() || !m_unfinished.isEmpty())
        scheduleWriteRetry();
}

void Agent::scheduleWriteRetry()
{
    // Not restarted: failures less than a second apart must not keep pushing the retry back.
    if (!m_writeRetry.isActive())
        m_writeRetry.start();
}

void Agent::markFinished(const QString &command)
{
    if (m_journal.finishCommand(command))
        return;
    // Kept and tried again: left unfinished, the next start would record a second end.
    if (!m_unfinished.contains(command)) {
        qCWarning(lcAgent) << "cannot mark command" << command
                           << "finished in the journal; trying again every second:"
                           << m_journal.errorString();
        m_unfinished.append(command);
    }
    scheduleWriteRetry();
}

void Agent::recordEnd(const QString &session, const QString &command, const QJsonObject &body)
{
    // A crash before the journal says "finished" makes the next start record an end again: with
    // the same id, the outbox keeps only the first (if still queued) and the server refuses the
    // second as a conflict (if it has the first), so the record never shows two ends.
    Event e = draft(session, EventKind::CommandFinished, body);
    e.id =
        Event::derivedId(m_journal.idNamespace(), session + u'/' + command + u"/command.finished");
    recordDraft(e, {});
    // The record of the end is durable before the journal says "finished".
    if (queueRecorded())
        markFinished(command);
    else
        m_finishAfterQueued.insert(e.id, command);
}

void Agent::finishWithoutRunning(const QString &session, const QString &command, const QString &status,
                                 const QString &error)
{
    recordEnd(session, command,
              {{QStringLiteral("command"), command},
               {QStringLiteral("status"), status},
               {QStringLiteral("durationMs"), 0},
               {QStringLiteral("error"), error}});
}

void Agent::onWelcomed()
{
    qCInfo(lcAgent) << "connected to" << m_sync.server().toString();
    m_listRetry.stop();
    m_listBackoff.reset();
    // The list follows every live session again, those refused before included.
    m_refollow.clear();
    m_refollowing.clear();
    m_refollowRetry.stop();
    m_refollowBackoff.reset();
    listLiveSessions(0);
}

void Agent::listLiveSessions(int offset)
{
    // Page by page, the pages overlapping: a session closed meanwhile moves the older ones up
    // the list, and none of them may fall between two pages. Following one twice is a no-op.
    constexpr int page = 1000; // the most the server gives at once
    constexpr int overlap = 100;
    m_sync.request(
        QStringLiteral("sessions"),
        {{QStringLiteral("live"), true},
         {QStringLiteral("limit"), page},
         {QStringLiteral("offset"), offset}},
        [this, offset](const QJsonObject &result, const QString &code, const QString &message) {
            if (!code.isEmpty()) {
                // Asked again while the connection lasts: otherwise the sessions opened while
                // the agent was away would wait for its next reconnect (a dropped connection
                // asks again on its welcome anyway).
                qCWarning(lcAgent) << "cannot list sessions:" << code << message;
                if (m_sync.state() == SyncClient::State::Online)
                    m_listRetry.start(m_listBackoff.next());
                return;
            }
            m_listBackoff.reset();
            const QJsonArray sessions = result.value(QStringLiteral("sessions")).toArray();
            for (const QJsonValue &s : sessions)
                follow(s.toObject().value(QStringLiteral("id")).toString());
            if (sessions.size() >= page)
                listLiveSessions(offset + page - overlap);
        });
}

void Agent::follow(const QString &session)
{
    if (session.isEmpty() || m_followed.contains(session))
        return;
    m_followed.insert(session);
    // What the agent acts on; its own output is not sent back to it.
    // The machine's context is recorded once the subscription says the session is live.
    m_sync.subscribe(session, 0, {EventKind::CommandRequested, EventKind::SessionClosed});
}

void Agent::captureContext(const QString &session)
{
    // One context per session from this endpoint: like a command's end, its id is derived, so
    // a second capture after a crash is kept out by the outbox or refused by the server. The
    // journal notes it as sent once it is in the outbox, so a crash before that captures it
    // again instead of never.
    const QString id = Event::derivedId(m_journal.idNamespace(), session + u"/context.captured");
    if (m_contextAfterQueued.contains(id) || m_journal.contextSent(session))
        return;
    Event e = draft(session, EventKind::ContextCaptured, SystemContext().capture().toJson());
    e.id = id;
    m_contextAfterQueued.insert(recordDraft(e, {}), session);
}

void Agent::onSubscribeFailed(const QString &session, const QString &code, const QString &message)
{
    // SyncClient has forgotten the subscription; kept in m_followed, the session would never be
    // followed again (not by the next list, not by a push about it) until the agent restarts.
    // The backoff is not reset by other sessions' success, only once every refused one is
    // followed: one session refused for good is asked about at most every 30 s.
    m_followed.remove(session);
    m_refollowing.remove(session);
    m_refollow.insert(session);
    // Sessions refused together are asked for together, one backoff step for all of them.
    // (The delay logged is the one the retry was set to, not the coarse timer's remaining
    // time, which may read a few ms more.)
    if (!m_refollowRetry.isActive())
        m_refollowRetry.start(m_refollowBackoff.next());
    qCWarning(lcAgent) << "the server refused to let this agent follow session" << session << "("
                       << code << message << "); trying again with the retry set to"
                       << m_refollowRetry.interval() << "ms";
}

void Agent::onPush(const QString &type, const QJsonObject &message)
{
    if (type == QLatin1String("session")) {
        const QJsonObject s = message.value(QStringLiteral("session")).toObject();
        if (s.value(QStringLiteral("closedAt")).toString().isEmpty())
            follow(s.value(QStringLiteral("id")).toString());
        return;
    }
    if (type == QLatin1String("cancel")) {
        const QString command = message.value(QStringLiteral("command")).toString();
        // The server checked that the technician may see the session the cancel names, not
        // that the command belongs to it: a command of another session is not theirs to stop.
        const QString session = message.value(QStringLiteral("session")).toString();
        const auto waiting = m_waiting.constFind(command);
        const auto running = m_running.constFind(command);
        const auto unclaimed =
            std::find_if(m_unclaimed.cbegin(), m_unclaimed.cend(), [&command](const Event &e) {
                return e.bodyAs<CommandRequestedBody>().command == command;
            });
        const QString owner = waiting != m_waiting.cend()       ? waiting->session
                              : running != m_running.cend()     ? running->session
                              : unclaimed != m_unclaimed.cend() ? unclaimed->session
                                                                : QString();
        if (!owner.isEmpty() && owner != session) {
            qCWarning(lcAgent) << "ignoring a cancel of command" << command << "that names session"
                               << session << "instead of its own," << owner;
            return;
        }
        if (waiting != m_waiting.cend()) {
            const Pending pending = m_waiting.take(command);
            m_prompt->withdraw(command);
            finishWithoutRunning(pending.session, command, QStringLiteral("cancelled"),
                                 tr("cancelled by the technician before it started"));
        } else if (running != m_running.cend() && running->runner) {
            running->runner->cancel();
        } else if (unclaimed != m_unclaimed.cend()) {
            // Received but not claimed yet (a full disk): it is claimed when the journal can
            // write, and then ends as cancelled instead of running.
            qCInfo(lcAgent) << "command" << command << "is cancelled; it will not run";
            m_cancelledUnclaimed.insert(command);
        }
    }
}

void Agent::onEvents(const QString &session, const QList<Event> &events)
{
    // A replay that ends with the close (from a server that does not say so when subscribing):
    // its requests are not acted on at all.
    const bool closed = std::any_of(events.cbegin(), events.cend(), [](const Event &e) {
        return e.kind == EventKind::SessionClosed;
    });
    if (closed) {
        onClosed(session);
        return;
    }
    for (const Event &e : events) {
        if (e.kind == EventKind::CommandRequested)
            onRequested(e);
    }
}

void Agent::onClosed(const QString &session)
{
    m_sync.unsubscribe(session);
    m_followed.remove(session);
    m_refollowing.remove(session);
    // Nothing more can be recorded in a closed session, so nothing more happens for it: a
    // consent given now would be a change whose consent is on no record, output would be
    // refused. Questions are withdrawn, waiting requests dropped, running commands stopped.
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        if (it->session != session) {
            ++it;
            continue;
        }
        const QString command = it.key();
        it = m_waiting.erase(it);
        qCInfo(lcAgent) << "session" << session << "is closed; command" << command
                        << "is withdrawn and will not run";
        m_prompt->withdraw(command);
        markFinished(command); // claimed: the next start must not record an end for it
    }
    m_unclaimed.removeIf([&](const Event &e) {
        if (e.session != session)
            return false;
        const QString command = e.bodyAs<CommandRequestedBody>().command;
        qCInfo(lcAgent) << "session" << session << "is closed; command" << command
                        << "will not run";
        m_cancelledUnclaimed.remove(command);
        return true;
    });
    for (auto it = m_running.cbegin(); it != m_running.cend(); ++it) {
        if (it->runner && it->session == session) {
            qCInfo(lcAgent) << "session" << session << "is closed; stopping command" << it.key();
            it->runner->cancel();
        }
    }
}

void Agent::onRequested(const Event &event)
{
    // Behind any request the journal could not claim yet, so commands start in the order they
    // were asked for.
    if (m_unclaimed.isEmpty()) {
        if (claimAndHandle(event))
            return;
        // Nothing runs unless the journal can say so, or a restart could run it again.
        qCWarning(lcAgent) << "cannot claim command" << event.bodyAs<CommandRequestedBody>().command
                           << "in the journal; trying again every second:"
                           << m_journal.errorString();
    } else if (std::any_of(m_unclaimed.cbegin(), m_unclaimed.cend(),
                           [&event](const Event &e) { return e.id == event.id; })) {
        return; // waits already
    }
    m_unclaimed.append(event);
    scheduleWriteRetry();
}

bool Agent::claimAndHandle(const Event &event)
{
    const auto body = event.bodyAs<CommandRequestedBody>();
    switch (m_journal.claimCommand(event.session, body.command)) {
    case AgentJournal::Claim::Failed:
        return false;
    case AgentJournal::Claim::Seen:
        return true; // handled before (a replay after reconnect or restart)
    case AgentJournal::Claim::Claimed:
        break;
    }
    if (m_cancelledUnclaimed.remove(body.command)) {
        finishWithoutRunning(event.session, body.command, QStringLiteral("cancelled"),
                             tr("cancelled by the technician before it started"));
        return true;
    }
    if (!m_policy.isValid()) {
        finishWithoutRunning(event.session, body.command, QStringLiteral("failed"),
                             tr("the endpoint's consent policy is invalid, so nothing runs: %1").arg(m_policy.errorString()));
        return true;
    }
    m_waiting.insert(body.command, {event.session, body.shell, body.text, body.timeoutMs});
    if (!m_policy.requiresConsent(body.change, body.text)) {
        run(event.session, body.command);
        return true;
    }
    const QString why = body.change ? tr("The technician marked it as a change to this computer.")
                                    : tr("This computer's policy asks for your approval of commands like it.");
    const QString prompt = ConsentPrompt::question(body.text, body.shell, why);
    const Event asked =
        draft(event.session, EventKind::ApprovalRequested,
              {{QStringLiteral("command"), body.command}, {QStringLiteral("prompt"), prompt}});
    // Nobody is asked what cannot go on the record: a consent given then would be to a question
    // the record does not hold (a command within a few hundred bytes of the largest message).
    QByteArray askedDoc;
    if (const QString why = SyncClient::unsendable(asked, &askedDoc); !why.isEmpty()) {
        qCWarning(lcAgent) << "command" << body.command << "is not asked about:" << why;
        m_waiting.remove(body.command);
        finishWithoutRunning(event.session, body.command, QStringLiteral("failed"),
                             tr("not run: its consent question cannot be recorded (%1)").arg(why));
        return true;
    }
    recordDraft(asked, askedDoc); // encoded and checked once, above
    m_prompt->ask(body.command, prompt, m_config.consentTimeoutMs);
    return true;
}

void Agent::onDecided(const QString &command, const QString &decision, const QString &decidedBy,
                      const QString &decidedAt)
{
    if (!m_waiting.contains(command))
        return;
    const QString session = m_waiting.value(command).session;
    const QString decidedId = record(session, EventKind::ApprovalDecided,
                                     {{QStringLiteral("command"), command},
                                      {QStringLiteral("decision"), decision},
                                      {QStringLiteral("decidedBy"), decidedBy},
                                      {QStringLiteral("decidedAt"), decidedAt}});
    if (decision == QLatin1String("approved")) {
        // The change runs once its consent is on the server's record, not only in the outbox:
        // a session closed meanwhile refuses the record, and then nothing runs.
        m_approvals.insert(decidedId, command);
        return;
    }
    m_waiting.remove(command);
    finishWithoutRunning(session, command, QStringLiteral("denied"),
                         decision == QLatin1String("timed_out")
                             ? tr("not run: nobody answered the consent prompt in time")
                             : tr("not run: the end user denied it"));
}

void Agent::run(const QString &session, const QString &command)
{
    const Pending pending = m_waiting.take(command);
    auto *runner = new CommandRunner(this);
    m_running.insert(command, {runner, session});
    connect(runner, &CommandRunner::started, this,
            [this, session, command, runner](qint64 pid, const QString &user) {
                if (const auto leader = ProcessSession::leaderOf(pid);
                    !leader || !m_journal.noteProcess(command, *leader))
                    qCWarning(lcAgent) << "cannot note the processes of command" << command
                                       << "; a crash of the agent could leave them running";
                record(session, EventKind::CommandStarted,
                       {{QStringLiteral("command"), command},
                        {QStringLiteral("pid"), pid},
                        {QStringLiteral("user"), user},
                        {QStringLiteral("cwd"), runner->workingDirectory()}});
            });
    connect(runner, &CommandRunner::output, this,
            [this, session, command](const QString &stream, qint64 chunk, const QByteArray &data) {
                recordOutput(session, command, stream, chunk, data);
            });
    connect(runner, &CommandRunner::finished, this,
            [this, session, command, runner](const QString &status, std::optional<int> exitCode,
                                             qint64 durationMs, const QString &error) {
                QJsonObject body{{QStringLiteral("command"), command},
                                 {QStringLiteral("status"), status},
                                 {QStringLiteral("durationMs"), durationMs}};
                if (exitCode)
                    body.insert(QStringLiteral("exitCode"), *exitCode);
                if (!error.isEmpty())
                    body.insert(QStringLiteral("error"), error);
                recordEnd(session, command, body);
                m_running.remove(command);
                runner->deleteLater();
            });
    runner->start(command, pending.shell, pending.text, pending.timeoutMs);
}

} // namespace casefile
