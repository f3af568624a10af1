#include "protocol/Protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace softphone::protocol;

Q_DECLARE_METATYPE(softphone::protocol::ErrorCode)

namespace {

const QString kCallId = QStringLiteral("6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b");
const QString kMessageId = QStringLiteral("0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d");

Headers sampleHeaders()
{
    Headers h;
    h.insert(QStringLiteral("subject"), QStringLiteral("lunch \u00e9"));
    return h;
}

QList<PushPair> samplePairs()
{
    return {
        {QStringLiteral("desk"), QStringLiteral("eyJ.payload.sig"), QByteArray("\x00\x01push", 6)}};
}

MediaDescription sampleMedia(const QString &setup = QStringLiteral("actpass"))
{
    QStringList pairs;
    for (int i = 0; i < 32; ++i)
        pairs << QStringLiteral("%1").arg(i * 7, 2, 16, QLatin1Char('0')).toUpper();
    return {QStringLiteral("ErNP"), QStringLiteral("MkiyaW/M+1E7WuYlz3RwkM"),
            QStringLiteral("sha-256 ") + pairs.join(QLatin1Char(':')), setup};
}

const QString kCandidate =
    QStringLiteral("a=candidate:1 1 UDP 2015363327 10.77.0.1 35953 typ host");

// One built sample of every message type.
QList<QJsonObject> samples()
{
    const CallError peerLost{QStringLiteral("network"), QStringLiteral("peer_lost"),
                             QStringLiteral("the peer's connection was lost")};
    return {
        makeHello(QStringLiteral("a.b.c"), QStringLiteral("laptop-3f2a"), {true, true, true},
                  QStringLiteral("softphone/0.1"), QStringLiteral("1")),
        makeWelcome(QStringLiteral("alice"), QStringLiteral("laptop-3f2a"), 1764150000123, 20,
                    QStringLiteral("-----BEGIN PUBLIC KEY-----"), QStringLiteral("1")),
        makeToken(QStringLiteral("a.b.c"), QStringLiteral("7")),
        makeTokenExpiring(1764150000123),
        makeOk(QStringLiteral("7")),
        makeError(ErrorCode::BadRequest, QStringLiteral("field 'to' must be a user id"),
                  QStringLiteral("2")),
        makeCall(kCallId, QStringLiteral("bob"), sampleHeaders(), true, QStringLiteral("2")),
        makeIncoming(kCallId, QStringLiteral("alice"), sampleHeaders(), false, 1764150045123),
        makeRinging(kCallId),
        makeProgress(kCallId),
        makeAnswer(kCallId, QStringLiteral("3")),
        makeEstablished(kCallId, QStringLiteral("desk")),
        makeDecline(kCallId),
        makeHangup(kCallId),
        makeEnded(kCallId, EndCause::Failure, peerLost),
        makePushRegister(QByteArray(1024, 'p'), QStringLiteral("3")),
        makePushUnregister(QStringLiteral("4")),
        makeCallPush(kCallId, samplePairs()),
        makeClaim(kCallId, QStringLiteral("5")),
        makeMessage(kMessageId, {QStringLiteral("bob"), QStringLiteral("carol")},
                    QStringLiteral("hi"), sampleHeaders(), QStringLiteral("6")),
        makeMessageStatus(kMessageId, QStringLiteral("bob"), MessageStatus::Delivered),
        makeMessageIncoming(kMessageId, QStringLiteral("alice"), QStringLiteral("hi"), {},
                            1764150000123),
        makeMessageAck(kMessageId),
        makeCandidate(kCallId, QStringLiteral("ErNP"), kCandidate, QStringLiteral("8")),
        makeRemoteCandidate(kCallId, QStringLiteral("ErNP"), {}),
        makeMediaUpdate(kCallId, sampleMedia()),
        makeRemoteMediaUpdate(kCallId, sampleMedia(QStringLiteral("active"))),
        makePresenceSubscribe({QStringLiteral("bob"), QStringLiteral("carol")},
                              QStringLiteral("19")),
        makePresenceSet(PresenceStatus::DoNotDisturb, QStringLiteral("20")),
        makePresence(QStringLiteral("bob"), PresenceStatus::Online),
        makeHold(kCallId, QStringLiteral("9")),
        makeResume(kCallId),
        makeHoldState(kCallId, true, false),
        makeTransfer(kCallId, QStringLiteral("carol"), QStringLiteral("11")),
        makeTransferRequest(kCallId, QStringLiteral("carol"), QStringLiteral("alice")),
        makeTransfer(kCallId, QStringLiteral("carol"), QStringLiteral("12"), kCallId),
        makeTransferRequest(kCallId, QStringLiteral("carol"), QStringLiteral("alice"), kCallId),
        makeTransferReport(kCallId, false, QStringLiteral("no_answer"), QStringLiteral("13")),
        makeTransferResult(kCallId, true),
    };
}

Message decodeOk(const QJsonObject &object)
{
    auto result = decodeFrame(toText(object).toUtf8());
    if (auto *error = std::get_if<ProtocolError>(&result))
        qFatal("unexpected error: %s", qPrintable(error->message));
    return std::get<Message>(result);
}

ProtocolError decodeError(const QByteArray &frame)
{
    auto result = decodeFrame(frame);
    if (std::holds_alternative<Message>(result))
        qFatal("decoded, expected an error: %s", frame.constData());
    return std::get<ProtocolError>(result);
}

QByteArray with(QJsonObject object, const QString &field, const QJsonValue &value)
{
    if (value.isUndefined())
        object.remove(field);
    else
        object.insert(field, value);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

class TestMessage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tableIsInEnumOrder()
    {
        const auto &specs = messageSpecs();
        for (std::size_t i = 0; i < specs.size(); ++i)
            QCOMPARE(static_cast<std::size_t>(specs[i].type), i);
        QCOMPARE(findMessageSpec(u"push.register")->type, MessageType::PushRegister);
        QVERIFY(!findMessageSpec(u"nope"));
    }

    void everyMessageRoundTrips()
    {
        QSet<MessageType> covered;
        for (const QJsonObject &sample : samples()) {
            const Message message = decodeOk(sample);
            QCOMPARE(message.json, sample);
            QCOMPARE(QString(messageTypeName(message.type)),
                     sample.value(QLatin1StringView("type")).toString());
            const Sender sender = messageSpec(message.type).sender;
            // The same frame from the other party is not something it may send.
            const auto other = sender == Sender::Client ? Sender::Server : Sender::Client;
            auto wrong = decodeFrame(toText(sample).toUtf8(), other);
            QVERIFY(std::holds_alternative<ProtocolError>(wrong));
            QCOMPARE(std::get<ProtocolError>(wrong).code, ErrorCode::UnknownType);
            QVERIFY(std::holds_alternative<Message>(decodeFrame(toText(sample).toUtf8(), sender)));
            covered.insert(message.type);
        }
        QCOMPARE(covered.size(), qsizetype(messageSpecs().size()));
    }

    void typedAccessors()
    {
        const Message call = decodeOk(
            makeCall(kCallId, QStringLiteral("bob"), sampleHeaders(), true, QStringLiteral("2")));
        QCOMPARE(call.requestId(), QStringLiteral("2"));
        QCOMPARE(call.headers(), sampleHeaders());
        QVERIFY(call.boolean(QLatin1StringView("video")));
        QCOMPARE(call.string(QLatin1StringView("to")), QStringLiteral("bob"));

        const Message hello =
            decodeOk(makeHello(QStringLiteral("t"), QStringLiteral("d"), {true, false, true}));
        QCOMPARE(hello.capabilities(), (Capabilities{true, false, true}));

        const CallError error{QStringLiteral("capability"), QStringLiteral("no_device"), {}};
        const Message ended = decodeOk(makeEnded(kCallId, EndCause::Failure, error));
        QCOMPARE(ended.cause(), EndCause::Failure);
        QCOMPARE(ended.error(), error);
        QVERIFY(!decodeOk(makeEnded(kCallId, EndCause::HungUp)).error());

        QCOMPARE(decodeOk(makeCallPush(kCallId, samplePairs())).pairs(), samplePairs());
        QCOMPARE(decodeOk(makePushRegister("abc")).pushData(), QByteArray("abc"));
        QCOMPARE(decodeOk(makeMessage(kMessageId, {QStringLiteral("bob")}, QStringLiteral("x")))
                     .recipients(),
                 QStringList{QStringLiteral("bob")});
        QCOMPARE(
            decodeOk(makeError(ErrorCode::RateLimited, QStringLiteral("slow down"))).errorCode(),
            ErrorCode::RateLimited);
        QCOMPARE(decodeOk(makePresenceSubscribe({})).userList(QLatin1StringView("users")),
                 QStringList());
        QCOMPARE(decodeOk(makePresence(QStringLiteral("bob"), PresenceStatus::DoNotDisturb))
                     .presenceStatus(),
                 PresenceStatus::DoNotDisturb);
        QCOMPARE(decodeOk(makeWelcome(QStringLiteral("a"), QStringLiteral("d"), 5, 20))
                     .integer(QLatin1StringView("serverTime")),
                 5);
    }

    void notJson_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("truncated") << QByteArray("{\"type\":\"hello\"");
        QTest::newRow("array") << QByteArray("[1,2]");
        QTest::newRow("string") << QByteArray("\"hello\"");
        QTest::newRow("null") << QByteArray("null");
        QTest::newRow("garbage") << QByteArray("\xff\xfe{}");
    }
    void notJson()
    {
        QFETCH(QByteArray, frame);
        QCOMPARE(decodeError(frame).code, ErrorCode::BadJson);
    }

