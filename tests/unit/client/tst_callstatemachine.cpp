// Every legal path of a call, the refused transitions, and the details a user
// sees afterwards (times, duration, cause, error only for Failure).

#include "client/CallStateMachine.h"

#include <QTest>

using namespace softphone::client;

namespace {
const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1764150000000, Qt::UTC);
QDateTime at(qint64 ms)
{
    return t0.addMSecs(ms);
}
} // namespace

class TestCallStateMachine : public QObject
{
    Q_OBJECT

private slots:
    void outgoingAnsweredThenHungUp()
    {
        CallStateMachine call(CallDirection::Outgoing, t0);
        QCOMPARE(call.state(), CallState::Initiating);
        QCOMPARE(call.details().startedAt, t0);
        QVERIFY(call.progress(at(100)));
        QCOMPARE(call.state(), CallState::Progressing);
        QVERIFY(call.establish(at(2100)));
        QCOMPARE(call.state(), CallState::Established);
        QVERIFY(call.end(EndCause::HungUp, std::nullopt, at(62100)));
        QCOMPARE(call.state(), CallState::Ended);
        const CallDetails &d = call.details();
        QCOMPARE(d.progressedAt, at(100));
        QCOMPARE(d.establishedAt, at(2100));
        QCOMPARE(d.endedAt, at(62100));
        QCOMPARE(d.durationMs, 60000);
        QCOMPARE(d.endCause, EndCause::HungUp);
        QVERIFY(!d.error);
    }

    void outgoingEndsBeforeAnswer_data()
    {
        QTest::addColumn<bool>("progressed");
        QTest::addColumn<EndCause>("cause");
        for (const bool progressed : {false, true}) {
            for (const EndCause cause : {EndCause::Denied, EndCause::NoAnswer, EndCause::Canceled,
                                         EndCause::Timeout, EndCause::OtherDeviceAnswered}) {
                const QByteArray name = endCauseName(cause).toLatin1() +
                                        (progressed ? "-after-progress" : "-before-progress");
                QTest::newRow(name.constData()) << progressed << cause;
            }
        }
    }
    void outgoingEndsBeforeAnswer()
    {
        QFETCH(bool, progressed);
        QFETCH(EndCause, cause);
        CallStateMachine call(CallDirection::Outgoing, t0);
        if (progressed)
            QVERIFY(call.progress(at(10)));
        QVERIFY(call.end(cause, std::nullopt, at(5000)));
        QCOMPARE(call.state(), CallState::Ended);
        QCOMPARE(call.details().endCause, cause);
        QCOMPARE(call.details().durationMs, 0); // never established
        QVERIFY(!call.details().establishedAt.isValid());
        QCOMPARE(call.details().progressedAt.isValid(), progressed);
        QVERIFY(!call.details().error);
    }

    void outgoingEstablishedWithoutProgress()
    {
        // The service may confirm the answer before we saw progress.
        CallStateMachine call(CallDirection::Outgoing, t0);
        QVERIFY(call.establish(at(300)));
        QCOMPARE(call.state(), CallState::Established);
        QVERIFY(!call.details().progressedAt.isValid());
    }

    void incomingAnswered()
    {
        CallStateMachine call(CallDirection::Incoming, t0);
        QVERIFY(call.establish(at(1000)));
        QVERIFY(call.end(EndCause::HungUp, std::nullopt, at(4500)));
        QCOMPARE(call.details().durationMs, 3500);
    }

    void incomingEndsUnanswered_data()
    {
        QTest::addColumn<EndCause>("cause");
        for (const EndCause cause : {EndCause::Denied, EndCause::Canceled, EndCause::NoAnswer,
                                     EndCause::OtherDeviceAnswered})
            QTest::newRow(endCauseName(cause).toLatin1().constData()) << cause;
    }
    void incomingEndsUnanswered()
    {
        QFETCH(EndCause, cause);
        CallStateMachine call(CallDirection::Incoming, t0);
        QVERIFY(call.end(cause, std::nullopt, at(700)));
        QCOMPARE(call.details().endCause, cause);
        QCOMPARE(call.details().durationMs, 0);
    }

    void failureCarriesTheError()
    {
        CallStateMachine call(CallDirection::Outgoing, t0);
        const CallError error{QStringLiteral("other"), QStringLiteral("unknown_user"),
                              QStringLiteral("no such user")};
        QVERIFY(call.end(EndCause::Failure, error, at(50)));
        QVERIFY(call.details().error);
        QCOMPARE(*call.details().error, error);
    }

    void failureWithoutErrorGetsOne()
    {
        CallStateMachine call(CallDirection::Incoming, t0);
        QVERIFY(call.end(EndCause::Failure, std::nullopt, at(50)));
        QVERIFY(call.details().error);
        QCOMPARE(call.details().error->domain, QStringLiteral("other"));
    }

    void errorDroppedForOtherCauses()
    {
        CallStateMachine call(CallDirection::Outgoing, t0);
        QVERIFY(call.end(EndCause::Denied,
                         CallError{QStringLiteral("network"), QStringLiteral("x"), QString()},
                         at(1)));
        QVERIFY(!call.details().error);
    }

    void incomingHasNoProgress()
    {
        CallStateMachine call(CallDirection::Incoming, t0);
        QString why;
        QVERIFY(!call.progress(at(1), &why));
        QVERIFY(!why.isEmpty());
        QCOMPARE(call.state(), CallState::Initiating);
        QVERIFY(!call.details().progressedAt.isValid());
    }

    void progressTwiceIgnored()
    {
        CallStateMachine call(CallDirection::Outgoing, t0);
        QVERIFY(call.progress(at(1)));
        QVERIFY(!call.progress(at(2)));
        QCOMPARE(call.details().progressedAt, at(1)); // the first one stays
    }

    void progressAfterEstablishedIgnored()
    {
        CallStateMachine call(CallDirection::Outgoing, t0);
        QVERIFY(call.establish(at(1)));
        QVERIFY(!call.progress(at(2)));
        QCOMPARE(call.state(), CallState::Established);
        QVERIFY(!call.establish(at(3)));
        QCOMPARE(call.details().establishedAt, at(1));
    }

    void nothingAfterEnded()
    {
        CallStateMachine call(CallDirection::Outgoing, t0);
        QVERIFY(call.progress(at(1)));
        QVERIFY(call.establish(at(2)));
        QVERIFY(call.end(EndCause::HungUp, std::nullopt, at(10)));
        const CallDetails before = call.details();
        QString why;
        QVERIFY(!call.progress(at(11), &why));
        QVERIFY(!call.establish(at(12), &why));
        QVERIFY(!call.end(EndCause::Failure, std::nullopt, at(13), &why));
        QVERIFY(why.contains(QStringLiteral("hung_up")));
        QCOMPARE(call.state(), CallState::Ended);
        QCOMPARE(call.details().endCause, EndCause::HungUp);
        QCOMPARE(call.details().endedAt, before.endedAt);
        QCOMPARE(call.details().durationMs, 8);
        QVERIFY(!call.details().error);
    }

    void endWithoutCauseRefused()
    {
        CallStateMachine call(CallDirection::Outgoing, t0);
        QVERIFY(!call.end(EndCause::None, std::nullopt, at(1)));
        QCOMPARE(call.state(), CallState::Initiating);
    }
};

QTEST_GUILESS_MAIN(TestCallStateMachine)
#include "tst_callstatemachine.moc"
