#include "OutputStreams.h"

namespace casefile {

OutputStreams::OutputStreams(FILE *out, FILE *err) : m_out(out), m_err(err) {}

void OutputStreams::write(bool toStderr, const QByteArray &data)
{
    FILE *stream = toStderr ? m_err : m_out;
    if (m_last && m_last != stream)
        std::fflush(m_last);
    std::fwrite(data.constData(), 1, size_t(data.size()), stream);
    m_last = stream;
}

void OutputStreams::flush()
{
    std::fflush(m_out);
    std::fflush(m_err);
}

} // namespace casefile
