#pragma once

#include <QByteArray>
#include <QByteArrayView>

struct evp_md_ctx_st;

namespace casefile {

// SHA-256 through OpenSSL's libcrypto, which uses the CPU's SHA instructions where there are
// any: about ten times QCryptographicHash's speed here, and the hash chain hashes every byte
// of every session (see docs/BENCHMARKS.md). Fed in pieces, an input made of parts need not be
// joined into one copy first.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void add(QByteArrayView data);
    QByteArray result(); // 32 bytes, of everything added; add nothing after it

    static QByteArray hash(QByteArrayView data); // 32 bytes

private:
    evp_md_ctx_st *m_context;
};

} // namespace casefile
