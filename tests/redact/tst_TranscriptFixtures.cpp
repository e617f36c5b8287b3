// The transcript scanner on realistic command output kept in tests/data/redact: for each
// fixture, exactly the findings its .expected file lists (type and value, in order), every
// "keep" token still there after redaction, and the same findings with Windows line ends.
#include "redact/Pseudonymizer.h"
#include "redact/TranscriptScanner.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace casefile;

class tst_TranscriptFixtures : public QObject
{
    Q_OBJECT
private slots:
    void fixtures_data();
    void fixtures();
    void everyFixtureHasExpectations();

private:
    static QString dataDir() { return QStringLiteral(CASEFILE_TEST_DATA "/redact"); }
    static QString read(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QString::fromUtf8(f.readAll());
    }
};

void tst_TranscriptFixtures::fixtures_data()
{
    QTest::addColumn<QString>("fixture");
    const QStringList names = QDir(dataDir()).entryList({QStringLiteral("*.expected")}, QDir::Files, QDir::Name);
    QVERIFY(names.size() >= 13);
    for (const QString &expected : names) {
        const QString fixture = expected.chopped(int(qstrlen(".expected")));
        QTest::newRow(qPrintable(fixture)) << fixture;
    }
}

void tst_TranscriptFixtures::fixtures()
{
    QFETCH(QString, fixture);
    const QString text = read(dataDir() + QLatin1Char('/') + fixture);
    QVERIFY2(!text.isEmpty(), qPrintable(fixture));
    QStringList expected;
    QStringList keep;
    for (const QString &line : read(dataDir() + QLatin1Char('/') + fixture + QStringLiteral(".expected")).split(u'\n')) {
        if (line.startsWith(QLatin1String("find\t")))
            expected << line.mid(5);
        else if (line.startsWith(QLatin1String("keep\t")))
            keep << line.mid(5);
    }
    QVERIFY(!expected.isEmpty());

    const auto check = [&](const QString &input) {
        const QList<Finding> findings = TranscriptScanner::scan(input);
        QStringList got;
        qsizetype end = 0;
        for (const Finding &f : findings) {
            got << Finding::typeName(f.type) + QLatin1Char('\t') + f.value;
            QVERIFY2(f.start >= end, "findings are sorted and do not overlap");
            QCOMPARE(input.mid(f.start, f.length), f.value);
            end = f.start + f.length;
        }
        QCOMPARE(got, expected);
        Pseudonymizer names;
        const QString redacted = names.apply(input, findings);
        for (const QString &token : keep) {
            QVERIFY2(input.contains(token), qPrintable(token));
            QVERIFY2(redacted.count(token) == input.count(token), qPrintable(QStringLiteral("lost: ") + token));
        }
        for (const Finding &f : findings) {
            if (f.value.size() >= 4 && !keep.contains(f.value))
                QVERIFY2(!redacted.contains(f.value) || f.type == Finding::Type::Domain || f.type == Finding::Type::Name,
                         qPrintable(QStringLiteral("left: ") + f.value));
        }
    };
    check(text);
    if (QTest::currentTestFailed())
        return;
    // Windows tools print CRLF; wmic even "\r\r\n".
    QString crlf = text;
    crlf.replace(QLatin1String("\n"), QLatin1String("\r\n"));
    check(crlf);
}

void tst_TranscriptFixtures::everyFixtureHasExpectations()
{
    const QDir dir(dataDir());
    for (const QString &name : dir.entryList(QDir::Files)) {
        if (!name.endsWith(QLatin1String(".expected")))
            QVERIFY2(dir.exists(name + QStringLiteral(".expected")), qPrintable(name));
    }
}

QTEST_GUILESS_MAIN(tst_TranscriptFixtures)
#include "tst_TranscriptFixtures.moc"
