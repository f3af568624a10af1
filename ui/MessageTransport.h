#pragma once
// The seam between the Messages screen and whatever carries text messages.
// The app implements it over SoftphoneClient once the client has messaging
// (docs/protocol.md "Messages"); until then no transport is set and the
// screen says that sending is not available, rather than pretending to send.

#include "storage/MessageStore.h"

#include <QDateTime>
#include <QObject>

namespace softphone::ui {

class MessageTransport : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    // Connected and allowed to send now.
    virtual bool isAvailable() const = 0;
    // messageId is a lowercase UUID chosen by the screen (stored first, so a
    // crash never loses what the user typed); the outcome comes as statusChanged.
    virtual void send(const QString &messageId, const QString &to, const QString &text) = 0;

signals:
    void availableChanged(bool available);
    void statusChanged(const QString &messageId, softphone::storage::ChatMessage::Status status);
    void received(const QString &messageId, const QString &from, const QString &text,
                  const QDateTime &sentAt);
};

} // namespace softphone::ui
