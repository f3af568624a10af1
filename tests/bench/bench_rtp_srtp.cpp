// UDP media per-packet cost (printed, never asserted): thread CPU per packet
// of RTP build + parse (with the Opus payload check), SRTP protect +
// unprotect for each profile, and SRTCP for a report. A call sends 50
// packets a second and receives 50: each figure is one packet's work on both
// ends (build + parse, protect + unprotect), so a call costs 50 of them a
// second: "% of a core per call" = per-packet seconds * 50 * 100.
#include "ThreadCpuTime.h"
#include "rtp/OpusRtp.h"
#include "rtp/RtcpSession.h"
#include "rtp/RtpPacket.h"
#include "rtp/SrtpSession.h"

#include <QByteArray>
#include <cstdio>
#include <ctime>

using namespace softphone;
using namespace softphone::rtp;

namespace {
using bench::threadCpuSeconds;

// A 60-byte payload with a valid Opus TOC (code 0, 20 ms SILK WB): the size of 24 kb/s voice.
QByteArray opusLike()
{
    QByteArray payload(60, '\x55');
    payload[0] = char(0x48);
    return payload;
}

void report(const char *what, double seconds, int packets)
{
    const double perPacketUs = seconds / packets * 1e6;
    std::printf("%-70s %8.3f us/packet  %6.4f %% of a core per call\n", what, perPacketUs,
                perPacketUs * 50 / 1e6 * 100);
}

void rtpBuildParse(int packets)
{
    media::MediaFrame frame;
    frame.payload = opusLike();
    volatile qsizetype sink = 0;
    const double start = threadCpuSeconds();
    for (int i = 0; i < packets; ++i) {
        frame.sequence = quint16(i);
        frame.timestamp = quint32(960 * i);
        const QByteArray wire = opus::fromMediaFrame(frame, 0x1234).serialize();
        const auto parsed = RtpPacket::parse(wire);
        const auto back = opus::toMediaFrame(*parsed);
        sink = sink + back->payload.size();
    }
    report("RTP build + parse + Opus check", threadCpuSeconds() - start, packets);
}

void srtp(SrtpProfile profile, int packets)
{
    if (!SrtpSession::isSupported(profile)) {
        std::printf("%-70s not in this libsrtp2\n", qPrintable(SrtpSession::profileName(profile)));
        return;
    }
    const QByteArray a(SrtpSession::keySaltSize(profile), 'a');
    const QByteArray b(SrtpSession::keySaltSize(profile), 'b');
    auto alice = SrtpSession::create({profile, a, b});
    auto bob = SrtpSession::create({profile, b, a});
    RtpPacket p;
    p.payloadType = 111;
    p.ssrc = 0x1234;
    p.payload = opusLike();
    int failures = 0;
    const double start = threadCpuSeconds();
    for (int i = 0; i < packets; ++i) {
        p.sequence = quint16(i);
        p.timestamp = quint32(960 * i);
        QByteArray wire = p.serialize();
        if (!alice->protectRtp(wire) || !bob->unprotectRtp(wire))
            ++failures;
    }
    const double seconds = threadCpuSeconds() - start;
    const QByteArray label = "SRTP protect + unprotect (incl. RTP build), " +
                             SrtpSession::profileName(profile).toLatin1();
    report(label.constData(), seconds, packets);
    if (failures)
        std::printf("  %d failures!\n", failures);
}

void srtcpReports(int reports)
{
    const QByteArray k(SrtpSession::keySaltSize(SrtpProfile::AesCm128HmacSha1_80), 'k');
    auto alice = SrtpSession::create({SrtpProfile::AesCm128HmacSha1_80, k, k});
    auto bob = SrtpSession::create({SrtpProfile::AesCm128HmacSha1_80, k, k});
    RtcpSession session(0x1234, "alice@laptop");
    const double start = threadCpuSeconds();
    for (int i = 0; i < reports; ++i) {
        QByteArray wire =
            session.makeReport(1'796'000'000'000'000 + qint64(i) * 5'000'000).serialize();
        alice->protectRtcp(wire);
        bob->unprotectRtcp(wire);
        const auto parsed = RtcpCompound::parse(wire);
        if (parsed)
            session.onRtcpReceived(*parsed, 1'796'000'000'000'000 + qint64(i) * 5'000'000);
    }
    const double seconds = threadCpuSeconds() - start;
    std::printf("%-70s %8.3f us/report (one every 5 s each way)\n",
                "RTCP report + SRTCP protect/unprotect + parse", seconds / reports * 1e6);
}
} // namespace

int main(int argc, char **argv)
{
    const int packets = argc > 1 ? std::atoi(argv[1]) : 200000;
    rtpBuildParse(packets);
    srtp(SrtpProfile::AesCm128HmacSha1_80, packets);
    srtp(SrtpProfile::AeadAes128Gcm, packets);
    srtcpReports(packets / 10);
    return 0;
}
