#pragma once
// The seam for presence across service nodes. PresenceFeed knows the calling
// connections of this node only; a bus (e.g. the Redis device location of
// issue #15) implements this interface to tell the other nodes what this node
// sees of a user, and to say what they see. Without a bus a single node is the
// whole truth and nothing implements it.

#include "protocol/PresenceStatus.h"

#include <QString>

namespace softphone::server::calling {

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
};

} // namespace softphone::server::calling
