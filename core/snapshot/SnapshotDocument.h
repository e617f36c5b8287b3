#pragma once

#include "SnapshotPackage.h"
#include "SnapshotSigner.h"

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

namespace casefile {

// The published form of a snapshot: {"snapshot": {...}, "signature": {...}}, where the
// signature is Ed25519 over the canonical JSON of "snapshot" (docs/PROTOCOL.md section 7).
// The snapshot holds the redacted sessions, each chained anew so its chain verifies on its
// own, next to the head hash of the record it was made from, and the redaction report.
class SnapshotDocument
{
public:
    static const QString format; // "casefile-snapshot/1"

    struct Meta
    {
        QString id;
        QString org;
        QString title;
        QString summary;
        QString audience; // "org" or "link"
        QString publishedAt;
        QString expiresAt;
        QJsonObject publisher; // {"id", "name"}
    };

    struct Verification
    {
        bool ok = false;
        QString error;           // where and why it failed
        QJsonObject snapshot;    // when the signature held
        QStringList sessions;
        qint64 events = 0;
        QByteArray publicKey; // the key the signature held for
        bool keyGiven =
            false; // checked against a key from elsewhere, not only the one the file names
    };

    // The unsigned snapshot object: meta, sessions (redacted events + source head) and report.
    static QJsonObject build(const Meta &meta, const QList<QList<Event>> &originals,
                             const SnapshotPackage::Result &redacted);
    static QJsonObject sign(const QJsonObject &snapshot, const SnapshotSigner &signer);
    // The bytes that are served and exported: canonical JSON of the signed document.
    static QByteArray encode(const QJsonObject &signedDocument);
    // SHA-256 of each part of a snapshot ("title", "redaction" …, one per session), signed
    // with it as "digests" so a verifier can say which part changed.
    static QJsonObject digests(const QJsonObject &snapshot);

    // Checks the signature (against `publicKey` when given, else the key the file names) and
    // every session's hash chain. When the signature fails, the error says where the document
    // differs from what was signed: the parts whose signed digests no longer match, and the
    // first broken event of each session.
    static Verification verify(const QByteArray &bytes, const QByteArray &publicKey = {});
};

} // namespace casefile
