#pragma once
// coturn in a network namespace of a test as STUN and TURN server with REST
// credentials (use-auth-secret, secret kSecret); ready once its UDP and TCP
// listeners on port 3478 are open. Stopped when the object goes.
#include "NetworkNamespaces.h"

#include <QProcess>
#include <QString>

namespace softphone::test {

class Coturn
{
public:
    static constexpr char kSecret[] = "tst-ice-netns-secret";

    Coturn(NetworkNamespaces &netns, const QString &ns, const QString &address, const QString &dir);
    ~Coturn();
    Coturn(const Coturn &) = delete;
    Coturn &operator=(const Coturn &) = delete;
    bool ready() const { return m_ready; }
    QString log() { return QString::fromLocal8Bit(m_process.readAll()); }

private:
    QProcess m_process;
    bool m_ready = false;
};

} // namespace softphone::test
