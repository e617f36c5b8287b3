#include "SnapshotSigner.h"

#include <QFile>
#include <QSaveFile>
#include <sodium.h>

namespace casefile {

bool SnapshotSigner::init()
{
    static const bool ok = sodium_init() >= 0;
    return ok;
}

SnapshotSigner SnapshotSigner::generate()
{
    init();
    SnapshotSigner s;
    s.m_public.resize(crypto_sign_PUBLICKEYBYTES);
    s.m_secret.resize(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(reinterpret_cast<unsigned char *>(s.m_public.data()),
                        reinterpret_cast<unsigned char *>(s.m_secret.data()));
    return s;
}

std::optional<SnapshotSigner> SnapshotSigner::loadOrCreate(const QString &path, QString *error)
{
    if (!init()) {
        *error = QStringLiteral("libsodium could not be initialised");
        return std::nullopt;
    }
    QFile file(path);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the signing key %1: %2").arg(path, file.errorString());
            return std::nullopt;
        }
        const QByteArray secret = QByteArray::fromBase64(file.readAll().trimmed());
        if (secret.size() != crypto_sign_SECRETKEYBYTES) {
            *error = QStringLiteral("the signing key %1 is damaged (expected %2 bytes in base64)")
                         .arg(path)
                         .arg(crypto_sign_SECRETKEYBYTES);
            return std::nullopt;
        }
        SnapshotSigner s;
        s.m_secret = secret;
        s.m_public.resize(crypto_sign_PUBLICKEYBYTES);
        crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char *>(s.m_public.data()),
                                     reinterpret_cast<const unsigned char *>(s.m_secret.constData()));
        return s;
    }
    SnapshotSigner s = generate();
    QSaveFile out(path);
    // Owner-only from the first byte: the key is never readable by anyone else.
    if (!out.open(QIODevice::WriteOnly)
        || !out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || out.write(s.m_secret.toBase64() + '\n') < 0 || !out.commit()) {
        *error = QStringLiteral("cannot write the signing key %1: %2").arg(path, out.errorString());
        return std::nullopt;
    }
    return s;
}

QByteArray SnapshotSigner::sign(const QByteArray &message) const
{
    QByteArray signature(crypto_sign_BYTES, Qt::Uninitialized);
    crypto_sign_detached(reinterpret_cast<unsigned char *>(signature.data()), nullptr,
                         reinterpret_cast<const unsigned char *>(message.constData()), size_t(message.size()),
                         reinterpret_cast<const unsigned char *>(m_secret.constData()));
    return signature;
}

bool SnapshotSigner::verify(const QByteArray &message, const QByteArray &signature, const QByteArray &publicKey)
{
    if (!init() || signature.size() != crypto_sign_BYTES || publicKey.size() != crypto_sign_PUBLICKEYBYTES)
        return false;
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char *>(signature.constData()),
                                       reinterpret_cast<const unsigned char *>(message.constData()),
                                       size_t(message.size()),
                                       reinterpret_cast<const unsigned char *>(publicKey.constData()))
           == 0;
}

} // namespace casefile
