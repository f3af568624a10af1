#include "MediaFrame.h"

#include "MediaFormat.h"
#include "TelephoneEvent.h"

#include <QtEndian>
#include <opus.h>

namespace softphone::media {

namespace {
std::optional<MediaFrame> fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}
} // namespace

QByteArray MediaFrame::encode() const
{
    if (payload.isEmpty() || payload.size() > kMaxPayloadSize)
        return {};
    QByteArray out;
    out.reserve(kMinHeaderSize + 1 + payload.size());
    const quint8 flags = (marker ? kFlagMarker : 0) | (streamId ? kFlagStreamId : 0) |
                         (telephoneEvent ? kFlagTelephoneEvent : 0);
    out.append(char((kVersion << 4) | flags));
    if (streamId)
        out.append(char(*streamId));
    char buf[4];
    qToBigEndian<quint16>(sequence, buf);
    out.append(buf, 2);
    qToBigEndian<quint32>(timestamp, buf);
    out.append(buf, 4);
    qToBigEndian<quint16>(quint16(payload.size()), buf);
    out.append(buf, 2);
    out.append(payload);
    return out;
}

std::optional<MediaFrame> MediaFrame::decode(const QByteArray &wire, QString *error)
{
    const auto *p = reinterpret_cast<const uchar *>(wire.constData());
    const qsizetype size = wire.size();
    if (size < kMinHeaderSize)
        return fail(error, QStringLiteral("media frame too short (%1 bytes)").arg(size));
    const quint8 version = p[0] >> 4;
    const quint8 flags = p[0] & 0x0f;
    if (version != kVersion)
        return fail(error, QStringLiteral("unsupported media frame version %1").arg(version));
    if (flags & ~kKnownFlags)
        return fail(error, QStringLiteral("unknown media frame flags 0x%1").arg(flags, 0, 16));
    MediaFrame frame;
    qsizetype pos = 1;
    if (flags & kFlagStreamId) {
        if (size < kMinHeaderSize + 1)
            return fail(error, QStringLiteral("media frame too short for its stream id"));
        frame.streamId = p[pos++];
    }
    frame.marker = flags & kFlagMarker;
    frame.telephoneEvent = flags & kFlagTelephoneEvent;
    frame.sequence = qFromBigEndian<quint16>(p + pos);
    pos += 2;
    frame.timestamp = qFromBigEndian<quint32>(p + pos);
    pos += 4;
    const quint16 length = qFromBigEndian<quint16>(p + pos);
    pos += 2;
    if (length == 0 || length > kMaxPayloadSize)
        return fail(error, QStringLiteral("media payload length %1 out of range").arg(length));
    if (size - pos != length)
        return fail(error, QStringLiteral("media frame holds %1 payload bytes, header says %2")
                               .arg(size - pos)
                               .arg(length));
    frame.payload = wire.mid(pos);
    if (frame.telephoneEvent) {
        QString why;
        if (!TelephoneEvent::decode(frame.payload, &why))
            return fail(error, why);
        return frame;
    }
    // The payload must parse as an Opus packet; the decoder never sees garbage.
    const uchar *frames[48];
    opus_int16 sizes[48];
    if (opus_packet_parse(p + pos, length, nullptr, frames, sizes, nullptr) <= 0)
        return fail(error, QStringLiteral("media payload is not a valid Opus packet"));
    return frame;
}

int MediaFrame::durationSamples() const
{
    const int n =
        opus_packet_get_nb_samples(reinterpret_cast<const unsigned char *>(payload.constData()),
                                   opus_int32(payload.size()), kSampleRate);
    return n > 0 ? n : 0;
}

} // namespace softphone::media
