#pragma once

#include "../EventKind.h"
#include "../JsonReader.h"

namespace casefile {

// context.captured: what the agent learned about the machine when it connected.
struct ContextCapturedBody
{
    static constexpr EventKind kind = EventKind::ContextCaptured;
    QString hostname;
    QString os;
    QString osVersion;
    std::optional<QString> osBuild;
    std::optional<QString> domain;
    std::optional<QString> user;
    std::optional<qint64> uptimeSeconds;
    std::optional<QString> cpu;
    std::optional<qint64> cpuCores;
    std::optional<qint64> memoryBytes;
    QStringList updates;
    QJsonObject unknown; // fields from newer peers, carried along unchanged

    static ContextCapturedBody read(JsonReader &reader);
    QJsonObject toJson() const;
};

} // namespace casefile
