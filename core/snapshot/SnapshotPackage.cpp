#include "SnapshotPackage.h"

#include "events/HashChain.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/ContextCapturedBody.h"
#include "redact/TranscriptScanner.h"

#include <QJsonArray>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace casefile {

namespace {

// Body fields that hold identifiers or enumerations, never free text.
bool isStructural(const QString &field)
{
    static const QSet<QString> fields{
        QStringLiteral("org"),       QStringLiteral("clientGroup"), QStringLiteral("endpoint"),
        QStringLiteral("technician"), QStringLiteral("followUpOf"), QStringLiteral("command"),
        QStringLiteral("hypothesis"), QStringLiteral("stream"),
        QStringLiteral("decision"),  QStringLiteral("status"),      QStringLiteral("decidedAt"),
    };
    return fields.contains(field);
}

QString typeKey(Finding::Type type, const QString &key)
{
    return Finding::typeName(type) + QLatin1Char('\n') + key;
}

// A replaced stretch keeps its line breaks so line numbers (hypothesis evidence) still fit.
QString withLineBreaks(const QString &replacement, QStringView replaced)
{
    const qsizetype breaks = replaced.count(u'\n');
    return breaks == 0 ? replacement : replacement + QString(breaks, u'\n');
}

const QString kRedacted = QStringLiteral("<REDACTED>");

// A text as a terminal shows it: escape sequences (CSI, OSC, and ESC with one character) left
// out, and for every character left its index in the text. Detectors look at this: in
// "\x1b[1mjsmith\x1b[0m@contoso.com" the address is one, while the raw text hides it (the
// page drops the escapes after redaction, and the parts would meet again there).
struct Shown
{
    QString text;
    QList<qsizetype> raw;
};

Shown shownText(QStringView raw)
{
    Shown shown;
    shown.text.reserve(raw.size());
    shown.raw.reserve(raw.size());
    const qsizetype n = raw.size();
    for (qsizetype i = 0; i < n;) {
        const char16_t c = raw.at(i).unicode();
        if (c != 0x1b) {
            shown.text += raw.at(i);
            shown.raw.append(i);
            ++i;
            continue;
        }
        const char16_t next = i + 1 < n ? raw.at(i + 1).unicode() : 0;
        qsizetype j = i + 2;
        if (next == u'[') { // CSI: parameters and intermediates, then one final byte
            while (j < n && raw.at(j).unicode() >= 0x20 && raw.at(j).unicode() <= 0x3f)
                ++j;
            if (j < n && raw.at(j).unicode() >= 0x40 && raw.at(j).unicode() <= 0x7e)
                ++j;
        } else if (next == u']') { // OSC: up to BEL or ESC backslash
            while (j < n && raw.at(j).unicode() != 0x07 && raw.at(j).unicode() != 0x1b)
                ++j;
            j = j < n && raw.at(j).unicode() == 0x1b ? std::min(n, j + 2) : std::min(n, j + 1);
        } else if (next == 0) {
            j = n;
        }
        i = j;
    }
    return shown;
}

// Findings in the shown text, placed back on the raw one: from its first character to its
// last, the escapes between them included.
QList<Finding> onRaw(QList<Finding> found, const Shown &shown)
{
    for (Finding &f : found) {
        if (f.length <= 0 || f.start + f.length > shown.raw.size())
            continue;
        const qsizetype start = shown.raw.at(f.start);
        f.length = shown.raw.at(f.start + f.length - 1) + 1 - start;
        f.start = start;
    }
    return found;
}

// What a dictionary finds in `text`, also where escape sequences split a value.
QList<Finding> findShown(const RedactionDictionary &dictionary, QStringView text)
{
    if (!text.contains(QChar(0x1b)))
        return dictionary.find(text);
    const Shown shown = shownText(text);
    return onRaw(dictionary.find(shown.text), shown);
}

} // namespace

QString SnapshotPackage::outputTextId(const QString &session, const QString &command, const QString &stream)
{
    return session + QStringLiteral("/output/") + command + QLatin1Char('/') + stream;
}

