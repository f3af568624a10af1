#pragma once
// A keypad digit as an RTP telephone event (RFC 4733 2.3): the event code
// (0-9, * = 10, # = 11, A-D = 12-15), the end bit, the volume (0 to -63 dBm0)
// and the duration so far in timestamp units (48 kHz here, the clock of the
// call's audio). Every packet of one event has the same timestamp, its start;
// the duration grows, and the last packet, with the end bit, is sent three
// times. This is the 4-byte payload: it travels in a MediaFrame whose
// telephoneEvent flag is set, as RTP with the negotiated payload type.

#include <QByteArray>
#include <QChar>
#include <QString>
#include <cstdint>
#include <optional>

namespace softphone::media {

struct TelephoneEvent
{
    static constexpr int kSize = 4;
    static constexpr quint8 kMaxEvent = 15;  // the 16 DTMF events; others are refused
    static constexpr quint8 kMaxVolume = 63; // -dBm0

    quint8 event = 0;
    bool end = false;
    quint8 volume = 10; // -10 dBm0
    quint16 duration = 0;

    QByteArray encode() const;
    // Refuses anything but exactly 4 bytes with a DTMF event and the reserved bit clear.
    static std::optional<TelephoneEvent> decode(const QByteArray &payload,
                                                QString *error = nullptr);
    // '0'-'9', '*', '#', 'A'-'D' (a-d too) -> 0-15; nullopt for anything else.
    static std::optional<quint8> eventOf(QChar digit);
    // 0-15 -> the digit; a null QChar past 15.
    static QChar digitOf(quint8 event);
};

} // namespace softphone::media
