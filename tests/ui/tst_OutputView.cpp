// The output viewer on the offscreen platform: following, scrolling, find, selection and copy
// over large buffers, and the output pane's find bar.
#include "OutputBuffer.h"
#include "OutputPane.h"
#include "OutputView.h"

#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using namespace casefile;

class tst_OutputView : public QObject
{
    Q_OBJECT
private slots:
    void emptyAndNullBuffers();
    void followsOnlyWhileAtBottom();
    void millionLinesScrollAndFind();
    void findWrapsAndReportsMisses();
    void selectionCopyAndEvidenceLines();
    void gutterClickSelectsWholeLines();
    void paintsAnsiAndStderrWithoutCrashing();
};

namespace {
void fill(OutputBuffer &b, int lines, const QString &prefix = QStringLiteral("line "))
{
    QString chunk;
    for (int i = 1; i <= lines; ++i) {
        chunk += prefix + QString::number(i) + QLatin1Char('\n');
        if (chunk.size() > 60000) {
            b.append(OutputStream::Stdout, QStringView(chunk));
            chunk.clear();
        }
    }
    b.append(OutputStream::Stdout, QStringView(chunk));
}
} // namespace

void tst_OutputView::emptyAndNullBuffers()
{
    OutputView view;
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(!view.find(QStringLiteral("x")));
    QVERIFY(view.selectedText().isEmpty());
    OutputBuffer empty;
    view.setBuffer(&empty);
    view.grab(); // paints the placeholder
    QVERIFY(!view.find(QStringLiteral("x")));
    view.selectAll();
    QVERIFY(!view.hasSelection());
}

void tst_OutputView::followsOnlyWhileAtBottom()
{
    OutputBuffer buffer;
    fill(buffer, 100);
    OutputView view;
    view.resize(600, 300);
    view.setBuffer(&buffer);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.isAtBottom());
    QVERIFY(view.firstVisibleLine() > 0);

    fill(buffer, 50, QStringLiteral("more "));
    view.bufferChanged(); // caught up within a frame
    QTRY_VERIFY(view.firstVisibleLine() + view.visibleLineCount() >= buffer.lineCount());
    QVERIFY(view.isAtBottom());

    // Scrolled up to read: new output does not pull the view away.
    QSignalSpy following(&view, &OutputView::followingChanged);
    view.scrollToLine(10);
    QVERIFY(!view.isAtBottom());
    QCOMPARE(following.count(), 1);
    QCOMPARE(following.first().first().toBool(), false);
    const qsizetype before = view.firstVisibleLine();
    fill(buffer, 50, QStringLiteral("even more "));
    view.bufferChanged();
    QTest::qWait(50);
    QCOMPARE(view.firstVisibleLine(), before);
    // Back at the bottom (Ctrl+End), it follows again.
    QTest::keyClick(&view, Qt::Key_End, Qt::ControlModifier);
    QVERIFY(view.isAtBottom());
    fill(buffer, 10, QStringLiteral("last "));
    view.bufferChanged();
    QTRY_VERIFY(view.firstVisibleLine() + view.visibleLineCount() >= buffer.lineCount());
    QVERIFY(view.isAtBottom());
}

