#include "RtpPacket.h"

#include "WireBytes.h"

#include <QtEndian>

namespace softphone::rtp {

namespace {
std::optional<RtpPacket> fail(QString *error, const QString &why)
{
    return wire::refuse<RtpPacket>(error, why);
}
} // namespace

QByteArray RtpPacket::serialize() const
{
    if (payloadType > 127 || csrcs.size() > size_t(kMaxCsrcs))
        return {};
    if (extension && (extension->data.size() % 4 != 0 || extension->data.size() / 4 > 0xffff))
        return {};
    const qsizetype size = kFixedHeaderSize + 4 * qsizetype(csrcs.size()) +
                           (extension ? 4 + extension->data.size() : 0) + payload.size() +
                           paddingSize;
    if (size > kMaxPacketSize)
        return {};
    QByteArray out;
    out.reserve(size);
    out.append(char((kVersion << 6) | (paddingSize ? 0x20 : 0) | (extension ? 0x10 : 0) |
                    int(csrcs.size())));
    out.append(char((marker ? 0x80 : 0) | payloadType));
    wire::put16(out, sequence);
    wire::put32(out, timestamp);
    wire::put32(out, ssrc);
    for (quint32 csrc : csrcs)
        wire::put32(out, csrc);
    if (extension) {
        wire::put16(out, extension->profile);
        wire::put16(out, quint16(extension->data.size() / 4));
        out.append(extension->data);
    }
    out.append(payload);
    if (paddingSize) {
        out.append(QByteArray(paddingSize - 1, '\0'));
        out.append(char(paddingSize));
    }
    return out;
}

std::optional<RtpPacket> RtpPacket::parse(const QByteArray &wire, QString *error)
{
    const auto *p = reinterpret_cast<const uchar *>(wire.constData());
    const qsizetype size = wire.size();
    if (size < kFixedHeaderSize)
        return fail(error, QStringLiteral("RTP packet too short (%1 bytes)").arg(size));
    if (size > kMaxPacketSize)
        return fail(error, QStringLiteral("RTP packet too long (%1 bytes)").arg(size));
    if ((p[0] >> 6) != kVersion)
        return fail(error, QStringLiteral("RTP version %1, expected 2").arg(p[0] >> 6));
    RtpPacket packet;
    const bool padding = p[0] & 0x20;
    const bool hasExtension = p[0] & 0x10;
    const int csrcCount = p[0] & 0x0f;
    packet.marker = p[1] & 0x80;
    packet.payloadType = p[1] & 0x7f;
    if (packet.payloadType >= 72 && packet.payloadType <= 76)
        return fail(
            error,
            QStringLiteral("RTP payload type %1 collides with RTCP").arg(packet.payloadType));
    packet.sequence = qFromBigEndian<quint16>(p + 2);
    packet.timestamp = qFromBigEndian<quint32>(p + 4);
    packet.ssrc = qFromBigEndian<quint32>(p + 8);
    qsizetype pos = kFixedHeaderSize;
    if (size - pos < 4 * csrcCount)
        return fail(error, QStringLiteral("RTP packet too short for its %1 CSRCs").arg(csrcCount));
    for (int i = 0; i < csrcCount; ++i, pos += 4)
        packet.csrcs.push_back(qFromBigEndian<quint32>(p + pos));
    if (hasExtension) {
        if (size - pos < 4)
            return fail(error, QStringLiteral("RTP packet too short for its header extension"));
        RtpHeaderExtension ext;
        ext.profile = qFromBigEndian<quint16>(p + pos);
        const qsizetype extBytes = 4 * qsizetype(qFromBigEndian<quint16>(p + pos + 2));
        pos += 4;
        if (size - pos < extBytes)
            return fail(error, QStringLiteral("RTP header extension of %1 bytes exceeds the packet")
                                   .arg(extBytes));
        ext.data = wire.mid(pos, extBytes);
        pos += extBytes;
        packet.extension = std::move(ext);
    }
    qsizetype end = size;
    if (padding) {
        const quint8 count = p[size - 1];
        if (count == 0 || count > end - pos)
            return fail(
                error,
                QStringLiteral("RTP padding of %1 bytes does not fit the packet").arg(count));
        packet.paddingSize = count;
        end -= count;
    }
    packet.payload = wire.mid(pos, end - pos);
    return packet;
}

} // namespace softphone::rtp
