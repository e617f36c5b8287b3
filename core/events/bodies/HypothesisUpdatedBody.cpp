#include "HypothesisUpdatedBody.h"

#include "../JsonFields.h"

namespace casefile {

const QStringList HypothesisUpdatedBody::states = {
    QStringLiteral("open"), QStringLiteral("ruled_out"), QStringLiteral("confirmed")};

HypothesisUpdatedBody HypothesisUpdatedBody::read(JsonReader &r)
{
    HypothesisUpdatedBody b;
    b.hypothesis = r.requireUuid(QStringLiteral("hypothesis"));
    b.status = r.requireEnum(QStringLiteral("status"), states);
    const auto evidence = r.optionalArray(QStringLiteral("evidence"));
    if (evidence) {
        for (qsizetype i = 0; i < evidence->size() && r.ok(); ++i) {
            const QString key = QStringLiteral("evidence[%1]").arg(i);
            if (!evidence->at(i).isObject()) {
                r.fail(key, QStringLiteral("expected an object"));
                break;
            }
            const QJsonObject item = evidence->at(i).toObject();
            // Shares the error sink, so a problem inside names its full path.
            JsonReader itemReader(item, r.fieldPath(key), r.errorSink());
            Evidence e;
            e.command = itemReader.requireUuid(QStringLiteral("command"));
            e.fromLine = itemReader.optionalInteger(QStringLiteral("fromLine"), 0);
            e.toLine = itemReader.optionalInteger(QStringLiteral("toLine"), 0);
            if (itemReader.ok() && e.fromLine && e.toLine && *e.toLine < *e.fromLine)
                itemReader.fail(QStringLiteral("toLine"), QStringLiteral("is before fromLine"));
            e.unknown = itemReader.unknownFields();
            if (!r.ok())
                break;
            b.evidence.append(e);
        }
    }
    b.note = r.optionalString(QStringLiteral("note"));
    b.unknown = r.unknownFields();
    return b;
}

QJsonObject HypothesisUpdatedBody::toJson() const
{
    QJsonObject o = unknown;
    o.insert(QStringLiteral("hypothesis"), hypothesis);
    o.insert(QStringLiteral("status"), status);
    if (!evidence.isEmpty()) {
        QJsonArray array;
        for (const Evidence &e : evidence) {
            QJsonObject item = e.unknown;
            item.insert(QStringLiteral("command"), e.command);
            json::insertOptional(item, QStringLiteral("fromLine"), e.fromLine);
            json::insertOptional(item, QStringLiteral("toLine"), e.toLine);
            array.append(item);
        }
        o.insert(QStringLiteral("evidence"), array);
    }
    json::insertOptional(o, QStringLiteral("note"), note);
    return o;
}

} // namespace casefile
