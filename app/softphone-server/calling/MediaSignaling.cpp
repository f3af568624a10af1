#include "MediaSignaling.h"

#include "CallingConnection.h"
#include "RoutedCall.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"

namespace softphone::server::calling {

using namespace protocol;

bool MediaSignaling::handles(MessageType type)
{
    return type == MessageType::Candidate || type == MessageType::MediaUpdate;
}

void MediaSignaling::handle(CallingConnection *from, RoutedCall &call, const Message &message,
                            const EchoMedia &echo)
{
    const QString re = message.requestId();
    // The echo user answers as the service's own endpoint (no device).
    const bool toEcho = !call.answeredBy && call.to == QLatin1StringView(kEchoUserId) &&
                        from == call.caller && echo.candidate && echo.restart;
    if (call.state != RoutedCall::State::Established || (!call.answeredBy && !toEcho)) {
        from->sendError(ErrorCode::InvalidState,
                        QStringLiteral("call '%1' is not established: media signaling goes only "
                                       "to the device that answered")
                            .arg(call.id),
                        re);
        return;
    }
    const bool fromCaller = from == call.caller;
    MediaSide &side = fromCaller ? call.callerMedia : call.calleeMedia;
    const MediaSide &other = fromCaller ? call.calleeMedia : call.callerMedia;
    CallingConnection *peer = fromCaller ? call.answeredBy : call.caller;
    // A party without ICE (relay only, an echo without a free ICE slot) has no
    // candidates to trade.
    if (!side.description || !other.description || (!peer && !toEcho) ||
        !side.description->hasIce() || !other.description->hasIce()) {
        from->sendError(
            ErrorCode::InvalidState,
            QStringLiteral("call '%1' has no UDP media: a party offered none").arg(call.id), re);
        return;
    }
    if (message.type == MessageType::MediaUpdate) {
        const auto update = message.media();
        if (++side.restarts > kMaxIceRestartsPerCall) {
            from->sendError(
                ErrorCode::TooLarge,
                QStringLiteral("more than %1 ICE restarts in one call").arg(kMaxIceRestartsPerCall),
                re);
            return;
        }
        if (!update->hasIce()) {
            from->sendError(ErrorCode::BadRequest,
                            QStringLiteral("an ICE restart needs 'media.ice'"), re);
            return;
        }
        if (update->fingerprint != side.description->fingerprint ||
            update->setup != side.description->setup) {
            from->sendError(ErrorCode::BadRequest,
                            QStringLiteral("an ICE restart keeps the DTLS fingerprint and setup"),
                            re);
            return;
        }
        side.description = update;
        side.candidates = 0;
        if (toEcho)
            echo.restart(call.id, *update);
        else
            peer->send(makeRemoteMediaUpdate(call.id, *update));
        return;
    }
    const QString ufrag = message.string(QLatin1StringView("ufrag"));
    if (ufrag != side.description->iceUfrag) {
        from->sendError(
            ErrorCode::InvalidState,
            QStringLiteral("ufrag '%1' is not this party's current ICE generation").arg(ufrag), re);
        return;
    }
    const QString line = message.string(QLatin1StringView("candidate"));
    if (!line.isEmpty() && ++side.candidates > kMaxCandidatesPerGeneration) {
        from->sendError(ErrorCode::TooLarge,
                        QStringLiteral("more than %1 candidates in one ICE generation")
                            .arg(kMaxCandidatesPerGeneration),
                        re);
        return;
    }
    if (toEcho)
        echo.candidate(call.id, ufrag, line);
    else
        peer->send(makeRemoteCandidate(call.id, ufrag, line));
}

} // namespace softphone::server::calling
