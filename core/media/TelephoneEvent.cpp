#include "TelephoneEvent.h"

#include <QtEndian>

namespace softphone::media {

namespace {
constexpr char kDigits[] = "0123456789*#ABCD";
constexpr quint8 kEndBit = 0x80;
constexpr quint8 kReservedBit = 0x40;
} // namespace

QByteArray TelephoneEvent::encode() const
{
    QByteArray out(kSize, Qt::Uninitialized);
    out[0] = char(event);
    out[1] = char((end ? kEndBit : 0) | (volume & kMaxVolume));
    qToBigEndian<quint16>(duration, out.data() + 2);
    return out;
}

std::optional<TelephoneEvent> TelephoneEvent::decode(const QByteArray &payload, QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<TelephoneEvent> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (payload.size() != kSize)
        return fail(QStringLiteral("telephone event of %1 bytes, not 4").arg(payload.size()));
    const auto *p = reinterpret_cast<const uchar *>(payload.constData());
    if (p[0] > kMaxEvent)
        return fail(QStringLiteral("telephone event %1 is not a keypad digit").arg(p[0]));
    if (p[1] & kReservedBit)
        return fail(QStringLiteral("telephone event with the reserved bit set"));
    TelephoneEvent e;
    e.event = p[0];
    e.end = p[1] & kEndBit;
    e.volume = p[1] & kMaxVolume;
    e.duration = qFromBigEndian<quint16>(p + 2);
    return e;
}

std::optional<quint8> TelephoneEvent::eventOf(QChar digit)
{
    const QChar upper = digit.toUpper();
    for (quint8 i = 0; i <= kMaxEvent; ++i) {
        if (upper == QLatin1Char(kDigits[i]))
            return i;
    }
    return std::nullopt;
}

QChar TelephoneEvent::digitOf(quint8 event)
{
    return event <= kMaxEvent ? QChar(QLatin1Char(kDigits[event])) : QChar();
}

} // namespace softphone::media