RedactionDictionary SnapshotPackage::termsFromContext(const Event &e)
{
    static const QSet<QString> common{
        QStringLiteral("root"),          QStringLiteral("system"),    QStringLiteral("administrator"),
        QStringLiteral("localsystem"),   QStringLiteral("localhost"), QStringLiteral("workgroup"),
        QStringLiteral("nt authority"),  QStringLiteral("local service"), QStringLiteral("network service"),
        QStringLiteral("localdomain"),   QStringLiteral("(none)"),
    };
    RedactionDictionary terms;
    if (e.kind != EventKind::ContextCaptured)
        return terms;
    const auto body = e.bodyAs<ContextCapturedBody>();
    const auto add = [&](const QString &value, Finding::Type type) {
        if (!common.contains(value.trimmed().toLower()))
            terms.add(value, type);
    };
    add(body.hostname, Finding::Type::Host);
    if (body.domain)
        add(*body.domain, Finding::Type::Domain);
    if (body.user) {
        const QString user = *body.user;
        const qsizetype slash = user.lastIndexOf(QLatin1Char('\\'));
        add(slash >= 0 ? user.mid(slash + 1) : user, Finding::Type::User);
    }
    return terms;
}

void SnapshotPackage::addText(Text text)
{
    m_index.insert(text.id, m_texts.size());
    m_texts.append(std::move(text));
}

void SnapshotPackage::collect(qsizetype session, qsizetype event, const QString &path, const QJsonValue &value)
{
    if (value.isString()) {
        const QString s = value.toString();
        if (s.isEmpty() || JsonReader::isUuid(s))
            return;
        const Event &e = m_sessions.at(session).at(event);
        Text t;
        t.id = e.session + QLatin1Char('/') + QString::number(e.seq) + QLatin1Char('/') + path;
        t.session = e.session;
        t.seq = e.seq;
        t.kind = e.kind;
        t.field = path;
        t.text = s;
        addText(std::move(t));
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            collect(session, event, path + QLatin1Char('/') + QString::number(i), array.at(i));
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!isStructural(it.key()))
                collect(session, event, path.isEmpty() ? it.key() : path + QLatin1Char('/') + it.key(), it.value());
        }
    }
}

void SnapshotPackage::addSession(const QList<Event> &events)
{
    const qsizetype s = m_sessions.size();
    m_sessions.append(events);
    for (qsizetype i = 0; i < events.size(); ++i) {
        const Event &e = events.at(i);
        if (e.kind == EventKind::CommandOutput) {
            const QString command = e.body.value(QStringLiteral("command")).toString();
            const QString stream = e.body.value(QStringLiteral("stream")).toString();
            const QString id = outputTextId(e.session, command, stream);
            qsizetype index = m_index.value(id, -1);
            if (index < 0) {
                Text t;
                t.id = id;
                t.session = e.session;
                t.seq = e.seq;
                t.kind = e.kind;
                t.field = QStringLiteral("data");
                t.command = command;
                t.stream = stream;
                index = m_texts.size();
                addText(std::move(t));
            }
            Text &t = m_texts[index];
            m_chunks[id].append({i, t.text.size()});
            t.text += e.body.value(QStringLiteral("data")).toString();
            continue;
        }
        if (e.kind == EventKind::ContextCaptured)
            m_context.add(termsFromContext(e));
        collect(s, i, QString(), e.body);
    }
}

QStringList SnapshotPackage::sessionIds() const
{
    QStringList ids;
    for (const auto &events : m_sessions) {
        if (!events.isEmpty())
            ids.append(events.first().session);
    }
    return ids;
}

qint64 SnapshotPackage::totalCharacters() const
{
    qint64 total = 0;
    for (const Text &t : m_texts)
        total += t.text.size();
    return total;
}

