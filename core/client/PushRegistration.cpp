#include "PushRegistration.h"

#include "SoftphoneClient.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"

namespace softphone::client {

PushRegistration::PushRegistration(SoftphoneClient *client)
    : QObject(client)
    , m_client(client)
{}

bool PushRegistration::registerData(const QByteArray &data)
{
    QString problem;
    if (m_client->isTerminated())
        problem = QStringLiteral("the client was terminated");
    else if (!m_client->config().capabilities.push)
        problem = QStringLiteral("push support is off: enable ClientCapabilities::push before "
                                 "start()");
    else if (data.isEmpty())
        problem = QStringLiteral("push data is empty");
    else if (data.size() > protocol::kMaxPushDataBytes)
        problem = QStringLiteral("push data is %1 bytes; at most %2 are allowed")
                      .arg(data.size())
                      .arg(protocol::kMaxPushDataBytes);
    if (!problem.isEmpty()) {
        m_client->log(QtWarningMsg, QStringLiteral("push registration refused: %1").arg(problem));
        QMetaObject::invokeMethod(
            this, [this, problem] { emit registrationFailed(problem); }, Qt::QueuedConnection);
        return false;
    }
    m_data = data;
    m_intent = Intent::Register;
    if (m_client->m_authenticated)
        send();
    return true;
}

bool PushRegistration::unregisterData()
{
    if (m_client->isTerminated() || !m_client->config().capabilities.push) {
        const QString problem = m_client->isTerminated()
                                    ? QStringLiteral("the client was terminated")
                                    : QStringLiteral("push support is off");
        QMetaObject::invokeMethod(
            this, [this, problem] { emit unregistrationFailed(problem); }, Qt::QueuedConnection);
        return false;
    }
    m_data.clear();
    m_intent = Intent::Unregister;
    if (m_client->m_authenticated)
        send();
    return true;
}

void PushRegistration::send()
{
    m_requestId = m_client->nextRequestId();
    m_client->send(m_intent == Intent::Register ? protocol::makePushRegister(m_data, m_requestId)
                                                : protocol::makePushUnregister(m_requestId));
}

void PushRegistration::afterWelcome()
{
    // The registration is the device's: every new session states it again.
    if (m_intent != Intent::None && m_client->config().capabilities.push)
        send();
}

bool PushRegistration::handleReply(const protocol::Message &message)
{
    const QString re = message.requestId();
    if (re.isEmpty() || re != m_requestId)
        return false;
    m_requestId.clear();
    const bool ok = message.type == protocol::MessageType::Ok;
    const QString error = SoftphoneClient::replyError(message);
    const bool registering = m_intent == Intent::Register;
    if (!ok)
        m_client->log(QtWarningMsg,
                      QStringLiteral("push %1 refused: %2")
                          .arg(registering ? "registration" : "unregistration", error));
    if (!registering) {
        if (ok) {
            m_intent = Intent::None;
            emit unregistered();
        } else {
            emit unregistrationFailed(error);
        }
        return true;
    }
    if (ok) {
        emit registered();
    } else {
        m_intent = Intent::None; // refused data is not sent again
        m_data.clear();
        emit registrationFailed(error);
    }
    return true;
}

} // namespace softphone::client
