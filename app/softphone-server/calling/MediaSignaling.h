#pragma once
// The UDP media signaling of an established call (docs/protocol.md "UDP
// media"): a party's trickled ICE candidates and ICE restarts go to the other
// party, rebuilt from their checked fields, within limits per generation and
// per call. Only between the caller and the device that answered: no device
// that merely rang learns a party's addresses. The service never reads more
// than the fields' form (there are no keys in them, only the DTLS
// fingerprint that binds the handshake to this signed-in signaling). In an
// echo call the caller's go to the service's own endpoint (EchoMedia).

#include "protocol/MediaDescription.h"
#include "protocol/Message.h"

#include <functional>

namespace softphone::server::calling {

class CallingConnection;
struct RoutedCall;

// Where an echo call's candidates and ICE restarts go (EchoUser).
struct EchoMedia
{
    std::function<void(const QString &callId, const QString &ufrag, const QString &line)> candidate;
    std::function<void(const QString &callId, const protocol::MediaDescription &media)> restart;
};

class MediaSignaling
{
public:
    static bool handles(protocol::MessageType type);
    // `from` is a party of `call` (the router checked).
    static void handle(CallingConnection *from, RoutedCall &call, const protocol::Message &message,
                       const EchoMedia &echo);
};

} // namespace softphone::server::calling
