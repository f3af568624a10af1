// core/ipc's LineServer and LineRequest over real QLocalSockets in a folder of
// the test's own: a request and its answer, the limits every local socket of
// the desktop has (line length, silent peers, connections at once) each hitting
// only the connection that broke it, malformed lines answered, the client's
// outcomes (nobody there, timeout, an answer too long, cancel), and the
// runtime folder's ownership check in front of all of it.
#include "ipc/LineRequest.h"
#include "ipc/LineServer.h"
#include "ipc/RuntimeDir.h"

#include <QDir>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <memory>
#include <optional>
#include <sys/stat.h>

using namespace softphone::ipc;
using Outcome = LineRequest::Outcome;

namespace {

// Small limits, so that each is reached quickly: 256-byte lines, 300 ms of
// silence, two connections.
constexpr LineProtocol kTest{"test", 1, 256, 300, 2, "test server"};

// Answers "echo" with the text, "later" once answerLater() is called, and
// refuses anything else.
class EchoServer
{
public:
    explicit EchoServer(const QString &path, const LineProtocol &protocol = kTest)
        : server(path, protocol)
    {
        server.setHandler(
            [this](const QString &type, const QJsonObject &message, const LineReply &reply) {
                if (type == QLatin1String("echo"))
                    reply.ok({{QStringLiteral("text"), message.value(QStringLiteral("text"))}});
                else if (type == QLatin1String("later"))
                    pending = reply;
                else
                    reply.error(QStringLiteral("unknown_type"), QStringLiteral("unknown type"));
            });
    }
    void answerLater()
    {
        if (pending)
            pending->ok();
    }
    LineServer server;
    std::optional<LineReply> pending;
};

// A raw client, to send what LineRequest never would.
struct RawClient
{
    explicit RawClient(const QString &path) { socket.connectToServer(path); }
    // The next answer line, or an empty object after timeoutMs.
    QJsonObject nextLine(int timeoutMs = 5000)
    {
        if (!QTest::qWaitFor([this] { return socket.canReadLine(); }, timeoutMs))
            return {};
        return QJsonDocument::fromJson(socket.readLine()).object();
    }
    bool closedByServer(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([this] { return socket.state() == QLocalSocket::UnconnectedState; },
                               timeoutMs);
    }
    QLocalSocket socket;
};

QString code(const QJsonObject &answer)
{
    return answer.value(QStringLiteral("code")).toString();
}

// LineRequest::send, waited for (bounded); nullopt when done never came.
std::optional<LineRequest::Result> ask(const QString &path, const QJsonObject &message,
                                       int timeoutMs = 5000)
{
    QObject context;
    std::optional<LineRequest::Result> result;
    LineRequest::send(path, kTest, message, timeoutMs, &context,
                      [&result](const LineRequest::Result &r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, timeoutMs + 5000))
        return std::nullopt;
    return result;
}

QJsonObject echo(const QString &text)
{
    return lineMessage(kTest, QStringLiteral("echo"), {{QStringLiteral("text"), text}});
}

} // namespace

class TstLineChannel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name = QStringLiteral("test")) const
    {
        return m_dir.filePath(name);
    }

