#pragma once
// The seam for presence across service nodes. PresenceFeed knows the calling
// connections of this node only; a bus (ClusterPresence, on Redis with
// --bus) implements this interface to tell the other nodes what this node
// sees of a user, and to say what they see. Without a bus a single node is the
// whole truth and nothing implements it.

#include "protocol/PresenceStatus.h"

#include <QString>

namespace softphone::server::calling {

// Online over DoNotDisturb over Offline: one reachable device makes the user
// online, on whichever node it is.
inline protocol::PresenceStatus strongest(protocol::PresenceStatus a, protocol::PresenceStatus b)
{
    auto rank = [](protocol::PresenceStatus s) {
        return s == protocol::PresenceStatus::Online         ? 2
               : s == protocol::PresenceStatus::DoNotDisturb ? 1
                                                             : 0;
    };
    return rank(a) >= rank(b) ? a : b;
}

class PresenceBus
{
public:
    virtual ~PresenceBus() = default;
    // This node's status of `user` changed (already coalesced, at most one call
    // per user per kPresenceCoalesceMs): publish it to the other nodes.
    virtual void publish(const QString &user, protocol::PresenceStatus onThisNode) = 0;
    // The strongest status the other nodes report for `user` (Online over
    // DoNotDisturb over Offline); Offline when no other node has it.
    virtual protocol::PresenceStatus elsewhere(const QString &user) const = 0;
    // `user` has watchers on this node now / no more: the bus keeps what the
    // other nodes say of the watched users only, and calls
    // PresenceFeed::changedElsewhere() when that changes (also right after
    // watch(), once it knows).
    virtual void watch(const QString &user) = 0;
    virtual void unwatch(const QString &user) = 0;
};

} // namespace softphone::server::calling
