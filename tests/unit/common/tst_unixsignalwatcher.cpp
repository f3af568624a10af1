// UnixSignalWatcher: a signal sent to the process arrives as received() on the
// event loop, and once the watcher is gone the default disposition is back.
#include "common/UnixSignalWatcher.h"

#include <QSignalSpy>
#include <QTest>

#include <csignal>

using softphone::UnixSignalWatcher;

class TestUnixSignalWatcher : public QObject
{
    Q_OBJECT

private slots:
    void deliversWatchedSignalsOnTheEventLoop()
    {
        UnixSignalWatcher watcher({SIGHUP, SIGUSR1});
        QVERIFY(watcher.isValid());
        QSignalSpy received(&watcher, &UnixSignalWatcher::received);
        QCOMPARE(::raise(SIGHUP), 0); // would end the process without the watcher
        QCOMPARE(::raise(SIGUSR1), 0);
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 5000);
        QCOMPARE(received.at(0).at(0).toInt(), SIGHUP);
        QCOMPARE(received.at(1).at(0).toInt(), SIGUSR1);
    }

    void restoresTheDefaultDisposition()
    {
        {
            UnixSignalWatcher watcher({SIGUSR2});
            QVERIFY(watcher.isValid());
        }
        struct sigaction current = {};
        QCOMPARE(sigaction(SIGUSR2, nullptr, &current), 0);
        QVERIFY(current.sa_handler == SIG_DFL);
        // A second watcher can take over after the first one is gone.
        UnixSignalWatcher again({SIGUSR2});
        QVERIFY(again.isValid());
    }
};

QTEST_GUILESS_MAIN(TestUnixSignalWatcher)
#include "tst_unixsignalwatcher.moc"