private slots:
    void roundTrip()
    {
        EchoServer echoServer(path());
        QVERIFY(echoServer.server.listen());
        // The socket is the user's only.
        struct stat st = {};
        QCOMPARE(::stat(QFile::encodeName(path()).constData(), &st), 0);
        QCOMPARE(st.st_mode & 077, 0u);

        const auto result = ask(path(), echo(QStringLiteral("hello")));
        QVERIFY(result);
        QVERIFY2(result->ok(), qPrintable(result->reason()));
        QCOMPARE(result->answer.value(QStringLiteral("v")).toInt(), 1);
        QCOMPARE(result->answer.value(QStringLiteral("text")).toString(), QStringLiteral("hello"));

        const auto refused = ask(path(), lineMessage(kTest, QStringLiteral("nope")));
        QVERIFY(refused);
        QCOMPARE(refused->outcome, Outcome::Answered);
        QVERIFY(!refused->ok());
        QCOMPARE(code(refused->answer), QStringLiteral("unknown_type"));
        QCOMPARE(refused->reason(), QStringLiteral("unknown type"));

        // Several requests on one connection are answered in order.
        RawClient raw(path());
        raw.socket.write(toLine(echo(QStringLiteral("a"))) + toLine(echo(QStringLiteral("b"))));
        QCOMPARE(raw.nextLine().value(QStringLiteral("text")).toString(), QStringLiteral("a"));
        QCOMPARE(raw.nextLine().value(QStringLiteral("text")).toString(), QStringLiteral("b"));
    }

    // The blocking form (command line tools, a process about to exit), against
    // a server on another thread.
    void blockingExchange()
    {
        QThread thread;
        auto *echoServer = new EchoServer(path(QStringLiteral("blocking")));
        echoServer->server.moveToThread(&thread);
        thread.start();
        bool listening = false;
        QMetaObject::invokeMethod(
            &echoServer->server, [&] { listening = echoServer->server.listen(); },
            Qt::BlockingQueuedConnection);
        QVERIFY(listening);
        const auto result =
            LineRequest::exchange(path(QStringLiteral("blocking")), kTest, echo("x"), 5000);
        QVERIFY2(result.ok(), qPrintable(result.reason()));
        QCOMPARE(result.answer.value(QStringLiteral("text")).toString(), QStringLiteral("x"));
        QMetaObject::invokeMethod(
            &echoServer->server, [echoServer] { delete echoServer; }, Qt::BlockingQueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(5000));

        const auto nobody =
            LineRequest::exchange(path(QStringLiteral("blocking")), kTest, echo("x"), 5000);
        QCOMPARE(nobody.outcome, Outcome::NoServer);
    }

    void oversizedLineClosesOnlyItsConnection()
    {
        EchoServer echoServer(path());
        QVERIFY(echoServer.server.listen());
        RawClient other(path());
        QVERIFY(other.socket.waitForConnected(5000));
        RawClient big(path());
        // No newline in sight: refused once past the limit, not buffered on.
        big.socket.write(QByteArray(1000, 'x'));
        QCOMPARE(code(big.nextLine()), QStringLiteral("too_large"));
        QVERIFY(big.closedByServer());
        // A whole line over the limit too.
        RawClient line(path());
        line.socket.write(QByteArray(300, 'x') + '\n');
        QCOMPARE(code(line.nextLine()), QStringLiteral("too_large"));
        QVERIFY(line.closedByServer());

        other.socket.write(toLine(echo(QStringLiteral("still here"))));
        QCOMPARE(other.nextLine().value(QStringLiteral("text")).toString(),
                 QStringLiteral("still here"));
        QCOMPARE(other.socket.state(), QLocalSocket::ConnectedState);
    }

    // A malformed line gets an error and the connection goes on.
    void malformedLinesAreAnswered()
    {
        EchoServer echoServer(path());
        QVERIFY(echoServer.server.listen());
        RawClient raw(path());
        raw.socket.write("not json\n");
        const QJsonObject bad = raw.nextLine();
        QCOMPARE(code(bad), QStringLiteral("bad_json"));
        QCOMPARE(bad.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        QVERIFY(!bad.value(QStringLiteral("message")).toString().isEmpty());
        raw.socket.write("[1,2]\n");
        QCOMPARE(code(raw.nextLine()), QStringLiteral("bad_json"));
        raw.socket.write("{\"v\":2,\"type\":\"echo\"}\n");
        const QJsonObject version = raw.nextLine();
        QCOMPARE(code(version), QStringLiteral("unsupported_version"));
        QCOMPARE(version.value(QStringLiteral("message")).toString(),
                 QStringLiteral("this test server speaks version 1"));
        raw.socket.write(toLine(echo(QStringLiteral("ok"))));
        QCOMPARE(raw.nextLine().value(QStringLiteral("text")).toString(), QStringLiteral("ok"));
    }

    // A peer that says nothing is closed after the idle time; one whose
    // request is still being answered is not.
    void silentPeerIsTimedOut()
    {
        EchoServer echoServer(path());
        QVERIFY(echoServer.server.listen());
        RawClient silent(path());
        QVERIFY(silent.socket.waitForConnected(5000));
        QCOMPARE(code(silent.nextLine()), QStringLiteral("idle_timeout"));
        QVERIFY(silent.closedByServer());
        QTRY_COMPARE_WITH_TIMEOUT(echoServer.server.connectionCount(), 0, 5000);

        RawClient waiting(path());
        waiting.socket.write(toLine(lineMessage(kTest, QStringLiteral("later"))));
        QTRY_VERIFY_WITH_TIMEOUT(echoServer.pending.has_value(), 5000);
        QTest::qWait(3 * kTest.idleTimeoutMs);
        QCOMPARE(waiting.socket.state(), QLocalSocket::ConnectedState);
        echoServer.answerLater();
        QCOMPARE(waiting.nextLine().value(QStringLiteral("type")).toString(), QStringLiteral("ok"));
        // Idle again after its answer.
        QVERIFY(waiting.closedByServer());
    }

    void connectionsAreBounded()
    {
        EchoServer echoServer(path());
        QVERIFY(echoServer.server.listen());
        auto first = std::make_unique<RawClient>(path());
        RawClient second(path());
        QTRY_COMPARE_WITH_TIMEOUT(echoServer.server.connectionCount(), 2, 5000);
        RawClient third(path());
        const QJsonObject busy = third.nextLine();
        QCOMPARE(code(busy), QStringLiteral("busy"));
        QVERIFY(third.closedByServer());
        QCOMPARE(echoServer.server.connectionCount(), 2);

        // The two in place are served; once one leaves, a new one is too.
        second.socket.write(toLine(echo(QStringLiteral("2"))));
        QCOMPARE(second.nextLine().value(QStringLiteral("text")).toString(), QStringLiteral("2"));
        first.reset();
        QTRY_COMPARE_WITH_TIMEOUT(echoServer.server.connectionCount(), 1, 5000);
        const auto result = ask(path(), echo(QStringLiteral("4")));
        QVERIFY(result);
        QVERIFY2(result->ok(), qPrintable(result->reason()));
    }

    void requestOutcomes()
    {
        // Nobody there: NoServer, reported after send() returned.
        QObject context;
        bool returned = false;
        std::optional<LineRequest::Result> none;
        LineRequest::send(path(QStringLiteral("absent")), kTest, echo("x"), 5000, &context,
                          [&](const LineRequest::Result &r) {
                              QVERIFY(returned);
                              none = r;
                          });
        returned = true;
        QTRY_VERIFY_WITH_TIMEOUT(none.has_value(), 5000);
        QCOMPARE(none->outcome, Outcome::NoServer);

        // A server that never answers: TimedOut.
        EchoServer echoServer(path());
        QVERIFY(echoServer.server.listen());
        const auto late = ask(path(), lineMessage(kTest, QStringLiteral("later")), 200);
        QVERIFY(late);
        QCOMPARE(late->outcome, Outcome::TimedOut);

        // An answer over the limit: Failed, not read on.
        const auto big = ask(path(), echo(QString(400, QLatin1Char('y'))));
        QVERIFY(big);
        QCOMPARE(big->outcome, Outcome::Answered); // the request itself was too long
        QCOMPARE(code(big->answer), QStringLiteral("too_large"));
        LineServer loud(path(QStringLiteral("loud")), {"loud", 1, 4096, 300, 2, "loud server"});
        loud.setHandler([](const QString &, const QJsonObject &, const LineReply &reply) {
            reply.ok({{QStringLiteral("text"), QString(1000, QLatin1Char('z'))}});
        });
        QVERIFY(loud.listen());
        const auto tooLong = ask(path(QStringLiteral("loud")), echo("x"));
        QVERIFY(tooLong);
        QCOMPARE(tooLong->outcome, Outcome::Failed);
        QVERIFY2(tooLong->reason().contains("longer than 256 bytes"),
                 qPrintable(tooLong->reason()));

        // Cancelled: no callback.
        bool called = false;
        LineRequest *request =
            LineRequest::send(path(), kTest, echo("x"), 5000, &context,
                              [&called](const LineRequest::Result &) { called = true; });
        request->cancel();
        QTest::qWait(200);
        QVERIFY(!called);
    }

    // Where the sockets go: the runtime folder, refused when it is open to others.
    void runtimeDirOwnershipIsRespected()
    {
        QTemporaryDir runtime;
        const QByteArray saved = qgetenv("XDG_RUNTIME_DIR");
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime.path()));
        const QString folder = runtime.filePath(QStringLiteral("softphone"));
        QVERIFY(QDir().mkpath(folder));
        QCOMPARE(::chmod(QFile::encodeName(folder).constData(), 0777), 0);
        QString error;
        QVERIFY(socketPath(kTest, &error).isEmpty());
        QVERIFY2(error.contains("open to other users"), qPrintable(error));

        QCOMPARE(::chmod(QFile::encodeName(folder).constData(), 0700), 0);
        const QString path = socketPath(kTest, &error);
        qputenv("XDG_RUNTIME_DIR", saved);
        QCOMPARE(path, folder + QStringLiteral("/test"));
        EchoServer echoServer(path);
        QVERIFY(echoServer.server.listen());
        const auto result = ask(path, echo(QStringLiteral("home")));
        QVERIFY(result && result->ok());
    }
};

QTEST_GUILESS_MAIN(TstLineChannel)
#include "tst_linechannel.moc"
