#include "RedactCommand.h"

#include "redact/Pseudonymizer.h"
#include "redact/TranscriptScanner.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace casefile {

int RedactCommand::run(const QStringList &args, QTextStream &out, QTextStream &err)
{
    bool json = false;
    for (const QString &a : args) {
        if (a == QLatin1String("--json")) {
            json = true;
        } else {
            err << QCoreApplication::translate("RedactCommand", "usage: casefile-cli redact [--json] < FILE") << Qt::endl;
            return 2;
        }
    }
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly)) {
        err << QCoreApplication::translate("RedactCommand", "cannot read standard input") << Qt::endl;
        return 1;
    }
    const QString text = QString::fromUtf8(in.readAll());
    const QList<Finding> findings = TranscriptScanner::scan(text);
    Pseudonymizer names;
    if (!json) {
        out << names.apply(text, findings);
        out.flush();
        return 0;
    }
    QJsonArray list;
    for (const Finding &f : findings) {
        list.append(QJsonObject{{QStringLiteral("type"), Finding::typeName(f.type)},
                                {QStringLiteral("start"), f.start},
                                {QStringLiteral("length"), f.length},
                                {QStringLiteral("value"), f.value},
                                {QStringLiteral("placeholder"), names.placeholder(f)}});
    }
    out << QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("findings"), list}}).toJson(QJsonDocument::Compact))
        << Qt::endl;
    return 0;
}

} // namespace casefile
