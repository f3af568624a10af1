#include "UdpDatagramTransport.h"

#include <QNetworkDatagram>
#include <QTimer>

namespace softphone::rtp {

UdpDatagramTransport::UdpDatagramTransport(QObject *parent)
    : DatagramTransport(parent)
{
    connect(&m_socket, &QUdpSocket::readyRead, this, &UdpDatagramTransport::readPending);
}

bool UdpDatagramTransport::bind(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_socket.bind(address, port))
        return true;
    if (error)
        *error = QStringLiteral("cannot bind UDP %1:%2: %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(m_socket.errorString());
    return false;
}

void UdpDatagramTransport::setPeer(const QHostAddress &address, quint16 port)
{
    m_peerAddress = address;
    m_peerPort = port;
}

bool UdpDatagramTransport::sendDatagram(const QByteArray &datagram)
{
    if (m_peerPort == 0)
        return false;
    return m_socket.writeDatagram(datagram, m_peerAddress, m_peerPort) == datagram.size();
}

void UdpDatagramTransport::readPending()
{
    for (int i = 0; i < kMaxDatagramsPerWakeup && m_socket.hasPendingDatagrams(); ++i) {
        const QNetworkDatagram datagram = m_socket.receiveDatagram(kMaxDatagramSize);
        if (datagram.senderPort() != m_peerPort ||
            !datagram.senderAddress().isEqual(m_peerAddress, QHostAddress::TolerantConversion)) {
            ++m_droppedFromOthers;
            continue;
        }
        emit datagramReceived(datagram.data());
    }
    if (m_socket.hasPendingDatagrams())
        QTimer::singleShot(0, this, &UdpDatagramTransport::readPending);
}

} // namespace softphone::rtp
