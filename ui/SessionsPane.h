#pragma once

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QTreeView;

namespace casefile {

class SessionController;
class SessionFilterBar;
class SessionFilterProxy;
class SessionTreeModel;

// The sessions browser: client group → endpoint → session, with free-text search (including a
// full-text search of the cached commands and outputs), filters, live sessions marked, and
// double-click (or Enter) to open.
class SessionsPane : public QWidget
{
    Q_OBJECT
public:
    explicit SessionsPane(SessionController *controller, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    SessionFilterProxy *proxy() const { return m_proxy; }
    QLineEdit *searchEdit() const { return m_search; }
    QString currentSession() const;
    QString currentEndpoint() const;
    // Runs the pending search now instead of after the typing pause.
    void searchNow();

signals:
    void openRequested(const QString &session);

private:
    SessionController *m_controller;
    SessionTreeModel *m_model;
    SessionFilterProxy *m_proxy;
    QLineEdit *m_search;
    SessionFilterBar *m_filters;
    QCheckBox *m_liveOnly;
    QLabel *m_hits;
    QTreeView *m_view;
    QTimer m_searchDelay;
};

} // namespace casefile
