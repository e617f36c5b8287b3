#pragma once

#include <QString>

#include <optional>

namespace casefile {

// Every kind of event a session record can hold. The wire names are in docs/PROTOCOL.md.
enum class EventKind {
    SessionOpened,
    ContextCaptured,
    CommandRequested,
    ApprovalRequested,
    ApprovalDecided,
    CommandStarted,
    CommandOutput,
    CommandFinished,
    HypothesisAdded,
    HypothesisUpdated,
    ChatMessage,
    NoteAdded,
    SessionClosed,
};

QString eventKindName(EventKind kind);
std::optional<EventKind> eventKindFromName(QStringView name);
// All kinds, in declaration order; handy for tests and documentation.
const QList<EventKind> &allEventKinds();

} // namespace casefile
