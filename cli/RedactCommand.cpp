#include "RedactCommand.h"

#include "redact/Pseudonymizer.h"
#include "redact/RedactionDictionary.h"
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
    QString dictionaryPath;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == QLatin1String("--json")) {
            json = true;
        } else if (a == QLatin1String("--dictionary") && i + 1 < args.size() && dictionaryPath.isEmpty()) {
            dictionaryPath = args.at(++i);
        } else {
            err << QCoreApplication::translate("RedactCommand", "usage: casefile-cli redact [--dictionary FILE] [--json] < FILE")
                << Qt::endl;
            return 2;
        }
    }
    // The client dictionary: names no detector knows (company, staff, sites), redacted wherever
    // they stand. Read before stdin so a bad file fails before any input is consumed.
    RedactionDictionary dictionary;
    if (!dictionaryPath.isEmpty()) {
        QFile file(dictionaryPath);
        if (!file.open(QIODevice::ReadOnly)) {
            err << QCoreApplication::translate("RedactCommand", "cannot read dictionary %1: %2")
                       .arg(dictionaryPath, file.errorString())
                << Qt::endl;
            return 2;
        }
        const QByteArray bytes = file.readAll();
        QString text = QString::fromUtf8(bytes);
        if (text.toUtf8() != bytes) {
            err << QCoreApplication::translate("RedactCommand", "dictionary %1: not UTF-8 text").arg(dictionaryPath)
                << Qt::endl;
            return 2;
        }
        QString error;
        dictionary = RedactionDictionary::fromText(text, &error);
        if (!error.isEmpty()) {
            err << QCoreApplication::translate("RedactCommand", "dictionary %1: %2").arg(dictionaryPath, error) << Qt::endl;
            return 2;
        }
    }
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly)) {
        err << QCoreApplication::translate("RedactCommand", "cannot read standard input") << Qt::endl;
        return 1;
    }
    const QString text = QString::fromUtf8(in.readAll());
    const QList<Finding> findings = RedactionDictionary::merge(TranscriptScanner::scan(text), dictionary.find(text));
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
