#include "OutputStreams.h"

#include <QTemporaryFile>
#include <QtTest>

#include <cstdio>
#include <unistd.h>

using namespace casefile;

// `casefile-cli run … > log 2>&1`: one file behind a fully buffered stdout and an unbuffered
// stderr, as the C library sets them up for a redirect. The command's lines must land in the
// order it printed them.
class tst_OutputStreams : public QObject
{
    Q_OBJECT

private slots:
    void linesKeepTheirOrderInOneFile();
    void flushWritesWhatIsBuffered();
};

namespace {

struct SharedFile
{
    QTemporaryFile file;
    FILE *out = nullptr;
    FILE *err = nullptr;

    bool open()
    {
        if (!file.open())
            return false;
        // Two streams on one open file (one offset), buffered as for a redirected stdout and
        // stderr.
        out = ::fdopen(::dup(file.handle()), "w");
        err = ::fdopen(::dup(file.handle()), "w");
        if (!out || !err)
            return false;
        std::setvbuf(out, nullptr, _IOFBF, 65536);
        std::setvbuf(err, nullptr, _IONBF, 0);
        return true;
    }
    QByteArray contents()
    {
        QFile read(file.fileName());
        return read.open(QIODevice::ReadOnly) ? read.readAll() : QByteArray();
    }
    ~SharedFile()
    {
        if (out)
            std::fclose(out);
        if (err)
            std::fclose(err);
    }
};

} // namespace

void tst_OutputStreams::linesKeepTheirOrderInOneFile()
{
    SharedFile shared;
    QVERIFY(shared.open());
    OutputStreams streams(shared.out, shared.err);
    streams.write(false, "out 1\n");
    streams.write(true, "err 1\n");
    streams.write(false, "out 2\n");
    streams.write(false, "out 3\n");
    streams.write(true, "err 2\n");
    streams.flush();
    QCOMPARE(shared.contents(), QByteArray("out 1\nerr 1\nout 2\nout 3\nerr 2\n"));
}

void tst_OutputStreams::flushWritesWhatIsBuffered()
{
    SharedFile shared;
    QVERIFY(shared.open());
    OutputStreams streams(shared.out, shared.err);
    streams.write(false, "still buffered\n");
    QCOMPARE(shared.contents(), QByteArray()); // the test's premise: stdout holds it back
    streams.flush();
    QCOMPARE(shared.contents(), QByteArray("still buffered\n"));
}

QTEST_GUILESS_MAIN(tst_OutputStreams)
#include "tst_OutputStreams.moc"