bool SnapshotPackage::scan(const RedactionPlan &plan, const std::function<bool(qint64, qint64)> &progress)
{
    RedactionDictionary listed = m_dictionary;
    listed.add(plan.addedTerms());
    m_listedKeys.clear();
    for (const auto &t : listed.terms())
        m_listedKeys.insert(typeKey(t.type, t.key));
    RedactionDictionary all = listed;
    all.add(m_context);

    // Work items: long outputs a megabyte at a time, cut at a line break, short texts whole.
    // Detectors look within a line, but for a PEM block (the key detector redacts from BEGIN to
    // END): a cut inside one moves past its END, or the rest of a private key would be
    // published as lines no detector recognises. Every core takes items as it finishes the last
    // one, so a package scans in parallel; the results are put together in text order afterwards.
    struct Item
    {
        qsizetype text;
        qsizetype from;
        qsizetype to;
    };
    constexpr qsizetype piece = 1 << 20;
    QList<Item> items;
    for (qsizetype t = 0; t < m_texts.size(); ++t) {
        const QStringView text(m_texts.at(t).text);
        qsizetype from = 0;
        while (from < text.size()) {
            qsizetype to = std::min(text.size(), from + piece);
            if (to < text.size()) {
                const qsizetype nl = text.indexOf(u'\n', to);
                to = nl < 0 ? text.size() : nl + 1;
            }
            if (to < text.size()) {
                const QStringView before = text.mid(from, to - from);
                const qsizetype begin = before.lastIndexOf(u"-----BEGIN ");
                if (begin >= 0 && before.indexOf(u"-----END ", begin) < 0) {
                    const qsizetype end = text.indexOf(u"-----END ", to);
                    const qsizetype nl = end < 0 ? -1 : text.indexOf(u'\n', end);
                    to = nl < 0 ? text.size() : nl + 1;
                }
            }
            items.append({t, from, to});
            from = to;
        }
    }
    QList<QList<Finding>> results(items.size());
    std::atomic<qsizetype> next{0};
    std::atomic<qint64> done{0};
    std::atomic<bool> cancelled{false};
    const auto work = [&](bool reporting) {
        qint64 reported = 0;
        const qint64 total = totalCharacters();
        while (!cancelled.load(std::memory_order_relaxed)) {
            const qsizetype i = next.fetch_add(1);
            if (i >= items.size())
                break;
            const Item &item = items.at(i);
            const QStringView part = QStringView(m_texts.at(item.text).text).mid(item.from, item.to - item.from);
            QList<Finding> found;
            if (part.contains(QChar(0x1b))) {
                const Shown shown = shownText(part);
                found = onRaw(RedactionDictionary::merge(TranscriptScanner::scan(shown.text),
                                                         all.find(shown.text)),
                              shown);
            } else {
                found = RedactionDictionary::merge(TranscriptScanner::scan(part), all.find(part));
            }
            for (Finding &f : found)
                f.start += item.from;
            results[i] = std::move(found);
            const qint64 now = done.fetch_add(item.to - item.from) + (item.to - item.from);
            if (reporting && progress && now - reported >= piece) {
                reported = now;
                if (!progress(now, total))
                    cancelled = true;
            }
        }
    };
    std::vector<std::thread> helpers;
    const int threads = std::clamp(QThread::idealThreadCount(), 1, 16);
    for (int i = 1; i < threads && i < items.size(); ++i)
        helpers.emplace_back(work, false);
    work(true); // progress is reported on the caller's thread only
    for (std::thread &t : helpers)
        t.join();
    if (cancelled)
        return false;
    for (Text &t : m_texts)
        t.findings.clear();
    for (qsizetype i = 0; i < items.size(); ++i)
        m_texts[items.at(i).text].findings.append(std::move(results[i]));
    if (progress)
        progress(totalCharacters(), totalCharacters());
    return true;
}

QList<SnapshotPackage::Group> SnapshotPackage::groups() const
{
    QList<Group> groups;
    QHash<QString, qsizetype> byValue;
    for (qsizetype t = 0; t < m_texts.size(); ++t) {
        const auto &findings = m_texts.at(t).findings;
        for (qsizetype f = 0; f < findings.size(); ++f) {
            const Finding &finding = findings.at(f);
            const QString id = typeKey(finding.type, finding.key);
            auto it = byValue.constFind(id);
            if (it == byValue.cend()) {
                it = byValue.insert(id, groups.size());
                groups.append({finding.type, finding.key, finding.value, {}});
            }
            groups[*it].occurrences.append({t, f});
        }
    }
    return groups;
}

