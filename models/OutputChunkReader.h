#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <optional>

namespace casefile {

// Reads command, stream and data out of a stored command.output document (JSON as the local
// cache keeps it) without building a QJsonDocument: the data is handed over as it stands in the
// document, JSON escapes and all, for OutputBuffer::appendJsonEscaped() to decode straight into
// the buffer. A million-line output then loads at memory speed instead of JSON-parser speed.
// For documents the cache stored after checking them; anything unexpected is reported
// (nullopt), never guessed.
class OutputChunkReader
{
public:
    struct Chunk
    {
        QByteArray command;
        bool stderrStream = false;
        QByteArrayView escapedData; // into the document: the data string between its quotes
        // The data decoded to UTF-8, or a null QByteArray when an escape is invalid.
        QByteArray data() const;
    };
    static std::optional<Chunk> read(QByteArrayView doc);
};

} // namespace casefile
