#include "SnapshotDocument.h"

#include "events/CanonicalJson.h"
#include "events/ChainVerifier.h"
#include "events/EventCodec.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace casefile {

const QString SnapshotDocument::format = QStringLiteral("casefile-snapshot/1");

QJsonObject SnapshotDocument::build(const Meta &meta, const QList<QList<Event>> &originals,
                                    const SnapshotPackage::Result &redacted)
{
    QJsonArray sessions;
    for (qsizetype s = 0; s < redacted.sessions.size(); ++s) {
        const QList<Event> &events = redacted.sessions.at(s);
        QJsonArray list;
        for (const Event &e : events)
            list.append(e.toJson());
        const QList<Event> &source = originals.value(s);
        sessions.append(QJsonObject{
            {QStringLiteral("session"), events.isEmpty() ? QString() : events.first().session},
            {QStringLiteral("sourceHead"),
             QJsonObject{{QStringLiteral("seq"), source.isEmpty() ? 0 : source.last().seq},
                         {QStringLiteral("hash"), source.isEmpty() ? QString() : source.last().hash}}},
            {QStringLiteral("events"), list}});
    }
    QJsonObject report = redacted.report;
    report.insert(QStringLiteral("reviewer"), meta.publisher);
    report.insert(QStringLiteral("at"), meta.publishedAt);
    return {{QStringLiteral("format"), format},
            {QStringLiteral("id"), meta.id},
            {QStringLiteral("org"), meta.org},
            {QStringLiteral("title"), meta.title},
            {QStringLiteral("summary"), meta.summary},
            {QStringLiteral("audience"), meta.audience},
            {QStringLiteral("publishedAt"), meta.publishedAt},
            {QStringLiteral("expiresAt"), meta.expiresAt},
            {QStringLiteral("publisher"), meta.publisher},
            {QStringLiteral("sessions"), sessions},
            {QStringLiteral("redaction"), report}};
}

QJsonObject SnapshotDocument::sign(const QJsonObject &snapshot, const SnapshotSigner &signer)
{
    const QByteArray signature = signer.sign(CanonicalJson::encode(snapshot));
    return {{QStringLiteral("snapshot"), snapshot},
            {QStringLiteral("signature"),
             QJsonObject{{QStringLiteral("alg"), QStringLiteral("Ed25519")},
                         {QStringLiteral("publicKey"), QString::fromLatin1(signer.publicKey().toBase64())},
                         {QStringLiteral("value"), QString::fromLatin1(signature.toBase64())}}}};
}

QByteArray SnapshotDocument::encode(const QJsonObject &signedDocument)
{
    return CanonicalJson::encode(signedDocument);
}

SnapshotDocument::Verification SnapshotDocument::verify(const QByteArray &bytes, const QByteArray &publicKey)
{
    Verification v;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        v.error = QStringLiteral("not a snapshot: JSON error at byte %1: %2")
                      .arg(parseError.offset)
                      .arg(parseError.errorString());
        return v;
    }
    const QJsonObject root = doc.object();
    const QJsonObject snapshot = root.value(QStringLiteral("snapshot")).toObject();
    const QJsonObject signature = root.value(QStringLiteral("signature")).toObject();
    if (snapshot.value(QStringLiteral("format")).toString() != format) {
        v.error = QStringLiteral("not a snapshot: snapshot.format is not %1").arg(format);
        return v;
    }
    if (signature.value(QStringLiteral("alg")).toString() != QLatin1String("Ed25519")) {
        v.error = QStringLiteral("signature.alg: expected Ed25519");
        return v;
    }
    const QByteArray named = QByteArray::fromBase64(signature.value(QStringLiteral("publicKey")).toString().toLatin1());
    const QByteArray key = publicKey.isEmpty() ? named : publicKey;
    if (!publicKey.isEmpty() && named != publicKey) {
        v.error = QStringLiteral("signature.publicKey: signed by another key than the one given");
        return v;
    }
    const QByteArray sig = QByteArray::fromBase64(signature.value(QStringLiteral("value")).toString().toLatin1());
    if (!SnapshotSigner::verify(CanonicalJson::encode(snapshot), sig, key)) {
        v.error = QStringLiteral("signature: does not match the snapshot (changed after signing, or another key)");
        return v;
    }
    const QJsonArray sessions = snapshot.value(QStringLiteral("sessions")).toArray();
    for (qsizetype s = 0; s < sessions.size(); ++s) {
        const QJsonObject session = sessions.at(s).toObject();
        const QString id = session.value(QStringLiteral("session")).toString();
        ChainVerifier chain(id);
        const QJsonArray events = session.value(QStringLiteral("events")).toArray();
        for (const QJsonValue &e : events) {
            const auto decoded = EventCodec::fromJson(e.toObject(), EventCodec::Mode::Sealed);
            if (!decoded.ok() || !chain.add(decoded.event)) {
                v.error = QStringLiteral("sessions[%1] (%2): %3")
                              .arg(s)
                              .arg(id, decoded.ok() ? chain.report().toString() : decoded.error.toString());
                return v;
            }
        }
        v.sessions.append(id);
        v.events += events.size();
    }
    v.ok = true;
    v.snapshot = snapshot;
    return v;
}

} // namespace casefile
