#pragma once
// The caller's side of push for the CLI: posts the service's push pairs to the
// application server (PushPairSender glue) and prints one `push_sent` line
// with each device's outcome.

#include "CliSession.h"
#include "client/PushPairSender.h"

namespace softphone::cli {

// Attached to the session's current client; `pending` counts posts in flight.
client::PushPairSender *postPushPairsFor(CliSession &session, std::shared_ptr<int> pending = {},
                                         std::function<void()> onPosted = {});

} // namespace softphone::cli
