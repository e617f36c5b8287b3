#include "Sha256.h"

#include <openssl/evp.h>

namespace casefile {

namespace {
[[noreturn]] void libcryptoFailed()
{
    qFatal("SHA-256 failed in libcrypto"); // no state of ours can cause this
}
} // namespace

Sha256::Sha256() : m_context(EVP_MD_CTX_new())
{
    if (!m_context || !EVP_DigestInit_ex(m_context, EVP_sha256(), nullptr))
        libcryptoFailed();
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(m_context);
}

void Sha256::add(QByteArrayView data)
{
    if (!data.isEmpty() && !EVP_DigestUpdate(m_context, data.data(), size_t(data.size())))
        libcryptoFailed();
}

QByteArray Sha256::result()
{
    QByteArray digest(32, Qt::Uninitialized);
    unsigned int size = 0;
    if (!EVP_DigestFinal_ex(m_context, reinterpret_cast<unsigned char *>(digest.data()), &size) ||
        size != 32)
        libcryptoFailed();
    return digest;
}

QByteArray Sha256::hash(QByteArrayView data)
{
    QByteArray digest(32, Qt::Uninitialized);
    unsigned int size = 0;
    if (!EVP_Digest(data.data(), size_t(data.size()),
                    reinterpret_cast<unsigned char *>(digest.data()), &size, EVP_sha256(),
                    nullptr) ||
        size != 32)
        libcryptoFailed();
    return digest;
}

} // namespace casefile