RedactionPlan::Decision SnapshotPackage::decisionFor(qsizetype text, const Finding &finding,
                                                     const RedactionPlan &plan) const
{
    const auto d = plan.decisionFor(m_texts.at(text).id, finding);
    if (d == RedactionPlan::Decision::Undecided && m_listedKeys.contains(typeKey(finding.type, finding.key)))
        return RedactionPlan::Decision::Redact;
    return d;
}

qsizetype SnapshotPackage::undecidedCount(const RedactionPlan &plan) const
{
    qsizetype n = 0;
    for (qsizetype t = 0; t < m_texts.size(); ++t) {
        if (plan.isWholeText(m_texts.at(t).id))
            continue; // nothing of it is published
        for (const Finding &f : m_texts.at(t).findings)
            n += decisionFor(t, f, plan) == RedactionPlan::Decision::Undecided;
    }
    return n;
}

Pseudonymizer SnapshotPackage::placeholders(const RedactionPlan &plan) const
{
    Pseudonymizer names;
    for (qsizetype t = 0; t < m_texts.size(); ++t) {
        for (const Finding &f : m_texts.at(t).findings) {
            if (decisionFor(t, f, plan) == RedactionPlan::Decision::Redact)
                names.placeholder(f);
        }
    }
    return names;
}

RedactionDictionary SnapshotPackage::sweepTerms(const RedactionPlan &plan) const
{
    // Every value that is redacted somewhere is redacted everywhere it appears, also where no
    // detector saw it (a user name alone in a chat line), unless the reviewer kept that very
    // occurrence.
    RedactionDictionary sweep;
    for (qsizetype t = 0; t < m_texts.size(); ++t) {
        for (const Finding &f : m_texts.at(t).findings) {
            if (decisionFor(t, f, plan) != RedactionPlan::Decision::Redact)
                continue;
            sweep.add(f.value, f.type, f.key);
            if (f.type == Finding::Type::User || f.type == Finding::Type::Host || f.type == Finding::Type::Domain)
                sweep.add(f.key, f.type, f.key);
        }
    }
    return sweep;
}

QList<SnapshotPackage::Replacement> SnapshotPackage::replacements(qsizetype index, const RedactionPlan &plan,
                                                                  Pseudonymizer &names) const
{
    return replacements(index, plan, names, sweepTerms(plan));
}

QList<SnapshotPackage::Replacement> SnapshotPackage::replacements(qsizetype index, const RedactionPlan &plan,
                                                                  Pseudonymizer &names,
                                                                  const RedactionDictionary &sweep) const
{
    const Text &t = m_texts.at(index);
    const QStringView text(t.text);
    if (plan.isWholeText(t.id))
        return {{0, text.size(), withLineBreaks(kRedacted, text)}};

    struct Piece
    {
        qsizetype start;
        qsizetype end;
        QString with; // empty: a hand-selected span
    };
    QList<Piece> pieces;
    QList<std::pair<qsizetype, qsizetype>> kept;
    for (const Finding &f : t.findings) {
        const auto d = decisionFor(index, f, plan);
        if (d == RedactionPlan::Decision::Redact)
            pieces.append({f.start, f.start + f.length, names.placeholder(f)});
        else if (d == RedactionPlan::Decision::Keep)
            kept.append({f.start, f.start + f.length});
    }
    if (!sweep.isEmpty()) {
        qsizetype k = 0;
        for (const Finding &f : findShown(sweep, text)) {
            while (k < kept.size() && kept.at(k).second <= f.start)
                ++k;
            if (k < kept.size() && kept.at(k).first < f.start + f.length)
                continue; // overlaps an occurrence the reviewer kept
            pieces.append({f.start, f.start + f.length, names.placeholder(f)});
        }
    }
    for (const RedactionPlan::Span &s : plan.spans()) {
        if (s.text == t.id && s.start < text.size())
            pieces.append({s.start, std::min(text.size(), s.start + s.length), QString()});
    }
    std::sort(pieces.begin(), pieces.end(), [](const Piece &a, const Piece &b) {
        return a.start != b.start ? a.start < b.start : a.end > b.end;
    });

    // Overlapping pieces become one: a hand-selected span wins, otherwise the longest piece.
    QList<Replacement> out;
    qsizetype i = 0;
    while (i < pieces.size()) {
        qsizetype start = pieces.at(i).start;
        qsizetype end = pieces.at(i).end;
        bool manual = pieces.at(i).with.isEmpty();
        qsizetype longest = i;
        qsizetype j = i + 1;
        while (j < pieces.size() && pieces.at(j).start < end) {
            end = std::max(end, pieces.at(j).end);
            manual = manual || pieces.at(j).with.isEmpty();
            if (pieces.at(j).end - pieces.at(j).start > pieces.at(longest).end - pieces.at(longest).start)
                longest = j;
            ++j;
        }
        const QString with = manual ? kRedacted : pieces.at(longest).with;
        out.append({start, end - start, withLineBreaks(with, text.mid(start, end - start))});
        i = j;
    }
    return out;
}

