#include "crypto/Base64Url.h"
#include "crypto/Random.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace softphone;
using namespace softphone::crypto;

class TestRandom : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bytes()
    {
        QCOMPARE(randomBytes(32).size(), 32);
        QVERIFY(randomBytes(0).isEmpty());
        QVERIFY(randomBytes(-1).isEmpty());
        QVERIFY(randomBytes(32) != randomBytes(32));
    }

    void token()
    {
        const QString t = randomToken();
        QCOMPARE(t.size(), 22); // 16 bytes, unpadded base64url
        QCOMPARE(fromBase64Url(t.toLatin1())->size(), 16);
        QCOMPARE(randomToken(32).size(), 43);
    }

    void uuid()
    {
        static const QRegularExpression v4(QStringLiteral(
            "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        QSet<QString> seen;
        for (int i = 0; i < 200; ++i) {
            const QString u = randomUuid();
            QVERIFY2(v4.match(u).hasMatch(), qPrintable(u));
            seen.insert(u);
        }
        QCOMPARE(seen.size(), 200);
    }
};

QTEST_GUILESS_MAIN(TestRandom)
#include "tst_random.moc"
