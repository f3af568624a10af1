// The call history as the user sees it: newest first, missed calls counted until seen.
#include "storage/CallEndCause.h"
#include "storage/CallHistory.h"
#include "storage/Database.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace softphone::storage;

class TestCallHistory : public QObject
{
    Q_OBJECT

private:
    static CallRecord record(const QString &user, bool outgoing, bool missed, qint64 at)
    {
        CallRecord r;
        r.callId = QStringLiteral("id-") + QString::number(at);
        r.remoteUser = user;
        r.outgoing = outgoing;
        r.missed = missed;
        r.startedAt = QDateTime::fromMSecsSinceEpoch(at);
        r.durationMs = missed ? 0 : 65000;
        r.endCause = QString(missed ? endcause::kCanceled : endcause::kHungUp);
        return r;
    }

private slots:
    // The keys the history stores and ui translates: one failure's error code
    // travels with it, and which outcomes make an unanswered call "missed".
    void endCauseKeys()
    {
        using namespace softphone::storage::endcause;
        QCOMPARE(key(kFailure, u"peer_lost"), QStringLiteral("failure:peer_lost"));
        QCOMPARE(key(kHungUp, u"peer_lost"), QStringLiteral("hung_up"));
        QCOMPARE(key(kFailure), QStringLiteral("failure"));
        QCOMPARE(causeOf(u"failure:no_device"), QStringView(u"failure"));
        QCOMPARE(errorCodeOf(u"failure:no_device"), QStringView(u"no_device"));
        QVERIFY(errorCodeOf(u"denied").isEmpty());
        for (QStringView missed :
             {QStringView(u"canceled"), QStringView(u"no_answer"), QStringView(u"timeout"),
              QStringView(u"failure:no_device"), QStringView(u"dnd")})
            QVERIFY2(isMissed(missed), qPrintable(missed.toString()));
        for (QStringView taken : {QStringView(u"hung_up"), QStringView(u"denied"),
                                  QStringView(u"other_device_answered")})
            QVERIFY2(!isMissed(taken), qPrintable(taken.toString()));
    }

    void newestFirstWithDetails()
    {
        QTemporaryDir dir;
        Database db(dir.filePath(QStringLiteral("h.sqlite")));
        QVERIFY2(db.open(), qPrintable(db.error()));
        CallHistory history(db);
        QVERIFY(history.add(record(QStringLiteral("bob"), true, false, 1000)) > 0);
        CallRecord missed = record(QStringLiteral("carol"), false, true, 2000);
        missed.subject = QStringLiteral("lunch");
        QVERIFY(history.add(missed) > 0);

        const auto list = history.recent();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list[0].remoteUser, QStringLiteral("carol"));
        QVERIFY(list[0].missed);
        QCOMPARE(list[0].subject, QStringLiteral("lunch"));
        QCOMPARE(list[0].endCause, QStringLiteral("canceled"));
        QCOMPARE(list[1].remoteUser, QStringLiteral("bob"));
        QCOMPARE(list[1].durationMs, 65000);
        QVERIFY(list[1].outgoing);
        QCOMPARE(history.remoteUsers(),
                 (QStringList{QStringLiteral("carol"), QStringLiteral("bob")}));
    }

    void missedCountedUntilSeen()
    {
        QTemporaryDir dir;
        Database db(dir.filePath(QStringLiteral("h.sqlite")));
        QVERIFY(db.open());
        CallHistory history(db);
        QSignalSpy countSpy(&history, &CallHistory::unseenMissedCountChanged);
        history.add(record(QStringLiteral("bob"), false, true, 1000));
        history.add(record(QStringLiteral("bob"), false, true, 2000));
        history.add(record(QStringLiteral("bob"), false, false, 3000));
        QCOMPARE(history.unseenMissedCount(), 2);
        QCOMPARE(countSpy.last().at(0).toInt(), 2);
        history.markMissedSeen();
        QCOMPARE(history.unseenMissedCount(), 0);
        QCOMPARE(countSpy.last().at(0).toInt(), 0);
        // Seen missed calls stay in the history, still marked missed.
        QCOMPARE(history.recent().size(), 3);
        QVERIFY(history.recent().at(1).missed);
    }

    void survivesReopen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h.sqlite"));
        {
            Database db(path);
            QVERIFY(db.open());
            CallHistory(db).add(record(QStringLiteral("bob"), false, true, 1000));
        }
        Database db(path);
        QVERIFY(db.open());
        CallHistory history(db);
        QCOMPARE(history.recent().size(), 1);
        QCOMPARE(history.unseenMissedCount(), 1);
    }

    void unusableFileIsAClearError()
    {
        QTemporaryDir dir;
        // A folder where the database file should be.
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("taken.sqlite")));
        Database db(dir.filePath(QStringLiteral("taken.sqlite")));
        QVERIFY(!db.open());
        QVERIFY(!db.error().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCallHistory)
#include "tst_callhistory.moc"
