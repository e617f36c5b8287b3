#pragma once

#include "ChainReport.h"
#include "Event.h"

#include <QByteArray>
#include <QSet>

namespace casefile {

// Verifies a record one event at a time, in stored order, without holding it in memory.
class ChainVerifier
{
public:
    explicit ChainVerifier(QString session = {});

    // Both return false once the chain is broken; later events are not looked at.
    bool add(const Event &event);
    bool addRaw(const QByteArray &json);
    const ChainReport &report() const { return m_report; }

private:
    bool fail(ChainReport::Problem problem, const QString &message);

    QString m_session;
    QString m_prev;
    QSet<QString> m_ids;
    ChainReport m_report;
};

} // namespace casefile
