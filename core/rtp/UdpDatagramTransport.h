#pragma once
// A DatagramTransport over one UDP socket talking to one known peer address:
// datagrams from anyone else are dropped. Used by the DTLS-SRTP tests and
// wherever the peer's address is known without ICE.

#include "DatagramTransport.h"

#include <QHostAddress>
#include <QUdpSocket>

namespace softphone::rtp {

class UdpDatagramTransport : public DatagramTransport
{
    Q_OBJECT
public:
    static constexpr int kMaxDatagramSize = 2048;
    static constexpr int kMaxDatagramsPerWakeup = 64; // the rest waits for the next loop turn

    explicit UdpDatagramTransport(QObject *parent = nullptr);

    bool bind(const QHostAddress &address, quint16 port = 0, QString *error = nullptr);
    void setPeer(const QHostAddress &address, quint16 port);
    quint16 localPort() const { return m_socket.localPort(); }
    QHostAddress localAddress() const { return m_socket.localAddress(); }
    bool sendDatagram(const QByteArray &datagram) override;
    quint64 droppedFromOthers() const { return m_droppedFromOthers; }

private:
    void readPending();

    QUdpSocket m_socket;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    quint64 m_droppedFromOthers = 0;
};

} // namespace softphone::rtp
