#include "TcpPortCut.h"

namespace softphone::test {

TcpPortCut::TcpPortCut()
    : m_table(QStringLiteral("softphone_tcpcut_"))
{}

TcpPortCut::~TcpPortCut() = default;

bool TcpPortCut::available(QString *why)
{
    return OwnNftTable::available(why);
}

bool TcpPortCut::start(quint16 port, QString *error)
{
    // On the way in only, both directions (on loopback every packet comes in on lo):
    // the sender's kernel sent it, and waits for an acknowledgement that never comes,
    // as with a lost one (a drop on the output hook would fail its send with EPERM).
    return m_table.load(
        QStringLiteral("add chain inet %1 in { type filter hook input priority 0; }; "
                       "add rule inet %1 in iifname lo tcp dport %2 counter drop; "
                       "add rule inet %1 in iifname lo tcp sport %2 counter drop")
            .arg(m_table.name())
            .arg(port),
        error);
}

void TcpPortCut::stop()
{
    m_table.remove();
}

qint64 TcpPortCut::dropped() const
{
    return m_table.counted();
}

} // namespace softphone::test
