#include "RtcpPacket.h"

#include "WireBytes.h"

#include <QtEndian>

namespace softphone::rtp {

namespace {
constexpr int kVersion = 2;

std::optional<RtcpCompound> fail(QString *error, const QString &why)
{
    return wire::refuse<RtcpCompound>(error, why);
}
using wire::put16;
using wire::put32;

// Starts a packet; its length is filled in by finish().
qsizetype begin(QByteArray &out, int count, quint8 type)
{
    const qsizetype start = out.size();
    out.append(char((kVersion << 6) | count));
    out.append(char(type));
    put16(out, 0);
    return start;
}
void finish(QByteArray &out, qsizetype start)
{
    qToBigEndian<quint16>(quint16((out.size() - start) / 4 - 1), out.data() + start + 2);
}

void putBlock(QByteArray &out, const ReportBlock &b)
{
    put32(out, b.ssrc);
    const qint32 lost =
        qBound(ReportBlock::kMinCumulativeLost, b.cumulativeLost, ReportBlock::kMaxCumulativeLost);
    put32(out, (quint32(b.fractionLost) << 24) | (quint32(lost) & 0xffffff));
    put32(out, b.highestSequence);
    put32(out, b.jitter);
    put32(out, b.lastSr);
    put32(out, b.delaySinceLastSr);
}

ReportBlock readBlock(const uchar *p)
{
    ReportBlock b;
    b.ssrc = qFromBigEndian<quint32>(p);
    b.fractionLost = p[4];
    quint32 lost = (quint32(p[5]) << 16) | (quint32(p[6]) << 8) | p[7];
    if (lost & 0x800000)
        lost |= 0xff000000; // sign-extend the 24-bit value
    b.cumulativeLost = qint32(lost);
    b.highestSequence = qFromBigEndian<quint32>(p + 8);
    b.jitter = qFromBigEndian<quint32>(p + 12);
    b.lastSr = qFromBigEndian<quint32>(p + 16);
    b.delaySinceLastSr = qFromBigEndian<quint32>(p + 20);
    return b;
}

// The SDES chunks of one packet body (after the 4-byte header); false on any overrun.
bool readSdes(const uchar *p, qsizetype size, int count, std::vector<SdesChunk> &out, QString &why)
{
    qsizetype pos = 0;
    for (int c = 0; c < count; ++c) {
        if (size - pos < 4) {
            why = QStringLiteral("SDES chunk %1 missing").arg(c + 1);
            return false;
        }
        SdesChunk chunk;
        chunk.ssrc = qFromBigEndian<quint32>(p + pos);
        pos += 4;
        for (;;) {
            if (pos >= size) {
                why = QStringLiteral("SDES chunk without its end item");
                return false;
            }
            const quint8 item = p[pos];
            if (item == 0) {
                pos = (pos + 4) & ~qsizetype(3); // the end item and padding to 32 bits
                if (pos > size) {
                    why = QStringLiteral("SDES chunk padding exceeds the packet");
                    return false;
                }
                break;
            }
            if (size - pos < 2 || size - pos - 2 < p[pos + 1]) {
                why = QStringLiteral("SDES item of type %1 exceeds the packet").arg(item);
                return false;
            }
            const quint8 length = p[pos + 1];
            if (item == 1) {
                if (length == 0) {
                    why = QStringLiteral("SDES CNAME is empty");
                    return false;
                }
                chunk.cname = QByteArray(reinterpret_cast<const char *>(p + pos + 2), length);
            }
            pos += 2 + length;
        }
        out.push_back(std::move(chunk));
    }
    if (pos != size) {
        why = QStringLiteral("SDES packet has %1 bytes after its chunks").arg(size - pos);
        return false;
    }
    return true;
}
} // namespace

QByteArray RtcpCompound::serialize() const
{
    if (senderReports.empty() && receiverReports.empty())
        return {};
    QByteArray out;
    for (const SenderReport &sr : senderReports) {
        if (sr.reports.size() > size_t(kMaxReportBlocks))
            return {};
        const qsizetype start = begin(out, int(sr.reports.size()), SR);
        put32(out, sr.ssrc);
        put32(out, quint32(sr.info.ntpTimestamp >> 32));
        put32(out, quint32(sr.info.ntpTimestamp));
        put32(out, sr.info.rtpTimestamp);
        put32(out, sr.info.packetCount);
        put32(out, sr.info.octetCount);
        for (const ReportBlock &b : sr.reports)
            putBlock(out, b);
        finish(out, start);
    }
    for (const ReceiverReport &rr : receiverReports) {
        if (rr.reports.size() > size_t(kMaxReportBlocks))
            return {};
        const qsizetype start = begin(out, int(rr.reports.size()), RR);
        put32(out, rr.ssrc);
        for (const ReportBlock &b : rr.reports)
            putBlock(out, b);
        finish(out, start);
    }
    if (!sdes.empty()) {
        if (sdes.size() > size_t(kMaxReportBlocks))
            return {};
        const qsizetype start = begin(out, int(sdes.size()), SDES);
        for (const SdesChunk &chunk : sdes) {
            if (chunk.cname.isEmpty() || chunk.cname.size() > 255)
                return {};
            put32(out, chunk.ssrc);
            out.append(char(1));
            out.append(char(chunk.cname.size()));
            out.append(chunk.cname);
            out.append(char(0)); // end of items, then pad the chunk to 32 bits
            while (out.size() % 4)
                out.append(char(0));
        }
        finish(out, start);
    }
    if (bye) {
        if (bye->ssrcs.size() > size_t(kMaxReportBlocks) || bye->reason.size() > 255)
            return {};
        const qsizetype start = begin(out, int(bye->ssrcs.size()), BYE);
        for (quint32 ssrc : bye->ssrcs)
            put32(out, ssrc);
        if (!bye->reason.isEmpty()) {
            out.append(char(bye->reason.size()));
            out.append(bye->reason);
            while (out.size() % 4)
                out.append(char(0));
        }
        finish(out, start);
    }
    if (out.size() > kMaxSize)
        return {};
    return out;
}

std::optional<RtcpCompound> RtcpCompound::parse(const QByteArray &wire, QString *error)
{
    const auto *data = reinterpret_cast<const uchar *>(wire.constData());
    const qsizetype size = wire.size();
    if (size < 8)
        return fail(error, QStringLiteral("RTCP packet too short (%1 bytes)").arg(size));
    if (size > kMaxSize)
        return fail(error, QStringLiteral("RTCP packet too long (%1 bytes)").arg(size));
    if (size % 4)
        return fail(error,
                    QStringLiteral("RTCP packet of %1 bytes is not a multiple of 4").arg(size));
    RtcpCompound compound;
    qsizetype pos = 0;
    bool first = true;
    while (pos < size) {
        const uchar *p = data + pos;
        if (size - pos < 4)
            return fail(error, QStringLiteral("RTCP header cut short"));
        if ((p[0] >> 6) != kVersion)
            return fail(error, QStringLiteral("RTCP version %1, expected 2").arg(p[0] >> 6));
        const bool padding = p[0] & 0x20;
        const int count = p[0] & 0x1f;
        const quint8 type = p[1];
        const qsizetype length = 4 * (qsizetype(qFromBigEndian<quint16>(p + 2)) + 1);
        if (length > size - pos)
            return fail(error, QStringLiteral("RTCP packet of type %1 claims %2 bytes, %3 left")
                                   .arg(type)
                                   .arg(length)
                                   .arg(size - pos));
        if (first && type != SR && type != RR)
            return fail(
                error, QStringLiteral("RTCP compound starts with type %1, not SR or RR").arg(type));
        qsizetype body = length; // bytes of this packet without padding
        if (padding) {
            if (pos + length != size)
                return fail(error, QStringLiteral("RTCP padding before the last packet"));
            const quint8 pad = p[length - 1];
            if (pad == 0 || pad > length - 4)
                return fail(error,
                            QStringLiteral("RTCP padding of %1 bytes does not fit").arg(pad));
            body -= pad;
        }
        first = false;
        switch (type) {
        case SR:
        case RR: {
            const qsizetype fixed = type == SR ? 28 : 8;
            if (body < fixed + 24 * count)
                return fail(error, QStringLiteral("RTCP %1 too short for %2 report blocks")
                                       .arg(type == SR ? "SR" : "RR")
                                       .arg(count));
            std::vector<ReportBlock> blocks;
            for (int i = 0; i < count; ++i)
                blocks.push_back(readBlock(p + fixed + 24 * i));
            // Bytes past the blocks are a profile-specific extension: skipped.
            if (type == SR) {
                SenderReport sr;
                sr.ssrc = qFromBigEndian<quint32>(p + 4);
                sr.info.ntpTimestamp = (quint64(qFromBigEndian<quint32>(p + 8)) << 32) |
                                       qFromBigEndian<quint32>(p + 12);
                sr.info.rtpTimestamp = qFromBigEndian<quint32>(p + 16);
                sr.info.packetCount = qFromBigEndian<quint32>(p + 20);
                sr.info.octetCount = qFromBigEndian<quint32>(p + 24);
                sr.reports = std::move(blocks);
                compound.senderReports.push_back(std::move(sr));
            } else {
                ReceiverReport rr;
                rr.ssrc = qFromBigEndian<quint32>(p + 4);
                rr.reports = std::move(blocks);
                compound.receiverReports.push_back(std::move(rr));
            }
            break;
        }
        case SDES: {
            QString why;
            if (!readSdes(p + 4, body - 4, count, compound.sdes, why))
                return fail(error, why);
            break;
        }
        case BYE: {
            if (compound.bye)
                return fail(error, QStringLiteral("RTCP compound holds two BYE packets"));
            if (body < 4 + 4 * count)
                return fail(error, QStringLiteral("RTCP BYE too short for %1 sources").arg(count));
            Bye bye;
            for (int i = 0; i < count; ++i)
                bye.ssrcs.push_back(qFromBigEndian<quint32>(p + 4 + 4 * i));
            const qsizetype rest = body - 4 - 4 * count;
            if (rest > 0) {
                const quint8 reasonLength = p[4 + 4 * count];
                if (reasonLength > rest - 1)
                    return fail(error, QStringLiteral("RTCP BYE reason exceeds the packet"));
                bye.reason =
                    QByteArray(reinterpret_cast<const char *>(p + 5 + 4 * count), reasonLength);
            }
            compound.bye = std::move(bye);
            break;
        }
        default:
            ++compound.skippedPackets;
            break;
        }
        pos += length;
    }
    return compound;
}

} // namespace softphone::rtp
