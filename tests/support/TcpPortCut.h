#pragma once
// A silent network cut between this machine's TCP peers on one loopback port, as
// root, without a namespace: an nftables table of the test's own
// (softphone_tcpcut_<pid>) drops every TCP packet to or from the port on the
// loopback interface, both ways (on the input hook), with counters.
// Nothing answers (no RST, no ICMP), as when a cable is pulled or the peer's host
// freezes: connections stay open and their data goes unacknowledged. The table
// goes with the object (also when the test failed half-way); tables of earlier
// runs whose process is gone are removed first.
#include "OwnNftTable.h"

#include <QString>

namespace softphone::test {

class TcpPortCut
{
public:
    TcpPortCut();
    ~TcpPortCut();
    TcpPortCut(const TcpPortCut &) = delete;
    TcpPortCut &operator=(const TcpPortCut &) = delete;

    // Root and nft; *why otherwise (for QSKIP).
    static bool available(QString *why);

    // Starts dropping the port's packets (replaces an earlier start); false, with
    // *error, when nft refused.
    bool start(quint16 port, QString *error = nullptr);
    // Stops dropping: the table goes.
    void stop();
    // Packets dropped since start() (the rules' counters); -1 when not started or
    // they cannot be read.
    qint64 dropped() const;

private:
    OwnNftTable m_table;
};

} // namespace softphone::test
