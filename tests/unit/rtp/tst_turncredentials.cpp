// TURN REST credentials as coturn's use-auth-secret checks them; the figure
// was computed with `echo -n 1796000000:alice | openssl dgst -sha1 -hmac coturn-secret -binary |
// base64`.
#include "rtp/TurnCredentials.h"

#include <QTest>

using namespace softphone::rtp;

class TestTurnCredentials : public QObject
{
    Q_OBJECT

private slots:
    void restScheme()
    {
        const TurnCredentials c = turnRestCredentials("coturn-secret", "alice", 1796000000);
        QCOMPARE(c.username, QString("1796000000:alice"));
        QCOMPARE(c.password, QString("xvw+uK7aJAzSwLl+Ze/7LFh7VQQ="));
        QCOMPARE(c.expiresAt, 1796000000);
        // Another secret or expiry gives another password.
        QVERIFY(turnRestCredentials("other", "alice", 1796000000).password != c.password);
        QVERIFY(turnRestCredentials("coturn-secret", "alice", 1796000001).password != c.password);
    }
};

QTEST_APPLESS_MAIN(TestTurnCredentials)
#include "tst_turncredentials.moc"
