#pragma once

#include "SessionController.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QStandardItemModel;

namespace casefile {

class SessionFilterBar;

// Search all sessions of the org on the server (Ctrl+Shift+F): words, phrases and prefixes,
// filtered by client group, endpoint, technician, tag and the date a session was opened. One
// page at a time ("More results"); activating a hit opens its session at that entry.
class TeamSearchDialog : public QDialog
{
    Q_OBJECT
public:
    enum Role
    {
        SessionRole = Qt::UserRole + 1,
        SeqRole,
        CommandRole,
    };
    static constexpr int pageSize = 50;

    explicit TeamSearchDialog(SessionController *controller, QWidget *parent = nullptr);

    QLineEdit *textEdit() const { return m_text; }
    QListView *resultsView() const { return m_results; }
    QStandardItemModel *results() const { return m_model; }
    QPushButton *moreButton() const { return m_more; }
    QLabel *status() const { return m_status; }
    void setPageSize(int size) { m_pageSize = size; }
    bool isBusy() const { return m_busy; }

    void search();
    void loadMore();

signals:
    // firstWord: the first word searched for, to find in a command's output.
    void hitActivated(const QString &session, qint64 seq, const QString &command, const QString &firstWord);

private:
    void fetch(int offset);

    SessionController *m_controller;
    QLineEdit *m_text;
    SessionFilterBar *m_filters;
    QPushButton *m_search;
    QListView *m_results;
    QStandardItemModel *m_model;
    QPushButton *m_more;
    QLabel *m_status;
    SessionController::TeamQuery m_query;
    int m_pageSize = pageSize;
    int m_generation = 0; // a newer search makes the answers of older ones stale
    bool m_busy = false;
};

} // namespace casefile
