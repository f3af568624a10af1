// The service's part of UDP media (docs/protocol.md "The calling service: UDP
// media"), seen by raw clients: the offer reaches the ringing devices and the
// answer the caller, rebuilt from their checked fields; candidates and ICE
// restarts go only between the caller and the device that answered, within
// their limits; a party without `media` keeps the call on the relay; a party
// without `ice` takes only the relay, which forwards DTLS and SRTP only; the
// echo user answers as a DTLS endpoint, with ICE of its own when offered.
#include "RawCallingClient.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"
#include "support/ServerProcess.h"

#include <QTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;

namespace {

protocol::MediaDescription media(const QString &ufrag, char fingerprintByte, const QString &setup)
{
    QStringList pairs;
    for (int i = 0; i < 32; ++i)
        pairs << QString(2, QLatin1Char(fingerprintByte));
    return {ufrag, QStringLiteral("MkiyaW/M+1E7WuYlz3RwkM"),
            QStringLiteral("sha-256 ") + pairs.join(QLatin1Char(':')), setup};
}

QString candidateLine(int n)
{
    return QStringLiteral("a=candidate:%1 1 UDP 2015363327 10.77.0.1 %2 typ host")
        .arg(n)
        .arg(40000 + n);
}

} // namespace

class TestCallingMedia : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;

    // A raw client of `user` on `device`, with a token of the server's own key.
    std::unique_ptr<RawCallingClient> client(const QString &user, const QString &device)
    {
        return RawCallingClient::signedIn(m_server.callingUrl(), serviceToken(m_server, user),
                                          device);
    }

    static QString errorCode(RawCallingClient &client)
    {
        return client.waitFor(QStringLiteral("error")).value(u"code").toString();
    }

    // alice (laptop) offers media (ICE and DTLS) in a call to bob, whose desk rings.
    struct Ringing
    {
        std::unique_ptr<RawCallingClient> alice;
        std::unique_ptr<RawCallingClient> bob;
        QString callId = newCallId();
        protocol::MediaDescription offer =
            media(QStringLiteral("AAAA"), 'A', QStringLiteral("actpass"));
        bool rang = false;
    };
    Ringing ringBob()
    {
        Ringing r{client(QStringLiteral("alice"), QStringLiteral("laptop")),
                  client(QStringLiteral("bob"), QStringLiteral("desk"))};
        if (!r.alice || !r.bob)
            return r;
        r.alice->send(protocol::makeCall(r.callId, QStringLiteral("bob"), {}, false, {}, r.offer));
        r.rang = !r.bob->waitFor(QStringLiteral("incoming")).isEmpty();
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("password-123")) &&
                m_server.addUser(QStringLiteral("bob"), QStringLiteral("password-123")));
    }

    void signalingGoesOnlyBetweenTheParties()
    {
        auto alice = client(QStringLiteral("alice"), QStringLiteral("laptop"));
        auto desk = client(QStringLiteral("bob"), QStringLiteral("desk"));
        auto phone = client(QStringLiteral("bob"), QStringLiteral("phone"));
        QVERIFY(alice && desk && phone);
        const QString callId = newCallId();
        const auto offer = media(QStringLiteral("AAAA"), 'A', QStringLiteral("actpass"));
        // A field of our own inside `media` is not forwarded.
        QJsonObject call = protocol::makeCall(callId, QStringLiteral("bob"), {}, false,
                                              QStringLiteral("1"), offer);
        QJsonObject offerJson = call.value(u"media").toObject();
        offerJson.insert(QStringLiteral("junk"), QString(2000, QLatin1Char('x')));
        call.insert(QStringLiteral("media"), offerJson);
        alice->send(call);
        QVERIFY(!alice->waitFor(QStringLiteral("ok")).isEmpty());
        for (RawCallingClient *bob : {desk.get(), phone.get()})
            QCOMPARE(bob->waitFor(QStringLiteral("incoming")).value(u"media").toObject(),
                     offer.toJson());

        // Nothing trickles before the answer: no device that only rings learns an address.
        alice->send(protocol::makeCandidate(callId, offer.iceUfrag, candidateLine(1)));
        QCOMPARE(errorCode(*alice), QStringLiteral("invalid_state"));

        const auto answer = media(QStringLiteral("BBBB"), 'B', QStringLiteral("active"));
        phone->send(protocol::makeAnswer(callId, {}, answer));
        QCOMPARE(alice->waitFor(QStringLiteral("established")).value(u"media").toObject(),
                 answer.toJson());
        QVERIFY(!phone->waitFor(QStringLiteral("established")).contains(u"media"));

        alice->send(protocol::makeCandidate(callId, offer.iceUfrag, candidateLine(1)));
        const QJsonObject forwarded = phone->waitFor(QStringLiteral("remote_candidate"));
        QCOMPARE(forwarded.value(u"candidate").toString(), candidateLine(1));
        QCOMPARE(forwarded.value(u"ufrag").toString(), offer.iceUfrag);
        phone->send(protocol::makeCandidate(callId, answer.iceUfrag, {}));
        QVERIFY(alice->waitFor(QStringLiteral("remote_candidate")).value(u"done").toBool());
        QCOMPARE(desk->endCause(callId), QStringLiteral("other_device_answered"));
        QVERIFY(!desk->hasReceived(QStringLiteral("remote_candidate")));

        // Another generation than the sender's is refused.
        alice->send(protocol::makeCandidate(callId, QStringLiteral("CCCC"), candidateLine(2)));
        QCOMPARE(errorCode(*alice), QStringLiteral("invalid_state"));
        // 64 candidates per generation, then too_large (the call goes on).
        for (int n = 2; n <= protocol::kMaxCandidatesPerGeneration + 1; ++n)
            alice->send(protocol::makeCandidate(callId, offer.iceUfrag, candidateLine(n)));
        QCOMPARE(errorCode(*alice), QStringLiteral("too_large"));
        QTRY_COMPARE(phone->received().size(), protocol::kMaxCandidatesPerGeneration - 1);

        // An ICE restart keeps the fingerprint; a new generation counts afresh.
        const auto swapped = media(QStringLiteral("DDDD"), 'D', QStringLiteral("actpass"));
        alice->send(protocol::makeMediaUpdate(callId, swapped));
        QCOMPARE(errorCode(*alice), QStringLiteral("bad_request"));
        auto restart = offer;
        restart.iceUfrag = QStringLiteral("EEEE");
        alice->send(protocol::makeMediaUpdate(callId, restart));
        QCOMPARE(phone->waitFor(QStringLiteral("remote_media_update")).value(u"media").toObject(),
                 restart.toJson());
        alice->send(protocol::makeCandidate(callId, restart.iceUfrag, candidateLine(1)));
        QTRY_VERIFY(phone->received().constLast().value(u"ufrag").toString() == u"EEEE");
    }

    // An answer without `media` (a client before UDP media): the caller's
    // `established` has none, and no candidate is forwarded.
    void answerWithoutMediaKeepsTheRelay()
    {
        const Ringing r = ringBob();
        QVERIFY(r.rang);
        r.bob->send(protocol::makeAnswer(r.callId));
        QVERIFY(!r.alice->waitFor(QStringLiteral("established")).contains(u"media"));
        r.alice->send(protocol::makeCandidate(r.callId, r.offer.iceUfrag, candidateLine(1)));
        QCOMPARE(errorCode(*r.alice), QStringLiteral("invalid_state"));
    }

    // A caller that offered nothing gets no `media` back, whatever the answer says.
    void noOfferNoAnswer()
    {
        auto alice = client(QStringLiteral("alice"), QStringLiteral("laptop"));
        auto bob = client(QStringLiteral("bob"), QStringLiteral("desk"));
        QVERIFY(alice && bob);
        const QString callId = newCallId();
        alice->send(protocol::makeCall(callId, QStringLiteral("bob")));
        QVERIFY(!bob->waitFor(QStringLiteral("incoming")).contains(u"media"));
        bob->send(protocol::makeAnswer(
            callId, {}, media(QStringLiteral("BBBB"), 'B', QStringLiteral("active"))));
        QVERIFY(!alice->waitFor(QStringLiteral("established")).contains(u"media"));
    }

    // A party without `ice` (softphone-cli --no-udp-media) takes only the
    // relay: its `media` (the DTLS fingerprint) still reaches the caller, no
    // candidate is traded, and the relay forwards DTLS records and SRTP
    // packets but not a plain MediaFrame (docs/protocol.md "Media").
    void relayOnlyAnswerAndWhatTheRelayForwards()
    {
        const Ringing r = ringBob();
        QVERIFY(r.rang);
        auto relayOnly = media({}, 'B', QStringLiteral("active"));
        relayOnly.icePwd.clear();
        r.bob->send(protocol::makeAnswer(r.callId, {}, relayOnly));
        const QJsonObject answer =
            r.alice->waitFor(QStringLiteral("established")).value(u"media").toObject();
        QVERIFY(!answer.contains(u"ice"));
        QCOMPARE(answer.value(u"dtls").toObject().value(u"fingerprint").toString(),
                 relayOnly.fingerprint);
        r.alice->send(protocol::makeCandidate(r.callId, r.offer.iceUfrag, candidateLine(1)));
        QCOMPARE(errorCode(*r.alice), QStringLiteral("invalid_state"));

        const QByteArray plain = QByteArrayLiteral("\x10\x00\x01\x00\x00\x03\xc0\x00\x08") +
                                 QByteArray(8, 'o'); // a version-1 MediaFrame
        const QByteArray dtls = QByteArray("\x16\xfe\xfd") + QByteArray(40, 'd');
        const QByteArray srtp = QByteArrayLiteral("\x80\x6f\x00\x01") + QByteArray(40, 's');
        r.alice->sendBinary(plain);
        r.alice->sendBinary(dtls);
        r.alice->sendBinary(srtp);
        QTRY_VERIFY_WITH_TIMEOUT(r.bob->binaryFrames().contains(srtp), 5000);
        QVERIFY(r.bob->binaryFrames().contains(dtls));
        QVERIFY(!r.bob->binaryFrames().contains(plain));
    }

    // The echo user answers as a DTLS-SRTP endpoint of its own: a fingerprint,
    // the DTLS client's role; to an offer without ICE no ICE either, and its
    // first DTLS flight on the relay at once.
    void echoAnswersAsADtlsEndpoint()
    {
        auto alice = client(QStringLiteral("alice"), QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString callId = newCallId();
        protocol::MediaDescription relayOnly = media({}, 'A', QStringLiteral("actpass"));
        relayOnly.icePwd.clear();
        alice->send(protocol::makeCall(callId, QStringLiteral("echo"), {}, false, {}, relayOnly));
        const QJsonObject established = alice->waitFor(QStringLiteral("established"));
        const auto echo = protocol::MediaDescription::fromJson(established.value(u"media"));
        QVERIFY(echo);
        QVERIFY(!echo->hasIce());
        QCOMPARE(echo->setup, QStringLiteral("active"));
        // Its ClientHello: a DTLS handshake record (content type 22).
        QTRY_VERIFY_WITH_TIMEOUT(!alice->binaryFrames().isEmpty(), 5000);
        QCOMPARE(quint8(alice->binaryFrames().first().at(0)), quint8(22));
        alice->send(protocol::makeHangup(callId));
        QVERIFY(!alice->waitFor(QStringLiteral("ended")).isEmpty());
    }

    // To an offer with ICE the echo answers with its own (docs/protocol.md
    // "The echo user"): credentials in `established`, its host candidates
    // trickled as `remote_candidate` (on the listener's address; every
    // interface's for a loopback listener, as here), the caller's candidates taken. At most
    // calling.echo_ice_sessions such calls at once (the next takes the relay
    // only), and an ICE session that finds no working pair within
    // calling.echo_ice_timeout ends, frees its slot and the echo's DTLS goes
    // to the relay.
    void echoAnswersWithIceWithinItsLimits()
    {
        ServerProcess server(
            {QStringLiteral("--set"), QStringLiteral("calling.echo_ice_sessions=1"),
             QStringLiteral("--set"), QStringLiteral("calling.echo_ice_timeout=2")});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser(QStringLiteral("alice"), QStringLiteral("password-123")));
        auto alice = RawCallingClient::signedIn(server.callingUrl(),
                                                serviceToken(server, QStringLiteral("alice")),
                                                QStringLiteral("laptop"));
        QVERIFY(alice);
        const auto offer = media(QStringLiteral("AAAA"), 'A', QStringLiteral("actpass"));
        auto callEcho = [&alice, &offer](const QString &callId) {
            alice->send(protocol::makeCall(callId, QStringLiteral("echo"), {}, false, {}, offer));
            return protocol::MediaDescription::fromJson(
                alice->waitFor(QStringLiteral("established")).value(u"media"));
        };
        const QString first = newCallId();
        const auto echo = callEcho(first);
        QVERIFY(echo && echo->hasIce());
        QCOMPARE(echo->setup, QStringLiteral("active"));
        const QJsonObject candidate = alice->waitFor(QStringLiteral("remote_candidate"));
        QCOMPARE(candidate.value(u"callId").toString(), first);
        QCOMPARE(candidate.value(u"ufrag").toString(), echo->iceUfrag);
        // A host candidate (every interface's: this service listens on loopback).
        QVERIFY2(candidate.value(u"candidate").toString().contains(u" typ host"),
                 qPrintable(candidate.value(u"candidate").toString()));
        alice->send(protocol::makeCandidate(first, offer.iceUfrag, candidateLine(1)));
        // Nobody answers its checks: after 2 s its ICE ends, its DTLS goes to
        // the relay, and the slot is free for the next echo call.
        QTRY_VERIFY_WITH_TIMEOUT(!alice->binaryFrames().isEmpty(), 8000);
        QCOMPARE(quint8(alice->binaryFrames().first().at(0)), quint8(22));
        const QString second = newCallId();
        const auto again = callEcho(second);
        QVERIFY(again && again->hasIce());
        // The one slot is taken: the next echo call has no ICE.
        const QString third = newCallId();
        const auto relayEcho = callEcho(third);
        QVERIFY(relayEcho && !relayEcho->hasIce());
        for (const QString &callId : {first, second, third}) {
            alice->send(protocol::makeHangup(callId));
            QCOMPARE(alice->waitFor(QStringLiteral("ended")).value(u"callId").toString(), callId);
        }
    }
};

QTEST_MAIN(TestCallingMedia)
#include "tst_calling_media.moc"
