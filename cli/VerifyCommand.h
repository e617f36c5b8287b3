#pragma once

#include <QCoreApplication>
#include <QStringList>
#include <QTextStream>

namespace casefile {

// `casefile-cli verify FILE [--key PUBKEY] [--json]`: checks a snapshot (an export, or what
// /s/<token>.json served) — its Ed25519 signature, every session's hash chain, the exact bytes —
// and prints what it covers. Exit 0 verified, 1 not, 2 usage. Needs no server.
class VerifyCommand
{
    Q_DECLARE_TR_FUNCTIONS(VerifyCommand)

public:
    static int run(const QStringList &args, QTextStream &out, QTextStream &err);

private:
    // A base64 key, a file holding one, or the server's /.well-known JSON saved to a file.
    static QByteArray readKey(const QString &value, QString *error);
};

} // namespace casefile
