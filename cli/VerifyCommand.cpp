#include "VerifyCommand.h"

#include "snapshot/SnapshotDocument.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace casefile {

QByteArray VerifyCommand::readKey(const QString &value, QString *error)
{
    QByteArray text = value.toLatin1();
    QFile file(value);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly)) {
            *error = tr("--key: cannot read %1: %2").arg(value, file.errorString());
            return {};
        }
        text = file.readAll().trimmed();
        const QJsonDocument doc = QJsonDocument::fromJson(text);
        if (doc.isObject())
            text = doc.object().value(QStringLiteral("publicKey")).toString().toLatin1();
    }
    const auto decoded = QByteArray::fromBase64Encoding(text.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != SnapshotSigner::publicKeyBytes) {
        *error = tr("--key: expected an Ed25519 public key (32 bytes in base64), a file holding one, "
                    "or the JSON of /.well-known/casefile-signing-key");
        return {};
    }
    return decoded.decoded;
}

int VerifyCommand::run(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.addOptions({{QStringLiteral("key"), tr("The publisher's public key."), QStringLiteral("pubkey")},
                  {QStringLiteral("json"), tr("Print the result as JSON.")}});
    if (!p.parse(QStringList{QStringLiteral("verify")} + args) || p.positionalArguments().size() != 1) {
        err << tr("usage: casefile-cli verify FILE [--key PUBKEY] [--json]") << Qt::endl;
        return 2;
    }
    const QString path = p.positionalArguments().constFirst();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        err << tr("casefile-cli verify: cannot read %1: %2").arg(path, file.errorString()) << Qt::endl;
        return 2;
    }
    QByteArray key;
    if (p.isSet(QStringLiteral("key"))) {
        QString error;
        key = readKey(p.value(QStringLiteral("key")), &error);
        if (key.isEmpty()) {
            err << error << Qt::endl;
            return 2;
        }
    }
    const SnapshotDocument::Verification v = SnapshotDocument::verify(file.readAll(), key);
    const bool json = p.isSet(QStringLiteral("json"));
    if (!v.ok) {
        if (json)
            out << QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("ok"), false},
                                                               {QStringLiteral("error"), v.error}})
                                         .toJson(QJsonDocument::Compact))
                << Qt::endl;
        err << tr("%1: NOT verified: %2").arg(path, v.error) << Qt::endl;
        return 1;
    }
    const QJsonObject s = v.snapshot;
    const QJsonObject report = s.value(QStringLiteral("redaction")).toObject();
    const QString expiresAt = s.value(QStringLiteral("expiresAt")).toString();
    const bool expired = QDateTime::fromString(expiresAt, Qt::ISODateWithMs) <= QDateTime::currentDateTimeUtc();
    if (json) {
        QJsonArray sessions;
        for (const QJsonValue &session : s.value(QStringLiteral("sessions")).toArray()) {
            const QJsonObject o = session.toObject();
            sessions.append(QJsonObject{{QStringLiteral("session"), o.value(QStringLiteral("session"))},
                                        {QStringLiteral("events"), o.value(QStringLiteral("events")).toArray().size()},
                                        {QStringLiteral("sourceHead"), o.value(QStringLiteral("sourceHead"))}});
        }
        out << QString::fromUtf8(
                   QJsonDocument(
                       QJsonObject{
                           {QStringLiteral("ok"), true},
                           {QStringLiteral("snapshot"), s.value(QStringLiteral("id"))},
                           {QStringLiteral("title"), s.value(QStringLiteral("title"))},
                           {QStringLiteral("publisher"), s.value(QStringLiteral("publisher"))},
                           {QStringLiteral("publishedAt"), s.value(QStringLiteral("publishedAt"))},
                           {QStringLiteral("expiresAt"), expiresAt},
                           {QStringLiteral("expired"), expired},
                           {QStringLiteral("sessions"), sessions},
                           {QStringLiteral("events"), v.events},
                           {QStringLiteral("publicKey"),
                            QString::fromLatin1(v.publicKey.toBase64())},
                           {QStringLiteral("keyChecked"), v.keyGiven},
                           {QStringLiteral("redaction"), report}})
                       .toJson(QJsonDocument::Compact))
            << Qt::endl;
        return 0;
    }
    const auto counts = [](const QJsonObject &o) {
        QStringList parts;
        for (auto it = o.begin(); it != o.end(); ++it)
            parts.append(QStringLiteral("%1 %2").arg(it.key()).arg(it.value().toInt()));
        return parts.isEmpty() ? tr("none") : parts.join(QStringLiteral(", "));
    };
    out << tr("verified: signature (Ed25519), %n session chain(s) and every byte", nullptr,
              int(v.sessions.size()))
        << '\n'
        // Anyone can sign a document with a key of their own and name it in the file: only a
        // key from elsewhere says who signed.
        << (v.keyGiven ? tr("key        %1 (the one given with --key)")
                             .arg(QString::fromLatin1(v.publicKey.toBase64()))
                       : tr("key        %1 — named by the file itself, NOT checked: anyone can "
                            "sign with a key of "
                            "their own. Pass --key with the publisher's key (its server's "
                            "/.well-known/casefile-signing-key) to know who signed.")
                             .arg(QString::fromLatin1(v.publicKey.toBase64())))
        << '\n'
        << tr("snapshot   %1  \"%2\"")
               .arg(s.value(QStringLiteral("id")).toString(),
                    s.value(QStringLiteral("title")).toString())
        << '\n'
        << tr("published  %1 by %2")
               .arg(s.value(QStringLiteral("publishedAt")).toString(),
                    s.value(QStringLiteral("publisher"))
                        .toObject()
                        .value(QStringLiteral("name"))
                        .toString())
        << '\n'
        << tr("expires    %1%2")
               .arg(expiresAt, expired ? tr(" (expired; the content still verifies)") : QString())
        << '\n'
        << tr("audience   %1").arg(s.value(QStringLiteral("audience")).toString()) << '\n'
        << tr("sessions   %1 with %2 events").arg(v.sessions.size()).arg(v.events) << '\n';
    for (const QJsonValue &session : s.value(QStringLiteral("sessions")).toArray()) {
        const QJsonObject o = session.toObject();
        const QJsonObject head = o.value(QStringLiteral("sourceHead")).toObject();
        out << tr("  %1  %2 events, made from the record up to seq %3 (%4…)")
                   .arg(o.value(QStringLiteral("session")).toString())
                   .arg(o.value(QStringLiteral("events")).toArray().size())
                   .arg(head.value(QStringLiteral("seq")).toInteger())
                   .arg(head.value(QStringLiteral("hash")).toString().left(12))
            << '\n';
    }
    out << tr("redacted   %1").arg(counts(report.value(QStringLiteral("redacted")).toObject())) << '\n'
        << tr("kept       %1").arg(counts(report.value(QStringLiteral("kept")).toObject())) << '\n'
        << tr("by hand    %1 passages, %2 whole texts")
               .arg(report.value(QStringLiteral("manualSpans")).toInt())
               .arg(report.value(QStringLiteral("wholeTexts")).toInt())
        << '\n'
        << tr("reviewer   %1 at %2")
               .arg(report.value(QStringLiteral("reviewer")).toObject().value(QStringLiteral("name")).toString(),
                    report.value(QStringLiteral("at")).toString())
        << Qt::endl;
    return 0;
}

} // namespace casefile
