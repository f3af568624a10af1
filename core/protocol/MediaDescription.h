#pragma once
// What a call's `media` field says about one endpoint of voice (docs/protocol.md
// "UDP media"): its ICE credentials (absent for an endpoint that takes only the
// WebSocket relay) and the fingerprint of its DTLS certificate with its DTLS
// role (always: the voice is SRTP on every path), the RTP payload type on
// which it takes keypad digits as telephone events (RFC 4733; absent: it takes
// them only as in-band tones), and the Opus frame durations it can send and
// receive (10 ms besides 20: "10 ms frames" in docs/media.md). The decoder
// checks it with
// fromJson; the calling service forwards only toJson() of what it parsed, so
// nothing but these bounded fields travels from one party to the other.

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <optional>

namespace softphone::protocol {

inline constexpr int kMediaVersion = 1;
inline constexpr int kMaxIceUfragChars = 256; // RFC 8445 15.4: ufrag 4-256, pwd 22-256
inline constexpr int kMaxIcePwdChars = 256;
inline constexpr int kMaxCandidateChars = 512;
inline constexpr int kMaxFrameDurations = 4;           // entries of opus.frameMs
inline constexpr int kTelephoneEventPayloadType = 101; // what our endpoints offer

struct MediaDescription
{
    QString iceUfrag; // both empty: no ICE, the WebSocket relay only
    QString icePwd;
    QString fingerprint;    // "sha-256 AB:CD:..." (RFC 8122)
    QString setup;          // "actpass" in the offer, "active" in the answer
    int telephoneEvent = 0; // RTP payload type 96-127 for telephone-event/48000; 0: none
    // Opus frame durations (ms) this endpoint takes besides 20; empty: 20 only
    // (`opus.frameMs` absent, as from clients before #13).
    QList<int> frameMs;

    QJsonObject toJson() const;
    // nullopt with *why (naming the sub-field) when it breaks a rule.
    static std::optional<MediaDescription> fromJson(const QJsonValue &value,
                                                    QString *why = nullptr);
    bool operator==(const MediaDescription &) const = default;
    bool hasIce() const { return !iceUfrag.isEmpty(); }
    bool takesFrameMs(int ms) const { return ms == 20 || frameMs.contains(ms); }
};

// ICE characters (ALPHA / DIGIT / "+" / "/"), 4-256 of them.
bool isValidIceUfrag(QStringView ufrag);
// "candidate:..." or "a=candidate:...", 1-512 printable ASCII characters
// (the ICE agent parses the rest).
bool isValidCandidateLine(QStringView line);

} // namespace softphone::protocol