QString SnapshotPackage::redactedText(qsizetype index, const RedactionPlan &plan, Pseudonymizer &names) const
{
    const QString &text = m_texts.at(index).text;
    QString out;
    out.reserve(text.size());
    qsizetype from = 0;
    for (const Replacement &r : replacements(index, plan, names)) {
        out += QStringView(text).mid(from, r.start - from);
        out += r.with;
        from = r.start + r.length;
    }
    out += QStringView(text).mid(from);
    return out;
}

QString SnapshotPackage::scrub(const QString &text, const RedactionPlan &plan, Pseudonymizer &names) const
{
    const RedactionDictionary sweep = sweepTerms(plan);
    QString out;
    qsizetype from = 0;
    for (const Finding &f : sweep.find(text)) {
        out += QStringView(text).mid(from, f.start - from);
        out += names.placeholder(f);
        from = f.start + f.length;
    }
    out += QStringView(text).mid(from);
    // What the reviewer selected by hand (or a whole text) is gone from the record; the title
    // and summary, often taken from the session's title, must not bring it back. Longest first,
    // so a selection inside another is not left half.
    QStringList manual;
    for (const RedactionPlan::Span &s : plan.spans()) {
        const auto t = std::find_if(m_texts.cbegin(), m_texts.cend(),
                                    [&s](const Text &x) { return x.id == s.text; });
        if (t != m_texts.cend() && s.start >= 0 && s.start < t->text.size())
            manual.append(t->text.mid(s.start, s.length).trimmed());
    }
    for (const Text &t : m_texts) {
        if (plan.isWholeText(t.id) && t.text.size() <= 1000)
            manual.append(t.text.trimmed());
    }
    std::sort(manual.begin(), manual.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &value : std::as_const(manual)) {
        if (value.size() >= 2)
            out.replace(value, kRedacted, Qt::CaseInsensitive);
    }
    return out;
}

