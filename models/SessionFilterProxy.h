#pragma once

#include <QDate>
#include <QSet>
#include <QSortFilterProxyModel>

namespace casefile {

// Filters the sessions browser (a SessionTreeModel) by free text, client group, endpoint,
// technician, tag, date range and liveness. Sessions are what is filtered; a client group or an
// endpoint stays visible while one of its sessions does (or, with no filter, always).
// Free text matches a session's title, ticket, tags, endpoint, client group and technician, or
// a session that a full-text search into commands and outputs found (setTextHits).
class SessionFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit SessionFilterProxy(QObject *parent = nullptr);

    void setText(const QString &text);
    void setTextHits(const QSet<QString> &sessions);
    void setClientGroup(const QString &id); // empty: any
    void setEndpoint(const QString &id);
    void setTechnician(const QString &id);
    void setTag(const QString &tag);
    void setDateRange(const QDate &from, const QDate &to); // invalid: open-ended
    void setLiveOnly(bool liveOnly);

    QString text() const { return m_text; }
    bool isFiltering() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool sessionMatches(const QModelIndex &index) const;
    void refilter();

    QString m_text;
    QSet<QString> m_hits;
    QString m_clientGroup;
    QString m_endpoint;
    QString m_technician;
    QString m_tag;
    QDate m_from;
    QDate m_to;
    bool m_liveOnly = false;
};

} // namespace casefile
