// Voice end to end: WAV files sent by one softphone-cli arrive in the other's
// recording through a real softphone-server: peer to peer over UDP when both
// offer it (the service relays nothing), over the WebSocket relay with a
// client that does not (with and without relay loss), and the echo user
// sends a caller's audio back a second later (over UDP, or the relay).

#include "AudioCompare.h"
#include "media/WavFile.h"
#include "protocol/Builders.h"
#include "support/CliProcess.h"
#include "support/ServerProcess.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <QtEndian>
#include <cmath>
#include <map>
#include <numbers>

using namespace softphone::test;
using softphone::media::WavAudio;
using softphone::media::WavFile;

namespace {

constexpr int kRate = 48000;
// Silence first: the far end is surely listening, and UDP media is up (its
// setup after the answer took up to ~0.5 s under ASan on a loaded machine).
constexpr int kLeadInSamples = kRate;

QString passwordOf(const QString &user)
{
    return user + QStringLiteral("-voice-password");
}

std::vector<int16_t> withLeadIn(std::vector<int16_t> audio)
{
    audio.insert(audio.begin(), kLeadInSamples, 0);
    return audio;
}

} // namespace

class TstVoice : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::vector<int16_t> m_tone;   // 0.5 s silence, 2 s of 440 Hz
    std::vector<int16_t> m_speech; // 0.5 s silence, espeak-ng speech
    QString m_toneWav;
    QString m_speechWav;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    bool startServer(ServerProcess &server)
    {
        return server.start() && server.addUser(QStringLiteral("alice"), passwordOf("alice")) &&
               server.addUser(QStringLiteral("bob"), passwordOf("bob"));
    }

    // alice calls bob with `input`; bob records. Returns bob's recording and his media line.
    // Options of each side (--no-udp-media) in aliceArgs/bobArgs; alice's
    // media line in *aliceMedia when given.
    std::vector<int16_t> sendOneWay(ServerProcess &server, const QString &input,
                                    const QString &output, QJsonObject *bobMedia,
                                    const QStringList &aliceArgs = {},
                                    const QStringList &bobArgs = {},
                                    QJsonObject *aliceMedia = nullptr)
    {
        const QUrl url = server.appServerUrl();
        CliProcess bob(url, QStringLiteral("bob"), passwordOf("bob"),
                       QStringList{QStringLiteral("answer"), QStringLiteral("--audio-out"), output,
                                   QStringLiteral("--no-audio")} +
                           bobArgs);
        if (!bob.waitForEvent(QStringLiteral("waiting"))) {
            qWarning().noquote() << bob.transcript();
            return {};
        }
        const double seconds =
            double(m_speech.size() > m_tone.size() ? m_speech.size() : m_tone.size()) / kRate + 1.5;
        CliProcess alice(url, QStringLiteral("alice"), passwordOf("alice"),
                         QStringList{QStringLiteral("call"), QStringLiteral("bob"),
                                     QStringLiteral("--audio-in"), input,
                                     QStringLiteral("--no-audio"), QStringLiteral("--hangup-after"),
                                     QString::number(seconds)} +
                             aliceArgs);
        const bool done = alice.finished() && bob.finished();
        if (!done || alice.exitCode() != 0 || bob.exitCode() != 0) {
            qWarning().noquote() << "alice:\n"
                                 << alice.transcript() << "\nbob:\n"
                                 << bob.transcript();
            return {};
        }
        *bobMedia = bob.event(QStringLiteral("media"));
        if (aliceMedia)
            *aliceMedia = alice.event(QStringLiteral("media"));
        QString error;
        auto recorded = WavFile::read(output, &error);
        if (!recorded) {
            qWarning() << "recording unreadable:" << error;
            return {};
        }
        if (recorded->sampleRate != kRate || recorded->channels != 1)
            return {};
        return recorded->samples;
    }

    // minLag < 0: the recording may start after the sender's audio did (the
    // callee's voice reaches the caller, whose media starts later).
    // maxBlocksOff: how many 20 ms blocks of sound may be missing or added.
    void checkArrived(const std::vector<int16_t> &sent, const std::vector<int16_t> &received,
                      double minCorrelation, qint64 minLag = 0, int maxBlocksOff = 3)
    {
        QVERIFY2(!received.empty(), "nothing recorded");
        const ActiveSpan sentSpan = activeSpan(sent);
        const ActiveSpan heard = activeSpan(received);
        QVERIFY(heard.firstBlock >= 0);
        // Same length within a few 20 ms frames.
        QVERIFY2(std::abs(heard.blocks() - sentSpan.blocks()) <= maxBlocksOff,
                 qPrintable(QStringLiteral("sent %1 blocks of sound, heard %2")
                                .arg(sentSpan.blocks())
                                .arg(heard.blocks())));
        const Alignment a = align(sent, received, minLag, 2 * kRate);
        const double perSecond = medianSecondCorrelation(sent, received, a.lag);
        qInfo() << "heard" << heard.blocks() << "blocks of" << sentSpan.blocks() << "correlation"
                << a.correlation << "lag ms" << a.lag / 48 << "median second" << perSecond;
        QVERIFY2(perSecond > minCorrelation,
                 qPrintable(QStringLiteral("correlation %1 at lag %2 ms, median second %3")
                                .arg(a.correlation)
                                .arg(a.lag / 48)
                                .arg(perSecond)));
    }

    // The server's test dump of what it relayed (calling.test_media_dump):
    // every frame is a DTLS record or an SRTP/SRTCP packet (RFC 7983 first
    // byte), and the RTP packets do not carry plain Opus: a plain stream's
    // first payload byte is its TOC, the same for nearly every packet of a
    // call, where an encrypted one is spread over all 256 values; each has
    // room for the 16-byte GCM tag. Returns the number of RTP packets.
    static int checkRelayedAreSrtp(const QString &dumpFile)
    {
        QFile file(dumpFile);
        if (!file.open(QIODevice::ReadOnly))
            return -1;
        const QByteArray dump = file.readAll();
        int rtp = 0;
        int dtls = 0;
        std::map<quint8, int> firstPayloadBytes;
        for (qsizetype at = 0; at + 4 <= dump.size();) {
            const auto length = qFromBigEndian<quint32>(dump.constData() + at);
            const QByteArray frame = dump.mid(at + 4, length);
            at += 4 + length;
            const auto first = quint8(frame.at(0));
            if (first >= 20 && first <= 63) {
                ++dtls;
                continue;
            }
            if (first < 128 || first > 191) {
                qWarning() << "relayed frame with first byte" << first;
                return -1;
            }
            const auto type = quint8(frame.at(1));
            if (type >= 192 && type <= 223)
                continue; // SRTCP
            if ((type & 0x7f) != 111 || frame.size() < 12 + 1 + 16) {
                qWarning() << "relayed RTP packet of" << frame.size() << "bytes, type" << type;
                return -1;
            }
            ++rtp;
            ++firstPayloadBytes[quint8(frame.at(12))];
        }
        int mostCommon = 0;
        for (const auto &[byte, count] : firstPayloadBytes)
            mostCommon = std::max(mostCommon, count);
        qInfo("relayed: %d DTLS records, %d SRTP packets; the most common first payload byte "
              "in %d of them",
              dtls, rtp, mostCommon);
        if (dtls < 2 || (rtp > 0 && mostCommon * 10 > rtp))
            return -1;
        return rtp;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(!qEnvironmentVariableIsEmpty("SOFTPHONE_CLI_BIN"));
        QVERIFY(m_dir.isValid());
        std::vector<int16_t> tone(2 * kRate);
        for (size_t i = 0; i < tone.size(); ++i)
            tone[i] = int16_t(8000 * std::sin(2 * std::numbers::pi * 440 * double(i) / kRate));
        m_tone = withLeadIn(std::move(tone));
        m_toneWav = path(QStringLiteral("tone.wav"));
        QVERIFY(WavFile::write(m_toneWav, WavAudio{kRate, 1, m_tone}));

        // Real speech, made now (espeak-ng is installed by the install script).
        const QString raw = path(QStringLiteral("espeak.wav"));
        QProcess espeak;
        espeak.start(QStringLiteral("espeak-ng"),
                     {QStringLiteral("-w"), raw,
                      QStringLiteral("The quick brown fox jumps over the lazy dog. "
                                     "Call me back when you hear this message.")});
        QVERIFY2(espeak.waitForFinished(30000) && espeak.exitCode() == 0,
                 "espeak-ng is needed to make the speech sample");
        QString error;
        auto speech = WavFile::readAs48kMono(raw, &error);
        QVERIFY2(speech, qPrintable(error));
        m_speech = withLeadIn(std::move(*speech));
        m_speechWav = path(QStringLiteral("speech.wav"));
        QVERIFY(WavFile::write(m_speechWav, WavAudio{kRate, 1, m_speech}));
    }

    void toneArrives()
    {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.lastError()));
        QJsonObject media;
        const auto received =
            sendOneWay(server, m_toneWav, path(QStringLiteral("tone-heard.wav")), &media);
        checkArrived(m_tone, received, 0.8);
    }

    // Peer to peer, as calls go (the tone's path test is pathOfTheVoice). It
    // ran on the relay while a drift drop mid-sentence over UDP shifted the
    // playout by one frame (docs/media.md "What is left"); checkArrived
    // now reads the speech a second at a time at the call's lag moved by
    // whole frames.
    void speechArrives()
    {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.lastError()));
        QJsonObject media;
        const auto received =
            sendOneWay(server, m_speechWav, path(QStringLiteral("speech-heard.wav")), &media);
        checkArrived(m_speech, received, 0.8);
        const QJsonObject quality = media.value(QLatin1StringView("quality")).toObject();
        QCOMPARE(quality.value(QLatin1StringView("path")).toString(), QStringLiteral("p2p"));
        QVERIFY2(quality.value(QLatin1StringView("framesReceived")).toInt() > 100,
                 qPrintable(QJsonDocument(media).toJson()));
    }

    // Both clients offer UDP media: the voice goes peer to peer over SRTP, and
    // the service relays none of it. Or bob's client offers none (as clients
    // before it): the call still has its voice, over the WebSocket relay, and
    // both sides say so.
    void pathOfTheVoice_data()
    {
        QTest::addColumn<QStringList>("bobArgs");
        QTest::addColumn<QString>("expected");
        QTest::newRow("both offer UDP: peer to peer") << QStringList{} << QStringLiteral("p2p");
        QTest::newRow("bob offers none: the relay")
            << QStringList{QStringLiteral("--no-udp-media")} << QStringLiteral("ws-relay");
    }
    void pathOfTheVoice()
    {
        QFETCH(QStringList, bobArgs);
        QFETCH(QString, expected);
        const QString dump = path(expected + QStringLiteral("-relayed.bin"));
        ServerProcess server(
            {QStringLiteral("--set"), QStringLiteral("calling.test_media_dump=") + dump});
        server.setErrorLog(path(expected + QStringLiteral("-server.log")));
        QVERIFY2(startServer(server), qPrintable(server.lastError()));
        QJsonObject bobMedia;
        QJsonObject aliceMedia;
        const auto received =
            sendOneWay(server, m_toneWav, path(expected + QStringLiteral("-heard.wav")), &bobMedia,
                       {}, bobArgs, &aliceMedia);
        qInfo().noquote()
            << expected << "call, bob:"
            << QJsonDocument(bobMedia.value(u"quality").toObject()).toJson(QJsonDocument::Compact);
        checkArrived(m_tone, received, 0.8);
        for (const QJsonObject &media : {aliceMedia, bobMedia})
            QCOMPARE(media.value(u"quality").toObject().value(u"path").toString(), expected);
        const int relayed = server.relayedMediaFrames(aliceMedia.value(u"callId").toString());
        if (expected == u"p2p") {
            QCOMPARE(relayed, 0);
            QCOMPARE(QFileInfo(dump).size(), 0); // not even the DTLS handshake
        } else {
            QVERIFY2(relayed > 100, qPrintable(QString::number(relayed)));
            // End to end on the relay too: the service saw only DTLS and SRTP.
            QVERIFY(checkRelayedAreSrtp(dump) > 100);
        }
    }

    void lossIsConcealedWithoutGaps()
    {
        ServerProcess server(
            {QStringLiteral("--set"), QStringLiteral("calling.test_media_loss_percent=10")});
        QVERIFY2(startServer(server), qPrintable(server.lastError()));
        QJsonObject media;
        // The test loss is the relay's: both sides as clients before UDP media.
        const QStringList relayOnly{QStringLiteral("--no-udp-media")};
        const auto received = sendOneWay(server, m_toneWav, path(QStringLiteral("lossy-heard.wav")),
                                         &media, relayOnly, relayOnly);
        QVERIFY(!received.empty());
        const ActiveSpan heard = activeSpan(received);
        const ActiveSpan sent = activeSpan(m_tone);
        QVERIFY2(
            std::abs(heard.blocks() - sent.blocks()) <= 3,
            qPrintable(
                QStringLiteral("sent %1 blocks, heard %2").arg(sent.blocks()).arg(heard.blocks())));
        // No holes: every lost frame was rebuilt from FEC or concealed.
        QCOMPARE(silentBlocksWithin(received, heard), 0);
        const QJsonObject quality = media.value(QLatin1StringView("quality")).toObject();
        const QString figures =
            QString::fromUtf8(QJsonDocument(quality).toJson(QJsonDocument::Compact));
        qInfo().noquote() << "lossy call:" << figures;
        QVERIFY2(quality.value(QLatin1StringView("totalLossPercent")).toDouble() > 2,
                 qPrintable(figures));
        QVERIFY2(quality.value(QLatin1StringView("fecRecovered")).toInt() > 0, qPrintable(figures));
    }

    void mediaFloodIsClosed()
    {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.lastError()));
        const QString token = server.login(QStringLiteral("alice"), passwordOf("alice"));
        QVERIFY(!token.isEmpty());
        QWebSocket socket;
        QStringList texts;
        connect(&socket, &QWebSocket::textMessageReceived, this,
                [&texts](const QString &text) { texts << text; });
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({QStringLiteral("softphone.v1")});
        socket.open(QNetworkRequest(server.callingUrl()), options);
        QTRY_VERIFY(socket.state() == QAbstractSocket::ConnectedState);
        softphone::protocol::Capabilities caps;
        caps.calling = true;
        socket.sendTextMessage(softphone::protocol::toText(softphone::protocol::makeHello(
            token, QStringLiteral("flood"), caps, QStringLiteral("test"), QStringLiteral("h"))));
        QTRY_VERIFY(!texts.isEmpty() && texts.first().contains(u"welcome"));
        // An oversized frame and frames without a call are dropped; the connection stays.
        socket.sendBinaryMessage(QByteArray(2000, 'x'));
        socket.sendBinaryMessage(QByteArray(80, 'x'));
        QTest::qWait(300);
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
        QCOMPARE(texts.size(), 1);
        // Far over 100 frames/s: one rate_limited error, then 4429.
        for (int i = 0; i < 400; ++i)
            socket.sendBinaryMessage(QByteArray(80, 'x'));
        QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::UnconnectedState, 15000);
        QCOMPARE(int(socket.closeCode()), 4429);
        QVERIFY(texts.join(u'\n').contains(u"rate_limited"));
    }

    // The echo user answers with ICE of its own when the caller offers it:
    // the test call goes peer to peer over UDP and the service relays not
    // one byte of it; a caller without UDP media gets its echo over the relay.
    void echoUserReturnsAudio_data()
    {
        QTest::addColumn<QStringList>("aliceArgs");
        QTest::addColumn<QString>("expected");
        QTest::newRow("over UDP") << QStringList{} << QStringLiteral("p2p");
        QTest::newRow("over the relay")
            << QStringList{QStringLiteral("--no-udp-media")} << QStringLiteral("ws-relay");
    }
    void echoUserReturnsAudio()
    {
        QFETCH(QStringList, aliceArgs);
        QFETCH(QString, expected);
        const QString dump = path(expected + QStringLiteral("-echo-relayed.bin"));
        ServerProcess server(
            {QStringLiteral("--set"), QStringLiteral("calling.test_media_dump=") + dump});
        server.setErrorLog(path(expected + QStringLiteral("-echo-server.log")));
        QVERIFY2(startServer(server), qPrintable(server.lastError()));
        const QString output = path(expected + QStringLiteral("-echo-heard.wav"));
        const double seconds = double(m_speech.size()) / kRate + 2;
        CliProcess alice(server.appServerUrl(), QStringLiteral("alice"), passwordOf("alice"),
                         QStringList{QStringLiteral("call"), QStringLiteral("echo"),
                                     QStringLiteral("--audio-in"), m_speechWav,
                                     QStringLiteral("--audio-out"), output,
                                     QStringLiteral("--hangup-after"), QString::number(seconds)} +
                             aliceArgs);
        QVERIFY2(alice.finished() && alice.exitCode() == 0, qPrintable(alice.transcript()));
        QCOMPARE(alice.event(QStringLiteral("state")).value(u"state").toString(),
                 QStringLiteral("established"));
        const QJsonObject media = alice.event(QStringLiteral("media"));
        if (media.value(u"quality").toObject().value(u"path").toString() != expected)
            qWarning().noquote() << "server log:\n" << server.errorLogText().right(6000);
        QCOMPARE(media.value(u"quality").toObject().value(u"path").toString(), expected);
        QString error;
        const auto recorded = WavFile::read(output, &error);
        QVERIFY2(recorded, qPrintable(error));
        // About one second later (plus the jitter buffer and codec delay).
        const Alignment a = align(m_speech, recorded->samples, kRate * 8 / 10, kRate * 16 / 10);
        // Per second, as checkArrived: a frame dropped or inserted between
        // words (a drift drop, seen over UDP) is not heard.
        const double perSecond = medianSecondCorrelation(m_speech, recorded->samples, a.lag);
        qInfo() << "echo correlation" << a.correlation << "lag ms" << a.lag / 48 << "median second"
                << perSecond;
        qInfo().noquote()
            << "echo call, alice:"
            << QJsonDocument(media.value(u"quality").toObject()).toJson(QJsonDocument::Compact);
        const int relayed = server.relayedMediaFrames(media.value(u"callId").toString());
        const QRegularExpression sentBack(
            QStringLiteral("echo call %1 ended: (\\d+) frames sent on the relay")
                .arg(media.value(u"callId").toString()));
        QTRY_VERIFY(sentBack.match(server.errorLogText()).hasMatch());
        const int echoed = sentBack.match(server.errorLogText()).captured(1).toInt();
        qInfo() << "relayed to the echo" << relayed << "frames, from it" << echoed;
        if (expected == u"p2p") {
            // Both ways over UDP: not even the DTLS handshake on the relay.
            QCOMPARE(relayed, 0);
            QCOMPARE(QFileInfo(dump).size(), 0);
            QCOMPARE(echoed, 0);
        } else {
            QVERIFY2(echoed > 100, qPrintable(QString::number(echoed)));
            // What alice sent the echo was SRTP: the service's echo decrypted
            // it with the keys of its own DTLS association with her.
            QVERIFY(checkRelayedAreSrtp(dump) > 100);
        }
        QVERIFY2(perSecond > 0.8 && a.lag >= kRate * 95 / 100 && a.lag <= kRate * 15 / 10,
                 qPrintable(QStringLiteral("correlation %1 at lag %2 ms, median second %3")
                                .arg(a.correlation)
                                .arg(a.lag / 48)
                                .arg(perSecond)));
    }

    // 10 ms Opus frames (#13): both clients offer them and the call is peer
    // to peer, so each side sends 10 ms frames, and speech arrives both ways
    // (judged as above). When bob offers 20 ms only, both send 20 ms; on the
    // WebSocket relay too, though both offer 10.
    void shortFramesCarrySpeechBothWays_data()
    {
        QTest::addColumn<QStringList>("bobArgs");
        QTest::addColumn<int>("frameMs");
        QTest::addColumn<QString>("voicePath");
        QTest::newRow("both offer 10 ms") << QStringList{} << 10 << QStringLiteral("p2p");
        QTest::newRow("bob offers 20 ms only")
            << QStringList{QStringLiteral("--no-short-frames")} << 20 << QStringLiteral("p2p");
        QTest::newRow("on the relay")
            << QStringList{QStringLiteral("--no-udp-media")} << 20 << QStringLiteral("ws-relay");
    }
    void shortFramesCarrySpeechBothWays()
    {
        QFETCH(QStringList, bobArgs);
        QFETCH(int, frameMs);
        QFETCH(QString, voicePath);
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.lastError()));
        const QUrl url = server.appServerUrl();
        const QString tag = voicePath + QString::number(frameMs);
        const QString bobHeard = path(tag + QStringLiteral("ms-bob-heard.wav"));
        const QString aliceHeard = path(tag + QStringLiteral("ms-alice-heard.wav"));
        CliProcess bob(url, QStringLiteral("bob"), passwordOf("bob"),
                       QStringList{QStringLiteral("answer"), QStringLiteral("--audio-in"),
                                   m_speechWav, QStringLiteral("--audio-out"), bobHeard} +
                           bobArgs);
        QVERIFY2(bob.waitForEvent(QStringLiteral("waiting")), qPrintable(bob.transcript()));
        const double seconds = double(m_speech.size()) / kRate + 1.5;
        CliProcess alice(url, QStringLiteral("alice"), passwordOf("alice"),
                         {QStringLiteral("call"), QStringLiteral("bob"),
                          QStringLiteral("--audio-in"), m_speechWav, QStringLiteral("--audio-out"),
                          aliceHeard, QStringLiteral("--hangup-after"), QString::number(seconds)});
        QVERIFY2(alice.finished() && bob.finished() && alice.exitCode() == 0 && bob.exitCode() == 0,
                 qPrintable(alice.transcript() + QStringLiteral("\nbob:\n") + bob.transcript()));
        for (CliProcess *side : {&alice, &bob}) {
            const QJsonObject quality =
                side->event(QStringLiteral("media")).value(u"quality").toObject();
            qInfo().noquote() << QJsonDocument(quality).toJson(QJsonDocument::Compact);
            QCOMPARE(quality.value(u"path").toString(), voicePath);
            QCOMPARE(quality.value(u"frameMs").toInt(), frameMs);
            // About one frame per frameMs of the call was received.
            QVERIFY2(quality.value(u"framesReceived").toInt() > 2000 / frameMs,
                     qPrintable(QJsonDocument(quality).toJson(QJsonDocument::Compact)));
        }
        for (const QString &heard : {bobHeard, aliceHeard}) {
            QString error;
            const auto recorded = WavFile::read(heard, &error);
            QVERIFY2(recorded, qPrintable(error));
            // With 10 ms frames the jitter buffer moves in 10 ms steps; under
            // load it dropped 80 ms of 4.6 s once (229 of 233 blocks heard).
            checkArrived(m_speech, recorded->samples, 0.8, -kRate / 2, 6);
            if (QTest::currentTestFailed())
                return;
        }
    }
};

QTEST_MAIN(TstVoice)
#include "tst_voice.moc"
