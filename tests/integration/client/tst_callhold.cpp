// Hold and resume between two SoftphoneClients against a real
// softphone-server on loopback, with a tone as each side's voice: both sides
// learn who holds the call; while it is held no voice flows either way, the
// holder hears silence and the held side the soft hold tone; after resume the
// voice flows and is heard again. A long hold keeps the UDP path (ICE consent
// goes on without voice). Blind transfer: the transferee's client follows with
// a call referred by the transferor. Attended transfer: the new call replaces
// the transferor's call with the target, and the transferor hears how it went. Assertions are on
// frame counters and on what each side's sink was given, never on timing.

#include "SignedInClient.h"
#include "client/AudioSink.h"
#include "client/AudioSource.h"
#include "media/MediaFormat.h"
#include "media/ToneGenerator.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>
#include <cstdlib>
#include <memory>

using namespace softphone;
using namespace softphone::client;
using namespace softphone::test;

namespace {

// A steady loud 440 Hz tone as the voice (-6 dBFS, far above the hold tone's -24).
class ToneSource : public AudioSource
{
public:
    void read(std::span<int16_t> block) override { m_tone.fill(block); }

private:
    media::ToneGenerator m_tone{{{1000, 440}}, true, -6};
};

// What the call played, per block: its peak, counted from the moment the test
// starts a new phase.
class PeakSink : public AudioSink
{
public:
    void write(std::span<const int16_t> block) override
    {
        int peak = 0;
        for (int16_t s : block)
            peak = std::max(peak, std::abs(int(s)));
        m_maxPeak = std::max(m_maxPeak, peak);
        m_blocks += 1;
        m_loudBlocks += peak > kLoud ? 1 : 0;
        m_nonSilent += peak > 0 ? 1 : 0;
    }
    void newPhase() { m_maxPeak = m_blocks = m_loudBlocks = m_nonSilent = 0; }
    static constexpr int kLoud = 6000; // the voice tone decoded; the hold tone stays near 2100
    int m_maxPeak = 0;
    int m_blocks = 0;
    int m_loudBlocks = 0;
    int m_nonSilent = 0;
};

quint64 framesReceived(Call *call)
{
    if (!call || !call->media())
        return 0;
    call->media()->refreshQuality();
    return call->media()->quality().framesReceived;
}

quint64 framesSent(Call *call)
{
    return call && call->media() ? call->media()->framesSent() : 0;
}

// `by` holds (hold) or resumes the call and `peer` sees it; false if not within 10 s.
bool holdSeen(Call *by, Call *peer, bool hold)
{
    hold ? by->hold() : by->resume();
    return QTest::qWaitFor([&] { return peer->isHeldByRemote() == hold; }, 10000);
}

} // namespace

