#pragma once

#include "events/Event.h"

#include <QStandardItemModel>

namespace casefile {

// The machine context an agent captured (context.captured), as a key/value tree: the latest
// capture of the session, with installed updates and fields from newer agents as children.
class ContextModel : public QStandardItemModel
{
    Q_OBJECT
public:
    explicit ContextModel(QObject *parent = nullptr);
    void addEvents(const QList<Event> &events);
    void clear();
    // The value shown for a key of the top level ("Host name" …), for tests and the summary.
    QString value(const QString &key) const;

    static QString formatBytes(qint64 bytes);
    static QString formatUptime(qint64 seconds);

private:
    void show(const Event &event);
    void addRow(const QString &key, const QString &value);
};

} // namespace casefile
