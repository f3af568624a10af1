// Item 2 of issue #11, attacked on a real server: a push pair is bound to the
// device and push data it was issued for, and to its caller, and is sent at
// most once. A caller who swaps pushData between pairs, points a pair at
// another device, posts someone else's pair or posts a pair again gets a
// clear refusal (403) or the outcome "duplicate", and no push is sent; the
// callee's other pushes still arrive.
#include "PushPairAttack.h"

using namespace pushpairtest;

class TestPushPairBinding : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;
    QByteArray m_vapidKey;
    std::unique_ptr<PushTestDevice> m_desk, m_phone;

    bool registerBob(PushTestDevice &device, const QString &name)
    {
        if (!device.startAndSubscribe(QStringLiteral("softphone"), m_vapidKey))
            return false;
        const QByteArray data = sealedPushData(m_server.http(), m_server.appServerUrl(),
                                               device.subscription(), QStringLiteral("bob"), name);
        return !data.isEmpty() && registerPushData(m_server, QStringLiteral("bob"), name, data);
    }

private slots:
    void initTestCase()
    {
        QString why;
        QVERIFY2(keychainReachable(&why), qPrintable(why));
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        for (const char *user : {"alice", "bob", "mallory"})
            QVERIFY(m_server.addUser(QLatin1String(user), QStringLiteral("password-123")));
        const HttpReply keys =
            m_server.http().get(m_server.appServerUrl().resolved(QUrl("/v1/keys")));
        m_vapidKey = fromBase64Url(keys.json.value(u"vapidKey").toString().toLatin1())
                         .value_or(QByteArray());
        m_desk = std::make_unique<PushTestDevice>(m_server.pushWsUrl());
        m_phone = std::make_unique<PushTestDevice>(m_server.pushWsUrl());
        QVERIFY(registerBob(*m_desk, QStringLiteral("desk")));
        QVERIFY(registerBob(*m_phone, QStringLiteral("phone")));
    }

    // mallory calls bob and gets two pairs (desk, phone): she swaps their
    // pushData, or relabels a pair's device, or mixes in her own push data.
    void pairsCannotBeRepointed()
    {
        auto mallory = connectDevice(m_server, QStringLiteral("mallory"), QStringLiteral("m1"));
        QVERIFY(mallory);
        const QString token = serviceToken(m_server, QStringLiteral("mallory"));
        const QJsonObject push = callFor(*mallory, QStringLiteral("bob"));
        const QJsonArray pairs = push.value(u"pairs").toArray();
        QCOMPARE(pairs.size(), 2);

        QJsonObject swapped = pairs.at(0).toObject();
        swapped.insert(QStringLiteral("pushData"), pairs.at(1).toObject().value(u"pushData"));
        QJsonObject attack = push;
        attack.insert(QStringLiteral("pairs"), QJsonArray{swapped});
        HttpReply reply = postPairs(m_server, attack, token);
        QCOMPARE(reply.status, 403);
        QCOMPARE(reply.json.value(u"error").toString(), QStringLiteral("forbidden"));
        QVERIFY2(reply.json.value(u"message").toString().contains(QStringLiteral("pushData")),
                 reply.body.constData());

        QJsonObject relabeled = pairs.at(0).toObject();
        relabeled.insert(QStringLiteral("device"), pairs.at(1).toObject().value(u"device"));
        attack.insert(QStringLiteral("pairs"), QJsonArray{relabeled});
        reply = postPairs(m_server, attack, token);
        QCOMPARE(reply.status, 403);
        QVERIFY2(reply.json.value(u"message").toString().contains(QStringLiteral("device")),
                 reply.body.constData());

        // Someone else's pair: issued to alice, posted with mallory's token.
        auto alice = connectDevice(m_server, QStringLiteral("alice"), QStringLiteral("a1"));
        QVERIFY(alice);
        reply = postPairs(m_server, callFor(*alice, QStringLiteral("bob")), token);
        QCOMPARE(reply.status, 403);

        // None of it reached bob; the genuine pairs still do.
        reply = postPairs(m_server, push, token);
        QCOMPARE(reply.status, 200);
        QCOMPARE(resultFor(reply, QStringLiteral("desk")).value(u"outcome").toString(),
                 QStringLiteral("delivered"));
        QTRY_COMPARE_WITH_TIMEOUT(m_desk->payloads().size(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_phone->payloads().size(), 1, 10000);
        // mallory gives up: the cancel follows on both devices.
        mallory->send(protocol::makeHangup(push.value(u"callId").toString()));
        QTRY_COMPARE_WITH_TIMEOUT(m_desk->payloads().size(), 2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_phone->payloads().size(), 2, 10000);
    }

    // A message pair (valid for 30 days) posted again: "duplicate", no second
    // push. A fresh message still arrives, and arrives as the next push.
    void replayIsADuplicate()
    {
        auto mallory = connectDevice(m_server, QStringLiteral("mallory"), QStringLiteral("m2"));
        QVERIFY(mallory);
        const QString token = serviceToken(m_server, QStringLiteral("mallory"));
        const qsizetype before = m_desk->payloads().size();
        const QJsonObject push = messageFor(*mallory, QStringLiteral("bob"), QStringLiteral("hi"));
        QVERIFY(!push.isEmpty());
        HttpReply reply = postPairs(m_server, push, token);
        QCOMPARE(resultFor(reply, QStringLiteral("desk")).value(u"outcome").toString(),
                 QStringLiteral("delivered"));
        QTRY_COMPARE_WITH_TIMEOUT(m_desk->payloads().size(), before + 1, 10000);
        for (int i = 0; i < 3; ++i) {
            reply = postPairs(m_server, push, token);
            QCOMPARE(reply.status, 200);
            QCOMPARE(resultFor(reply, QStringLiteral("desk")).value(u"outcome").toString(),
                     QStringLiteral("duplicate"));
            QCOMPARE(resultFor(reply, QStringLiteral("phone")).value(u"outcome").toString(),
                     QStringLiteral("duplicate"));
        }
        // alice's message is the next push desk gets: the replays sent nothing.
        auto alice = connectDevice(m_server, QStringLiteral("alice"), QStringLiteral("a2"));
        QVERIFY(alice);
        const QJsonObject fresh = messageFor(*alice, QStringLiteral("bob"), QStringLiteral("yo"));
        reply = postPairs(m_server, fresh, serviceToken(m_server, QStringLiteral("alice")));
        QCOMPARE(resultFor(reply, QStringLiteral("desk")).value(u"outcome").toString(),
                 QStringLiteral("delivered"));
        QTRY_COMPARE_WITH_TIMEOUT(m_desk->payloads().size(), before + 2, 10000);
        QVERIFY(m_desk->payloads().last().contains(
            fresh.value(u"pairs").toArray().at(0).toObject().value(u"payload").toString()));
    }

    // Last: it spends mallory's budget. Each caller may post 30 times a minute,
    // counted before the body is read; the 31st gets 429 with Retry-After, and
    // another caller is not affected.
    void postsPerCallerAreLimited()
    {
        const QUrl url = m_server.appServerUrl().resolved(QUrl("/v1/push"));
        const QByteArray mallory =
            "Bearer " + serviceToken(m_server, QStringLiteral("mallory")).toLatin1();
        int refusedAsBad = 0;
        HttpReply reply;
        for (int i = 0; i < 40 && reply.status != 429; ++i) {
            reply = m_server.http().postJson(url, QJsonObject{}, {{"Authorization", mallory}});
            refusedAsBad += reply.status == 400 ? 1 : 0;
        }
        QCOMPARE(reply.status, 429);
        QVERIFY2(refusedAsBad <= 30, qPrintable(QString::number(refusedAsBad)));
        QCOMPARE(reply.json.value(u"error").toString(), QStringLiteral("rate_limited"));
        bool hasRetryAfter = false;
        for (const auto &header : reply.headers)
            hasRetryAfter |= header.first.compare("Retry-After", Qt::CaseInsensitive) == 0;
        QVERIFY(hasRetryAfter);
        const QByteArray alice =
            "Bearer " + serviceToken(m_server, QStringLiteral("alice")).toLatin1();
        QCOMPARE(m_server.http().postJson(url, QJsonObject{}, {{"Authorization", alice}}).status,
                 400);
    }
};

QTEST_GUILESS_MAIN(TestPushPairBinding)
#include "tst_pushpair_binding.moc"
