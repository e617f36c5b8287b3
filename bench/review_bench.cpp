// Time from starting a review of a 1,000,000-line session to the first findings shown in the
// findings tree (the dialog's view, delegate and model), with the session already in memory
// (what `read` delivers is decoded the same way; the network is not measured here).
#include "FindingsDelegate.h"
#include "FindingsModel.h"
#include "ReviewSession.h"
#include "events/HashChain.h"
#include "events/bodies/CommandOutputBody.h"
#include "events/bodies/CommandRequestedBody.h"
#include "events/bodies/SessionOpenedBody.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QTreeView>
#include <cstdio>

using namespace casefile;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const int lines = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 1'000'000;
    const QString session = Event::newId();
    const QString command = Event::newId();
    const Actor tech{QStringLiteral("user"), Event::newId()};
    const Actor endpoint{QStringLiteral("endpoint"), Event::newId()};
    SessionOpenedBody opened;
    opened.org = Event::newId();
    opened.clientGroup = Event::newId();
    opened.endpoint = endpoint.id;
    opened.technician = tech.id;
    opened.title = QStringLiteral("Bench");
    QList<Event> events{Event::make(session, tech, opened)};
    CommandRequestedBody requested;
    requested.command = command;
    requested.shell = QStringLiteral("pwsh");
    requested.text = QStringLiteral("Get-WinEvent -LogName Security");
    events.append(Event::make(session, tech, requested));
    // Event-log-like lines; one in twenty names a user, a host or an address.
    QString chunk;
    qint64 chunkNo = 0;
    qint64 bytes = 0;
    for (int i = 0; i < lines; ++i) {
        if (i % 20 == 0)
            chunk += QStringLiteral("4624 An account was successfully logged on. C:\\Users\\user%1\\ntuser.dat from 10.0.%2.%3\n")
                         .arg(i % 400).arg((i / 250) % 250).arg(i % 250);
        else
            chunk += QStringLiteral("4672 Special privileges assigned to new logon. Privileges: SeDebugPrivilege %1\n").arg(i);
        if (chunk.size() >= 32 * 1024 || i + 1 == lines) {
            CommandOutputBody out;
            out.command = command;
            out.chunk = chunkNo++;
            out.stream = QStringLiteral("stdout");
            out.data = chunk;
            bytes += chunk.toUtf8().size();
            events.append(Event::make(session, endpoint, out));
            chunk.clear();
        }
    }
    QString prev = HashChain::genesis();
    for (qsizetype i = 0; i < events.size(); ++i) {
        HashChain::seal(events[i], i + 1, prev);
        prev = events[i].hash;
    }

    QTreeView view;
    view.setUniformRowHeights(true);
    view.setItemDelegate(new FindingsDelegate(&view));
    view.resize(900, 700);
    view.show();
    QElapsedTimer timer;
    timer.start();
    ReviewSession review;
    view.setModel(review.findings());
    review.addSession(events);
    review.scan();
    qint64 firstShown = -1;
    const qint64 added = timer.elapsed();
    QObject::connect(&review, &ReviewSession::scanned, &view, [&] {
        // As the dialog shows them: each type open on its values (occurrences stay folded).
        for (int row = 0; row < review.findings()->rowCount(); ++row)
            view.expand(review.findings()->index(row, 0));
        view.repaint(); // painted: the findings are on screen
        firstShown = timer.elapsed();
    });
    while (firstShown < 0)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    std::printf("review: %d lines, %.1f MB of output, %lld findings in %lld values\n", lines, bytes / 1e6,
                static_cast<long long>(review.findings()->findingCount()),
                static_cast<long long>(review.findings()->valueCount()));
    std::printf("review: first findings shown after %lld ms (package built in %lld ms, then scanned on worker "
                "threads, %d cores)\n",
                static_cast<long long>(firstShown), static_cast<long long>(added), QThread::idealThreadCount());
    timer.restart();
    review.decideType(Finding::Type::User, RedactionPlan::Decision::Redact);
    std::printf("review: deciding every user name (one step) took %lld ms\n", static_cast<long long>(timer.elapsed()));
    return 0;
}
