#pragma once
// What relaying a push payload found out (the seed's "NotificationResult"):
// whether the payload is genuine, what it is about (a call, a message, or the
// cancel of a call) and whether it is already stale. A value; the relay returns
// it at once, before any network traffic, so an app can show a missed-call
// notice even when the service cannot be reached.
//
// The payload is the calling service's compact ES256 JWT (header typ "sp-push",
// docs/protocol.md "The push payload"). It is checked with the service's payload
// key; anything that does not verify, is not for this user or is not a known
// kind is invalid, and nothing else is read from it.

#include "protocol/FieldValidators.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace softphone::crypto {
class EcKey;
}

namespace softphone::client {

class NotificationResult
{
public:
    enum class Type { None, Call, Message, Cancel };

    bool isValid() const { return m_type != Type::None; }
    Type type() const { return m_type; }
    bool isCall() const { return m_type == Type::Call; }
    bool isMessage() const { return m_type == Type::Message; }
    bool isCancel() const { return m_type == Type::Cancel; }

    // Call id for calls and cancels, message id for messages.
    QString callId() const { return m_type == Type::Message ? QString() : m_id; }
    QString messageId() const { return m_type == Type::Message ? m_id : QString(); }
    QString remoteUserId() const { return m_from; }
    QString localUserId() const { return m_to; }
    protocol::Headers headers() const { return m_headers; }
    bool isVideoOffered() const { return m_video; }
    QDateTime expiresAt() const { return m_expiresAt; }
    // A call whose ring deadline has passed: a missed call, never a ringing one.
    bool isTimedOut() const { return m_timedOut; }
    // A cancel payload, or a call the service already reported as over.
    bool isCanceled() const { return m_canceled; }
    // Why the payload is invalid (empty when valid).
    QString error() const { return m_error; }

    // Verifies and reads a payload. expectedUser: the user this device signs in
    // as (a payload for anyone else is invalid). now: for the deadline check.
    static NotificationResult fromPayload(const QString &payload, const crypto::EcKey &payloadKey,
                                          const QString &expectedUser,
                                          const QDateTime &now = QDateTime::currentDateTimeUtc());
    static NotificationResult invalid(const QString &error);

    static QString typeName(Type type);
    // {"valid":..,"type":"call",...} for logs and the CLI.
    QJsonObject toJson() const;

    void markCanceled() { m_canceled = true; }
    void markTimedOut() { m_timedOut = true; }

private:
    Type m_type = Type::None;
    QString m_id;
    QString m_from;
    QString m_to;
    protocol::Headers m_headers;
    bool m_video = false;
    QDateTime m_expiresAt;
    bool m_timedOut = false;
    bool m_canceled = false;
    QString m_error;
};

} // namespace softphone::client

Q_DECLARE_METATYPE(softphone::client::NotificationResult)
