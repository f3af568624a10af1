#pragma once
// Real packet loss between this process's own UDP sockets, as root, without a
// namespace: for the GUI tests, whose alice (the app) and bob (an in-process
// client) share one process on the desktop session's network, so their
// peer-to-peer voice travels over this machine's loopback. An nftables table
// of the test's own (softphone_rtploss_<pid>) on the input hook drops
// `percent` % of the Opus RTP packets (version 2, payload type 111, with or
// without the marker bit) that go between two of the given local ports, at
// random (numgen), with a counter; STUN, DTLS and RTCP pass, and nothing of
// another process's traffic matches. Dropped on the way in, as a line loses
// them: the sender's send() succeeds (a drop on the output hook fails it with
// EPERM). The table goes with the object (also when the test failed
// half-way); tables of earlier runs whose process is gone are removed first.
// The kernel here has no netem: this is the same `numgen` loss as
// tst_ice_netns and bench_loss_paths use inside their namespaces.
#include "OwnNftTable.h"

#include <QList>
#include <QString>

namespace softphone::test {

// The local ports of this process's UDP sockets (IPv4 and IPv6), read from
// /proc/self/fd and /proc/net/udp{,6}.
QList<quint16> ownUdpPorts();

class RtpLoss
{
public:
    RtpLoss();
    ~RtpLoss();
    RtpLoss(const RtpLoss &) = delete;
    RtpLoss &operator=(const RtpLoss &) = delete;

    // Root and nft; *why otherwise (for QSKIP).
    static bool available(QString *why);

    // Starts dropping `percent` % of the RTP between the ports (replaces an
    // earlier start); false, with *error, when nft refused or ports is empty.
    bool start(const QList<quint16> &ports, int percent, QString *error = nullptr);
    // Stops dropping: the table goes.
    void stop();
    // RTP packets dropped since start() (the rule's counter); -1 when not
    // started or it cannot be read.
    qint64 dropped() const;

private:
    OwnNftTable m_table;
};

} // namespace softphone::test
