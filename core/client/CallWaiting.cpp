#include "CallWaiting.h"

#include "Call.h"

namespace softphone::client {

void makeWayFor(const Call *answering, const QList<Call *> &calls, WaitingAnswer how)
{
    for (Call *other : calls) {
        if (!other || other == answering || other->state() != CallState::Established)
            continue;
        if (how == WaitingAnswer::EndOthers)
            other->hangup();
        else if (!other->isHeldByMe())
            other->hold();
    }
}

} // namespace softphone::client
