// SoftphoneClient, third part: transfers (docs/protocol.md "Blind transfer",
// "Attended transfer"). The transferor's request and its report, the
// transferee's new call, and the new callee taking over the call it replaces.
// Split from SoftphoneClient.cpp to keep each file about one responsibility;
// the class and its state are the same.

#include "SoftphoneClient.h"

#include "common/Logging.h"
#include "protocol/Builders.h"

namespace softphone::client {

namespace {
const QString kReferredBy = QStringLiteral("referred-by");
const QString kReplaces = QStringLiteral("replaces");

// What the transferor is told when the new call did not connect.
QString failureCause(const Call *call)
{
    const CallDetails details = call->details();
    if (details.endCause == EndCause::Failure && details.error)
        return details.error->code;
    return endCauseName(details.endCause);
}
} // namespace

bool SoftphoneClient::sendTransfer(Call *call, const QString &to, const QString &replaces)
{
    if (replaces.isEmpty()) // blind: an error is only logged, the call goes on
        return sendCallMessage(protocol::makeTransfer(call->id(), to));
    // Attended: a refusal is the transferor's failure report.
    const QString requestId = nextRequestId();
    if (!sendCallMessage(protocol::makeTransfer(call->id(), to, requestId, replaces)))
        return false;
    m_transferRequests.insert(requestId, call->id());
    return true;
}

bool SoftphoneClient::handleTransferReply(const protocol::Message &message)
{
    const auto it = m_transferRequests.constFind(message.requestId());
    if (it == m_transferRequests.cend())
        return false;
    const QString callId = *it;
    m_transferRequests.erase(it);
    if (message.type == protocol::MessageType::Error) {
        const QString code = message.string(QLatin1StringView("code"));
        log(QtWarningMsg, QStringLiteral("transfer of call %1 refused: %2 (%3)")
                              .arg(callId, message.string(QLatin1StringView("message")), code));
        if (Call *call = m_activeCalls.value(callId))
            emit call->transferFinished(false, code);
    }
    return true;
}

void SoftphoneClient::handleTransferMessage(const protocol::Message &message, Call *call)
{
    if (!call || call->state() != CallState::Established)
        return;
    if (message.type == protocol::MessageType::TransferResult) {
        const bool connected = message.boolean(QLatin1StringView("ok"));
        qCInfo(lcCall) << "transfer of call" << call->id() << "to" << call->transferTarget()
                       << (connected ? "connected" : "failed");
        emit call->transferFinished(connected, message.string(QLatin1StringView("cause")));
        return;
    }
    emit call->transferRequested(message.string(QLatin1StringView("to")),
                                 message.string(QLatin1StringView("by")),
                                 message.string(QLatin1StringView("replaces")));
}

Call *SoftphoneClient::followTransfer(Call *call, const QString &to, const QString &by,
                                      const QString &replaces)
{
    qCInfo(lcCall) << "following the transfer of call" << call->id() << "by" << by << "to" << to
                   << (replaces.isEmpty() ? "" : "replacing") << replaces;
    protocol::Headers headers{{kReferredBy, by}};
    if (replaces.isEmpty()) {
        Call *next = callUser(to, headers);
        call->hangup();
        return next;
    }
    headers.insert(kReplaces, replaces);
    Call *next = callUser(to, headers);
    // The first call stays until the new one is answered or fails: the
    // transferor hears how it went over it.
    const QPointer<Call> first(call);
    connect(next, &Call::stateChanged, call, [first, next](CallState state) {
        if (!first || (state != CallState::Established && state != CallState::Ended))
            return;
        const bool connected = state == CallState::Established;
        first->reportTransfer(connected, connected ? QString() : failureCause(next));
        if (connected)
            first->hangup();
    });
    return next;
}

void SoftphoneClient::takeOverReplacedCall(Call *incoming)
{
    const QString replaces = incoming->headers().value(kReplaces);
    if (replaces.isEmpty())
        return;
    // Only a call of ours in progress with the user who referred the caller:
    // the call id is known to that user and the service only (it checked the
    // transfer), so a stranger cannot take a call over.
    const QPointer<Call> replaced = m_activeCalls.value(replaces);
    if (!replaced || replaced->state() != CallState::Established ||
        replaced->remoteUserId() != incoming->headers().value(kReferredBy)) {
        log(QtInfoMsg, QStringLiteral("call %1 names call %2 to replace, which is not ours in "
                                      "progress with its referrer: it rings as any other")
                           .arg(incoming->id(), replaces));
        return;
    }
    qCInfo(lcCall) << "call" << incoming->id() << "from" << incoming->remoteUserId()
                   << "replaces call" << replaces << "(attended transfer): answering";
    incoming->m_replacedCallId = replaces;
    connect(incoming, &Call::stateChanged, replaced, [replaced](CallState state) {
        if (state == CallState::Established && replaced)
            replaced->hangup();
    });
    incoming->answer();
}

} // namespace softphone::client
