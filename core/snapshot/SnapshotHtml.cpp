#include "SnapshotHtml.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonArray>
#include <QLocale>

namespace casefile {

namespace {

// Text from the record with terminal escape sequences removed: CSI (ESC [ … final byte), OSC
// (ESC ] … BEL or ESC \), ESC with intermediate bytes and a final byte (ESC ( B, as tput sgr0
// writes), other two-character escapes; other C0 controls but tab and line breaks dropped.
QString plain(QStringView text)
{
    QString out;
    out.reserve(text.size());
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = text[i].unicode();
        if (c == 0x1b && i + 1 < n) {
            const char16_t k = text[i + 1].unicode();
            if (k == u'[') {
                i += 2;
                while (i < n && !(text[i].unicode() >= 0x40 && text[i].unicode() <= 0x7e))
                    ++i;
                continue;
            }
            if (k == u']') {
                i += 2;
                while (i < n && text[i].unicode() != 0x07
                       && !(text[i].unicode() == 0x1b && i + 1 < n && text[i + 1].unicode() == u'\\'))
                    ++i;
                if (i < n && text[i].unicode() == 0x1b)
                    ++i;
                continue;
            }
            if (k >= 0x20 && k <= 0x2f) {
                i += 2;
                while (i < n && text[i].unicode() >= 0x20 && text[i].unicode() <= 0x2f)
                    ++i;
                continue; // the loop steps over the final byte
            }
            ++i;
            continue;
        }
        if ((c < 0x20 && c != u'\n' && c != u'\t') || c == 0x7f || c == u'\r')
            continue;
        out += QChar(c);
    }
    return out;
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

QString text(const QJsonObject &o, const char *key)
{
    return SnapshotHtml::escape(plain(str(o, key)));
}

QString shortTime(const QString &iso)
{
    QString t = iso;
    t.replace(QLatin1Char('T'), QLatin1Char(' '));
    if (t.endsWith(QLatin1Char('Z')))
        t.chop(1);
    return SnapshotHtml::escape(t.left(19)) + QStringLiteral(" UTC");
}

struct Command
{
    QJsonObject requested;
    QString requestedAt;
    QJsonObject approvalRequested;
    QJsonObject approvalDecided;
    QJsonObject started;
    QJsonObject finished;
    QString finishedAt;
    QString output; // escaped HTML, stdout plain, stderr in spans
};

} // namespace

QString SnapshotHtml::escape(QStringView in)
{
    QString out;
    out.reserve(in.size() + in.size() / 8);
    for (const QChar c : in) {
        switch (c.unicode()) {
        case u'&':
            out += QLatin1String("&amp;");
            break;
        case u'<':
            out += QLatin1String("&lt;");
            break;
        case u'>':
            out += QLatin1String("&gt;");
            break;
        case u'"':
            out += QLatin1String("&quot;");
            break;
        case u'\'':
            out += QLatin1String("&#39;");
            break;
        default:
            out += c;
        }
    }
    return out;
}

const QByteArray &SnapshotHtml::styleSheet()
{
    static const QByteArray css = QByteArrayLiteral(
        "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d2330;background:#f5f6f8}"
        "header,main{max-width:1100px;margin:0 auto;padding:16px 24px}"
        "header{border-bottom:1px solid #d9dde5;background:#fff;max-width:none}"
        "header>div{max-width:1100px;margin:0 auto}"
        "h1{font-size:24px;margin:4px 0}section>h2:first-child,section>h3:first-child{margin-top:0}"
        "h1{font-size:24px;margin:4px 0}h2{font-size:19px;margin:28px 0 8px}h3{font-size:16px;margin:18px 0 6px}"
        ".meta{color:#5b6475;font-size:13px}.summary{white-space:pre-wrap}"
        "section{background:#fff;border:1px solid #d9dde5;border-radius:6px;padding:12px 16px;margin:12px 0}"
        "table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #eceef2;vertical-align:top}"
        "pre{background:#12151c;color:#e6e8ee;padding:10px 12px;border-radius:4px;overflow:auto;white-space:pre-wrap;"
        "word-break:break-all;font:13px/1.4 ui-monospace,'DejaVu Sans Mono',Consolas,monospace;max-height:60vh}"
        ".err{color:#ff8f8f}.cmd{font:14px ui-monospace,'DejaVu Sans Mono',Consolas,monospace;background:#eef1f6;"
        "padding:6px 8px;border-radius:4px;white-space:pre-wrap;word-break:break-all}"
        ".badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;margin-right:6px}"
        ".ruled_out{background:#fde2e1;color:#8a1c17}.confirmed{background:#dff3e3;color:#145c2a}.open{background:#e6ecf7;color:#23406e}"
        ".change{background:#fff1d6;color:#7a4b00}.approved{background:#dff3e3;color:#145c2a}.denied,.timed_out{background:#fde2e1;color:#8a1c17}"
        ".chat{border-left:3px solid #8aa4d6;padding-left:10px}.note{border-left:3px solid #d6b58a;padding-left:10px}"
        "@media (prefers-color-scheme:dark){body{background:#15181e;color:#e3e6ec}header,section{background:#1c2028;border-color:#2c313c}"
        ".cmd{background:#262b35}td,th{border-color:#2c313c}.meta{color:#9aa3b5}}");
    return css;
}

QByteArray SnapshotHtml::contentSecurityPolicy()
{
    static const QByteArray policy =
        QByteArrayLiteral("default-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; "
                          "form-action 'none'; frame-ancestors 'none'; img-src 'none'; style-src 'sha256-")
        + QCryptographicHash::hash(styleSheet(), QCryptographicHash::Sha256).toBase64() + QByteArrayLiteral("'");
    return policy;
}

static QString pageStart(const QString &title)
{
    // The policy travels in the page too: a snapshot saved (or exported) and opened from a file
    // has no server to send the header. frame-ancestors works only as a header; browsers warn
    // about it in a meta element, so it is left out there.
    static const QString policy = QString::fromLatin1(SnapshotHtml::contentSecurityPolicy())
                                      .remove(QStringLiteral("frame-ancestors 'none'; "));
    return QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<meta http-equiv=\"Content-Security-Policy\" content=\"") +
           policy +
           QStringLiteral(
               "\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
               "<meta name=\"referrer\" content=\"no-referrer\"><title>") +
           title + QStringLiteral("</title><style>");
}

