#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace casefile {

// An Ed25519 key pair (libsodium) that signs snapshots. The server makes one on first start
// and keeps it in its data directory, readable only by itself; the public half is published
// at /.well-known/casefile-signing-key so anyone can check a snapshot or an export.
class SnapshotSigner
{
public:
    static constexpr int publicKeyBytes = 32;
    static constexpr int signatureBytes = 64;

    static SnapshotSigner generate();
    // Reads the key file, or makes a new key pair and writes it there (mode 0600).
    static std::optional<SnapshotSigner> loadOrCreate(const QString &path, QString *error);

    QByteArray publicKey() const { return m_public; }
    QByteArray sign(const QByteArray &message) const;
    static bool verify(const QByteArray &message, const QByteArray &signature, const QByteArray &publicKey);

private:
    static bool init();

    QByteArray m_secret; // 64 bytes: libsodium's seed + public key form
    QByteArray m_public;
};

} // namespace casefile
