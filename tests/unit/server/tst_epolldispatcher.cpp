// The server's epoll event dispatcher drives a real QCoreApplication here:
// timers, socket notifiers on real socket pairs, posted events from other
// threads, deferred deletes, nested loops, and Qt's own sockets on top.
#include "softphone-server/common/EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <sys/socket.h>
#include <unistd.h>

using softphone::server::EpollEventDispatcher;

namespace {
EpollEventDispatcher *dispatcher()
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
}

struct SocketPair
{
    int fd[2] = {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fd); }
    ~SocketPair()
    {
        for (int f : fd)
            if (f >= 0)
                ::close(f);
    }
};

class TimerCounter : public QObject
{
public:
    QList<int> fired;
    int killOnFire = 0;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        fired.append(event->timerId());
        if (killOnFire == event->timerId())
            killTimer(event->timerId());
    }
};
} // namespace

class TestEpollDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isInstalled()
    {
        QVERIFY(dispatcher() != nullptr);
        QVERIFY(dispatcher()->isValid());
    }

    void timersFireInDeadlineOrderAndRepeat()
    {
        QList<QString> order;
        QTimer late, early;
        late.setSingleShot(true);
        early.setSingleShot(true);
        connect(&late, &QTimer::timeout, this, [&] { order << QStringLiteral("late"); });
        connect(&early, &QTimer::timeout, this, [&] { order << QStringLiteral("early"); });
        late.start(60);
        early.start(20);
        QTRY_COMPARE(order.size(), 2);
        QCOMPARE(order, (QList<QString>{QStringLiteral("early"), QStringLiteral("late")}));

        int ticks = 0;
        QTimer repeating;
        repeating.setTimerType(Qt::PreciseTimer);
        connect(&repeating, &QTimer::timeout, this, [&] { ++ticks; });
        QElapsedTimer clock;
        clock.start();
        repeating.start(10);
        QTRY_VERIFY_WITH_TIMEOUT(ticks >= 10, 5000);
        repeating.stop();
        // Ten 10 ms periods cannot pass in less than 100 ms.
        QVERIFY2(clock.elapsed() >= 95, qPrintable(QString::number(clock.elapsed())));
        const int after = ticks;
        QTest::qWait(50);
        QCOMPARE(ticks, after); // stopped means stopped
    }

    void zeroTimerRunsEveryIteration()
    {
        int runs = 0;
        QTimer zero;
        connect(&zero, &QTimer::timeout, this, [&] {
            if (++runs == 5)
                zero.stop();
        });
        zero.start(0);
        QTRY_COMPARE(runs, 5);
    }

    void remainingTimeAndRegisteredTimers()
    {
        TimerCounter object;
        const int id = object.startTimer(500);
        QVERIFY(id > 0);
        const int left = dispatcher()->remainingTime(id);
        QVERIFY2(left > 400 && left <= 500, qPrintable(QString::number(left)));
        const auto timers = dispatcher()->registeredTimers(&object);
        QCOMPARE(timers.size(), 1);
        QCOMPARE(timers.first().timerId, id);
        QCOMPARE(timers.first().interval, 500);
        object.killTimer(id);
        QCOMPARE(dispatcher()->remainingTime(id), -1);
        QVERIFY(dispatcher()->registeredTimers(&object).isEmpty());
    }

    void timerKilledInItsOwnHandlerStops()
    {
        TimerCounter object;
        const int id = object.startTimer(5);
        object.killOnFire = id;
        QTRY_COMPARE(object.fired.size(), 1);
        QTest::qWait(40);
        QCOMPARE(object.fired.size(), 1);
    }

    void timerIdsAreReleasedByQt()
    {
        // Qt 6 hands timer ids out and takes them back itself; the dispatcher
        // must neither leak them nor release them twice.
        const int before = dispatcher()->timerCount();
        for (int i = 0; i < 20000; ++i) {
            TimerCounter object;
            object.startTimer(1000);
            object.startTimer(2000);
        } // destroyed with running timers
        QCOMPARE(dispatcher()->timerCount(), before);
        TimerCounter a;
        const int first = a.startTimer(1000);
        a.killTimer(first);
        const int second = a.startTimer(1000);
        QCOMPARE(second, first); // the freed id came back: Qt released it once
        a.killTimer(second);
    }

    void destroyedObjectLosesItsTimers()
    {
        auto *object = new TimerCounter;
        object->startTimer(1);
        object->startTimer(2);
        const int before = dispatcher()->timerCount();
        delete object;
        QCOMPARE(dispatcher()->timerCount(), before - 2);
        QTest::qWait(20); // nothing fires into freed memory (ASan would say)
    }

    void socketNotifierReadsWhatArrives()
    {
        SocketPair pair;
        QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
        QByteArray received;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            char buffer[64];
            const ssize_t n = ::read(pair.fd[0], buffer, sizeof buffer);
            if (n > 0)
                received.append(buffer, n);
        });
        QCOMPARE(::write(pair.fd[1], "hello", 5), ssize_t(5));
        QTRY_COMPARE(received, QByteArray("hello"));
        notifier.setEnabled(false);
        QCOMPARE(::write(pair.fd[1], "more", 4), ssize_t(4));
        QTest::qWait(30);
        QCOMPARE(received, QByteArray("hello")); // disabled: not told
        notifier.setEnabled(true);
        QTRY_COMPARE(received, QByteArray("hellomore")); // level-triggered: still readable
    }

    void readAndWriteNotifiersOnOneDescriptor()
    {
        SocketPair pair;
        QSocketNotifier reader(pair.fd[0], QSocketNotifier::Read);
        QSocketNotifier writer(pair.fd[0], QSocketNotifier::Write);
        int writable = 0;
        connect(&writer, &QSocketNotifier::activated, this, [&] {
            ++writable;
            writer.setEnabled(false);
        });
        QByteArray received;
        connect(&reader, &QSocketNotifier::activated, this, [&] {
            char buffer[16];
            const ssize_t n = ::read(pair.fd[0], buffer, sizeof buffer);
            if (n > 0)
                received.append(buffer, n);
        });
        QTRY_COMPARE(writable, 1);
        QCOMPARE(::write(pair.fd[1], "x", 1), ssize_t(1));
        QTRY_COMPARE(received, QByteArray("x"));
        QCOMPARE(writable, 1);
        QCOMPARE(dispatcher()->socketNotifierCount() >= 1, true);
    }

    void notifierDeletedByAnotherInTheSameIteration()
    {
        // Both become ready in one epoll_wait; whichever runs first deletes the
        // other, which must then get no event (ASan catches a use after free).
        SocketPair a, b;
        auto *first = new QSocketNotifier(a.fd[0], QSocketNotifier::Read);
        auto *second = new QSocketNotifier(b.fd[0], QSocketNotifier::Read);
        QPointer<QSocketNotifier> firstGuard(first), secondGuard(second);
        int activations = 0;
        connect(first, &QSocketNotifier::activated, this, [&] {
            ++activations;
            delete secondGuard.data();
            first->setEnabled(false);
        });
        connect(second, &QSocketNotifier::activated, this, [&] {
            ++activations;
            delete firstGuard.data();
            second->setEnabled(false);
        });
        QCOMPARE(::write(a.fd[1], "1", 1), ssize_t(1));
        QCOMPARE(::write(b.fd[1], "2", 1), ssize_t(1));
        QTRY_VERIFY(firstGuard.isNull() != secondGuard.isNull());
        QTest::qWait(20);
        QCOMPARE(activations, 1);
        delete firstGuard.data();
        delete secondGuard.data();
    }

    void postedEventsFromAnotherThreadWakeTheLoop()
    {
        QThread worker;
        worker.start();
        QObject helper;
        helper.moveToThread(&worker);
        QEventLoop loop;
        bool delivered = false;
        QElapsedTimer clock;
        clock.start();
        QMetaObject::invokeMethod(&helper, [this, &loop, &delivered] {
            QThread::msleep(20);
            QMetaObject::invokeMethod(
                this,
                [&loop, &delivered] {
                    delivered = true;
                    loop.quit();
                },
                Qt::QueuedConnection);
        });
        // The main loop blocks in epoll_wait with only a 5 s guard timer due;
        // the worker's postEvent must wake it through wakeUp().
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        loop.exec();
        QVERIFY(delivered);
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QMetaObject::invokeMethod(
            &helper, [&helper] { helper.moveToThread(QCoreApplication::instance()->thread()); },
            Qt::BlockingQueuedConnection);
        worker.quit();
        worker.wait();
    }

    void deleteLaterAndNestedLoops()
    {
        QPointer<QObject> doomed = new QObject;
        doomed->deleteLater();
        QTRY_VERIFY(doomed.isNull());

        // A nested loop inside a timer handler still runs timers and sockets.
        SocketPair pair;
        QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
        bool socketSeen = false;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            char c;
            [[maybe_unused]] const ssize_t n = ::read(pair.fd[0], &c, 1);
            socketSeen = true;
        });
        bool nestedDone = false;
        QTimer outer;
        outer.setSingleShot(true);
        connect(&outer, &QTimer::timeout, this, [&] {
            QEventLoop inner;
            QTimer::singleShot(10, &inner, [&] {
                [[maybe_unused]] const ssize_t n = ::write(pair.fd[1], "z", 1);
            });
            QTimer check;
            connect(&check, &QTimer::timeout, &inner, [&] {
                if (socketSeen)
                    inner.quit();
            });
            check.start(2);
            QTimer::singleShot(3000, &inner, &QEventLoop::quit);
            inner.exec();
            nestedDone = true;
        });
        outer.start(1);
        QTRY_VERIFY(nestedDone);
        QVERIFY(socketSeen);
    }

    void qtSocketsWorkOnTop()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QTRY_VERIFY(server.hasPendingConnections());
        QTcpSocket *peer = server.nextPendingConnection();
        QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
        const QByteArray big(1 << 20, 'q'); // more than the kernel buffers hold at once
        client.write(big);
        QByteArray got;
        connect(peer, &QTcpSocket::readyRead, this, [&] { got += peer->readAll(); });
        QTRY_COMPARE_WITH_TIMEOUT(got.size(), big.size(), 10000);
        QCOMPARE(got, big);
        QSignalSpy closed(peer, &QTcpSocket::disconnected);
        client.disconnectFromHost();
        QTRY_COMPARE(closed.size(), 1);
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    TestEpollDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolldispatcher.moc"
