// The German translation: complete, placeholders intact, compiled in by lrelease and loaded by
// locale the way the console's main() loads it.
#include "CommandBar.h"
#include "TimelineModel.h"

#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QDomDocument>
#include <QFile>
#include <QPushButton>
#include <QRegularExpression>
#include <QTest>
#include <QTranslator>

using namespace casefile;

class tst_Translations : public QObject
{
    Q_OBJECT
private slots:
    void everyStringTranslatedWithItsPlaceholders();
    void loadedByLocale();
    void noStringOfTheCodeIsMissing();
};

namespace {
QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%(\\d+|n)"));
    QSet<QString> out;
    for (auto it = re.globalMatch(text); it.hasNext();)
        out.insert(it.next().captured(0));
    return out;
}
} // namespace

void tst_Translations::everyStringTranslatedWithItsPlaceholders()
{
    const QDir translations(QStringLiteral(CASEFILE_TEST_DATA "/../../translations"));
    const QStringList files = translations.entryList({QStringLiteral("casefile_*.ts")}, QDir::Files);
    QVERIFY2(files.contains(QStringLiteral("casefile_de.ts")), qPrintable(translations.absolutePath()));
    for (const QString &name : files) {
        QFile file(translations.filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QDomDocument doc;
        QVERIFY2(doc.setContent(&file), qPrintable(name));
        const QDomNodeList messages = doc.elementsByTagName(QStringLiteral("message"));
        // German holds every string; English, the source language, only the plural forms.
        QVERIFY2(messages.size() > (name == QLatin1String("casefile_de.ts") ? 200 : 5), qPrintable(name));
        for (int i = 0; i < messages.size(); ++i) {
            const QDomElement m = messages.at(i).toElement();
            const QString source = m.firstChildElement(QStringLiteral("source")).text();
            const QDomElement translation = m.firstChildElement(QStringLiteral("translation"));
            const QString where = name + QStringLiteral(": ") + source;
            QVERIFY2(translation.attribute(QStringLiteral("type")) != QLatin1String("unfinished"), qPrintable(where));
            QStringList forms;
            if (m.attribute(QStringLiteral("numerus")) == QLatin1String("yes")) {
                for (QDomElement f = translation.firstChildElement(QStringLiteral("numerusform")); !f.isNull();
                     f = f.nextSiblingElement(QStringLiteral("numerusform")))
                    forms << f.text();
                QVERIFY2(forms.size() == 2, qPrintable(where));
            } else {
                forms << translation.text();
            }
            for (const QString &form : forms) {
                QVERIFY2(!form.isEmpty(), qPrintable(where));
                // Every placeholder survives; a plural form may leave %n out ("eine Zeile").
                QSet<QString> expected = placeholders(source);
                QSet<QString> actual = placeholders(form);
                expected.remove(QStringLiteral("%n"));
                actual.remove(QStringLiteral("%n"));
                QVERIFY2(actual == expected, qPrintable(where + QStringLiteral(" → ") + form));
            }
        }
    }
}

void tst_Translations::loadedByLocale()
{
    QTranslator translator;
    QVERIFY(translator.load(QLocale(QLocale::German, QLocale::Germany), QStringLiteral("casefile"), QStringLiteral("_"),
                            QStringLiteral(":/i18n")));
    QVERIFY(!translator.isEmpty());
    // English: the source strings, with proper plurals instead of "line(s)".
    QTranslator english;
    QVERIFY(english.load(QLocale(QLocale::English, QLocale::UnitedStates), QStringLiteral("casefile"), QStringLiteral("_"),
                         QStringLiteral(":/i18n")));
    QVERIFY(QCoreApplication::installTranslator(&english));
    QCOMPARE(TimelineModel::tr("%n line(s) — %1", nullptr, 1).arg(QStringLiteral("x")), QStringLiteral("1 line — x"));
    QCOMPARE(TimelineModel::tr("%n line(s) — %1", nullptr, 3).arg(QStringLiteral("x")), QStringLiteral("3 lines — x"));
    QCoreApplication::removeTranslator(&english);
    // A language without a file: nothing loads, the source strings stay.
    QTranslator none;
    QVERIFY(!none.load(QLocale(QLocale::Japanese, QLocale::Japan), QStringLiteral("casefile"), QStringLiteral("_"),
                       QStringLiteral(":/i18n")));

    QVERIFY(QCoreApplication::installTranslator(&translator));
    CommandBar bar;
    const auto buttons = bar.findChildren<QPushButton *>();
    QCOMPARE(buttons.size(), 1);
    QVERIFY(!buttons.first()->text().isEmpty());
    QVERIFY2(buttons.first()->text() != QStringLiteral("&Run"), qPrintable(buttons.first()->text()));
    TimelineModel timeline;
    const QString header = timeline.headerData(TimelineModel::TimeColumn, Qt::Horizontal, Qt::DisplayRole).toString();
    QVERIFY2(header != QStringLiteral("Time") && !header.isEmpty(), qPrintable(header));
    // Plurals come out in the right form.
    const QString one = TimelineModel::tr("%n line(s) — %1", nullptr, 1);
    const QString many = TimelineModel::tr("%n line(s) — %1", nullptr, 5);
    QVERIFY2(one != many && one.startsWith(QLatin1Char('1')) && many.startsWith(QLatin1Char('5')),
             qPrintable(one + QStringLiteral(" / ") + many));
    QCoreApplication::removeTranslator(&translator);
}

void tst_Translations::noStringOfTheCodeIsMissing()
{
    // lupdate over today's sources into a copy of the German file: anything it adds is a string
    // the code shows that nobody translated.
    const QString lupdate = QLibraryInfo::path(QLibraryInfo::BinariesPath) + QStringLiteral("/lupdate");
    if (!QFileInfo::exists(lupdate))
        QSKIP("lupdate is not installed (qt6-l10n-tools)");
    const QDir root(QStringLiteral(CASEFILE_TEST_DATA "/../.."));
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("casefile_de.ts"));
    QVERIFY(QFile::copy(root.filePath(QStringLiteral("translations/casefile_de.ts")), copy));
    QProcess p;
    p.setWorkingDirectory(root.absolutePath());
    p.start(lupdate, {QStringLiteral("-no-obsolete"), QStringLiteral("-locations"), QStringLiteral("none"),
                      QStringLiteral("app"), QStringLiteral("ui"), QStringLiteral("models"), QStringLiteral("-ts"), copy});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    QFile file(copy);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QDomDocument doc;
    QVERIFY(doc.setContent(&file));
    QStringList missing;
    const QDomNodeList messages = doc.elementsByTagName(QStringLiteral("message"));
    for (int i = 0; i < messages.size(); ++i) {
        const QDomElement m = messages.at(i).toElement();
        if (m.firstChildElement(QStringLiteral("translation")).attribute(QStringLiteral("type")) == QLatin1String("unfinished"))
            missing << m.firstChildElement(QStringLiteral("source")).text();
    }
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("not translated (run scripts/update-translations): ") +
                                           missing.join(QStringLiteral(" | "))));
}

QTEST_MAIN(tst_Translations)
#include "tst_Translations.moc"