class TestCallHold : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_server;

    struct Talk
    {
        std::unique_ptr<SoftphoneClient> alice;
        std::unique_ptr<SoftphoneClient> bob;
        QPointer<Call> out; // alice's
        QPointer<Call> in;  // bob's
        std::shared_ptr<PeakSink> aliceHears = std::make_shared<PeakSink>();
        std::shared_ptr<PeakSink> bobHears = std::make_shared<PeakSink>();
    };

    // Alice calls bob, bob answers; both talk with a tone. False if a step failed.
    bool talk(Talk &t)
    {
        t.alice = signIn(*m_server, QStringLiteral("alice"));
        t.bob = signIn(*m_server, QStringLiteral("bob"));
        if (!t.alice || !t.bob)
            return false;
        QSignalSpy incoming(t.bob.get(), &SoftphoneClient::incomingCall);
        t.out = t.alice->callUser(QStringLiteral("bob"));
        if (!incoming.wait(15000))
            return false;
        t.in = incoming.first().first().value<Call *>();
        t.in->answer();
        if (!QTest::qWaitFor([&] { return t.out && t.out->media() && t.in && t.in->media(); },
                             15000))
            return false;
        t.out->media()->setSource(std::make_shared<ToneSource>());
        t.in->media()->setSource(std::make_shared<ToneSource>());
        t.out->media()->setSink(t.aliceHears);
        t.in->media()->setSink(t.bobHears);
        // Each hears the other's voice.
        return QTest::qWaitFor(
            [&] { return t.aliceHears->m_loudBlocks > 10 && t.bobHears->m_loudBlocks > 10; },
            15000);
    }

    // Attended transfer's start: alice talks with bob, holds him and talks
    // with carol (who answered).
    struct Consultation
    {
        std::unique_ptr<SoftphoneClient> carol;
        std::unique_ptr<QSignalSpy> carolRings;
        QPointer<Call> toCarol; // alice's
        QPointer<Call> atCarol; // carol's
    };
    bool consult(Talk &t, Consultation &c)
    {
        if (!talk(t) || !(c.carol = signIn(*m_server, QStringLiteral("carol"))))
            return false;
        c.carolRings = std::make_unique<QSignalSpy>(c.carol.get(), &SoftphoneClient::incomingCall);
        if (!holdSeen(t.out, t.in, true))
            return false;
        c.toCarol = t.alice->callUser(QStringLiteral("carol"));
        if (!c.carolRings->wait(15000))
            return false;
        c.atCarol = c.carolRings->first().first().value<Call *>();
        c.atCarol->answer();
        return QTest::qWaitFor(
            [&] { return c.toCarol && c.toCarol->state() == CallState::Established; }, 10000);
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(startWithUsers(*m_server, {QStringLiteral("alice"), QStringLiteral("bob"),
                                            QStringLiteral("carol")}),
                 qPrintable(m_server->lastError()));
    }

    void holdStopsVoiceBothWaysAndResumeBringsItBack()
    {
        Talk t;
        QVERIFY(talk(t));
        QSignalSpy outHold(t.out.data(), &Call::holdChanged);
        QSignalSpy inHold(t.in.data(), &Call::holdChanged);

        t.out->hold();
        QTRY_VERIFY(t.out->isOnHold() && t.in->isOnHold());
        QVERIFY(t.out->isHeldByMe() && !t.out->isHeldByRemote());
        QVERIFY(!t.in->isHeldByMe() && t.in->isHeldByRemote());
        QCOMPARE(outHold.size(), 1);
        QCOMPARE(inHold.size(), 1);
        t.aliceHears->newPhase();
        t.bobHears->newPhase();
        // Frames already on their way when the hold took effect may still arrive.
        QTest::qWait(300);
        const quint64 aliceSent = framesSent(t.out);
        const quint64 bobSent = framesSent(t.in);
        const quint64 aliceGot = framesReceived(t.out);
        const quint64 bobGot = framesReceived(t.in);
        // A second and a half of hold, counted in blocks played.
        QTRY_VERIFY_WITH_TIMEOUT(t.aliceHears->m_blocks > 75 && t.bobHears->m_blocks > 75, 15000);
        QCOMPARE(framesSent(t.out), aliceSent);
        QCOMPARE(framesSent(t.in), bobSent);
        QCOMPARE(framesReceived(t.out), aliceGot);
        QCOMPARE(framesReceived(t.in), bobGot);
        // The holder hears nothing at all; the held side only the soft hold tone.
        QCOMPARE(t.aliceHears->m_nonSilent, 0);
        QVERIFY2(t.bobHears->m_nonSilent > 0, "the held side hears the hold tone");
        QCOMPARE(t.bobHears->m_loudBlocks, 0);
        QVERIFY(t.bobHears->m_maxPeak < 2500);

        t.out->resume();
        QTRY_VERIFY(!t.out->isOnHold() && !t.in->isOnHold());
        QCOMPARE(outHold.size(), 2);
        QCOMPARE(inHold.size(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(
            framesReceived(t.in) > bobGot + 50 && framesReceived(t.out) > aliceGot + 50, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(t.aliceHears->m_loudBlocks > 10 && t.bobHears->m_loudBlocks > 10,
                                 15000);
        t.out->hangup();
        QTRY_COMPARE(t.in->state(), CallState::Ended);
    }

    void bothHoldUntilBothResume()
    {
        Talk t;
        QVERIFY(talk(t));
        QVERIFY(holdSeen(t.out, t.in, true));
        t.in->hold();
        QTRY_VERIFY(t.out->isHeldByRemote() && t.out->isHeldByMe());
        QVERIFY(t.in->isHeldByMe() && t.in->isHeldByRemote());
        t.out->resume();
        QTRY_VERIFY(!t.out->isHeldByMe());
        QVERIFY(t.out->isOnHold()); // bob still holds
        QTRY_VERIFY(!t.in->isHeldByRemote());
        QVERIFY(t.in->isOnHold());
        // Still held: alice's voice does not reach bob.
        t.bobHears->newPhase();
        QTRY_VERIFY_WITH_TIMEOUT(t.bobHears->m_blocks > 50, 15000);
        QCOMPARE(t.bobHears->m_loudBlocks, 0);
        t.in->resume();
        QTRY_VERIFY(!t.out->isOnHold() && !t.in->isOnHold());
        QTRY_VERIFY_WITH_TIMEOUT(t.bobHears->m_loudBlocks > 10, 15000);
        // Hold before the call is established changes nothing.
        t.out->hangup();
        QTRY_COMPARE(t.in->state(), CallState::Ended);
        t.out->hold();
        QVERIFY(!t.out->isOnHold());
    }

    void blindTransfer()
    {
        // Alice sends bob on to carol: bob's client calls carol, referred by
        // alice, and the first call ends.
        Talk t;
        QVERIFY(talk(t));
        auto carol = signIn(*m_server, QStringLiteral("carol"));
        QVERIFY(carol);
        QSignalSpy carolRings(carol.get(), &SoftphoneClient::incomingCall);
        QSignalSpy asked(t.in.data(), &Call::transferRequested);
        t.out->transfer(QStringLiteral("carol"));
        QVERIFY(asked.wait(10000));
        QCOMPARE(asked.first().at(0).toString(), QStringLiteral("carol"));
        QCOMPARE(asked.first().at(1).toString(), QStringLiteral("alice"));
        QPointer<Call> next =
            t.bob->followTransfer(t.in, QStringLiteral("carol"), QStringLiteral("alice"));
        QVERIFY(next);
        QTRY_COMPARE(t.out->state(), CallState::Ended);
        QCOMPARE(t.out->details().endCause, EndCause::HungUp);
        QTRY_COMPARE_WITH_TIMEOUT(carolRings.size(), 1, 10000);
        Call *atCarol = carolRings.first().first().value<Call *>();
        QCOMPARE(atCarol->remoteUserId(), QStringLiteral("bob"));
        QCOMPARE(atCarol->headers().value(QStringLiteral("referred-by")), QStringLiteral("alice"));
        atCarol->answer();
        QTRY_COMPARE(next->state(), CallState::Established);
        next->hangup();
        QTRY_COMPARE(atCarol->state(), CallState::Ended);
    }

    void attendedTransferConnectsTheOtherParties()
    {
        // Alice talks with bob, holds him, calls carol and connects the two:
        // bob's client calls carol replacing alice's call with her, carol's
        // client takes it at once, alice hears it worked and leaves both calls;
        // bob and carol hear each other.
        Talk t;
        Consultation c;
        QVERIFY(consult(t, c));
        QSignalSpy &carolRings = *c.carolRings;
        QPointer<Call> toCarol = c.toCarol;
        QPointer<Call> atCarol = c.atCarol;

        QSignalSpy asked(t.in.data(), &Call::transferRequested);
        QSignalSpy finished(t.out.data(), &Call::transferFinished);
        t.out->transfer(QStringLiteral("carol"), toCarol->id());
        QVERIFY(asked.wait(10000));
        QCOMPARE(asked.first().at(2).toString(), toCarol->id());
        QPointer<Call> next = t.bob->followTransfer(t.in, QStringLiteral("carol"),
                                                    QStringLiteral("alice"), toCarol->id());
        // Carol's client answers the replacing call itself and leaves alice.
        QTRY_COMPARE_WITH_TIMEOUT(carolRings.size(), 2, 10000);
        QPointer<Call> replacing = carolRings.at(1).first().value<Call *>();
        QCOMPARE(replacing->remoteUserId(), QStringLiteral("bob"));
        QCOMPARE(replacing->replacedCallId(), toCarol->id());
        QTRY_COMPARE_WITH_TIMEOUT(next->state(), CallState::Established, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(finished.first().at(0).toBool(), true);
        QCOMPARE(t.out->transferTarget(), QStringLiteral("carol"));
        QTRY_COMPARE(t.out->state(), CallState::Ended);
        QTRY_COMPARE(toCarol->state(), CallState::Ended);
        QCOMPARE(atCarol->state(), CallState::Ended);
        // Bob and carol talk.
        QTRY_VERIFY_WITH_TIMEOUT(next->media() && replacing->media(), 15000);
        auto bobHears = std::make_shared<PeakSink>();
        auto carolHears = std::make_shared<PeakSink>();
        next->media()->setSource(std::make_shared<ToneSource>());
        replacing->media()->setSource(std::make_shared<ToneSource>());
        next->media()->setSink(bobHears);
        replacing->media()->setSink(carolHears);
        QTRY_VERIFY_WITH_TIMEOUT(bobHears->m_loudBlocks > 10 && carolHears->m_loudBlocks > 10,
                                 15000);
        next->hangup();
        QTRY_COMPARE(replacing->state(), CallState::Ended);
    }

    void failedAttendedTransferKeepsTheFirstCall()
    {
        // Carol's call with alice is over before bob's call arrives: bob's
        // call rings as any other, carol declines, alice is told it failed and
        // still has bob on hold.
        Talk t;
        Consultation c;
        QVERIFY(consult(t, c));
        QSignalSpy &carolRings = *c.carolRings;
        QPointer<Call> toCarol = c.toCarol;
        QSignalSpy asked(t.in.data(), &Call::transferRequested);
        QSignalSpy finished(t.out.data(), &Call::transferFinished);
        t.out->transfer(QStringLiteral("carol"), toCarol->id());
        QVERIFY(asked.wait(10000));
        toCarol->hangup();
        QTRY_COMPARE(toCarol->state(), CallState::Ended);
        t.bob->followTransfer(t.in, QStringLiteral("carol"), QStringLiteral("alice"),
                              toCarol->id());
        QTRY_COMPARE_WITH_TIMEOUT(carolRings.size(), 2, 10000);
        Call *ringing = carolRings.at(1).first().value<Call *>();
        QVERIFY(ringing->replacedCallId().isEmpty());
        ringing->hangup();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(finished.first().at(0).toBool(), false);
        QCOMPARE(finished.first().at(1).toString(), QStringLiteral("denied"));
        QCOMPARE(t.out->state(), CallState::Established);
        QCOMPARE(t.in->state(), CallState::Established);
        // Alice takes bob back: they hear each other again.
        QVERIFY(holdSeen(t.out, t.in, false));
        QVERIFY(!t.in->isOnHold());
        t.aliceHears->newPhase();
        QTRY_VERIFY_WITH_TIMEOUT(t.aliceHears->m_loudBlocks > 10, 15000);
        t.out->hangup();
        QTRY_COMPARE(t.in->state(), CallState::Ended);
    }

    void longHoldKeepsTheUdpPath()
    {
        Talk t;
        QVERIFY(talk(t));
        QTRY_VERIFY_WITH_TIMEOUT(t.out->mediaPath() == QStringLiteral("p2p") &&
                                     t.in->mediaPath() == QStringLiteral("p2p"),
                                 15000);
        QVERIFY(holdSeen(t.in, t.out, true));
        // Longer than ICE consent's 30 s: the path must be kept alive by the
        // consent checks and RTCP alone, as no voice flows.
        QTest::qWait(35000);
        QCOMPARE(t.out->mediaPath(), QStringLiteral("p2p"));
        QCOMPARE(t.in->mediaPath(), QStringLiteral("p2p"));
        const quint64 aliceGot = framesReceived(t.out);
        QVERIFY(holdSeen(t.in, t.out, false));
        QVERIFY(!t.out->isOnHold());
        QTRY_VERIFY_WITH_TIMEOUT(framesReceived(t.out) > aliceGot + 50, 15000);
        QCOMPARE(t.out->mediaPath(), QStringLiteral("p2p"));
        t.out->hangup();
        QTRY_COMPARE(t.in->state(), CallState::Ended);
    }
};

QTEST_GUILESS_MAIN(TestCallHold)
#include "tst_callhold.moc"
