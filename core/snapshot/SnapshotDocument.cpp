#include "SnapshotDocument.h"

#include "events/CanonicalJson.h"
#include "events/ChainVerifier.h"
#include "events/EventCodec.h"

#include <QCryptographicHash>
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
    QJsonObject snapshot{{QStringLiteral("format"), format},
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
    snapshot.insert(QStringLiteral("digests"), digests(snapshot));
    return snapshot;
}

QJsonObject SnapshotDocument::digests(const QJsonObject &snapshot)
{
    const auto digest = [](const QJsonValue &v) {
        return QString::fromLatin1(QCryptographicHash::hash(CanonicalJson::encode(v), QCryptographicHash::Sha256).toHex());
    };
    QJsonObject out;
    for (auto it = snapshot.begin(); it != snapshot.end(); ++it) {
        if (it.key() == QLatin1String("digests"))
            continue;
        if (it.key() == QLatin1String("sessions")) {
            QJsonArray sessions;
            for (const QJsonValue &session : it.value().toArray())
                sessions.append(digest(session));
            out.insert(it.key(), sessions);
        } else {
            out.insert(it.key(), digest(it.value()));
        }
    }
    return out;
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
    // Strict base64: the lenient decoder skips characters it does not know, so a changed byte
    // (the key's padding '=' made ')') would still decode to the same key and verify.
    const auto strict = [](const QJsonValue &value) {
        const auto decoded = QByteArray::fromBase64Encoding(
            value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        return decoded ? decoded.decoded : QByteArray();
    };
    const QByteArray named = strict(signature.value(QStringLiteral("publicKey")));
    const QByteArray key = publicKey.isEmpty() ? named : publicKey;
    v.publicKey = key;
    v.keyGiven = !publicKey.isEmpty();
    if (!publicKey.isEmpty() && named != publicKey) {
        v.error = QStringLiteral("signature.publicKey: signed by another key than the one given");
        return v;
    }
    if (key.size() != SnapshotSigner::publicKeyBytes) {
        v.error = QStringLiteral("signature.publicKey: expected a base64 Ed25519 public key (%1 bytes)")
                      .arg(SnapshotSigner::publicKeyBytes);
        return v;
    }
    const QByteArray sig = strict(signature.value(QStringLiteral("value")));
    if (sig.size() != SnapshotSigner::signatureBytes) {
        v.error = QStringLiteral("signature.value: expected a base64 Ed25519 signature (%1 bytes)")
                      .arg(SnapshotSigner::signatureBytes);
        return v;
    }
    // Where a change is: each part's digest (signed with the rest) and each session's chain,
    // so a failure names the part and the event, not only the signature that no longer holds.
    QStringList changed;
    const QJsonObject signedDigests = snapshot.value(QStringLiteral("digests")).toObject();
    if (!signedDigests.isEmpty()) {
        const QJsonObject actual = digests(snapshot);
        for (auto it = actual.begin(); it != actual.end(); ++it) {
            if (it.value().isArray()) {
                const QJsonArray now = it.value().toArray();
                const QJsonArray then = signedDigests.value(it.key()).toArray();
                for (qsizetype i = 0; i < now.size(); ++i) {
                    if (now.at(i) != then.at(i))
                        changed.append(QStringLiteral("%1[%2]").arg(it.key()).arg(i));
                }
                if (then.size() != now.size())
                    changed.append(QStringLiteral("%1 (%2 instead of %3)").arg(it.key()).arg(now.size()).arg(then.size()));
            } else if (it.value() != signedDigests.value(it.key())) {
                changed.append(it.key());
            }
        }
        for (auto it = signedDigests.begin(); it != signedDigests.end(); ++it) {
            if (!actual.contains(it.key()))
                changed.append(it.key() + QStringLiteral(" (removed)"));
        }
    }
    QStringList broken;
    QStringList ids;
    qint64 count = 0;
    const QJsonArray sessions = snapshot.value(QStringLiteral("sessions")).toArray();
    for (qsizetype s = 0; s < sessions.size(); ++s) {
        const QJsonObject session = sessions.at(s).toObject();
        const QString id = session.value(QStringLiteral("session")).toString();
        ChainVerifier chain(id);
        const QJsonArray events = session.value(QStringLiteral("events")).toArray();
        for (qsizetype i = 0; i < events.size(); ++i) {
            const auto decoded = EventCodec::fromJson(events.at(i).toObject(), EventCodec::Mode::Sealed);
            if (!decoded.ok()) {
                broken.append(QStringLiteral("sessions[%1] (%2) events[%3]: %4").arg(s).arg(id).arg(i).arg(decoded.error.toString()));
                break;
            }
            if (!chain.add(decoded.event)) {
                broken.append(QStringLiteral("sessions[%1] (%2): %3").arg(s).arg(id, chain.report().toString()));
                break;
            }
        }
        ids.append(id);
        count += events.size();
    }
    const bool signatureHolds = SnapshotSigner::verify(CanonicalJson::encode(snapshot), sig, key);
    // The most precise place first: a broken chain names the event.
    if (!broken.isEmpty()) {
        v.error = broken.join(QStringLiteral("; "));
        if (!signatureHolds)
            v.error += QStringLiteral("; the signature does not match either");
        if (!changed.isEmpty())
            v.error += QStringLiteral("; changed after signing: ") + changed.join(QStringLiteral(", "));
        return v;
    }
    if (!signatureHolds) {
        v.error = QStringLiteral("signature: does not match the snapshot")
                  + (changed.isEmpty()
                         ? QStringLiteral(" (the signature or the digests were changed, or another key signed it)")
                         : QStringLiteral("; changed after signing: ") + changed.join(QStringLiteral(", ")));
        return v;
    }
    // The values are as signed; so must the bytes be (what is published is canonical JSON), so
    // that no byte of the file changes unnoticed, not even white space.
    const QByteArray canonical = encode(root);
    if (canonical != bytes) {
        qsizetype at = 0;
        while (at < canonical.size() && at < bytes.size() && canonical.at(at) == bytes.at(at))
            ++at;
        v.error = QStringLiteral("byte %1: the file differs from the signed document's canonical form "
                                 "(formatting or encoding changed)")
                      .arg(at);
        return v;
    }
    v.sessions = ids;
    v.events = count;
    v.ok = true;
    v.snapshot = snapshot;
    return v;
}

} // namespace casefile
