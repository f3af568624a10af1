#pragma once
// The push service's limits in one place (docs/push-channel.md explains each).

#include <chrono>

namespace softphone::server::push {

struct PushLimits
{
    int maxBody = 4096;                 // RFC 8291 one record; 413 above
    int maxTtlSeconds = 30 * 24 * 3600; // longer TTLs are lowered and the used value echoed
    int backlogCap = 150;               // per device; beyond it the oldest are dropped
    int batchSize = 10;                 // unacked messages in flight per device
    std::chrono::milliseconds devicePingMin{45000}; // app-level pings more often: close 4774
    std::chrono::milliseconds pingInterval{60000};  // server WebSocket ping
    std::chrono::milliseconds pongTimeout{30000};   // no frame this long after a ping: dead
    std::chrono::milliseconds helloTimeout{10000};
    double senderRatePerSecond = 100; // per (source address, subscription), token bucket
    double senderBurst = 1000;
    // Anonymous devices: new uaids per source address (IPv6: per /64) per window;
    // past it a hello asking for one is closed with 4774 (back off).
    int newDevicesPerAddress = 30;
    std::chrono::seconds newDeviceWindow{600};
    // Live subscriptions per device: a register past it gets status 403. As many
    // unregistered ones are kept as tombstones (410); older ones are forgotten (404).
    int maxSubscriptionsPerDevice = 32;
    // Changes waiting for push.db beyond which a push is refused (503) instead of queued:
    // memory stays bounded when the disk stalls.
    int maxQueuedChanges = 20000;
};

} // namespace softphone::server::push
