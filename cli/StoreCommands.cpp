#include "StoreCommands.h"

#include "EventFormatter.h"

#include "events/ChainVerifier.h"
#include "events/EventCodec.h"
#include "store/EventStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <unistd.h>

namespace casefile {

namespace {

enum ExitCode { Ok = 0, Failed = 1, Usage = 2 };

const QString kStoreFile = QStringLiteral("casefile.db");

QString json(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// The store lives in DIR/casefile.db, the same layout casefiled uses for --data DIR.
bool openStore(EventStore &store, const QCommandLineParser &parser, QTextStream &err, bool readOnly)
{
    const QString dir = parser.value(QStringLiteral("data"));
    if (!readOnly && !QDir().mkpath(dir)) {
        err << QCoreApplication::translate("StoreCommands", "cannot create %1").arg(dir) << Qt::endl;
        return false;
    }
    StoreOptions options;
    options.readOnly = readOnly;
    if (!store.open(QDir(dir).filePath(kStoreFile), options)) {
        err << store.errorString() << Qt::endl;
        return false;
    }
    return true;
}

void addCommon(QCommandLineParser &parser)
{
    parser.addHelpOption();
    parser.addOption({QStringLiteral("data"),
                      QCoreApplication::translate("StoreCommands", "Data directory holding casefile.db."),
                      QStringLiteral("dir"), StoreCommands::defaultDataDir()});
    parser.addOption({QStringLiteral("json"),
                      QCoreApplication::translate("StoreCommands", "One JSON document per line.")});
}

} // namespace

StoreCommands::StoreCommands(QTextStream &out, QTextStream &err) : m_out(out), m_err(err) {}

QString StoreCommands::defaultDataDir()
{
    const QString fromEnv = qEnvironmentVariable("CASEFILE_DATA");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/casefile");
}

int StoreCommands::usage(const QString &problem)
{
    if (!problem.isEmpty())
        m_err << problem << Qt::endl;
    m_err << QCoreApplication::translate(
                 "StoreCommands",
                 "usage: casefile-cli store COMMAND [--data DIR] [--json]\n"
                 "  import FILE.jsonl           append events (one JSON event per line) to the store\n"
                 "  sessions [--org ID] [--tag TAG] [--text TEXT] [--live]\n"
                 "  events --session ID [--after SEQ] [--limit N]\n"
                 "  search QUERY [--org ID] [--session ID] [--limit N]\n"
                 "  verify [--session ID]       check hash chains (every session by default)\n")
          << Qt::flush;
    return Usage;
}

int StoreCommands::run(const QStringList &args)
{
    // Options may come before the command ("store --data DIR sessions"): find the command.
    static const QStringList commands = {QStringLiteral("import"), QStringLiteral("sessions"),
                                         QStringLiteral("events"), QStringLiteral("search"),
                                         QStringLiteral("verify"), QStringLiteral("help")};
    QStringList ordered = args;
    for (qsizetype i = 0; i < ordered.size(); ++i) {
        if (commands.contains(ordered.at(i))) {
            ordered.move(i, 0);
            break;
        }
    }
    return dispatch(ordered);
}

int StoreCommands::dispatch(const QStringList &args)
{
    if (args.isEmpty())
        return usage();
    const QString command = args.first();
    if (command == QLatin1String("import"))
        return importEvents(args);
    if (command == QLatin1String("sessions"))
        return sessions(args);
    if (command == QLatin1String("events"))
        return events(args);
    if (command == QLatin1String("search"))
        return search(args);
    if (command == QLatin1String("verify"))
        return verify(args);
    if (command == QLatin1String("help") || command == QLatin1String("--help"))
        return usage();
    return usage(QCoreApplication::translate("StoreCommands", "unknown command '%1'").arg(command));
}

int StoreCommands::importEvents(const QStringList &args)
{
    QCommandLineParser parser;
    addCommon(parser);
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("JSON lines"));
    if (!parser.parse(args) || parser.positionalArguments().size() != 1)
        return usage(parser.errorText());
    QFile file(parser.positionalArguments().first());
    if (!file.open(QIODevice::ReadOnly)) {
        m_err << QCoreApplication::translate("StoreCommands", "cannot read %1: %2").arg(file.fileName(), file.errorString()) << Qt::endl;
        return Failed;
    }
    // Decode everything first: a bad line names its line number and nothing is stored.
    QList<Event> drafts;
    int lineNumber = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        const auto decoded = EventCodec::decode(line, EventCodec::Mode::Draft);
        if (!decoded.ok()) {
            m_err << QCoreApplication::translate("StoreCommands", "%1:%2: %3")
                         .arg(file.fileName())
                         .arg(lineNumber)
                         .arg(decoded.error.toString())
                  << Qt::endl;
            return Failed;
        }
        drafts.append(decoded.event);
    }
    // A sealed record is imported only if its chains verify: the store re-seals what it
    // stores, and must not launder a tampered record into a valid-looking one.
    QHash<QString, ChainVerifier> verifiers;
    for (const Event &e : std::as_const(drafts)) {
        if (e.hash.isEmpty())
            continue;
        auto it = verifiers.find(e.session);
        if (it == verifiers.end())
            it = verifiers.insert(e.session, ChainVerifier(e.session));
        if (!it->add(e)) {
            m_err << QCoreApplication::translate("StoreCommands", "%1: session %2: %3; nothing imported")
                         .arg(file.fileName(), e.session, it->report().toString())
                  << Qt::endl;
            return Failed;
        }
    }
    EventStore store;
    if (!openStore(store, parser, m_err, false))
        return Failed;
    const AppendResult result = store.append(drafts);
    if (!result.ok) {
        m_err << result.error << Qt::endl;
        return Failed;
    }
    const int duplicates = static_cast<int>(std::count(result.duplicate.cbegin(), result.duplicate.cend(), true));
    if (parser.isSet(QStringLiteral("json"))) {
        m_out << json({{QStringLiteral("appended"), int(drafts.size()) - duplicates},
                       {QStringLiteral("duplicates"), duplicates}})
              << Qt::endl;
    } else {
        m_out << QCoreApplication::translate("StoreCommands", "%1 events appended, %2 already stored")
                     .arg(drafts.size() - duplicates)
                     .arg(duplicates)
              << Qt::endl;
    }
    return Ok;
}

