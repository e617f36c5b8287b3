#include "Sha256.h"

#include <openssl/evp.h>

namespace casefile {

QByteArray Sha256::hash(QByteArrayView data)
{
    QByteArray digest(32, Qt::Uninitialized);
    unsigned int size = 0;
    if (!EVP_Digest(data.data(), size_t(data.size()),
                    reinterpret_cast<unsigned char *>(digest.data()), &size, EVP_sha256(),
                    nullptr) ||
        size != 32)
        qFatal("SHA-256 failed in libcrypto"); // no state of ours can cause this
    return digest;
}

} // namespace casefile
