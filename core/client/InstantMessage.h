#pragma once
// A text message as the app sees it (capability `messaging`, docs/protocol.md
// "Messages"). A value; incoming ones come through Messaging::incomingMessage.

#include "protocol/FieldValidators.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace softphone::client {

struct InstantMessage
{
    QString id; // the message id (UUID) the sender chose
    QString from;
    QString text;
    protocol::Headers headers;
    QDateTime sentAt; // the service's time of acceptance, UTC
};

} // namespace softphone::client

Q_DECLARE_METATYPE(softphone::client::InstantMessage)
