// Item 1 of issue #11, rotation: the operator rotates the application
// server's push-data key while bob's real softphone-tray is registered. The
// server stops, `softphone-server keys rotate-push-data-key` runs, the server
// starts again: the tray notices the new key id in /v1/keys, registers its
// push data sealed to the new key, and alice's call still rings bob through
// the push (the tray starts the real softphone, which rings).
#include "support/TrayTestSupport.h"

#include "crypto/Base64Url.h"

using namespace traytest;

namespace {
// The key id named by the sealed push data the calling service holds for bob.
QByteArray registeredKeyId(const ServerProcess &server)
{
    const auto id =
        softphone::crypto::sealedPushDataKeyIdOf(registeredPushData(server, QStringLiteral("bob")));
    return id ? softphone::toBase64Url(*id) : QByteArray();
}

QByteArray publishedKeyId(ServerProcess &server)
{
    return server.http()
        .get(server.appServerUrl().resolved(QUrl(QStringLiteral("/v1/keys"))))
        .json.value(QStringLiteral("pushDataKeyId"))
        .toString()
        .toLatin1();
}
} // namespace

class TstPushPairRotation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { requireBinaries(); }

    void trayRegistersAgainAfterARotation()
    {
        BobOnline bob;
        QVERIFY2(bob.start(), qPrintable(bob.problem));
        const QByteArray before = publishedKeyId(bob.server);
        QVERIFY(!before.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(registeredKeyId(bob.server), before, 30000);
        const QString endpoint = registeredEndpoint(bob.server, QStringLiteral("bob"));
        QVERIFY(!endpoint.isEmpty());

        bob.server.stop();
        QByteArray out;
        QCOMPARE(bob.server.runCommand(
                     {QStringLiteral("keys"), QStringLiteral("rotate-push-data-key")}, {}, &out),
                 0);
        QVERIFY2(out.contains("rotated"), out.constData());
        QVERIFY2(bob.server.restart(), qPrintable(bob.server.lastError()));
        const QByteArray after = publishedKeyId(bob.server);
        QVERIFY(!after.isEmpty() && after != before);
        // The old key is kept: data sealed before the rotation still opens.
        QVERIFY(!serverPushDataKey(bob.server, QStringLiteral("push-data.previous.pem")).isNull());

        QTRY_COMPARE_WITH_TIMEOUT(registeredKeyId(bob.server), after, 90000);
        QCOMPARE(registeredEndpoint(bob.server, QStringLiteral("bob")), endpoint);

        const QString rang = aliceRingsBobThroughPush(bob.server);
        QVERIFY2(rang.isEmpty(), qPrintable(rang));
    }
};

QTEST_GUILESS_MAIN(TstPushPairRotation)
#include "tst_pushpair_rotation.moc"