    void badType()
    {
        QCOMPARE(decodeError("{}").code, ErrorCode::BadRequest);
        QVERIFY(decodeError("{}").message.contains(u"'type'"));
        QCOMPARE(decodeError("{\"type\":5}").code, ErrorCode::BadRequest);
        const ProtocolError unknown = decodeError("{\"type\":\"dance\",\"id\":\"9\"}");
        QCOMPARE(unknown.code, ErrorCode::UnknownType);
        QCOMPARE(unknown.re, QStringLiteral("9"));
        QVERIFY(unknown.message.contains(u"dance"));
    }

    void oversizedFrame()
    {
        QByteArray frame = "{\"type\":\"ok\",\"re\":\"1\",\"pad\":\"";
        frame.append(QByteArray(kMaxControlMessageBytes, 'x')).append("\"}");
        QCOMPARE(decodeError(frame).code, ErrorCode::TooLarge);
    }

    // Every field rule: a valid sample with one field replaced is rejected with
    // the expected code, a message naming the field, and the request id kept.
    void invalidField_data()
    {
        QTest::addColumn<QJsonObject>("sample");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<ErrorCode>("code");

        const QJsonValue missing(QJsonValue::Undefined);
        const auto hello = makeHello(QStringLiteral("a.b.c"), QStringLiteral("dev"), {true}, {},
                                     QStringLiteral("1"));
        const auto call = makeCall(kCallId, QStringLiteral("bob"), {}, false, QStringLiteral("2"));
        const auto reg = makePushRegister("x", QStringLiteral("3"));
        const auto msg = makeMessage(kMessageId, {QStringLiteral("bob")}, QStringLiteral("hi"), {},
                                     QStringLiteral("6"));
        const auto ended = makeEnded(kCallId, EndCause::HungUp);
        const auto push = makeCallPush(kCallId, samplePairs());
        const auto incoming = makeIncoming(kCallId, QStringLiteral("a"), {}, false, 1);
        const auto bad = ErrorCode::BadRequest;
        const auto large = ErrorCode::TooLarge;
        auto row = [](const char *name, const QJsonObject &sample, const char *field,
                      const QJsonValue &value, ErrorCode code) {
            QTest::newRow(name) << sample << QString::fromLatin1(field) << value << code;
        };
        row("id not string", call, "id", QJsonValue(2), bad);
        row("id too long", call, "id", QJsonValue(QString(65, QLatin1Char('i'))), bad);
        row("hello token missing", hello, "token", missing, bad);
        row("hello token empty", hello, "token", QJsonValue(QString()), bad);
        row("hello token huge", hello, "token", QJsonValue(QString(8193, QLatin1Char('t'))), bad);
        row("hello device bad", hello, "device", QJsonValue(QStringLiteral("a b")), bad);
        row("hello device missing", hello, "device", missing, bad);
        row("hello capabilities not object", hello, "capabilities", QJsonValue(true), bad);
        row("hello capability not bool", hello, "capabilities",
            QJsonValue(QJsonObject{{QStringLiteral("push"), 1}}), bad);
        row("hello client not string", hello, "client", QJsonValue(1), bad);
        row("call callId uppercase", call, "callId", QJsonValue(kCallId.toUpper()), bad);
        row("call callId missing", call, "callId", missing, bad);
        row("call to bad", call, "to", QJsonValue(QStringLiteral("bob@example")), bad);
        row("call to empty", call, "to", QJsonValue(QString()), bad);
        row("call to number", call, "to", QJsonValue(7), bad);
        row("call headers array", call, "headers", QJsonValue(QJsonArray{}), bad);
        row("call headers too large", call, "headers",
            QJsonValue(QJsonObject{{QStringLiteral("k"), QString(1024, QLatin1Char('v'))}}), large);
        row("call video string", call, "video", QJsonValue(QStringLiteral("no")), bad);
        row("incoming expiresAt negative", incoming, "expiresAt", QJsonValue(-1), bad);
        row("incoming expiresAt fraction", incoming, "expiresAt", QJsonValue(1.5), bad);
        row("incoming from missing", incoming, "from", missing, bad);
        row("ended cause unknown", ended, "cause", QJsonValue(QStringLiteral("bored")), bad);
        row("ended error bad domain", ended, "error",
            QJsonValue(QJsonObject{{QStringLiteral("domain"), QStringLiteral("x")},
                                   {QStringLiteral("code"), QStringLiteral("y")}}),
            bad);
        row("register data missing", reg, "data", missing, bad);
        row("register data not base64", reg, "data", QJsonValue(QStringLiteral("%%")), bad);
        row("register data too large", reg, "data",
            QJsonValue(QString::fromLatin1(QByteArray(1025, 'd').toBase64())), large);
        row("push pairs empty", push, "pairs", QJsonValue(QJsonArray{}), bad);
        row("push pair device bad", push, "pairs",
            QJsonValue(
                QJsonArray{QJsonObject{{QStringLiteral("device"), QStringLiteral("")},
                                       {QStringLiteral("payload"), QStringLiteral("p")},
                                       {QStringLiteral("pushData"), QStringLiteral("eA==")}}}),
            bad);
        row("push without id", push, "callId", missing, bad);
        row("push with both ids", push, "messageId", QJsonValue(kMessageId), bad);
        row("message to not array", msg, "to", QJsonValue(QStringLiteral("bob")), bad);
        row("message to duplicate", msg, "to",
            QJsonValue(QJsonArray{QStringLiteral("bob"), QStringLiteral("bob")}), bad);
        row("message to empty", msg, "to", QJsonValue(QJsonArray{}), bad);
        row("message text empty", msg, "text", QJsonValue(QString()), bad);
        row("message text too long", msg, "text", QJsonValue(QString(8193, QLatin1Char('t'))), bad);
        row("message messageId bad", msg, "messageId", QJsonValue(QStringLiteral("1")), bad);
        const auto subscribe = makePresenceSubscribe({QStringLiteral("bob")}, QStringLiteral("9"));
        QJsonArray tooMany;
        for (int i = 0; i <= kMaxPresenceUsers; ++i)
            tooMany.append(QStringLiteral("user%1").arg(i));
        row("presence users too many", subscribe, "users", QJsonValue(tooMany), bad);
        row("presence users duplicate", subscribe, "users",
            QJsonValue(QJsonArray{QStringLiteral("bob"), QStringLiteral("bob")}), bad);
        row("presence users bad id", subscribe, "users",
            QJsonValue(QJsonArray{QStringLiteral("bob@x")}), bad);
        row("presence users missing", subscribe, "users", missing, bad);
        const auto set = makePresenceSet(PresenceStatus::Online, QStringLiteral("10"));
        row("presence_set status unknown", set, "status", QJsonValue(QStringLiteral("away")), bad);
        row("presence_set status offline", set, "status", QJsonValue(QStringLiteral("offline")),
            bad);
    }
    void invalidField()
    {
        QFETCH(QJsonObject, sample);
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(ErrorCode, code);
        QVERIFY(std::holds_alternative<Message>(decodeFrame(toText(sample).toUtf8())));
        const ProtocolError error = decodeError(with(sample, field, value));
        QCOMPARE(error.code, code);
        const QString named =
            field == QLatin1StringView("callId") &&
                    sample.value(QLatin1StringView("type")) == QStringLiteral("push")
                ? QStringLiteral("callId")
                : QStringLiteral("'%1").arg(field);
        QVERIFY2(error.message.contains(named), qPrintable(error.message));
        if (field != QLatin1StringView("id") && sample.contains(QLatin1StringView("id")))
            QCOMPARE(error.re, sample.value(QLatin1StringView("id")).toString());
    }

