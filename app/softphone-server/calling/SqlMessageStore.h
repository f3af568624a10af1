#pragma once
// Messages not yet acknowledged, in <dataDir>/calling.db or the calling schema of
// the shared PostgreSQL database (docs/protocol.md
// "Messages"): one row per (message, recipient user) kept until the first ack
// from any device of that recipient or for 30 days, plus which devices were
// already sent it so each device gets it exactly once, across restarts too.
// A quota per recipient (count and bytes pending, and a share of it per
// sender) bounds what others can make the service store for someone.

#include "protocol/FieldValidators.h"
#include "protocol/Limits.h"
#include "softphone-server/common/SqlDatabase.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace softphone::server::calling {

struct StoredMessage
{
    QString id;
    QString from;
    QString to; // the recipient user
    QString text;
    protocol::Headers headers;
    qint64 sentAtMs = 0;
};

class SqlMessageStore
{
public:
    static constexpr qint64 kRetentionMs = 30LL * 24 * 3600 * 1000;

    // What one recipient may have pending (unacknowledged, unexpired); one
    // sender may hold at most 1/senderShare of each.
    struct Quota
    {
        int messages = protocol::kMaxPendingMessages;
        qint64 bytes = protocol::kMaxPendingMessageBytes;
        int senderShare = protocol::kPendingSenderShare;
    };
    enum class AddResult { Stored, OverQuota, Failed };

    SqlMessageStore();
    ~SqlMessageStore();
    bool open(const SqlDatabase &where, QString *error);
    void setQuota(const Quota &quota) { m_quota = quota; }

    // Failed (with *error) when it could not be stored or the id is taken for
    // this recipient; OverQuota (with *error saying which) when storing it would
    // pass the recipient's quota or the sender's share of it.
    AddResult add(const StoredMessage &message, QString *error);
    void markSent(const QString &messageId, const QString &recipient, const QString &device);
    // Unacknowledged, unexpired messages for the user that this device was not
    // sent yet, oldest first, at most `limit`.
    QList<StoredMessage> pendingFor(const QString &recipient, const QString &device, int limit);
    // The first ack: removes the message and returns it; nullopt when it was not
    // pending (unknown or already acknowledged).
    std::optional<StoredMessage> acknowledge(const QString &messageId, const QString &recipient);
    // Removes the messages past retention, in batches
    // (SqlDatabase::deleteInBatches); returns how many.
    int purgeExpired(qint64 nowMs);

private:
    // The quota check of add(); empty when the message fits.
    QString overQuota(const StoredMessage &message, qint64 bytes);
    // False (with *error) when a lost PostgreSQL connection cannot be reopened.
    bool usable(QString *error = nullptr);

    Quota m_quota;
    bool m_quotaUnknown = false; // the last overQuota() failed to read
    StoreConnection m_connection;
};

} // namespace softphone::server::calling