void tst_OutputView::millionLinesScrollAndFind()
{
    OutputBuffer buffer;
    fill(buffer, 1'000'000);
    OutputView view;
    view.resize(800, 600);
    view.setBuffer(&buffer);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.verticalScrollBar()->maximum(), int(1'000'000 - view.visibleLineCount()));
    view.scrollToLine(0);
    QCOMPARE(view.firstVisibleLine(), 0);
    QTest::keyClick(&view, Qt::Key_PageDown);
    QCOMPARE(view.firstVisibleLine(), view.visibleLineCount());
    // The last line is reachable and whole: nothing is cut off.
    QVERIFY(view.find(QStringLiteral("line 1000000")));
    QCOMPARE(view.currentMatch()->line, 999'999);
    QCOMPARE(view.selectedText(), QStringLiteral("line 1000000"));
    QVERIFY(view.firstVisibleLine() <= 999'999);
    view.grab();
}

void tst_OutputView::findWrapsAndReportsMisses()
{
    OutputBuffer buffer;
    buffer.append(OutputStream::Stdout, QStringView(u"alpha\nbeta ERROR one\ngamma\nerror two\n"));
    OutputPane pane; // the find bar's wiring, without a document: drive the view directly
    OutputView *view = pane.view();
    view->setBuffer(&buffer);
    pane.resize(600, 300);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    view->scrollToLine(0);
    QVERIFY(view->find(QStringLiteral("error")));
    QCOMPARE(view->currentMatch()->line, 1);
    QCOMPARE(view->currentMatch()->column, 5);
    QVERIFY(view->find(QStringLiteral("error")));
    QCOMPARE(view->currentMatch()->line, 3);
    QVERIFY(view->find(QStringLiteral("error"))); // wraps
    QCOMPARE(view->currentMatch()->line, 1);
    QVERIFY(view->find(QStringLiteral("error"), true)); // previous wraps back
    QCOMPARE(view->currentMatch()->line, 3);
    QVERIFY(view->find(QStringLiteral("ERROR"), false, Qt::CaseSensitive));
    QCOMPARE(view->currentMatch()->line, 1);
    QVERIFY(!view->find(QStringLiteral("delta")));
    QVERIFY(!view->currentMatch());

    // Through the pane's find bar, Ctrl+F then Enter.
    pane.openFind();
    auto *edit = pane.findChild<QLineEdit *>();
    QVERIFY(edit && edit->isVisible());
    edit->setText(QStringLiteral("gamma"));
    QVERIFY(pane.findNext());
    QCOMPARE(pane.findStatus(), QStringLiteral("Line 3"));
    edit->setText(QStringLiteral("nowhere"));
    QVERIFY(!pane.findNext());
    QCOMPARE(pane.findStatus(), QStringLiteral("Not found"));
    QTest::keyClick(edit, Qt::Key_Escape);
    QVERIFY(!edit->isVisible());
}

void tst_OutputView::selectionCopyAndEvidenceLines()
{
    OutputBuffer buffer;
    buffer.append(OutputStream::Stdout, QStringView(u"first line\nsecond line\nthird line\n"));
    OutputView view;
    view.resize(600, 300);
    view.setBuffer(&buffer);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy changed(&view, &OutputView::selectionChanged);
    view.selectLines(1, 2);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(view.selectedText(), QStringLiteral("second line\nthird line"));
    QCOMPARE(view.selectedLines(), std::make_pair(qsizetype(1), qsizetype(2)));
    QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("second line\nthird line"));
    QTest::keyClick(&view, Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(view.selectedText(), QStringLiteral("first line\nsecond line\nthird line"));

    // A drag with the mouse selects characters.
    view.scrollToLine(0);
    const int lh = view.fontMetrics().lineSpacing();
    const int charW = view.fontMetrics().horizontalAdvance(QLatin1Char('m'));
    const QPoint gutterEnd(view.viewport()->width() / 3, lh / 2); // inside line 0, past the gutter
    QTest::mousePress(view.viewport(), Qt::LeftButton, {}, gutterEnd);
    QTest::mouseMove(view.viewport(), gutterEnd + QPoint(charW * 3, lh));
    QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, gutterEnd + QPoint(charW * 3, lh));
    QVERIFY(view.hasSelection());
    QCOMPARE(view.selectedLines().first, 0);
    QCOMPARE(view.selectedLines().second, 1);
    QVERIFY(view.selectedText().contains(QLatin1Char('\n')));
}

void tst_OutputView::gutterClickSelectsWholeLines()
{
    OutputBuffer buffer;
    fill(buffer, 50);
    OutputView view;
    view.resize(600, 400);
    view.setBuffer(&buffer);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.scrollToLine(0);
    const int lh = view.fontMetrics().lineSpacing();
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(4, lh * 2 + lh / 2));
    QCOMPARE(view.selectedText(), QStringLiteral("line 3"));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::ShiftModifier, QPoint(4, lh * 4 + lh / 2));
    QCOMPARE(view.selectedText(), QStringLiteral("line 3\nline 4\nline 5"));
}

void tst_OutputView::paintsAnsiAndStderrWithoutCrashing()
{
    OutputBuffer buffer;
    buffer.append(OutputStream::Stdout, QStringView(u"\x1b[1;31mred bold\x1b[0m plain \x1b[38;5;46mgreen\n\x1b[7minverse"));
    // (A hex escape eats every hex digit after it, hence the split literal after \x07.)
    buffer.append(OutputStream::Stderr, QStringView(u" and stderr\n\ttabbed\x1b[0m\n\x1b[999;m\x1b]0;title\x07" u"broken\x1b["));
    OutputView view;
    view.resize(600, 300);
    view.setBuffer(&buffer);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage image = view.grab().toImage();
    QVERIFY(!image.isNull());
    // Escape sequences never reach the text: they are not found and not copied.
    QVERIFY(!view.find(QStringLiteral("[1;31m")));
    QVERIFY(view.find(QStringLiteral("red bold")));
    view.selectAll();
    QCOMPARE(view.selectedText(), QStringLiteral("red bold plain green\ninverse and stderr\n\ttabbed\nbroken"));
    // The red of "red bold" is painted: some pixel is clearly red.
    bool red = false;
    for (int y = 0; y < image.height() && !red; ++y) {
        for (int x = 0; x < image.width() && !red; ++x) {
            const QColor c = image.pixelColor(x, y);
            red = c.red() > 150 && c.green() < 80 && c.blue() < 80;
        }
    }
    QVERIFY(red);
}

QTEST_MAIN(tst_OutputView)
#include "tst_OutputView.moc"