int StoreCommands::sessions(const QStringList &args)
{
    QCommandLineParser parser;
    addCommon(parser);
    parser.addOptions({{QStringLiteral("org"), QStringLiteral("Only this org."), QStringLiteral("id")},
                       {QStringLiteral("tag"), QStringLiteral("Only sessions with this tag."), QStringLiteral("tag")},
                       {QStringLiteral("text"), QStringLiteral("Title or ticket contains."), QStringLiteral("text")},
                       {QStringLiteral("live"), QStringLiteral("Only sessions not closed yet.")},
                       {QStringLiteral("limit"), QStringLiteral("At most N."), QStringLiteral("n"), QStringLiteral("200")}});
    if (!parser.parse(args))
        return usage(parser.errorText());
    EventStore store;
    if (!openStore(store, parser, m_err, true))
        return Failed;
    SessionFilter filter;
    filter.org = parser.value(QStringLiteral("org"));
    filter.tag = parser.value(QStringLiteral("tag"));
    filter.text = parser.value(QStringLiteral("text"));
    filter.liveOnly = parser.isSet(QStringLiteral("live"));
    filter.limit = parser.value(QStringLiteral("limit")).toInt();
    const auto list = store.sessions(filter);
    if (!list) {
        m_err << store.errorString() << Qt::endl;
        return Failed;
    }
    for (const SessionInfo &s : *list) {
        if (parser.isSet(QStringLiteral("json"))) {
            m_out << json(s.toJson()) << '\n';
            continue;
        }
        m_out << s.id << "  " << s.openedAt.left(16).replace(QLatin1Char('T'), QLatin1Char(' '))
              << "  " << (s.isOpen() ? QCoreApplication::translate("StoreCommands", "live  ")
                                     : QCoreApplication::translate("StoreCommands", "closed"))
              << "  " << QStringLiteral("%1").arg(s.lastSeq, 6) << "  " << s.title;
        if (!s.ticket.isEmpty())
            m_out << "  [" << s.ticket << ']';
        if (!s.tags.isEmpty())
            m_out << "  #" << s.tags.join(QStringLiteral(" #"));
        m_out << '\n';
    }
    m_out.flush();
    return Ok;
}

int StoreCommands::events(const QStringList &args)
{
    QCommandLineParser parser;
    addCommon(parser);
    parser.addOptions({{QStringLiteral("session"), QStringLiteral("Session id."), QStringLiteral("id")},
                       {QStringLiteral("after"), QStringLiteral("Only events after this seq."), QStringLiteral("seq"), QStringLiteral("0")},
                       {QStringLiteral("limit"), QStringLiteral("At most N."), QStringLiteral("n"), QStringLiteral("1000000")}});
    if (!parser.parse(args) || !parser.isSet(QStringLiteral("session")))
        return usage(parser.errorText().isEmpty() ? QCoreApplication::translate("StoreCommands", "events needs --session ID") : parser.errorText());
    EventStore store;
    if (!openStore(store, parser, m_err, true))
        return Failed;
    const QString session = parser.value(QStringLiteral("session"));
    qint64 after = parser.value(QStringLiteral("after")).toLongLong();
    qint64 remaining = parser.value(QStringLiteral("limit")).toLongLong();
    // Page through so a million-event session never sits in memory at once.
    while (remaining > 0) {
        const int page = static_cast<int>(qMin<qint64>(remaining, 5000));
        if (parser.isSet(QStringLiteral("json"))) {
            const auto docs = store.readRaw(session, after, page);
            if (!docs) {
                m_err << store.errorString() << Qt::endl;
                return Failed;
            }
            for (const QByteArray &doc : *docs)
                m_out << QString::fromUtf8(doc) << '\n';
            after += docs->size();
            remaining -= docs->size();
            if (docs->size() < page)
                break;
        } else {
            const auto list = store.read(session, after, page);
            if (!list) {
                m_err << store.errorString() << Qt::endl;
                return Failed;
            }
            for (const Event &e : *list)
                m_out << EventFormatter::line(e) << '\n';
            after += list->size();
            remaining -= list->size();
            if (list->size() < page)
                break;
        }
    }
    m_out.flush();
    return Ok;
}