    // 10 ms Opus frames (#13): `opus.frameMs` travels with the offer and the
    // answer; absent means 20 ms only (clients before it); anything but a
    // short list of Opus durations is refused, naming the field.
    void mediaFrameDurations()
    {
        auto offer = sampleMedia();
        offer.frameMs = {10};
        QVERIFY(offer.takesFrameMs(10) && offer.takesFrameMs(20));
        QVERIFY(!sampleMedia().takesFrameMs(10));
        const Message call = decodeOk(
            makeCall(kCallId, QStringLiteral("bob"), {}, false, QStringLiteral("2"), offer));
        QCOMPARE(call.media(), offer);
        QCOMPARE(call.media()->frameMs, QList<int>{10});
        QVERIFY(!sampleMedia().toJson().contains(u"opus"));

        const QJsonObject good = makeAnswer(kCallId, {}, sampleMedia(QStringLiteral("active")));
        auto withFrames = [&](const QJsonValue &frameMs) {
            QJsonObject m = good.value(QLatin1StringView("media")).toObject();
            m.insert(QStringLiteral("opus"), QJsonObject{{QStringLiteral("frameMs"), frameMs}});
            return with(good, QStringLiteral("media"), m);
        };
        const auto both = decodeFrame(withFrames(QJsonArray{20, 10}));
        QVERIFY(std::holds_alternative<Message>(both));
        QCOMPARE(std::get<Message>(both).media()->frameMs, (QList<int>{20, 10}));
        for (const QJsonValue &bad :
             {QJsonValue(10), QJsonValue(QJsonArray{}), QJsonValue(QJsonArray{5}),
              QJsonValue(QJsonArray{10, 10}), QJsonValue(QJsonArray{10.5}),
              QJsonValue(QJsonArray{QStringLiteral("10")}),
              QJsonValue(QJsonArray{10, 20, 40, 60, 10})}) {
            const auto error = decodeError(withFrames(bad));
            QCOMPARE(error.code, ErrorCode::BadRequest);
            QVERIFY2(error.message.contains(u"opus.frameMs"), qPrintable(error.message));
        }
    }

