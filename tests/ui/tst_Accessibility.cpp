// Every control of the main window a keyboard can reach has a name for screen readers, in
// both palettes; menus and shortcuts are where a technician expects them.
#include "MainWindow.h"
#include "OutputPane.h"
#include "OutputView.h"
#include "SessionController.h"
#include "Theme.h"

#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QMenuBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace casefile;

class tst_Accessibility : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void everyFocusableControlHasAName_data();
    void everyFocusableControlHasAName();
    void shortcuts();
    void keysWorkWhereTheFocusIs();
};

void tst_Accessibility::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_Accessibility::everyFocusableControlHasAName_data()
{
    QTest::addColumn<QString>("theme");
    QTest::newRow("light") << QStringLiteral("light");
    QTest::newRow("dark") << QStringLiteral("dark");
}

void tst_Accessibility::everyFocusableControlHasAName()
{
    QFETCH(QString, theme);
    Theme::apply(Theme::fromString(theme));
    QCOMPARE(Theme::isDark(), theme == QLatin1String("dark"));
    QTemporaryDir dir;
    SessionController controller(dir.path());
    MainWindow window(&controller);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QStringList unnamed;
    int checked = 0;
    for (QWidget *w : window.findChildren<QWidget *>()) {
        if (!w->isVisibleTo(&window) || w->focusPolicy() == Qt::NoFocus)
            continue;
        // Qt's own parts of composite widgets (the line edit inside a date edit …) are named
        // through their owner.
        if (w->objectName().startsWith(QLatin1String("qt_")))
            continue;
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
        QVERIFY(iface);
        ++checked;
        if (iface->text(QAccessible::Name).trimmed().isEmpty())
            unnamed << QStringLiteral("%1 (%2)").arg(QString::fromLatin1(w->metaObject()->className()), w->objectName());
    }
    QVERIFY(checked > 20);
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
    Theme::apply(Theme::Mode::Light);
}

void tst_Accessibility::shortcuts()
{
    QTemporaryDir dir;
    SessionController controller(dir.path());
    MainWindow window(&controller);
    QHash<QString, QKeySequence> shortcuts;
    for (QAction *a : window.findChildren<QAction *>()) {
        if (!a->shortcut().isEmpty())
            shortcuts.insert(a->text().remove(QLatin1Char('&')), a->shortcut());
    }
    QCOMPARE(shortcuts.value(QStringLiteral("New session…")), QKeySequence(QKeySequence::New));
    QCOMPARE(shortcuts.value(QStringLiteral("Run command")), QKeySequence(Qt::CTRL | Qt::Key_Return));
    QCOMPARE(shortcuts.value(QStringLiteral("Cancel running command…")), QKeySequence(Qt::Key_Escape));
    QCOMPARE(shortcuts.value(QStringLiteral("Find in output…")), QKeySequence(QKeySequence::Find));
    QCOMPARE(shortcuts.value(QStringLiteral("Quit")), QKeySequence(QKeySequence::Quit));
    // No key does two things.
    QSet<QKeySequence> seen;
    for (const QKeySequence &k : std::as_const(shortcuts)) {
        QVERIFY2(!seen.contains(k), qPrintable(k.toString()));
        seen.insert(k);
    }
    const QStringList menus{QStringLiteral("File"), QStringLiteral("Session"), QStringLiteral("View"), QStringLiteral("Help")};
    QStringList actual;
    for (QAction *a : window.menuBar()->actions())
        actual << a->text().remove(QLatin1Char('&'));
    QCOMPARE(actual, menus);
}

void tst_Accessibility::keysWorkWhereTheFocusIs()
{
    QTemporaryDir dir;
    SessionController controller(dir.path());
    MainWindow window(&controller);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.activateWindow();
    // Ctrl+F from inside the output viewer opens its find bar (one shortcut, not two).
    OutputView *view = window.outputPane()->view();
    view->setFocus();
    QTRY_VERIFY(view->hasFocus());
    QLineEdit *find = nullptr;
    for (QLineEdit *e : window.outputPane()->findChildren<QLineEdit *>()) {
        if (e->accessibleName() == QStringLiteral("Find in output"))
            find = e;
    }
    QVERIFY(find);
    QVERIFY(!find->isVisible());
    QTest::keyClick(view, Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(find->isVisible());
    QVERIFY(find->hasFocus());
    // Esc there closes the find bar and leaves any command alone.
    QTest::keyClick(find, Qt::Key_Escape);
    QTRY_VERIFY(!find->isVisible());
}

QTEST_MAIN(tst_Accessibility)
#include "tst_Accessibility.moc"
