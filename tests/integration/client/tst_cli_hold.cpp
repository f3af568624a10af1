// softphone-cli's hold and resume as a test drives it: alice calls bob with a
// tone as her voice, holds the call after it is established and resumes it;
// both processes print held and resumed with who holds the call, and the
// frame counters in those lines show that no voice flowed while it was held
// and that it flowed again after the resume (counts, not timing). Blind
// transfer: alice sends bob on to carol with --transfer-to, bob follows with
// --follow-transfer and carol sees the call referred by alice. Attended
// transfer: --then-call holds the first call and places a second, --connect
// connects the two other parties; --switch-after switches back to the first.
// Keypad digits (--send-digits) go both ways as telephone events and are
// printed in order; to the service's echo user, which takes no events, they go
// as in-band tones, the echo plays them back and the caller hears its own
// digits (DtmfDetector), printed in order as well. Call waiting: answer
// --waiting hold|end answers a second caller as the GUI's "Hold and answer"
// and "End and answer" do.

#include "media/ToneGenerator.h"
#include "media/WavFile.h"
#include "support/CliProcess.h"
#include "support/ServerProcess.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using namespace softphone;
using softphone::test::CliProcess;
using softphone::test::ServerProcess;

class TestCliHold : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;
    QTemporaryDir m_dir;

    QString path(const char *name) const { return m_dir.filePath(QLatin1StringView(name)); }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("alice-password-1")));
        QVERIFY(m_server.addUser(QStringLiteral("bob"), QStringLiteral("bob-password-1")));
        QVERIFY(m_server.addUser(QStringLiteral("carol"), QStringLiteral("carol-password-1")));
        // 30 s of a steady tone: voice frames all along (no DTX silence).
        media::ToneGenerator tone({{30000, 440}}, false, -6);
        media::WavAudio audio;
        audio.samples = tone.renderOnce();
        QVERIFY(media::WavFile::write(path("tone.wav"), audio));
    }

    void holdAndResumeFromTheCommandLine()
    {
        const QStringList audio{QStringLiteral("--no-audio"), QStringLiteral("--audio-in"),
                                path("tone.wav")};
        CliProcess bob(m_server.appServerUrl(), QStringLiteral("bob"),
                       QStringLiteral("bob-password-1"),
                       QStringList{QStringLiteral("answer")} + audio);
        QVERIFY2(bob.waitForEvent(QStringLiteral("waiting")), qPrintable(bob.transcript()));
        CliProcess alice(m_server.appServerUrl(), QStringLiteral("alice"),
                         QStringLiteral("alice-password-1"),
                         QStringList{QStringLiteral("call"), QStringLiteral("bob"),
                                     QStringLiteral("--hold-after"), QStringLiteral("2"),
                                     QStringLiteral("--resume-after"), QStringLiteral("3"),
                                     QStringLiteral("--hangup-after"), QStringLiteral("8")} +
                             audio);

        QVERIFY2(alice.waitForEvent(QStringLiteral("held")), qPrintable(alice.transcript()));
        QVERIFY2(bob.waitForEvent(QStringLiteral("held")), qPrintable(bob.transcript()));
        const QJsonObject aliceHeld = alice.event(QStringLiteral("held"));
        const QJsonObject bobHeld = bob.event(QStringLiteral("held"));
        QCOMPARE(aliceHeld.value(u"byMe").toBool(), true);
        QCOMPARE(aliceHeld.value(u"byRemote").toBool(), false);
        QCOMPARE(bobHeld.value(u"byMe").toBool(), false);
        QCOMPARE(bobHeld.value(u"byRemote").toBool(), true);
        // Voice flowed before the hold.
        QVERIFY(aliceHeld.value(u"framesSent").toInteger() > 50);
        QVERIFY(bobHeld.value(u"framesReceived").toInteger() > 50);

        QVERIFY2(alice.waitForEvent(QStringLiteral("resumed")), qPrintable(alice.transcript()));
        QVERIFY2(bob.waitForEvent(QStringLiteral("resumed")), qPrintable(bob.transcript()));
        const QJsonObject aliceResumed = alice.event(QStringLiteral("resumed"));
        const QJsonObject bobResumed = bob.event(QStringLiteral("resumed"));
        QCOMPARE(aliceResumed.value(u"byMe").toBool(), false);
        QCOMPARE(bobResumed.value(u"byRemote").toBool(), false);
        // Three seconds on hold: nothing sent by either side, nothing arrived
        // but the few frames already on their way when the hold began (under
        // 200 ms of them: the call is peer to peer with 10 ms frames, #13).
        QCOMPARE(aliceResumed.value(u"framesSent").toInteger(),
                 aliceHeld.value(u"framesSent").toInteger());
        QCOMPARE(bobResumed.value(u"framesSent").toInteger(),
                 bobHeld.value(u"framesSent").toInteger());
        QVERIFY(bobResumed.value(u"framesReceived").toInteger() -
                    bobHeld.value(u"framesReceived").toInteger() <
                20);

        // After the resume the voice flows again until the hang-up.
        QVERIFY2(alice.finished(), qPrintable(alice.transcript()));
        QVERIFY2(bob.finished(), qPrintable(bob.transcript()));
        QCOMPARE(alice.exitCode(), 0);
        QCOMPARE(bob.exitCode(), 0);
        const QJsonObject bobMedia = bob.event(QStringLiteral("media"));
        QVERIFY2(bobMedia.value(u"quality").toObject().value(u"framesReceived").toInteger() >
                     bobResumed.value(u"framesReceived").toInteger() + 50,
                 qPrintable(bob.transcript()));
    }

    void keypadDigitsBothWays()
    {
        const QString noAudio = QStringLiteral("--no-audio");
        CliProcess bob(m_server.appServerUrl(), QStringLiteral("bob"),
                       QStringLiteral("bob-password-1"),
                       {QStringLiteral("answer"), QStringLiteral("--send-digits"),
                        QStringLiteral("9*"), noAudio});
        QVERIFY2(bob.waitForEvent(QStringLiteral("waiting")), qPrintable(bob.transcript()));
        CliProcess alice(m_server.appServerUrl(), QStringLiteral("alice"),
                         QStringLiteral("alice-password-1"),
                         {QStringLiteral("call"), QStringLiteral("bob"),
                          QStringLiteral("--send-digits"), QStringLiteral("12#a"),
                          QStringLiteral("--hangup-after"), QStringLiteral("5"), noAudio});
        QVERIFY2(alice.finished(), qPrintable(alice.transcript()));
        QVERIFY2(bob.finished(), qPrintable(bob.transcript()));
        auto digits = [](const CliProcess &cli) {
            QString all;
            for (const QJsonObject &event : cli.events(QStringLiteral("dtmf")))
                all += event.value(u"digit").toString();
            return all;
        };
        QCOMPARE(digits(bob), QStringLiteral("12#A"));
        QCOMPARE(digits(alice), QStringLiteral("9*"));
        // Not keypad digits: refused before anything starts.
        CliProcess wrong(m_server.appServerUrl(), QStringLiteral("alice"),
                         QStringLiteral("alice-password-1"),
                         {QStringLiteral("call"), QStringLiteral("bob"),
                          QStringLiteral("--send-digits"), QStringLiteral("12x"), noAudio});
        QVERIFY(wrong.finished());
        QVERIFY(wrong.exitCode() != 0);
    }

    void inbandDigitsComeBackFromTheEcho()
    {
        CliProcess alice(
            m_server.appServerUrl(), QStringLiteral("alice"), QStringLiteral("alice-password-1"),
            {QStringLiteral("call"), QStringLiteral("echo"), QStringLiteral("--send-digits"),
             QStringLiteral("2580*#"), QStringLiteral("--hangup-after"), QStringLiteral("5"),
             QStringLiteral("--no-audio")});
        QVERIFY2(alice.finished(), qPrintable(alice.transcript()));
        QString heard;
        for (const QJsonObject &event : alice.events(QStringLiteral("dtmf")))
            heard += event.value(u"digit").toString();
        QVERIFY2(heard == QStringLiteral("2580*#"), qPrintable(alice.transcript()));
    }

    // Call waiting (--waiting): carol calls bob while he talks with alice;
    // "hold" holds alice and answers carol (alice hears she is held, bob goes
    // on with her once carol is gone), "end" hangs alice up and answers carol.
    void callWaitingFromTheCommandLine_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("hold and answer") << QStringLiteral("hold");
        QTest::newRow("end and answer") << QStringLiteral("end");
    }
    void callWaitingFromTheCommandLine()
    {
        QFETCH(QString, how);
        const QString noAudio = QStringLiteral("--no-audio");
        CliProcess bob(m_server.appServerUrl(), QStringLiteral("bob"),
                       QStringLiteral("bob-password-1"),
                       {QStringLiteral("answer"), QStringLiteral("--waiting"), how, noAudio});
        QVERIFY2(bob.waitForEvent(QStringLiteral("waiting")), qPrintable(bob.transcript()));
        CliProcess alice(m_server.appServerUrl(), QStringLiteral("alice"),
                         QStringLiteral("alice-password-1"),
                         {QStringLiteral("call"), QStringLiteral("bob"),
                          QStringLiteral("--hangup-after"), QStringLiteral("6"), noAudio});
        const auto established = [](const CliProcess &cli, const QString &remote) {
            const QList<QJsonObject> states = cli.events(QStringLiteral("state"));
            return std::any_of(states.cbegin(), states.cend(), [&remote](const QJsonObject &e) {
                return e.value(u"state").toString() == QLatin1String("established") &&
                       e.value(u"remote").toString() == remote;
            });
        };
        QTRY_VERIFY2_WITH_TIMEOUT(established(bob, QStringLiteral("alice")),
                                  qPrintable(bob.transcript()), 15000);
        CliProcess carol(m_server.appServerUrl(), QStringLiteral("carol"),
                         QStringLiteral("carol-password-1"),
                         {QStringLiteral("call"), QStringLiteral("bob"),
                          QStringLiteral("--hangup-after"), QStringLiteral("2"), noAudio});
        QVERIFY2(carol.finished(), qPrintable(carol.transcript()));
        QCOMPARE(carol.exitCode(), 0);
        QVERIFY2(established(bob, QStringLiteral("carol")), qPrintable(bob.transcript()));
        QVERIFY2(alice.finished(), qPrintable(alice.transcript()));
        QVERIFY2(bob.finished(), qPrintable(bob.transcript()));
        QCOMPARE(bob.exitCode(), 0);
        QCOMPARE(alice.exitCode(), 0);
        const QJsonObject aliceEnded = alice.event(QStringLiteral("ended"));
        if (how == QLatin1String("hold")) {
            // alice was held by bob while he talked with carol, then her own hang-up ended it.
            const QJsonObject held = alice.event(QStringLiteral("held"));
            QVERIFY2(held.value(u"byRemote").toBool(), qPrintable(alice.transcript()));
            QVERIFY2(aliceEnded.value(u"durationMs").toInteger() >= 5000,
                     qPrintable(alice.transcript()));
        } else {
            // bob hung up on alice to answer carol: her call ended before her 6 s.
            QVERIFY2(alice.events(QStringLiteral("held")).isEmpty(),
                     qPrintable(alice.transcript()));
            QVERIFY2(aliceEnded.value(u"durationMs").toInteger() < 5000,
                     qPrintable(alice.transcript()));
        }
    }

    void transferFromTheCommandLine()
    {
        const QString noAudio = QStringLiteral("--no-audio");
        CliProcess carol(m_server.appServerUrl(), QStringLiteral("carol"),
                         QStringLiteral("carol-password-1"),
                         {QStringLiteral("answer"), QStringLiteral("--hangup-after"),
                          QStringLiteral("1"), noAudio});
        CliProcess bob(m_server.appServerUrl(), QStringLiteral("bob"),
                       QStringLiteral("bob-password-1"),
                       {QStringLiteral("answer"), QStringLiteral("--follow-transfer"), noAudio});
        QVERIFY2(carol.waitForEvent(QStringLiteral("waiting")), qPrintable(carol.transcript()));
        QVERIFY2(bob.waitForEvent(QStringLiteral("waiting")), qPrintable(bob.transcript()));
        CliProcess alice(m_server.appServerUrl(), QStringLiteral("alice"),
                         QStringLiteral("alice-password-1"),
                         {QStringLiteral("call"), QStringLiteral("bob"),
                          QStringLiteral("--transfer-to"), QStringLiteral("carol"), noAudio});

        QVERIFY2(bob.waitForEvent(QStringLiteral("transfer_request")),
                 qPrintable(bob.transcript()));
        const QJsonObject request = bob.event(QStringLiteral("transfer_request"));
        QCOMPARE(request.value(u"to").toString(), QStringLiteral("carol"));
        QCOMPARE(request.value(u"by").toString(), QStringLiteral("alice"));
        QVERIFY2(carol.waitForEvent(QStringLiteral("incoming")), qPrintable(carol.transcript()));
        const QJsonObject incoming = carol.event(QStringLiteral("incoming"));
        QCOMPARE(incoming.value(u"remote").toString(), QStringLiteral("bob"));
        QCOMPARE(incoming.value(u"headers").toObject().value(u"referred-by").toString(),
                 QStringLiteral("alice"));
        // alice's call ends as bob follows; bob's session goes on with carol
        // until she hangs up.
        QVERIFY2(alice.finished(), qPrintable(alice.transcript()));
        QCOMPARE(alice.exitCode(), 0);
        QCOMPARE(alice.event(QStringLiteral("ended")).value(u"cause").toString(),
                 QStringLiteral("hung_up"));
        QVERIFY2(carol.finished(), qPrintable(carol.transcript()));
        QVERIFY2(bob.finished(), qPrintable(bob.transcript()));
        QCOMPARE(bob.exitCode(), 0);
        const QList<QJsonObject> ended = bob.events(QStringLiteral("ended"));
        QCOMPARE(ended.size(), 2); // alice's call, then carol's
        QCOMPARE(ended.last().value(u"remote").toString(), QStringLiteral("carol"));
        QVERIFY(ended.last().value(u"durationMs").toInteger() > 0);
    }

    void attendedTransferFromTheCommandLine()
    {
        // alice calls bob, holds him and calls carol (--then-call), then
        // connects the two (--connect); bob follows, carol's client takes his
        // call in place of alice's, alice hears it worked and both her calls end.
        const QString noAudio = QStringLiteral("--no-audio");
        CliProcess carol(m_server.appServerUrl(), QStringLiteral("carol"),
                         QStringLiteral("carol-password-1"), {QStringLiteral("answer"), noAudio});
        CliProcess bob(m_server.appServerUrl(), QStringLiteral("bob"),
                       QStringLiteral("bob-password-1"),
                       {QStringLiteral("answer"), QStringLiteral("--follow-transfer"),
                        QStringLiteral("--hangup-after"), QStringLiteral("8"), noAudio});
        QVERIFY2(carol.waitForEvent(QStringLiteral("waiting")), qPrintable(carol.transcript()));
        QVERIFY2(bob.waitForEvent(QStringLiteral("waiting")), qPrintable(bob.transcript()));
        CliProcess alice(
            m_server.appServerUrl(), QStringLiteral("alice"), QStringLiteral("alice-password-1"),
            {QStringLiteral("call"), QStringLiteral("bob"), QStringLiteral("--then-call"),
             QStringLiteral("carol"), QStringLiteral("--connect"), noAudio});

        QVERIFY2(alice.waitForEvent(QStringLiteral("transfer_result")),
                 qPrintable(alice.transcript()));
        const QJsonObject result = alice.event(QStringLiteral("transfer_result"));
        QCOMPARE(result.value(u"ok").toBool(), true);
        QCOMPARE(result.value(u"to").toString(), QStringLiteral("carol"));
        QCOMPARE(result.value(u"remote").toString(), QStringLiteral("bob"));
        const QJsonObject request = bob.event(QStringLiteral("transfer_request"));
        QCOMPARE(request.value(u"by").toString(), QStringLiteral("alice"));
        QVERIFY(!request.value(u"replaces").toString().isEmpty());
        QVERIFY2(alice.finished(), qPrintable(alice.transcript()));
        QCOMPARE(alice.exitCode(), 0);
        QCOMPARE(alice.events(QStringLiteral("ended")).size(), 2);
        // carol: alice's call, then bob's taking its place (not rung).
        const QList<QJsonObject> incoming = carol.events(QStringLiteral("incoming"));
        QCOMPARE(incoming.size(), 2);
        QCOMPARE(incoming.last().value(u"remote").toString(), QStringLiteral("bob"));
        QCOMPARE(incoming.last().value(u"headers").toObject().value(u"replaces").toString(),
                 request.value(u"replaces").toString());
        QVERIFY2(bob.finished(), qPrintable(bob.transcript()));
        QCOMPARE(bob.exitCode(), 0);
        QVERIFY2(carol.finished(), qPrintable(carol.transcript()));
        QCOMPARE(carol.exitCode(), 0);
        const QList<QJsonObject> ended = carol.events(QStringLiteral("ended"));
        QCOMPARE(ended.size(), 2);
        QCOMPARE(ended.last().value(u"remote").toString(), QStringLiteral("bob"));
        QVERIFY(ended.last().value(u"durationMs").toInteger() > 0);
    }

    void secondCallAndSwitchingFromTheCommandLine()
    {
        // alice in a call with bob calls carol too (bob goes on hold), then
        // switches back to bob (carol goes on hold).
        const QString noAudio = QStringLiteral("--no-audio");
        CliProcess bob(m_server.appServerUrl(), QStringLiteral("bob"),
                       QStringLiteral("bob-password-1"),
                       {QStringLiteral("answer"), QStringLiteral("--hangup-after"),
                        QStringLiteral("6"), noAudio});
        CliProcess carol(m_server.appServerUrl(), QStringLiteral("carol"),
                         QStringLiteral("carol-password-1"),
                         {QStringLiteral("answer"), QStringLiteral("--hangup-after"),
                          QStringLiteral("4"), noAudio});
        QVERIFY2(bob.waitForEvent(QStringLiteral("waiting")), qPrintable(bob.transcript()));
        QVERIFY2(carol.waitForEvent(QStringLiteral("waiting")), qPrintable(carol.transcript()));
        CliProcess alice(m_server.appServerUrl(), QStringLiteral("alice"),
                         QStringLiteral("alice-password-1"),
                         {QStringLiteral("call"), QStringLiteral("bob"),
                          QStringLiteral("--then-call"), QStringLiteral("carol"),
                          QStringLiteral("--switch-after"), QStringLiteral("1"), noAudio});
        QVERIFY2(alice.finished(), qPrintable(alice.transcript()));
        QCOMPARE(alice.exitCode(), 0);
        QCOMPARE(alice.events(QStringLiteral("ended")).size(), 2);
        // bob: held by alice, then resumed; carol: held by alice after talking.
        QVERIFY2(bob.finished(), qPrintable(bob.transcript()));
        const QList<QJsonObject> bobHeld = bob.events(QStringLiteral("held"));
        QVERIFY2(!bobHeld.isEmpty(), qPrintable(bob.transcript()));
        QCOMPARE(bobHeld.first().value(u"byRemote").toBool(), true);
        QVERIFY2(!bob.events(QStringLiteral("resumed")).isEmpty(), qPrintable(bob.transcript()));
        QVERIFY2(carol.finished(), qPrintable(carol.transcript()));
        const QList<QJsonObject> carolHeld = carol.events(QStringLiteral("held"));
        QVERIFY2(!carolHeld.isEmpty(), qPrintable(carol.transcript()));
        QCOMPARE(carolHeld.first().value(u"byRemote").toBool(), true);
    }

    void usageErrors()
    {
        CliProcess alone(m_server.appServerUrl(), QStringLiteral("alice"),
                         QStringLiteral("alice-password-1"),
                         {QStringLiteral("call"), QStringLiteral("bob"),
                          QStringLiteral("--resume-after"), QStringLiteral("1")});
        QVERIFY(alone.finished());
        QCOMPARE(alone.exitCode(), 2);
        CliProcess bad(
            m_server.appServerUrl(), QStringLiteral("alice"), QStringLiteral("alice-password-1"),
            {QStringLiteral("answer"), QStringLiteral("--hold-after"), QStringLiteral("soon")});
        QVERIFY(bad.finished());
        QCOMPARE(bad.exitCode(), 2);
        CliProcess nobody(m_server.appServerUrl(), QStringLiteral("alice"),
                          QStringLiteral("alice-password-1"),
                          {QStringLiteral("call"), QStringLiteral("bob"),
                           QStringLiteral("--transfer-to"), QStringLiteral("not a user")});
        QVERIFY(nobody.finished());
        QCOMPARE(nobody.exitCode(), 2);
        CliProcess lonelyConnect(
            m_server.appServerUrl(), QStringLiteral("alice"), QStringLiteral("alice-password-1"),
            {QStringLiteral("call"), QStringLiteral("bob"), QStringLiteral("--connect")});
        QVERIFY(lonelyConnect.finished());
        QCOMPARE(lonelyConnect.exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(TestCliHold)
#include "tst_cli_hold.moc"
