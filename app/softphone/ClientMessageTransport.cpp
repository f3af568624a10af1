#include "ClientMessageTransport.h"

#include "AppLogging.h"
#include "client/SoftphoneClient.h"

namespace softphone::app {

using Status = storage::ChatMessage::Status;
using client::Messaging;
using client::SoftphoneClient;

ClientMessageTransport::ClientMessageTransport(SoftphoneClient *client, QObject *parent)
    : ui::MessageTransport(parent)
    , m_client(client)
{
    connect(client, &SoftphoneClient::connectionStateChanged, this,
            &ClientMessageTransport::onConnectionChanged);
    connect(client, &SoftphoneClient::destroyed, this,
            &ClientMessageTransport::onConnectionChanged);
    connect(client->messaging(), &Messaging::messageSent, this,
            [this](const QString &id, const QString &) { onStatus(id, Status::Sent); });
    connect(client->messaging(), &Messaging::messageDelivered, this,
            [this](const QString &id, const QString &) { onStatus(id, Status::Delivered); });
    connect(client->messaging(), &Messaging::messageFailed, this,
            [this](const QString &id, const QString &recipient, const QString &error) {
                qCWarning(lcApp) << "message" << id << "to" << recipient << "failed:" << error;
                onStatus(id, Status::Failed);
            });
    connect(client->messaging(), &Messaging::incomingMessage, this,
            &ClientMessageTransport::onIncoming);
    m_available = isAvailable();
}

bool ClientMessageTransport::isAvailable() const
{
    return m_client && m_client->config().capabilities.messaging &&
           m_client->connectionState() == SoftphoneClient::ConnectionState::Connected;
}

void ClientMessageTransport::send(const QString &messageId, const QString &to, const QString &text)
{
    if (!m_client) {
        // Nothing can carry it: say so at once rather than leave it "sending".
        emit statusChanged(messageId, Status::Failed);
        return;
    }
    // A refusal (bad input, offline) comes back queued as messageFailed, so the
    // mapping is in place before any outcome for this id can arrive.
    const QString wireId = m_client->messaging()->send({to}, text);
    m_screenIds.insert(wireId, messageId);
}

void ClientMessageTransport::onConnectionChanged()
{
    const bool available = isAvailable();
    if (available == m_available)
        return;
    m_available = available;
    emit availableChanged(available);
}

void ClientMessageTransport::onStatus(const QString &wireId, Status status)
{
    const QString screenId = m_screenIds.value(wireId);
    if (screenId.isEmpty())
        return; // sent before this app started, or by another device of ours
    // One recipient per message from this screen: its last word is final
    // except "sent", which "delivered" may still follow.
    if (status != Status::Sent)
        m_screenIds.remove(wireId);
    emit statusChanged(screenId, status);
}

void ClientMessageTransport::onIncoming(const client::InstantMessage &message)
{
    emit received(message.id, message.from, message.text,
                  message.sentAt.isValid() ? message.sentAt : QDateTime::currentDateTimeUtc());
}

} // namespace softphone::app
