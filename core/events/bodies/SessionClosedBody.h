#pragma once

#include "../EventKind.h"
#include "../JsonReader.h"

namespace casefile {

// session.closed: nothing may be appended after it.
struct SessionClosedBody
{
    static constexpr EventKind kind = EventKind::SessionClosed;
    std::optional<QString> summary;
    QJsonObject unknown; // fields from newer peers, carried along unchanged

    static SessionClosedBody read(JsonReader &reader);
    QJsonObject toJson() const;
};

} // namespace casefile