    // UDP media: the offer/answer's `media` and the trickled candidates are
    // checked field by field; what the service forwards is rebuilt from them.
    void mediaFields()
    {
        const Message call = decodeOk(makeCall(kCallId, QStringLiteral("bob"), {}, false,
                                               QStringLiteral("2"), sampleMedia()));
        QCOMPARE(call.media(), sampleMedia());
        QVERIFY(!decodeOk(makeCall(kCallId, QStringLiteral("bob"))).media());
        const auto answer = sampleMedia(QStringLiteral("active"));
        QCOMPARE(decodeOk(makeEstablished(kCallId, QStringLiteral("d"), answer)).media(), answer);

        const QJsonObject good = makeAnswer(kCallId, {}, sampleMedia(QStringLiteral("active")));
        auto media = [&](const QString &path, const QJsonValue &value) {
            QJsonObject m = good.value(QLatin1StringView("media")).toObject();
            const QStringList parts = path.split(QLatin1Char('.'));
            if (parts.size() == 1) {
                m.insert(parts[0], value);
            } else {
                QJsonObject inner = m.value(parts[0]).toObject();
                inner.insert(parts[1], value);
                m.insert(parts[0], inner);
            }
            return with(good, QStringLiteral("media"), m);
        };
        for (const auto &[path, value] : std::initializer_list<std::pair<QString, QJsonValue>>{
                 {QStringLiteral("version"), 2},
                 {QStringLiteral("ice.ufrag"), QStringLiteral("abc")},
                 {QStringLiteral("ice.ufrag"), QStringLiteral("ab d")},
                 {QStringLiteral("ice.ufrag"), QString(257, QLatin1Char('a'))},
                 {QStringLiteral("ice.pwd"), QStringLiteral("short")},
                 {QStringLiteral("ice.pwd"), QString(257, QLatin1Char('a'))},
                 {QStringLiteral("dtls.fingerprint"), QStringLiteral("sha-1 AB:CD")},
                 {QStringLiteral("dtls.fingerprint"), sampleMedia().fingerprint.toLower()},
                 {QStringLiteral("dtls.setup"), QStringLiteral("passive")},
                 {QStringLiteral("dtls"), QStringLiteral("x")},
                 {QStringLiteral("ice"), QStringLiteral("x")},
                 {QStringLiteral("ice"), QJsonObject{}},
                 {QStringLiteral("telephoneEvent"), 95},
                 {QStringLiteral("telephoneEvent"), 128},
                 {QStringLiteral("telephoneEvent"), 111}, // the voice's
                 {QStringLiteral("telephoneEvent"), 101.5},
                 {QStringLiteral("telephoneEvent"), QStringLiteral("101")}}) {
            QCOMPARE(decodeError(media(path, value)).code, ErrorCode::BadRequest);
        }
        // Keypad events (RFC 4733) on a payload type of the party's choice; absent: in-band only.
        auto withEvents = sampleMedia(QStringLiteral("active"));
        withEvents.telephoneEvent = 101;
        QCOMPARE(withEvents.toJson().value(u"telephoneEvent").toInt(), 101);
        QCOMPARE(decodeOk(makeAnswer(kCallId, {}, withEvents)).media(), withEvents);
        QVERIFY(!sampleMedia().toJson().contains(u"telephoneEvent"));
        // Without `ice`: a party on the WebSocket relay only (#14); the DTLS
        // part is still required.
        auto relayOnly = sampleMedia(QStringLiteral("active"));
        relayOnly.iceUfrag.clear();
        relayOnly.icePwd.clear();
        QVERIFY(!relayOnly.toJson().contains(u"ice"));
        const Message relayAnswer = decodeOk(makeAnswer(kCallId, {}, relayOnly));
        QCOMPARE(relayAnswer.media(), relayOnly);
        QVERIFY(!relayAnswer.media()->hasIce());
        QVERIFY(std::holds_alternative<Message>(
            decodeFrame(media(QStringLiteral("ice"), QJsonValue::Undefined))));

        // The DTLS roles are fixed: actpass offers, active answers.
        QCOMPARE(decodeError(QJsonDocument(makeCall(kCallId, QStringLiteral("bob"), {}, false, {},
                                                    sampleMedia(QStringLiteral("active"))))
                                 .toJson(QJsonDocument::Compact))
                     .code,
                 ErrorCode::BadRequest);
        QCOMPARE(decodeError(QJsonDocument(makeAnswer(kCallId, {}, sampleMedia()))
                                 .toJson(QJsonDocument::Compact))
                     .code,
                 ErrorCode::BadRequest);

        // A candidate: a line or done, never both or neither; bounded.
        QCOMPARE(decodeOk(makeCandidate(kCallId, QStringLiteral("ErNP"), kCandidate))
                     .string(QLatin1StringView("candidate")),
                 kCandidate);
        QVERIFY(decodeOk(makeCandidate(kCallId, QStringLiteral("ErNP"), {}))
                    .boolean(QLatin1StringView("done")));
        const QJsonObject line = makeCandidate(kCallId, QStringLiteral("ErNP"), kCandidate);
        QCOMPARE(decodeError(with(line, QStringLiteral("done"), true)).code, ErrorCode::BadRequest);
        QCOMPARE(decodeError(with(line, QStringLiteral("candidate"), QJsonValue::Undefined)).code,
                 ErrorCode::BadRequest);
        QCOMPARE(decodeError(with(line, QStringLiteral("candidate"),
                                  QStringLiteral("candidate:") + QString(503, QLatin1Char('1'))))
                     .code,
                 ErrorCode::BadRequest);
        QVERIFY(std::holds_alternative<Message>(decodeFrame(with(
            line, QStringLiteral("candidate"), QStringLiteral("candidate:") + QString(502, '1')))));
        QCOMPARE(
            decodeError(with(line, QStringLiteral("candidate"), QStringLiteral("m=audio"))).code,
            ErrorCode::BadRequest);
        QCOMPARE(decodeError(with(line, QStringLiteral("candidate"),
                                  QStringLiteral("candidate:1\r\na=evil")))
                     .code,
                 ErrorCode::BadRequest);
    }

    void unknownFieldsAreIgnored()
    {
        QJsonObject ok = makeRinging(kCallId);
        ok.insert(QStringLiteral("future"), 1);
        QVERIFY(std::holds_alternative<Message>(decodeFrame(toText(ok).toUtf8())));
    }
};

QTEST_GUILESS_MAIN(TestMessage)
#include "tst_message.moc"
