#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace casefile::json {

// Absent optionals are left out rather than written as null, so the canonical form is unique.
template<typename T>
inline void insertOptional(QJsonObject &object, const QString &key, const std::optional<T> &value)
{
    if (value)
        object.insert(key, *value);
}

inline void insertList(QJsonObject &object, const QString &key, const QStringList &list)
{
    if (!list.isEmpty())
        object.insert(key, QJsonArray::fromStringList(list));
}

} // namespace casefile::json
