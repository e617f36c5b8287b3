#include "ReviewSession.h"

#include "SessionController.h"

#include <QJsonArray>
#include <QThread>

namespace casefile {

namespace {
// "All occurrences" means all: decisions made for single ones of the value give way.
void clearOccurrenceDecisions(RedactionPlan &plan, const SnapshotPackage &package, const SnapshotPackage::Group &group)
{
    for (const auto &o : group.occurrences) {
        const auto &t = package.texts().at(o.text);
        plan.setOccurrenceDecision(t.id, t.findings.at(o.finding).start, RedactionPlan::Decision::Undecided);
    }
}
} // namespace

struct ReviewSession::ScanJob
{
    SnapshotPackage package;
    RedactionPlan plan;
    std::atomic_bool cancel{false};
    bool ok = false;
    QList<SnapshotPackage::Group> groups;
};

ReviewSession::ReviewSession(QObject *parent)
    : QObject(parent), m_findings(this)
{
    // A long review keeps every step; each costs only what it changed.
    m_undo.setUndoLimit(0);
}

ReviewSession::~ReviewSession()
{
    if (m_job)
        m_job->cancel = true;
    for (QThread *thread : std::as_const(m_threads)) {
        thread->wait();
        delete thread;
    }
}

void ReviewSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void ReviewSession::fail(const QString &message)
{
    m_error = message;
    setState(State::Failed);
    emit failed(message);
}

void ReviewSession::load(SessionController *controller, const QStringList &sessions)
{
    ++m_loadGeneration;
    m_toLoad = sessions;
    m_loadTotal = sessions.size();
    m_error.clear();
    setState(State::Loading);
    loadNext(controller);
}

void ReviewSession::loadNext(SessionController *controller)
{
    if (m_toLoad.isEmpty()) {
        loadDictionaries(controller);
        return;
    }
    const QString session = m_toLoad.takeFirst();
    const qint64 n = m_loadTotal - m_toLoad.size();
    const qint64 total = m_loadTotal;
    emit progress(0, 0, tr("Reading session %1 of %2…").arg(n).arg(total));
    QPointer<ReviewSession> self(this);
    QPointer<SessionController> c(controller);
    const quint64 generation = m_loadGeneration;
    controller->readSession(
        session,
        [self, generation, n, total](qint64 seq, qint64 head) {
            if (self && generation == self->m_loadGeneration)
                emit self->progress(seq, head, tr("Reading session %1 of %2…").arg(n).arg(total));
        },
        [self, c, generation](const QList<Event> &events, const QString &error) {
            if (!self || generation != self->m_loadGeneration)
                return;
            if (!error.isEmpty())
                return self->fail(tr("A session could not be read: %1").arg(error));
            if (!c)
                return self->fail(tr("The connection to the server was closed."));
            if (!events.isEmpty())
                self->addSession(events);
            self->loadNext(c);
        });
}

void ReviewSession::loadDictionaries(SessionController *controller)
{
    if (m_clientGroups.isEmpty()) {
        scan();
        return;
    }
    emit progress(0, 0, tr("Reading the client dictionary…"));
    auto pending = std::make_shared<qsizetype>(m_clientGroups.size());
    QPointer<ReviewSession> self(this);
    const quint64 generation = m_loadGeneration;
    for (const QString &group : std::as_const(m_clientGroups)) {
        controller->clientDictionary(group, [self, pending, generation](const RedactionDictionary &terms, const QString &) {
            // A server without dictionaries gives none; it applies its own when publishing.
            if (!self || generation != self->m_loadGeneration)
                return;
            self->m_dictionary.add(terms);
            if (--*pending == 0) {
                self->m_package.setDictionary(self->m_dictionary);
                self->scan();
            }
        });
    }
}

void ReviewSession::addSession(const QList<Event> &events)
{
    if (events.isEmpty())
        return;
    const QString session = events.first().session;
    for (const Event &e : events) {
        if (e.kind == EventKind::SessionOpened) {
            m_titles.insert(session, e.body.value(QStringLiteral("title")).toString());
            const QString group = e.body.value(QStringLiteral("clientGroup")).toString();
            if (!group.isEmpty() && !m_clientGroups.contains(group))
                m_clientGroups.append(group);
        } else if (e.kind == EventKind::CommandRequested) {
            m_commands.insert(e.body.value(QStringLiteral("command")).toString(),
                              e.body.value(QStringLiteral("text")).toString());
        }
    }
    m_reviewedThrough.insert(session, events.last().seq);
    m_package.addSession(events);
}

void ReviewSession::setDictionary(const RedactionDictionary &dictionary)
{
    m_dictionary = dictionary;
    m_package.setDictionary(dictionary);
}

void ReviewSession::scan()
{
    if (m_job)
        m_job->cancel = true;
    auto job = std::make_shared<ScanJob>();
    job->package = m_package; // shares the texts; the worker's findings detach only its copy
    job->plan = m_plan;
    m_job = job;
    m_error.clear();
    setState(State::Scanning);
    emit progress(0, m_package.totalCharacters(), tr("Scanning for personal data…"));
    QThread *thread = QThread::create([this, job] {
        job->ok = job->package.scan(job->plan, [this, job](qint64 done, qint64 total) {
            if (job->cancel)
                return false;
            QMetaObject::invokeMethod(
                this,
                [this, job, done, total] {
                    if (job == m_job)
                        emit progress(done, total, tr("Scanning for personal data…"));
                },
                Qt::QueuedConnection);
            return true;
        });
        if (job->ok && !job->cancel)
            job->groups = job->package.groups(); // grouping is linear too: off the window's thread
    });
    thread->setObjectName(QStringLiteral("casefile review scan"));
    m_threads.append(thread);
    connect(thread, &QThread::finished, this, [this, thread, job] {
        m_threads.removeOne(thread);
        thread->deleteLater();
        finishScan(job);
    });
    thread->start();
}

void ReviewSession::finishScan(const std::shared_ptr<ScanJob> &job)
{
    if (job != m_job)
        return; // superseded by a newer scan
    m_job.reset();
    if (!job->ok || job->cancel) {
        m_error = tr("The scan was cancelled.");
        setState(m_findings.valueCount() > 0 || m_findings.findingCount() > 0 ? State::Ready : State::Failed);
        if (m_state == State::Failed)
            emit failed(m_error);
        return;
    }
    m_package = std::move(job->package);
    m_findings.reset(std::move(job->groups));
    setState(State::Ready);
    emit scanned();
    emit planChanged();
    emit undecidedCountChanged(undecidedCount());
}

void ReviewSession::cancel()
{
    if (m_state == State::Loading) {
        ++m_loadGeneration; // answers still coming are dropped
        m_toLoad.clear();
        fail(tr("Loading was cancelled."));
    } else if (m_state == State::Scanning && m_job) {
        m_job->cancel = true;
    }
}

void ReviewSession::setPlan(const RedactionPlan &plan, const PlanChange::Values &values, bool all)
{
    const bool rescan = plan.addedTerms().size() != m_plan.addedTerms().size();
    m_plan = plan;
    if (rescan)
        scan();
    m_findings.recount(values, all);
    emit planChanged();
    emit undecidedCountChanged(undecidedCount());
}

void ReviewSession::change(const QString &text, const RedactionPlan &after, const PlanChange::Values &values, bool all)
{
    m_undo.push(new PlanChange(this, text, m_plan, after, values, all));
}

void ReviewSession::decideValue(Finding::Type type, const QString &key, RedactionPlan::Decision decision)
{
    RedactionPlan after = m_plan;
    after.setValueDecision(type, key, decision);
    const QModelIndex row = m_findings.indexOfValue(type, key);
    if (const auto *group = m_findings.group(row)) {
        clearOccurrenceDecisions(after, m_package, *group);
        const QString what = decision == RedactionPlan::Decision::Redact ? tr("Redact “%1”") : tr("Keep “%1”");
        change(what.arg(group->value.left(40)), after, {{type, key}}, false);
    }
}

void ReviewSession::decideType(Finding::Type type, RedactionPlan::Decision decision)
{
    RedactionPlan after = m_plan;
    PlanChange::Values values;
    for (int r = 0; r < m_findings.rowCount(); ++r) {
        const QModelIndex typeRow = m_findings.index(r, 0);
        if (typeRow.data(FindingsModel::FindingTypeRole).toInt() != int(type))
            continue;
        for (int v = 0; v < m_findings.rowCount(typeRow); ++v) {
            const auto *group = m_findings.group(m_findings.index(v, 0, typeRow));
            after.setValueDecision(group->type, group->key, decision);
            clearOccurrenceDecisions(after, m_package, *group);
            values.append({group->type, group->key});
        }
    }
    const QString what = decision == RedactionPlan::Decision::Redact ? tr("Redact all %1") : tr("Keep all %1");
    change(what.arg(FindingsModel::typeTitle(type)), after, values, false);
}

void ReviewSession::decideOccurrence(qsizetype text, qsizetype finding, RedactionPlan::Decision decision)
{
    const auto &t = m_package.texts().at(text);
    const Finding &f = t.findings.at(finding);
    RedactionPlan after = m_plan;
    after.setOccurrenceDecision(t.id, f.start, decision);
    const QString what = decision == RedactionPlan::Decision::Redact ? tr("Redact this “%1”") : tr("Keep this “%1”");
    change(what.arg(f.value.left(40)), after, {{f.type, f.key}}, false);
}

void ReviewSession::redactSpan(qsizetype text, qsizetype start, qsizetype length)
{
    const auto &t = m_package.texts().at(text);
    start = qBound<qsizetype>(0, start, t.text.size());
    length = qBound<qsizetype>(0, length, t.text.size() - start);
    if (length == 0)
        return;
    RedactionPlan after = m_plan;
    after.addSpan({t.id, start, length});
    // Spans decide nothing about findings, so no value is recounted.
    change(tr("Redact “%1”").arg(QStringView(t.text).mid(start, qMin<qsizetype>(length, 40)).toString()), after, {}, false);
}

void ReviewSession::redactLine(qsizetype text, qsizetype line)
{
    const auto &t = m_package.texts().at(text);
    const TextLines &l = lines(text);
    const qsizetype start = l.lineStart(line);
    const qsizetype end = l.lineEnd(t.text, line);
    if (end <= start)
        return;
    RedactionPlan after = m_plan;
    after.addSpan({t.id, start, end - start});
    change(tr("Redact line %1 of %2").arg(line + 1).arg(describeText(text)), after, {}, false);
}

void ReviewSession::setWholeTextRedacted(qsizetype text, bool redacted)
{
    const auto &t = m_package.texts().at(text);
    RedactionPlan after = m_plan;
    after.setWholeText(t.id, redacted);
    PlanChange::Values values;
    for (const Finding &f : t.findings)
        values.append({f.type, f.key});
    change(redacted ? tr("Redact all of %1").arg(describeText(text)) : tr("Show %1 again").arg(describeText(text)),
           after, values, false);
}

bool ReviewSession::addTerm(const QString &term, Finding::Type type)
{
    const QString trimmed = term.trimmed();
    RedactionPlan after = m_plan;
    after.addTerm(trimmed, type);
    if (after.addedTerms().size() == m_plan.addedTerms().size())
        return false; // too short, or already there
    change(tr("Add “%1” to the client dictionary").arg(trimmed.left(40)), after, {}, true);
    return true;
}

RedactionPlan::Decision ReviewSession::decisionOf(qsizetype text, qsizetype finding) const
{
    const auto &t = m_package.texts().at(text);
    if (!m_plan.wholeTexts().isEmpty() && m_plan.isWholeText(t.id))
        return RedactionPlan::Decision::Redact;
    return m_package.decisionFor(text, t.findings.at(finding), m_plan);
}

QString ReviewSession::describeText(qsizetype text) const
{
    const auto &t = m_package.texts().at(text);
    QString what;
    switch (t.kind) {
    case EventKind::CommandOutput: {
        QString command = m_commands.value(t.command).section(QLatin1Char('\n'), 0, 0).simplified();
        if (command.size() > 40)
            command = command.left(39) + QChar(0x2026);
        what = t.stream == QLatin1String("stderr") ? tr("errors of %1").arg(command) : tr("output of %1").arg(command);
        break;
    }
    case EventKind::CommandRequested: what = tr("command"); break;
    case EventKind::ChatMessage: what = tr("chat"); break;
    case EventKind::NoteAdded: what = tr("note"); break;
    case EventKind::HypothesisAdded:
    case EventKind::HypothesisUpdated: what = tr("hypothesis"); break;
    case EventKind::ContextCaptured: what = tr("machine context (%1)").arg(t.field); break;
    case EventKind::SessionOpened: what = tr("session %1").arg(t.field); break;
    case EventKind::SessionClosed: what = tr("closing summary"); break;
    case EventKind::ApprovalRequested:
    case EventKind::ApprovalDecided: what = tr("approval"); break;
    default: what = t.field; break;
    }
    if (m_titles.size() > 1)
        return tr("%1: %2").arg(m_titles.value(t.session, t.session.left(8)), what);
    return what;
}

const TextLines &ReviewSession::lines(qsizetype text) const
{
    auto it = m_lines.find(text);
    if (it == m_lines.end())
        it = m_lines.insert(text, TextLines(m_package.texts().at(text).text));
    return *it;
}

QString ReviewSession::redactedText(qsizetype text) const
{
    Pseudonymizer names = m_package.placeholders(m_plan);
    return m_package.redactedText(text, m_plan, names);
}

QList<qsizetype> ReviewSession::textsWithFindings() const
{
    QList<qsizetype> out;
    for (qsizetype i = 0; i < m_package.texts().size(); ++i) {
        if (!m_package.texts().at(i).findings.isEmpty())
            out.append(i);
    }
    return out;
}

QJsonObject ReviewSession::publishParams(const QString &title, const QString &summary, int expiresInDays,
                                         const QString &audience) const
{
    // What was reviewed, and nothing the sessions got since: an open session may have more by
    // now, which nobody has looked at for what it gives away.
    QJsonObject through;
    for (auto it = m_reviewedThrough.cbegin(); it != m_reviewedThrough.cend(); ++it)
        through.insert(it.key(), it.value());
    return {{QStringLiteral("sessions"), QJsonArray::fromStringList(sessionIds())},
            {QStringLiteral("through"), through},
            {QStringLiteral("plan"), m_plan.toJson()},
            {QStringLiteral("title"), title},
            {QStringLiteral("summary"), summary},
            {QStringLiteral("expiresInDays"), expiresInDays},
            {QStringLiteral("audience"), audience}};
}

void ReviewSession::publish(SessionController *controller, const QString &title, const QString &summary,
                            int expiresInDays, const QString &audience)
{
    QPointer<ReviewSession> self(this);
    QPointer<SessionController> c(controller);
    const RedactionDictionary added = m_plan.addedTerms();
    const QStringList groups = m_clientGroups;
    controller->publish(publishParams(title, summary, expiresInDays, audience),
                        [self, c, added, groups](const QJsonObject &result, const QString &code, const QString &message) {
                            if (!self)
                                return;
                            if (!code.isEmpty()) {
                                emit self->publishFailed(code, message);
                                return;
                            }
                            // The reviewer's terms serve the next package of these clients too.
                            if (c && !added.isEmpty()) {
                                for (const QString &group : groups)
                                    c->addDictionaryTerms(group, added, [](const QString &) {});
                            }
                            emit self->published(result);
                        });
}

} // namespace casefile
