#include "SearchText.h"

namespace casefile {

QString SearchText::of(const Event &event)
{
    const auto field = [&](const char *key) {
        return event.body.value(QLatin1String(key)).toString();
    };
    switch (event.kind) {
    case EventKind::CommandRequested:
    case EventKind::HypothesisAdded:
    case EventKind::ChatMessage:
    case EventKind::NoteAdded:
        return field("text");
    case EventKind::CommandOutput:
        return field("data");
    case EventKind::HypothesisUpdated:
        return field("note");
    case EventKind::SessionOpened:
        return field("title");
    default:
        return {};
    }
}

} // namespace casefile
