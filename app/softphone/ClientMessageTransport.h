#pragma once
// The Messages screen's transport over SoftphoneClient (capability
// `messaging`, docs/protocol.md "Messages").
//
// The screen stores a message under its own id before sending (so nothing the
// user typed is lost); the client picks the wire id itself. This class maps the
// two for the life of the app: a status for a message sent before a restart
// has no screen id any more and is ignored (the message then stays "sent").

#include "ui/MessageTransport.h"

#include <QHash>
#include <QPointer>

namespace softphone::client {
class SoftphoneClient;
struct InstantMessage;
} // namespace softphone::client

namespace softphone::app {

class ClientMessageTransport : public ui::MessageTransport
{
    Q_OBJECT

public:
    // Not owned; the transport goes unavailable when the client goes away.
    explicit ClientMessageTransport(client::SoftphoneClient *client, QObject *parent = nullptr);

    bool isAvailable() const override;
    void send(const QString &messageId, const QString &to, const QString &text) override;

    // The screen's id for a wire id, empty when unknown (tests, logs).
    QString screenId(const QString &wireId) const { return m_screenIds.value(wireId); }

private:
    void onConnectionChanged();
    void onStatus(const QString &wireId, storage::ChatMessage::Status status);
    void onIncoming(const client::InstantMessage &message);

    QPointer<client::SoftphoneClient> m_client;
    QHash<QString, QString> m_screenIds; // wire id -> screen id
    bool m_available = false;
};

} // namespace softphone::app
