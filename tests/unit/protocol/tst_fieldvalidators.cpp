#include "protocol/FieldValidators.h"
#include "protocol/Limits.h"

#include <QTest>

using namespace softphone::protocol;

class TestFieldValidators : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void userIds()
    {
        QVERIFY(isValidUserId(u"alice"));
        QVERIFY(isValidUserId(u"A.b_c~d-9"));
        QVERIFY(isValidUserId(QString(255, QLatin1Char('a'))));
        QVERIFY(!isValidUserId(QString(256, QLatin1Char('a'))));
        QVERIFY(!isValidUserId(u""));
        QVERIFY(!isValidUserId(u"al ice"));
        QVERIFY(!isValidUserId(u"al/ice"));
        QVERIFY(!isValidUserId(u"al\u00e9ice"));
    }

    void deviceIds()
    {
        QVERIFY(isValidDeviceId(u"laptop-3f2a"));
        QVERIFY(isValidDeviceId(QString(64, QLatin1Char('d'))));
        QVERIFY(!isValidDeviceId(QString(65, QLatin1Char('d'))));
        QVERIFY(!isValidDeviceId(u""));
        QVERIFY(!isValidDeviceId(u"lap:top"));
    }

    void uuids()
    {
        QVERIFY(isValidUuid(u"6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"));
        QVERIFY(!isValidUuid(u"6F1C2A3B-4D5E-4F60-8A9B-0C1D2E3F4A5B")); // uppercase
        QVERIFY(!isValidUuid(u"6f1c2a3b4d5e4f608a9b0c1d2e3f4a5b"));
        QVERIFY(!isValidUuid(u"6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5"));
        QVERIFY(!isValidUuid(u"6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5g"));
        QVERIFY(!isValidUuid(u"6f1c2a3b-4d5e-4f60-8a9b_0c1d2e3f4a5b"));
    }

    void text()
    {
        QVERIFY(isValidText(u"hi"));
        QVERIFY(!isValidText(u""));
        QVERIFY(isValidText(QString(kMaxTextBytes, QLatin1Char('x'))));
        QVERIFY(!isValidText(QString(kMaxTextBytes + 1, QLatin1Char('x'))));
        // 4097 two-byte characters are 8194 bytes: the limit counts bytes, not chars.
        QVERIFY(!isValidText(QString(4097, QChar(0x00e9))));
        QVERIFY(!isValidText(QString(QChar(0xd800)))); // lone surrogate
    }

    void headersLimitIsInclusive()
    {
        Headers headers;
        headers.insert(QStringLiteral("k"), QString(kMaxHeadersBytes - 1, QLatin1Char('v')));
        QCOMPARE(headersBytes(headers), kMaxHeadersBytes);
        QVERIFY(!checkHeaders(headers));
        headers.insert(QStringLiteral("k"), QString(kMaxHeadersBytes, QLatin1Char('v')));
        const auto error = checkHeaders(headers);
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::TooLarge);
        QVERIFY(error->message.contains(QLatin1StringView("'headers'")));
    }

    void headersShape()
    {
        QCOMPARE(checkHeaders(QJsonValue(3))->code, ErrorCode::BadRequest);
        QCOMPARE(checkHeaders(QJsonObject{{QStringLiteral("a"), 1}})->code, ErrorCode::BadRequest);
        QCOMPARE(checkHeaders(QJsonObject{{QString(), QStringLiteral("v")}})->code,
                 ErrorCode::BadRequest);
        QCOMPARE(
            checkHeaders(QJsonObject{{QString(65, QLatin1Char('k')), QStringLiteral("v")}})->code,
            ErrorCode::BadRequest);
        QVERIFY(!checkHeaders(QJsonObject{}));
    }

    void pushData()
    {
        const QByteArray max(kMaxPushDataBytes, '\x7f');
        QVERIFY(!checkPushData(QString::fromLatin1(max.toBase64())));
        QCOMPARE(decodePushData(QString::fromLatin1(max.toBase64())).value(), max);
        const auto over = checkPushData(QString::fromLatin1(QByteArray(1025, 'x').toBase64()));
        QVERIFY(over);
        QCOMPARE(over->code, ErrorCode::TooLarge);
        QCOMPARE(checkPushData(QString())->code, ErrorCode::BadRequest);
        QCOMPARE(checkPushData(QStringLiteral("not base64!"))->code, ErrorCode::BadRequest);
        QCOMPARE(checkPushData(QStringLiteral("ab-_"))->code,
                 ErrorCode::BadRequest); // url alphabet
        QVERIFY(checkPushData(QStringLiteral("not base64!"))->message.contains(u"'data'"));
    }
};

QTEST_GUILESS_MAIN(TestFieldValidators)
#include "tst_fieldvalidators.moc"
