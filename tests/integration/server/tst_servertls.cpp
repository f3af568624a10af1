// TLS end to end: the server started with --tls-cert/--tls-key serves https://
// and wss://, and a client trusting that certificate signs in and connects.

#include "support/ServerProcess.h"

#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace softphone::test;

class TestServerTls : public QObject
{
    Q_OBJECT

    QTemporaryDir m_certDir;
    QList<QSslCertificate> m_ca;

private slots:
    void initTestCase()
    {
        // A self-signed P-256 certificate for 127.0.0.1, made by the openssl CLI.
        QProcess openssl;
        openssl.start("openssl",
                      {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                       "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                       "subjectAltName=IP:127.0.0.1", "-keyout", m_certDir.filePath("key.pem"),
                       "-out", m_certDir.filePath("cert.pem")});
        QVERIFY(openssl.waitForFinished(30000));
        QCOMPARE(openssl.exitCode(), 0);
        m_ca = QSslCertificate::fromPath(m_certDir.filePath("cert.pem"));
        QCOMPARE(m_ca.size(), 1);
    }

    void signInOverHttpsAndConnectOverWss()
    {
        ServerProcess server({"--tls-cert", m_certDir.filePath("cert.pem"), "--tls-key",
                              m_certDir.filePath("key.pem")});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QCOMPARE(server.appServerUrl().scheme(), QStringLiteral("https"));
        QCOMPARE(server.callingUrl().scheme(), QStringLiteral("wss"));
        QVERIFY(server.addUser("alice", "alice-password"));

        // Without trusting the certificate the client refuses the server.
        QCOMPARE(server.loginReply("alice", "alice-password").status, 0);

        server.http().setCaCertificates(m_ca);
        const HttpReply login = server.loginReply("alice", "alice-password");
        QCOMPARE(login.status, 200);
        QVERIFY(login.json.value("calling").toString().startsWith("wss://"));

        QWebSocket socket(QString(), QWebSocketProtocol::VersionLatest);
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setCaCertificates(m_ca);
        socket.setSslConfiguration(ssl);
        QSignalSpy connected(&socket, &QWebSocket::connected);
        QNetworkRequest request(server.callingUrl());
        request.setRawHeader("Sec-WebSocket-Protocol", "softphone.v1");
        socket.open(request);
        QVERIFY2(connected.wait(15000), qPrintable(socket.errorString()));
        socket.close();
    }
};

QTEST_GUILESS_MAIN(TestServerTls)
#include "tst_servertls.moc"
