// HttpParser, the HTTP port's bounded request reader, on bytes alone
// (parseHttpRequest, also the fuzz target's entry): each limit of HttpLimits
// refuses with its status, requests within them come out whole, and a request
// split at every byte parses the same as in one piece.

#include "softphone-server/common/HttpParser.h"

#include <QTest>

using namespace softphone::server;

class TestHttpParser : public QObject
{
    Q_OBJECT

private slots:
    void simpleRequest()
    {
        const QByteArray bytes = "POST /wpush/abc?x=1 HTTP/1.1\r\nHost: example:8080\r\n"
                                 "TTL: 60 \r\nContent-Length: 5\r\n\r\nhello";
        const HttpParseResult r = parseHttpRequest(bytes);
        QVERIFY(r.request);
        QCOMPARE(r.consumed, bytes.size());
        QCOMPARE(r.request->method(), HttpRequest::Method::Post);
        QCOMPARE(r.request->url().path(), QStringLiteral("/wpush/abc"));
        QCOMPARE(r.request->url().host(), QStringLiteral("example"));
        QCOMPARE(r.request->query().queryItemValue("x"), QStringLiteral("1"));
        QCOMPARE(r.request->value("ttl"), QByteArray("60"));
        QCOMPARE(r.request->body(), QByteArray("hello"));
    }

    void splitAtEveryByte()
    {
        const QByteArray bytes = "POST /v1/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                                 "chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        HttpLimits limits;
        HttpParser parser(limits);
        qsizetype used = 0;
        for (qsizetype i = 0; i < bytes.size(); ++i)
            used += parser.feed(bytes.constData() + i, 1);
        QCOMPARE(parser.state(), HttpParser::State::Complete);
        QCOMPARE(used, bytes.size());
        QCOMPARE(parser.takeRequest().body(), QByteArray("abcde"));
    }

    void declaredBodyOverTheLimit()
    {
        HttpLimits limits;
        limits.maxBody = 100;
        const HttpParseResult r =
            parseHttpRequest("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", limits);
        QVERIFY(r.refusal);
        QCOMPARE(r.refusal->status, 413);
    }

    void chunkedBodyOverTheLimit()
    {
        HttpLimits limits;
        limits.maxBody = 100;
        QByteArray bytes = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 5; ++i)
            bytes += "20\r\n" + QByteArray(32, 'x') + "\r\n";
        const HttpParseResult r = parseHttpRequest(bytes, limits);
        QVERIFY(r.refusal);
        QCOMPARE(r.refusal->status, 413);
    }

    void headLimits()
    {
        HttpLimits limits;
        limits.maxHeadBytes = 200;
        limits.maxHeaders = 3;
        HttpParseResult r =
            parseHttpRequest("GET / HTTP/1.1\r\nX: " + QByteArray(300, 'a') + "\r\n\r\n", limits);
        QVERIFY(r.refusal);
        QCOMPARE(r.refusal->status, 431);
        QVERIFY(r.consumed <= limits.maxHeadBytes);
        r = parseHttpRequest("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", limits);
        QVERIFY(r.refusal);
        QCOMPARE(r.refusal->status, 431);
        r = parseHttpRequest("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits);
        QVERIFY(r.request);
    }

    void malformed()
    {
        for (const QByteArray &bytes :
             {QByteArray("GET / HTTP/1.1\r\nHost x\r\n\r\n"), QByteArray("\x16\x03\x01garbage"),
              QByteArray("GET / HTTP/2.0\r\n\r\n"),
              QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")}) {
            const HttpParseResult r = parseHttpRequest(bytes);
            QVERIFY2(r.refusal, bytes.constData());
            QVERIFY(r.refusal->status == 400 || r.refusal->status == 505);
        }
    }

    void pipelinedRequestsOneAtATime()
    {
        const QByteArray bytes =
            "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n";
        HttpLimits limits;
        HttpParser parser(limits);
        qsizetype used = parser.feed(bytes.constData(), bytes.size());
        QCOMPARE(parser.state(), HttpParser::State::Complete);
        QCOMPARE(parser.takeRequest().url().path(), QStringLiteral("/a"));
        QVERIFY(parser.keepAlive());
        parser.reset();
        used += parser.feed(bytes.constData() + used, bytes.size() - used);
        QCOMPARE(parser.state(), HttpParser::State::Complete);
        QCOMPARE(used, bytes.size());
        QCOMPARE(parser.takeRequest().url().path(), QStringLiteral("/b"));
        QVERIFY(!parser.keepAlive());
    }
};

QTEST_GUILESS_MAIN(TestHttpParser)
#include "tst_httpparser.moc"
