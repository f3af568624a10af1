#include "CallTypes.h"

namespace softphone::client {

QString endCauseName(EndCause cause)
{
    switch (cause) {
    case EndCause::None:
        return QStringLiteral("none");
    case EndCause::Denied:
        return protocol::endCauseName(protocol::EndCause::Denied);
    case EndCause::NoAnswer:
        return protocol::endCauseName(protocol::EndCause::NoAnswer);
    case EndCause::Timeout:
        return protocol::endCauseName(protocol::EndCause::Timeout);
    case EndCause::Canceled:
        return protocol::endCauseName(protocol::EndCause::Canceled);
    case EndCause::HungUp:
        return protocol::endCauseName(protocol::EndCause::HungUp);
    case EndCause::Failure:
        return protocol::endCauseName(protocol::EndCause::Failure);
    case EndCause::OtherDeviceAnswered:
        return protocol::endCauseName(protocol::EndCause::OtherDeviceAnswered);
    }
    return QStringLiteral("none");
}

EndCause endCauseFromProtocol(protocol::EndCause cause)
{
    switch (cause) {
    case protocol::EndCause::Denied:
        return EndCause::Denied;
    case protocol::EndCause::NoAnswer:
        return EndCause::NoAnswer;
    case protocol::EndCause::Canceled:
        return EndCause::Canceled;
    case protocol::EndCause::HungUp:
        return EndCause::HungUp;
    case protocol::EndCause::Failure:
        return EndCause::Failure;
    case protocol::EndCause::OtherDeviceAnswered:
        return EndCause::OtherDeviceAnswered;
    case protocol::EndCause::Timeout:
        return EndCause::Timeout;
    }
    return EndCause::Failure;
}

QString callStateName(CallState state)
{
    switch (state) {
    case CallState::Initiating:
        return QStringLiteral("initiating");
    case CallState::Progressing:
        return QStringLiteral("progressing");
    case CallState::Established:
        return QStringLiteral("established");
    case CallState::Ended:
        return QStringLiteral("ended");
    }
    return {};
}

} // namespace softphone::client