SnapshotPackage::Result SnapshotPackage::apply(const RedactionPlan &plan) const
{
    Result result;
    Pseudonymizer names = placeholders(plan);
    const RedactionDictionary sweep = sweepTerms(plan);
    QHash<QString, int> redacted;
    QHash<QString, int> keptCounts;
    QSet<QString> values;

    // Redacted strings per event field; outputs per chunk.
    QHash<QString, QString> fieldText; // text id → redacted
    QHash<QString, QStringList> chunkTexts; // output text id → redacted chunk data
    for (qsizetype t = 0; t < m_texts.size(); ++t) {
        const Text &text = m_texts.at(t);
        // The report counts findings by type and decision.
        for (const Finding &f : text.findings) {
            const auto d = decisionFor(t, f, plan);
            if (d == RedactionPlan::Decision::Keep)
                ++keptCounts[Finding::typeName(f.type)];
            else if (d == RedactionPlan::Decision::Redact)
                ++redacted[Finding::typeName(f.type)];
        }
        const QList<Replacement> reps = replacements(t, plan, names, sweep);
        for (const Replacement &r : reps) {
            const QStringView raw = QStringView(text.text).mid(r.start, r.length);
            values.insert(raw.toString());
        }
        const auto build = [&](qsizetype from, qsizetype to, qsizetype &r) {
            // The text of [from, to) with every replacement that starts inside it.
            QString out;
            qsizetype pos = from;
            while (r < reps.size() && reps.at(r).start < to) {
                const Replacement &rep = reps.at(r);
                if (rep.start >= pos) {
                    out += QStringView(text.text).mid(pos, rep.start - pos);
                    out += rep.with;
                }
                pos = std::max(pos, rep.start + rep.length);
                ++r;
                if (pos > to)
                    break;
            }
            if (pos < to)
                out += QStringView(text.text).mid(pos, to - pos);
            return std::make_pair(out, pos);
        };
        if (text.kind == EventKind::CommandOutput) {
            const QList<Chunk> &chunks = m_chunks.value(text.id);
            QStringList parts;
            qsizetype r = 0;
            qsizetype carried = 0; // how far a replacement from an earlier chunk reaches
            for (qsizetype c = 0; c < chunks.size(); ++c) {
                const qsizetype from = std::max(chunks.at(c).start, carried);
                const qsizetype to = c + 1 < chunks.size() ? chunks.at(c + 1).start : text.text.size();
                if (from >= to) {
                    parts.append(QString());
                    continue;
                }
                auto [part, reached] = build(from, to, r);
                parts.append(part);
                carried = std::max(carried, reached);
            }
            chunkTexts.insert(text.id, parts);
        } else {
            qsizetype r = 0;
            fieldText.insert(text.id, build(0, text.text.size(), r).first);
        }
    }

    // Puts the redacted strings back where collect() found them (same paths).
    QString base;
    const auto replaceIn = [&](const QJsonValue &value, const QString &path, const auto &self) -> QJsonValue {
        if (value.isString()) {
            const auto it = fieldText.constFind(base + path);
            return it == fieldText.cend() ? value : QJsonValue(*it);
        }
        if (value.isArray()) {
            QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i)
                array[i] = self(array.at(i), path + QLatin1Char('/') + QString::number(i), self);
            return array;
        }
        if (value.isObject()) {
            QJsonObject object = value.toObject();
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (isStructural(it.key()))
                    continue;
                const QString sub = path.isEmpty() ? it.key() : path + QLatin1Char('/') + it.key();
                it.value() = self(it.value(), sub, self);
            }
            return object;
        }
        return value;
    };

    QHash<QString, qsizetype> chunkCursor;
    for (const QList<Event> &events : m_sessions) {
        QList<Event> out;
        out.reserve(events.size());
        QString prev = HashChain::genesis();
        for (const Event &original : events) {
            Event e = original;
            e.unknown = {};
            if (e.kind == EventKind::CommandOutput) {
                const QString id = outputTextId(e.session, e.body.value(QStringLiteral("command")).toString(),
                                                e.body.value(QStringLiteral("stream")).toString());
                const qsizetype c = chunkCursor[id]++;
                e.body.insert(QStringLiteral("data"), chunkTexts.value(id).value(c));
            } else {
                base = e.session + QLatin1Char('/') + QString::number(e.seq) + QLatin1Char('/');
                e.body = replaceIn(e.body, QString(), replaceIn).toObject();
            }
            HashChain::seal(e, original.seq, prev);
            prev = e.hash;
            out.append(std::move(e));
        }
        result.sessions.append(std::move(out));
    }

    QJsonObject redactedJson;
    for (auto it = redacted.cbegin(); it != redacted.cend(); ++it)
        redactedJson.insert(it.key(), it.value());
    QJsonObject keptJson;
    for (auto it = keptCounts.cbegin(); it != keptCounts.cend(); ++it)
        keptJson.insert(it.key(), it.value());
    qsizetype spans = 0;
    for (const auto &s : plan.spans())
        spans += m_index.contains(s.text);
    qsizetype whole = 0;
    for (const QString &id : plan.wholeTexts())
        whole += m_index.contains(id);
    result.report = {{QStringLiteral("redacted"), redactedJson},
                     {QStringLiteral("kept"), keptJson},
                     {QStringLiteral("manualSpans"), spans},
                     {QStringLiteral("wholeTexts"), whole},
                     {QStringLiteral("dictionaryTerms"), m_dictionary.size() + plan.addedTerms().size()}};
    result.redactedValues = QStringList(values.cbegin(), values.cend());
    result.names = std::move(names);
    return result;
}

} // namespace casefile
