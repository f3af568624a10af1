#pragma once
// What the push service keeps: devices (uaids), subscriptions (endpoint token ->
// uaid + channel, with tombstones so a dead endpoint answers 410), and the
// messages not yet acknowledged. One interface for both engines (SqlPushStore: the
// embedded SQLite file or a shared PostgreSQL database). A read that fails because
// the database is unavailable says so in *error, so callers answer "try again"
// rather than "not found".

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace softphone::server::push {

class PushStore
{
public:
    struct Subscription
    {
        QString token; // the secret part of the endpoint URL
        QString uaid;
        QString channelId;
        QByteArray vapidKey; // raw 65 bytes; empty = unrestricted
        bool gone = false;   // unregistered: the endpoint answers 410
    };

    struct Message
    {
        qint64 seq = 0;  // delivery order per device: given by the store when it is stored
        QString version; // opaque id, also the Location's last segment
        QString uaid;
        QString channelId;
        QByteArray data; // the aes128gcm body as received
        QString topic;
        QString urgency;
        qint64 expiresMs = 0; // wall clock ms; never delivered at or after this
    };

    virtual ~PushStore() = default;

    virtual bool deviceExists(const QString &uaid, QString *error = nullptr) = 0;
    virtual bool addDevice(const QString &uaid) = 0;

    virtual std::optional<Subscription> subscriptionByToken(const QString &token,
                                                            QString *error = nullptr) = 0;
    // The live (not gone) subscription of this device's channel, if any.
    virtual std::optional<Subscription> subscriptionByChannel(const QString &uaid,
                                                              const QString &channelId,
                                                              QString *error = nullptr) = 0;
    enum class AddResult { Added, Full, Failed };
    // Stores the subscription unless its device already has maxLive live ones (Full).
    virtual AddResult addSubscription(const Subscription &subscription, int maxLive) = 0;
    // Tombstones the subscription and drops its undelivered messages; of the device's
    // tombstones only the newest keepTombstones are kept (older endpoints then 404).
    virtual bool markGone(const QString &uaid, const QString &channelId, int keepTombstones) = 0;

    // Stores a message: replaces an undelivered one with the same topic on the same
    // channel, and drops the device's oldest messages beyond backlogCap. The database
    // numbers it (message.seq is ignored): one sequence for every node sharing the
    // database, so nodes never collide. Returns the seq, or nullopt on failure;
    // *dropped counts the messages dropped for the cap. Outside a batch the commit is
    // fsynced before it returns.
    virtual std::optional<qint64> storeMessage(const Message &message, int backlogCap,
                                               int *dropped) = 0;
    // The device's oldest unexpired messages, at most `limit`, oldest (lowest seq)
    // first. A reader skips those it already sent itself: with several nodes
    // storing, a lower seq may commit after a higher one was read.
    virtual QList<Message> pendingMessages(const QString &uaid, int limit, qint64 nowMs,
                                           QString *error = nullptr) = 0;
    // Removes one message of the device (ack/nack); false if there was none.
    virtual bool deleteMessage(const QString &uaid, const QString &version) = 0;
    // Removes a message by its version alone (the sender's DELETE on the Location).
    virtual bool deleteMessageByVersion(const QString &version) = 0;
    virtual int purgeExpired(qint64 nowMs) = 0;

    // A batch: every change until commitBatch() is one transaction (one fsync). Each
    // change above stays atomic on its own inside it.
    virtual bool beginBatch() = 0;
    virtual bool commitBatch() = 0;
    virtual void rollbackBatch() = 0;

    virtual QString lastError() const = 0;
};

} // namespace softphone::server::push
