#pragma once
// Hold and resume of an established call (docs/protocol.md "Hold and
// resume"): each party holds or resumes its own side; the service keeps both
// flags on the call and tells both parties the new state as each sees it
// (`hold_state` with byYou / byPeer) whenever it changes. The call is on hold
// while either party holds it, and talks again only when neither does. The
// service does not touch the media itself: the clients stop sending and
// playing while a call is held.

#include "protocol/Message.h"

namespace softphone::server::calling {

class CallingConnection;
struct RoutedCall;

class CallHold
{
public:
    static bool handles(protocol::MessageType type);
    // `from` is a party of `call` (the router checked). True when the call
    // has just been resumed by its last holder: its media takes the parties'
    // WebSocket relay again (the router tells MediaRelay).
    static bool handle(CallingConnection *from, RoutedCall &call, const protocol::Message &message);
};

} // namespace softphone::server::calling
