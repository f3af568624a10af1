#pragma once
// The numbers of docs/protocol.md, declared once: size limits, timers and close codes.

#include <QtGlobal>

namespace softphone::protocol {

inline constexpr auto kSubprotocol = "softphone.v1";
inline constexpr auto kCallingPath = "/v1/calling";
// The reserved user the service answers itself, echoing the caller's media
// (docs/protocol.md "Echo user"); the Settings page's test call.
inline constexpr auto kEchoUserId = "echo";

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

// Amplification and storage bounds of the calling service (docs/security.md
// "Calling service"). Calls a connection placed or answered that are still
// ringing or established:
inline constexpr int kMaxCallsPerConnection = 4;
// `call` requests per user over all their connections: 5/s, burst 20.
inline constexpr int kCallsPerUserPerSecond = 5;
inline constexpr int kCallsPerUserBurst = 20;
// Push registrations kept per user; a new device beyond it prunes the one that
// registered least recently.
inline constexpr int kMaxPushRegistrationsPerUser = 10;
// Messages stored for one recipient and not yet acknowledged (count, bytes of
// text and headers); one sender may fill at most a quarter of it.
inline constexpr int kMaxPendingMessages = 1000;
inline constexpr qint64 kMaxPendingMessageBytes = 4 * 1024 * 1024;
inline constexpr int kPendingSenderShare = 4;
// Stored messages sent to a device that connects, per event-loop turn.
inline constexpr int kPendingDeliveryBatch = 50;

// UDP media signaling, per party of a call (docs/protocol.md "UDP media"):
// trickled candidates of one ICE generation, and ICE restarts (media_update).
inline constexpr int kMaxCandidatesPerGeneration = 64;
inline constexpr int kMaxIceRestartsPerCall = 16;

// Presence (docs/protocol.md "Presence"): users one connection may watch, the
// shortest time between two events about one user (a flapping device's changes
// in between are folded into one), and subscribe requests a connection may make
// per minute.
inline constexpr int kMaxPresenceUsers = 500;
inline constexpr int kPresenceCoalesceMs = 1000;
inline constexpr int kPresenceSubscribesPerMinute = 30;

// WebSocket close codes used by the calling service (4000-4999 is the private range).
enum CloseCode : quint16 {
    CloseUnauthorized = 4401,   // bad or expired token
    CloseAccountRevoked = 4403, // the account was disabled or removed
    CloseAuthTimeout = 4408,    // no hello within kAuthTimeoutSeconds
    CloseReplaced = 4409,       // same (user, device) connected again
    CloseRateLimited = 4429,    // kept flooding after error rate_limited
    CloseUnavailable = 4503,    // the account database is unavailable: try again later
};

} // namespace softphone::protocol
