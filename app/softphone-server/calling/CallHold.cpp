#include "CallHold.h"

#include "CallingConnection.h"
#include "RoutedCall.h"
#include "protocol/Builders.h"
#include "softphone-server/common/ServerLogging.h"

namespace softphone::server::calling {

using namespace protocol;

bool CallHold::handles(MessageType type)
{
    return type == MessageType::Hold || type == MessageType::Resume;
}

bool CallHold::handle(CallingConnection *from, RoutedCall &call, const Message &message)
{
    const QString re = message.requestId();
    const bool caller = from == call.caller;
    if (call.state != RoutedCall::State::Established || (!caller && from != call.answeredBy)) {
        from->sendError(ErrorCode::InvalidState,
                        QStringLiteral("call '%1' is not established on this device: only a call "
                                       "in progress can be held or resumed")
                            .arg(call.id),
                        re);
        return false;
    }
    const bool hold = message.type == MessageType::Hold;
    bool &mine = caller ? call.callerHolds : call.calleeHolds;
    const bool wasHeld = call.callerHolds || call.calleeHolds;
    const bool changed = mine != hold;
    mine = hold;
    from->send(makeOk(re));
    if (!changed)
        return false; // holding twice, or resuming what this party did not hold: nothing new
    qCInfo(lcServerCalling) << "call" << call.id << (hold ? "held" : "resumed") << "by"
                            << from->user() << from->device();
    CallingConnection *peer = caller ? call.answeredBy : call.caller; // null: the echo user
    from->send(makeHoldState(call.id, mine, caller ? call.calleeHolds : call.callerHolds));
    if (peer)
        peer->send(makeHoldState(call.id, caller ? call.calleeHolds : call.callerHolds, mine));
    return wasHeld && !call.callerHolds && !call.calleeHolds;
}

} // namespace softphone::server::calling
