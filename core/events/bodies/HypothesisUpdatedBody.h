#pragma once

#include "../EventKind.h"
#include "../JsonReader.h"

namespace casefile {

// hypothesis.updated: open / ruled_out / confirmed, with the evidence that decided it.
struct HypothesisUpdatedBody
{
    static constexpr EventKind kind = EventKind::HypothesisUpdated;
    // One piece of evidence: a command, optionally narrowed to a range of its output lines.
    struct Evidence
    {
        QString command;
        std::optional<qint64> fromLine;
        std::optional<qint64> toLine;
        QJsonObject unknown;
    };

    static const QStringList states; // open, ruled_out, confirmed
    QString hypothesis;
    QString status;
    QList<Evidence> evidence;
    std::optional<QString> note;
    QJsonObject unknown; // fields from newer peers, carried along unchanged

    static HypothesisUpdatedBody read(JsonReader &reader);
    QJsonObject toJson() const;
};

} // namespace casefile
