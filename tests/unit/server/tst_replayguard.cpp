// ReplayGuard: a pair is admitted once within the window, is forgotten only
// after it, and a full table refuses new pairs instead of forgetting old ones.

#include "softphone-server/appserver/ReplayGuard.h"

#include <QTest>

using softphone::server::appserver::ReplayGuard;

class TestReplayGuard : public QObject
{
    Q_OBJECT
private slots:
    void onceWithinTheWindow()
    {
        ReplayGuard guard;
        QCOMPARE(guard.admit("call\nid-1\nbob\ndesk", 1000), ReplayGuard::Result::Fresh);
        QCOMPARE(guard.admit("call\nid-1\nbob\ndesk", 1000 + ReplayGuard::kWindowSeconds),
                 ReplayGuard::Result::Duplicate);
        QCOMPARE(guard.admit("call\nid-1\nbob\nphone", 1001), ReplayGuard::Result::Fresh);
        // Past the window the pair itself is refused as too old, so it may go.
        QCOMPARE(guard.admit("call\nid-1\nbob\ndesk", 1001 + ReplayGuard::kWindowSeconds),
                 ReplayGuard::Result::Fresh);
    }

    void fullTableFailsClosed()
    {
        ReplayGuard guard(2);
        QCOMPARE(guard.admit("a", 10), ReplayGuard::Result::Fresh);
        QCOMPARE(guard.admit("b", 11), ReplayGuard::Result::Fresh);
        QCOMPARE(guard.admit("c", 12), ReplayGuard::Result::Full);
        QCOMPARE(guard.admit("a", 12), ReplayGuard::Result::Duplicate);
        QCOMPARE(guard.size(), 2);
        // The oldest leaves when its window ends, making room.
        QCOMPARE(guard.admit("c", 11 + ReplayGuard::kWindowSeconds), ReplayGuard::Result::Fresh);
        QCOMPARE(guard.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestReplayGuard)
#include "tst_replayguard.moc"
