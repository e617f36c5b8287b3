#include "ContextModel.h"

#include "DisplayFormat.h"
#include "events/bodies/ContextCapturedBody.h"

#include <QJsonDocument>
#include <QLocale>

namespace casefile {

ContextModel::ContextModel(QObject *parent) : QStandardItemModel(0, 2, parent)
{
    setHorizontalHeaderLabels({tr("Property"), tr("Value")});
}

void ContextModel::addEvents(const QList<Event> &events)
{
    // Only the newest capture matters: an agent captures again after every reconnect.
    for (auto it = events.crbegin(); it != events.crend(); ++it) {
        if (it->kind == EventKind::ContextCaptured) {
            show(*it);
            return;
        }
    }
}

void ContextModel::clear()
{
    removeRows(0, rowCount());
}

void ContextModel::addRow(const QString &key, const QString &value)
{
    auto *k = new QStandardItem(key);
    auto *v = new QStandardItem(value);
    k->setEditable(false);
    v->setEditable(false);
    v->setToolTip(value);
    appendRow({k, v});
}

QString ContextModel::formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString ContextModel::formatUptime(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    const qint64 hours = (seconds % 86400) / 3600;
    const qint64 minutes = (seconds % 3600) / 60;
    if (days > 0)
        return tr("%n day(s), %1 h %2 min", nullptr, int(days)).arg(hours).arg(minutes);
    return tr("%1 h %2 min").arg(hours).arg(minutes);
}

void ContextModel::show(const Event &event)
{
    clear();
    const auto b = event.bodyAs<ContextCapturedBody>();
    addRow(tr("Host name"), b.hostname);
    addRow(tr("Operating system"), b.os);
    addRow(tr("Version"), b.osVersion);
    if (b.osBuild)
        addRow(tr("Build"), *b.osBuild);
    if (b.domain)
        addRow(tr("Domain"), *b.domain);
    if (b.user)
        addRow(tr("Logged-in user"), *b.user);
    if (b.uptimeSeconds)
        addRow(tr("Uptime"), formatUptime(*b.uptimeSeconds));
    if (b.cpu)
        addRow(tr("CPU"), *b.cpu);
    if (b.cpuCores)
        addRow(tr("CPU cores"), QString::number(*b.cpuCores));
    if (b.memoryBytes)
        addRow(tr("Memory"), formatBytes(*b.memoryBytes));
    if (!b.updates.isEmpty()) {
        auto *k = new QStandardItem(tr("Installed updates"));
        auto *v = new QStandardItem(QString::number(b.updates.size()));
        k->setEditable(false);
        v->setEditable(false);
        for (const QString &u : b.updates) {
            auto *uk = new QStandardItem(u);
            uk->setEditable(false);
            auto *uv = new QStandardItem();
            uv->setEditable(false);
            k->appendRow({uk, uv});
        }
        appendRow({k, v});
    }
    // Newer agents may send more; show it rather than hide it.
    for (auto it = b.unknown.constBegin(); it != b.unknown.constEnd(); ++it) {
        const QJsonValue v = it.value();
        addRow(it.key(), v.isString() ? v.toString()
                                      : QString::fromUtf8(
                                            QJsonDocument::fromVariant(QVariantList{v.toVariant()})
                                                .toJson(QJsonDocument::Compact)));
    }
    addRow(tr("Captured at"),
           DisplayFormat::exactly(QDateTime::fromString(event.at, Qt::ISODateWithMs)));
}

QString ContextModel::value(const QString &key) const
{
    const auto found = findItems(key, Qt::MatchExactly, 0);
    return found.isEmpty() ? QString() : item(found.first()->row(), 1)->text();
}

} // namespace casefile