QByteArray SnapshotHtml::message(const QString &title, const QString &body)
{
    QByteArray out = pageStart(escape(title)).toUtf8();
    out += styleSheet();
    out += QStringLiteral("</style></head><body><main><section><h1>%1</h1><p>%2</p></section></main></body></html>\n")
               .arg(escape(title), escape(body))
               .toUtf8();
    return out;
}

QByteArray SnapshotHtml::render(const QJsonObject &snapshot)
{
    QString h;
    const QString title = text(snapshot, "title");
    const QJsonObject publisher = snapshot.value(QStringLiteral("publisher")).toObject();
    const QJsonArray sessions = snapshot.value(QStringLiteral("sessions")).toArray();
    h += QStringLiteral("<header><div><div class=\"meta\">%1</div><h1>%2</h1>")
             .arg(escape(tr("Casefile snapshot · read-only")), title);
    h += QStringLiteral("<div class=\"meta\">%1</div>")
             .arg(escape(tr("Published %1 by %2 · expires %3 · %n session(s)", nullptr, int(sessions.size())))
                      .arg(shortTime(str(snapshot, "publishedAt")), text(publisher, "name"),
                           shortTime(str(snapshot, "expiresAt"))));
    if (!str(snapshot, "summary").isEmpty())
        h += QStringLiteral("<p class=\"summary\">%1</p>").arg(text(snapshot, "summary"));
    h += QStringLiteral("</div></header><main>");

    // The redaction report first: what a reader must know about what they are not seeing.
    const QJsonObject report = snapshot.value(QStringLiteral("redaction")).toObject();
    h += QStringLiteral("<section><h2>%1</h2><table><tr><th>%2</th><th>%3</th><th>%4</th></tr>")
             .arg(escape(tr("Redaction report")), escape(tr("Type")), escape(tr("Redacted")), escape(tr("Kept")));
    const QJsonObject redacted = report.value(QStringLiteral("redacted")).toObject();
    const QJsonObject kept = report.value(QStringLiteral("kept")).toObject();
    QStringList types = redacted.keys();
    for (const QString &k : kept.keys()) {
        if (!types.contains(k))
            types.append(k);
    }
    std::sort(types.begin(), types.end());
    for (const QString &type : std::as_const(types))
        h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>")
                 .arg(escape(type), QString::number(redacted.value(type).toInt()),
                      QString::number(kept.value(type).toInt()));
    h += QStringLiteral("</table><p class=\"meta\">%1</p></section>")
             .arg(escape(tr("%1 passages redacted by hand, %2 whole texts withheld. Reviewed by %3 on %4."))
                      .arg(QString::number(report.value(QStringLiteral("manualSpans")).toInt()),
                           QString::number(report.value(QStringLiteral("wholeTexts")).toInt()),
                           text(report.value(QStringLiteral("reviewer")).toObject(), "name"),
                           shortTime(str(report, "at"))));

    for (const QJsonValue &sv : sessions) {
        const QJsonArray events = sv.toObject().value(QStringLiteral("events")).toArray();
        QHash<QString, Command> commands;
        QStringList commandOrder;
        QList<QJsonObject> hypotheses; // latest state per hypothesis, in order added
        QHash<QString, qsizetype> hypothesisIndex;
        // Commands are placed where they were requested, with everything that followed them:
        // an entry is either finished HTML or the id of a command to render at the end.
        struct Entry
        {
            QString html; // null: a command
            QString command;
        };
        QList<Entry> timeline;
        QString contextHtml;
        QString heading;
        for (const QJsonValue &ev : events) {
            const QJsonObject e = ev.toObject();
            const QString kind = str(e, "kind");
            const QString at = str(e, "at");
            const QJsonObject b = e.value(QStringLiteral("body")).toObject();
            if (kind == QLatin1String("session.opened")) {
                heading = QStringLiteral("<h2>%1</h2><p class=\"meta\">%2</p>")
                              .arg(text(b, "title"),
                                   escape(tr("Opened %1")).arg(shortTime(at))
                                       + (str(b, "ticket").isEmpty() ? QString() : QStringLiteral(" · ") + text(b, "ticket")));
                QStringList tags;
                for (const QJsonValue &t : b.value(QStringLiteral("tags")).toArray())
                    tags.append(escape(plain(t.toString())));
                if (!tags.isEmpty())
                    heading += QStringLiteral("<p class=\"meta\">%1</p>").arg(tags.join(QStringLiteral(", ")));
            } else if (kind == QLatin1String("context.captured")) {
                contextHtml = QStringLiteral("<section><h3>%1</h3><table>").arg(escape(tr("Machine")));
                for (auto it = b.begin(); it != b.end(); ++it) {
                    QString value;
                    if (it.value().isArray()) {
                        QStringList items;
                        for (const QJsonValue &v : it.value().toArray())
                            items.append(plain(v.toVariant().toString()));
                        value = items.join(QStringLiteral(", "));
                    } else {
                        value = plain(it.value().toVariant().toString());
                    }
                    contextHtml += QStringLiteral("<tr><th>%1</th><td>%2</td></tr>").arg(escape(it.key()), escape(value));
                }
                contextHtml += QStringLiteral("</table></section>");
            } else if (kind.startsWith(QLatin1String("command.")) || kind.startsWith(QLatin1String("approval."))) {
                const QString id = str(b, "command");
                if (!commands.contains(id))
                    commandOrder.append(id);
                Command &c = commands[id];
                if (kind == QLatin1String("command.requested")) {
                    c.requested = b;
                    c.requestedAt = at;
                    timeline.append({QString(), id}); // filled in below
                } else if (kind == QLatin1String("approval.requested")) {
                    c.approvalRequested = b;
                } else if (kind == QLatin1String("approval.decided")) {
                    c.approvalDecided = b;
                } else if (kind == QLatin1String("command.started")) {
                    c.started = b;
                } else if (kind == QLatin1String("command.output")) {
                    const QString data = escape(plain(str(b, "data")));
                    if (str(b, "stream") == QLatin1String("stderr"))
                        c.output += QStringLiteral("<span class=\"err\">") + data + QStringLiteral("</span>");
                    else
                        c.output += data;
                } else if (kind == QLatin1String("command.finished")) {
                    c.finished = b;
                    c.finishedAt = at;
                }
            } else if (kind == QLatin1String("hypothesis.added")) {
                hypothesisIndex.insert(str(b, "hypothesis"), hypotheses.size());
                hypotheses.append(QJsonObject{{QStringLiteral("text"), str(b, "text")},
                                              {QStringLiteral("status"), QStringLiteral("open")}});
            } else if (kind == QLatin1String("hypothesis.updated")) {
                const qsizetype i = hypothesisIndex.value(str(b, "hypothesis"), -1);
                if (i >= 0) {
                    QJsonObject h2 = hypotheses.at(i);
                    h2.insert(QStringLiteral("status"), str(b, "status"));
                    h2.insert(QStringLiteral("evidence"), b.value(QStringLiteral("evidence")));
                    h2.insert(QStringLiteral("note"), str(b, "note"));
                    hypotheses[i] = h2;
                }
            } else if (kind == QLatin1String("chat.message")) {
                timeline.append({QStringLiteral("<div class=\"chat\"><p class=\"meta\">%1 · %2</p><p class=\"summary\">%3</p></div>")
                                     .arg(escape(tr("Chat")), shortTime(at), text(b, "text")),
                                 QString()});
            } else if (kind == QLatin1String("note.added")) {
                timeline.append({QStringLiteral("<div class=\"note\"><p class=\"meta\">%1 · %2</p><p class=\"summary\">%3</p></div>")
                                     .arg(escape(tr("Note")), shortTime(at), text(b, "text")),
                                 QString()});
            } else if (kind == QLatin1String("session.closed")) {
                QString closed = QStringLiteral("<p class=\"meta\">%1</p>").arg(escape(tr("Session closed %1")).arg(shortTime(at)));
                if (!str(b, "summary").isEmpty())
                    closed += QStringLiteral("<p class=\"summary\">%1</p>").arg(text(b, "summary"));
                timeline.append({closed, QString()});
            }
        }

        h += heading;
        if (!hypotheses.isEmpty()) {
            h += QStringLiteral("<section><h3>%1</h3>").arg(escape(tr("Hypotheses")));
            for (const QJsonObject &hy : std::as_const(hypotheses)) {
                const QString status = str(hy, "status");
                const QString label = status == QLatin1String("ruled_out") ? tr("ruled out")
                                      : status == QLatin1String("confirmed") ? tr("confirmed")
                                                                             : tr("open");
                h += QStringLiteral("<p><span class=\"badge %1\">%2</span>%3</p>")
                         .arg(status == QLatin1String("ruled_out") || status == QLatin1String("confirmed")
                                  ? status
                                  : QStringLiteral("open"),
                              escape(label), text(hy, "text"));
                if (!str(hy, "note").isEmpty())
                    h += QStringLiteral("<p class=\"summary meta\">%1</p>").arg(text(hy, "note"));
                for (const QJsonValue &ev : hy.value(QStringLiteral("evidence")).toArray()) {
                    const QJsonObject evidence = ev.toObject();
                    const QString cmd = str(evidence, "command");
                    const QString commandText = plain(str(commands.value(cmd).requested, "text"));
                    h += QStringLiteral("<p class=\"meta\">%1 <a href=\"#c-%2\">%3</a></p>")
                             .arg(escape(tr("Evidence:")), escape(plain(cmd)), escape(commandText.left(120)));
                }
            }
            h += QStringLiteral("</section>");
        }
        h += contextHtml;
        h += QStringLiteral("<section><h3>%1</h3>").arg(escape(tr("Timeline")));
        for (const Entry &entry : std::as_const(timeline)) {
            if (!entry.html.isNull()) {
                h += entry.html;
                continue;
            }
            const QString &id = entry.command;
            const Command &c = commands[id];
            h += QStringLiteral("<div id=\"c-%1\"><p class=\"meta\">%2 · %3%4</p><div class=\"cmd\">%5</div>")
                     .arg(escape(plain(id)), shortTime(c.requestedAt), text(c.requested, "shell"),
                          c.requested.value(QStringLiteral("change")).toBool()
                              ? QStringLiteral(" <span class=\"badge change\">%1</span>").arg(escape(tr("change")))
                              : QString(),
                          text(c.requested, "text"));
            if (!c.approvalRequested.isEmpty())
                h += QStringLiteral("<p class=\"meta\">%1 “%2”</p>").arg(escape(tr("Asked the end user:")), text(c.approvalRequested, "prompt"));
            if (!c.approvalDecided.isEmpty()) {
                const QString decision = str(c.approvalDecided, "decision");
                h += QStringLiteral("<p><span class=\"badge %1\">%2</span><span class=\"meta\">%3</span></p>")
                         .arg(escape(plain(decision)), escape(plain(decision)),
                              escape(tr("by %1 at %2").arg(plain(str(c.approvalDecided, "decidedBy")),
                                                          str(c.approvalDecided, "decidedAt"))));
            }
            if (!c.started.isEmpty())
                h += QStringLiteral("<p class=\"meta\">%1</p>").arg(escape(tr("Ran as %1").arg(plain(str(c.started, "user")))));
            if (!c.output.isEmpty())
                h += QStringLiteral("<pre>") + c.output + QStringLiteral("</pre>");
            if (!c.finished.isEmpty())
                h += QStringLiteral("<p class=\"meta\">%1</p>")
                         .arg(escape(tr("Exit code %1 · %2 ms")
                                         .arg(c.finished.value(QStringLiteral("exitCode")).toVariant().toString(),
                                              c.finished.value(QStringLiteral("durationMs")).toVariant().toString())));
            h += QStringLiteral("</div>");
        }
        h += QStringLiteral("</section>");
    }
    h += QStringLiteral("<p class=\"meta\">%1</p></main></body></html>\n")
             .arg(escape(tr("Signed by the server that published it; check with casefile-cli verify.")));

    QByteArray out = pageStart(title + QStringLiteral(" — Casefile")).toUtf8();
    out += styleSheet();
    out += "</style></head><body>";
    out += h.toUtf8();
    return out;
}

} // namespace casefile
