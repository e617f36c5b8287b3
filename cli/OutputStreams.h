#pragma once

#include <QByteArray>

#include <cstdio>

namespace casefile {

// A command's output as it printed it, on the cli's own stdout and stderr. Redirected to one
// file or pipe (`> log 2>&1`), stdout is fully buffered and stderr is not: written as they
// come, stderr's lines would land before stdout's that were printed earlier. So whatever is
// buffered for one stream goes out before the other is written to.
class OutputStreams
{
public:
    explicit OutputStreams(FILE *out = stdout, FILE *err = stderr);

    void write(bool toStderr, const QByteArray &data);
    // Before anything else is printed (the cli's own messages), and at the end of a batch.
    void flush();

private:
    FILE *m_out;
    FILE *m_err;
    FILE *m_last = nullptr; // written to last, maybe with bytes still buffered
};

} // namespace casefile
