#pragma once

#include "../EventKind.h"
#include "../JsonReader.h"

namespace casefile {

// hypothesis.added: a possible cause the technician will rule out or confirm.
struct HypothesisAddedBody
{
    static constexpr EventKind kind = EventKind::HypothesisAdded;
    QString hypothesis; // hypothesis id
    QString text;
    QJsonObject unknown; // fields from newer peers, carried along unchanged

    static HypothesisAddedBody read(JsonReader &reader);
    QJsonObject toJson() const;
};

} // namespace casefile
