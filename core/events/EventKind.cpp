#include "EventKind.h"

#include <QList>

namespace casefile {

namespace {
struct KindName
{
    EventKind kind;
    const char16_t *name;
};

constexpr KindName kNames[] = {
    {EventKind::SessionOpened, u"session.opened"},
    {EventKind::ContextCaptured, u"context.captured"},
    {EventKind::CommandRequested, u"command.requested"},
    {EventKind::ApprovalRequested, u"approval.requested"},
    {EventKind::ApprovalDecided, u"approval.decided"},
    {EventKind::CommandStarted, u"command.started"},
    {EventKind::CommandOutput, u"command.output"},
    {EventKind::CommandFinished, u"command.finished"},
    {EventKind::HypothesisAdded, u"hypothesis.added"},
    {EventKind::HypothesisUpdated, u"hypothesis.updated"},
    {EventKind::ChatMessage, u"chat.message"},
    {EventKind::NoteAdded, u"note.added"},
    {EventKind::SessionClosed, u"session.closed"},
};
} // namespace

QString eventKindName(EventKind kind)
{
    for (const auto &entry : kNames) {
        if (entry.kind == kind)
            return QString::fromUtf16(entry.name);
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<EventKind> eventKindFromName(QStringView name)
{
    for (const auto &entry : kNames) {
        if (name == QStringView(entry.name))
            return entry.kind;
    }
    return std::nullopt;
}

const QList<EventKind> &allEventKinds()
{
    static const QList<EventKind> kinds = [] {
        QList<EventKind> list;
        for (const auto &entry : kNames)
            list.append(entry.kind);
        return list;
    }();
    return kinds;
}

} // namespace casefile
