#pragma once

#include <QDate>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QFormLayout;
class QLineEdit;

namespace casefile {

class SessionFilterProxy;
class SessionTreeModel;

// The session filters the sessions browser, the review dialog's first page and the team search
// share: client group, endpoint, technician, tag and the dates a session was opened between. One
// place builds, names (for screen readers) and fills them, so the three cannot drift apart.
class SessionFilterBar : public QWidget
{
    Q_OBJECT
public:
    enum class Shape
    {
        Column,     // one form, a row each (the narrow sessions pane, the team search)
        TwoColumns, // lists beside tag and dates, labels with mnemonics (the review dialog's wide page)
    };

    // daysBack: how far before today "Opened between" starts when first ticked.
    SessionFilterBar(SessionTreeModel *sessions, Shape shape, int daysBack, QWidget *parent = nullptr);

    // With a proxy, every change filters it at once (a browser narrows as one types); without
    // one, read the values when needed (a search sent to the server).
    void setProxy(SessionFilterProxy *proxy);
    void setTechnicianShown(bool shown);
    // A full-width row under the dates.
    void addRow(QWidget *widget);
    QLineEdit *tagEdit() const { return m_tag; }

    // Ids; empty: any.
    QString clientGroup() const;
    QString endpoint() const;
    QString technician() const;
    QString tag() const; // trimmed
    // Invalid unless "Opened between" is ticked.
    QDate from() const;
    QDate to() const;

    // Reads the lists again from the sessions. A choice still offered stays chosen; one that is
    // gone falls back to "All …" / "Anyone", and the proxy follows.
    void refill();

signals:
    void changed();

private:
    void datesChanged();

    SessionTreeModel *m_sessions;
    SessionFilterProxy *m_proxy = nullptr;
    QComboBox *m_group;
    QComboBox *m_endpoint;
    QComboBox *m_technician;
    QLineEdit *m_tag;
    QCheckBox *m_useDates;
    QDateEdit *m_from;
    QDateEdit *m_to;
    QFormLayout *m_technicianForm; // the form holding the technician's row
    QFormLayout *m_lastForm;       // where addRow() puts its rows
};

} // namespace casefile
