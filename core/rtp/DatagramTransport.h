#pragma once
// Where the media datagrams of a call go and come from: an ICE component
// (IceAgent) or a plain UDP socket (UdpDatagramTransport, for tests and for a
// known peer). DTLS and SRTP sit on top and do not care which.

#include <QByteArray>
#include <QObject>

namespace softphone::rtp {

class DatagramTransport : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    // Sends one datagram to the peer; false when it cannot go out now.
    virtual bool sendDatagram(const QByteArray &datagram) = 0;

signals:
    void datagramReceived(const QByteArray &datagram);
};

} // namespace softphone::rtp
