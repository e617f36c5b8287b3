#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace casefile {

// SHA-256 through OpenSSL's libcrypto, which uses the CPU's SHA instructions where there are
// any: about ten times QCryptographicHash's speed here, and the hash chain hashes every byte
// of every session (see docs/BENCHMARKS.md).
class Sha256
{
public:
    static QByteArray hash(QByteArrayView data); // 32 bytes
};

} // namespace casefile