int StoreCommands::search(const QStringList &args)
{
    QCommandLineParser parser;
    addCommon(parser);
    parser.addOptions({{QStringLiteral("org"), QStringLiteral("Only this org."), QStringLiteral("id")},
                       {QStringLiteral("session"), QStringLiteral("Only this session."), QStringLiteral("id")},
                       {QStringLiteral("limit"), QStringLiteral("At most N hits."), QStringLiteral("n"), QStringLiteral("50")}});
    parser.addPositionalArgument(QStringLiteral("query"), QStringLiteral("Words, \"phrases\", prefix*."));
    if (!parser.parse(args) || parser.positionalArguments().isEmpty())
        return usage(parser.errorText());
    // Writable: a search first completes the full-text index, which casefiled leaves trailing.
    if (!QFileInfo::exists(QDir(parser.value(QStringLiteral("data"))).filePath(kStoreFile))) {
        m_err << QCoreApplication::translate("StoreCommands", "no store in %1")
                     .arg(parser.value(QStringLiteral("data")))
              << Qt::endl;
        return Failed;
    }
    EventStore store;
    if (!openStore(store, parser, m_err, false))
        return Failed;
    SearchQuery query;
    query.text = parser.positionalArguments().join(QLatin1Char(' '));
    query.org = parser.value(QStringLiteral("org"));
    query.session = parser.value(QStringLiteral("session"));
    query.limit = parser.value(QStringLiteral("limit")).toInt();
    const auto hits = store.search(query);
    if (!hits) {
        m_err << store.errorString() << Qt::endl;
        return Failed;
    }
    for (const SearchHit &hit : *hits) {
        if (parser.isSet(QStringLiteral("json"))) {
            QString snippet = hit.snippet;
            m_out << json({{QStringLiteral("session"), hit.session},
                           {QStringLiteral("seq"), hit.seq},
                           {QStringLiteral("kind"), eventKindName(hit.kind)},
                           {QStringLiteral("snippet"), snippet.remove(QChar(SearchHit::markStart)).remove(QChar(SearchHit::markEnd))}})
                  << '\n';
            continue;
        }
        QString snippet = EventFormatter::printable(hit.snippet.simplified());
        // Bold on a terminal, brackets in a pipe or file.
        const bool tty = isatty(STDOUT_FILENO);
        snippet.replace(QChar(SearchHit::markStart), tty ? QStringLiteral("\x1b[1m") : QStringLiteral("["));
        snippet.replace(QChar(SearchHit::markEnd), tty ? QStringLiteral("\x1b[0m") : QStringLiteral("]"));
        m_out << hit.session << "  " << QStringLiteral("%1").arg(hit.seq, 5) << "  "
              << QStringLiteral("%1").arg(eventKindName(hit.kind), -18) << "  " << snippet << '\n';
    }
    if (!parser.isSet(QStringLiteral("json")))
        m_out << QCoreApplication::translate("StoreCommands", "%n hit(s)", nullptr, int(hits->size())) << '\n';
    m_out.flush();
    return Ok;
}

int StoreCommands::verify(const QStringList &args)
{
    QCommandLineParser parser;
    addCommon(parser);
    parser.addOption({QStringLiteral("session"), QStringLiteral("Only this session."), QStringLiteral("id")});
    if (!parser.parse(args))
        return usage(parser.errorText());
    EventStore store;
    if (!openStore(store, parser, m_err, true))
        return Failed;
    QStringList ids;
    if (parser.isSet(QStringLiteral("session"))) {
        ids.append(parser.value(QStringLiteral("session")));
    } else {
        SessionFilter all;
        all.limit = std::numeric_limits<int>::max();
        const auto list = store.sessions(all);
        if (!list) {
            m_err << store.errorString() << Qt::endl;
            return Failed;
        }
        for (const SessionInfo &s : *list)
            ids.append(s.id);
    }
    int broken = 0;
    for (const QString &id : std::as_const(ids)) {
        const ChainReport report = store.verify(id);
        if (!report.ok)
            ++broken;
        if (parser.isSet(QStringLiteral("json"))) {
            m_out << json({{QStringLiteral("session"), id},
                           {QStringLiteral("ok"), report.ok},
                           {QStringLiteral("events"), report.eventsChecked},
                           {QStringLiteral("firstBadSeq"), report.ok ? QJsonValue() : QJsonValue(report.firstBadSeq)},
                           {QStringLiteral("message"), report.ok ? QString() : report.message},
                           {QStringLiteral("head"), report.lastHash}})
                  << '\n';
        } else {
            m_out << id << "  " << (report.ok ? QStringLiteral("OK    ") : QStringLiteral("BROKEN")) << "  "
                  << report.toString() << '\n';
        }
    }
    m_out.flush();
    return broken == 0 ? Ok : Failed;
}

} // namespace casefile
