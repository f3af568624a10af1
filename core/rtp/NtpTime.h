#pragma once
// NTP timestamps as RTCP uses them (RFC 3550 section 4): 32.32 fixed-point
// seconds since 1900, and the "middle 32 bits" (16.16) that LSR, DLSR and the
// round-trip time are counted in.

#include <QtGlobal>

namespace softphone::rtp::ntp {

constexpr quint64 kUnixEpochOffsetSeconds = 2208988800ull; // 1900-01-01 to 1970-01-01

// Microseconds since the Unix epoch to an NTP timestamp.
constexpr quint64 fromUnixMicroseconds(qint64 us)
{
    const quint64 seconds = quint64(us / 1000000) + kUnixEpochOffsetSeconds;
    const quint64 fraction = (quint64(us % 1000000) << 32) / 1000000;
    return (seconds << 32) | fraction;
}

// The middle 32 bits: 16 bits of seconds and 16 bits of fraction.
constexpr quint32 middle32(quint64 ntp)
{
    return quint32(ntp >> 16);
}

// A duration in microseconds as 1/65536 s units (DLSR), and back.
constexpr quint32 toShortUnits(qint64 us)
{
    return us <= 0 ? 0 : quint32((quint64(us) << 16) / 1000000);
}
constexpr double shortUnitsToMs(quint32 units)
{
    return double(units) * 1000.0 / 65536.0;
}

} // namespace softphone::rtp::ntp
