#pragma once

#include "HandoffSummary.h"

#include <QWidget>

class QTextBrowser;
class QToolButton;

namespace casefile {

// The handoff summary above a snapshot or a past session's timeline: what was ruled out (with
// the evidence lines), confirmed, still open, changed, and the last result. Collapsible; an
// evidence link shows that command's output at its lines.
class HandoffPane : public QWidget
{
    Q_OBJECT
public:
    explicit HandoffPane(QWidget *parent = nullptr);

    void setSummary(const HandoffSummary &summary);
    const HandoffSummary &summary() const { return m_summary; }
    QTextBrowser *browser() const { return m_browser; }
    void setExpanded(bool expanded);
    bool isExpanded() const;

signals:
    // fromLine counts from 0 as recorded.
    void evidenceActivated(const QString &command, qint64 fromLine);

private:
    HandoffSummary m_summary;
    QToolButton *m_toggle;
    QTextBrowser *m_browser;
};

} // namespace casefile
