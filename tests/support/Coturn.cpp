#include "Coturn.h"

#include "Processes.h"

#include <QTest>

namespace softphone::test {

Coturn::Coturn(NetworkNamespaces &netns, const QString &ns, const QString &address,
               const QString &dir)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    dieWithTest(m_process);
    m_process.start("ip", netns.execArguments(ns, "turnserver",
                                              {"-n",
                                               "--listening-ip",
                                               address,
                                               "--relay-ip",
                                               address,
                                               "--listening-port",
                                               "3478",
                                               "--min-port",
                                               "49152",
                                               "--max-port",
                                               "49200",
                                               "--use-auth-secret",
                                               "--static-auth-secret",
                                               kSecret,
                                               "--realm",
                                               "softphone.test",
                                               "--no-tls",
                                               "--no-dtls",
                                               "--no-cli",
                                               "--fingerprint",
                                               "--db",
                                               dir + "/turndb",
                                               "--pidfile",
                                               dir + "/turn.pid",
                                               "--log-file",
                                               "stdout",
                                               "--simple-log"}));
    for (int i = 0; i < 50 && m_process.state() != QProcess::NotRunning; ++i) {
        QByteArray sockets;
        if (netns.run(ns, {"ss", "-lnut"}, nullptr, &sockets) &&
            sockets.count(address.toLatin1() + ":3478") >= 2) {
            m_ready = true;
            break;
        }
        QTest::qWait(100);
    }
}

Coturn::~Coturn()
{
    m_process.terminate();
    if (!m_process.waitForFinished(5000))
        m_process.kill();
    m_process.waitForFinished(2000);
}

} // namespace softphone::test
