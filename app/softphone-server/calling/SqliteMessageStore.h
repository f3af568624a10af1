#pragma once
// Messages not yet acknowledged, in <dataDir>/calling.db (docs/protocol.md
// "Messages"): one row per (message, recipient user) kept until the first ack
// from any device of that recipient or for 30 days, plus which devices were
// already sent it so each device gets it exactly once, across restarts too.

#include "FieldValidators.h"

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

class SqliteMessageStore
{
public:
    static constexpr qint64 kRetentionMs = 30LL * 24 * 3600 * 1000;

    SqliteMessageStore();
    ~SqliteMessageStore();
    bool open(const QString &path, QString *error);

    // false with *error when it could not be stored (or the id is taken for this recipient).
    bool add(const StoredMessage &message, QString *error);
    void markSent(const QString &messageId, const QString &recipient, const QString &device);
    // Unacknowledged, unexpired messages for the user that this device was not sent yet.
    QList<StoredMessage> pendingFor(const QString &recipient, const QString &device);
    // The first ack: removes the message and returns it; nullopt when it was not
    // pending (unknown or already acknowledged).
    std::optional<StoredMessage> acknowledge(const QString &messageId, const QString &recipient);
    void purgeExpired(qint64 nowMs);

private:
    QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace softphone::server::calling
