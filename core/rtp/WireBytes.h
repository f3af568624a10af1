#pragma once
// Small helpers the RTP and RTCP codecs share: big-endian appends and the
// one way a parser refuses (the reason into *error, an empty result out).

#include <QByteArray>
#include <QString>
#include <QtEndian>
#include <optional>

namespace softphone::rtp::wire {

inline void put16(QByteArray &out, quint16 value)
{
    char buf[2];
    qToBigEndian<quint16>(value, buf);
    out.append(buf, 2);
}

inline void put32(QByteArray &out, quint32 value)
{
    char buf[4];
    qToBigEndian<quint32>(value, buf);
    out.append(buf, 4);
}

// `return refuse<T>(error, why);` in a parser returning std::optional<T>.
template<typename T> std::optional<T> refuse(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

} // namespace softphone::rtp::wire
