#pragma once

#include "../EventKind.h"
#include "../JsonReader.h"

namespace casefile {

// note.added: a technician's note in the record.
struct NoteAddedBody
{
    static constexpr EventKind kind = EventKind::NoteAdded;
    QString text;
    QJsonObject unknown; // fields from newer peers, carried along unchanged

    static NoteAddedBody read(JsonReader &reader);
    QJsonObject toJson() const;
};

} // namespace casefile
