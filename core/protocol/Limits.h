#pragma once
// The numbers of docs/protocol.md, declared once: size limits, timers and close codes.

#include <QtGlobal>

namespace softphone::protocol {

inline constexpr auto kSubprotocol = "softphone.v1";
inline constexpr auto kCallingPath = "/v1/calling";

inline constexpr qint64 kMaxControlMessageBytes = 65536; // frame and message, WebSocket layer
inline constexpr qint64 kMaxHeadersBytes = 1024;         // all header keys and values, UTF-8
inline constexpr qint64 kMaxPushDataBytes = 1024;        // decoded push data
inline constexpr qint64 kMaxTextBytes = 8192;            // message text, UTF-8
inline constexpr int kMaxRequestIdChars = 64;
inline constexpr int kMaxUserIdBytes = 255;
inline constexpr int kMaxDeviceIdBytes = 64;
inline constexpr int kMaxHeaderKeyChars = 64;
inline constexpr int kMaxTokenChars = 8192;
inline constexpr int kMaxRecipients = 100;
inline constexpr int kMaxPushPairs = 64;

inline constexpr int kPingIntervalSeconds = 20;
inline constexpr int kDeadPeerSeconds = 45;
inline constexpr int kAuthTimeoutSeconds = 10;
inline constexpr int kDefaultRingTimeoutSeconds = 45;
inline constexpr int kTokenExpiringNoticeSeconds = 60;

// Rate limit per connection: 50 messages/s averaged over 2 s, burst 100.
inline constexpr int kRateLimitPerSecond = 50;
inline constexpr int kRateLimitBurst = 100;

// WebSocket close codes used by the calling service (4000-4999 is the private range).
enum CloseCode : quint16 {
    CloseUnauthorized = 4401, // bad or expired token
    CloseAuthTimeout = 4408,  // no hello within kAuthTimeoutSeconds
    CloseReplaced = 4409,     // same (user, device) connected again
    CloseRateLimited = 4429,  // kept flooding after error rate_limited
};

} // namespace softphone::protocol
