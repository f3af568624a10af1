#include "SqlMessageStore.h"

#include "softphone-server/common/ServerLogging.h"
#include "softphone-server/common/SqlDatabase.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace softphone::server::calling {

namespace {

StoredMessage readRow(const QSqlQuery &q)
{
    StoredMessage m;
    m.id = q.value(0).toString();
    m.from = q.value(1).toString();
    m.to = q.value(2).toString();
    m.text = q.value(3).toString();
    m.headers =
        protocol::headersFromJson(QJsonDocument::fromJson(q.value(4).toByteArray()).object());
    m.sentAtMs = q.value(5).toLongLong();
    return m;
}

} // namespace

SqlMessageStore::SqlMessageStore()
    : m_connection(QStringLiteral("calling-messages"))
{}

SqlMessageStore::~SqlMessageStore() = default;

namespace {
const QList<SchemaMigration> kMigrations{
    {1,
     {{"CREATE TABLE IF NOT EXISTS messages ("
       " id TEXT NOT NULL, recipient TEXT NOT NULL, sender TEXT NOT NULL,"
       " text TEXT NOT NULL, headers TEXT NOT NULL, sent_at INTEGER NOT NULL,"
       " PRIMARY KEY (id, recipient))",
       "CREATE TABLE IF NOT EXISTS messages ("
       " id TEXT NOT NULL, recipient TEXT NOT NULL, sender TEXT NOT NULL,"
       " text TEXT NOT NULL, headers TEXT NOT NULL, sent_at BIGINT NOT NULL,"
       " PRIMARY KEY (id, recipient))"},
      "CREATE TABLE IF NOT EXISTS message_deliveries ("
      " id TEXT NOT NULL, recipient TEXT NOT NULL, device TEXT NOT NULL,"
      " PRIMARY KEY (id, recipient, device),"
      " FOREIGN KEY (id, recipient) REFERENCES messages (id, recipient)"
      " ON DELETE CASCADE)",
      "CREATE INDEX IF NOT EXISTS messages_by_recipient ON messages (recipient)"}},
};
} // namespace

bool SqlMessageStore::open(const SqlDatabase &where, QString *error)
{
    return m_connection.open(where, QStringLiteral("messages"), kMigrations, error);
}

bool SqlMessageStore::usable(QString *error)
{
    QString why;
    if (m_connection.usable(&why))
        return true;
    qCWarning(lcServerCalling) << why;
    if (error)
        *error = why;
    return false;
}

QString SqlMessageStore::overQuota(const StoredMessage &message, qint64 bytes)
{
    // Indexed by recipient; at most the quota's worth of rows to sum. Sizes in bytes.
    const QString size = m_connection.where().isPostgres()
                             ? QStringLiteral("octet_length(text) + octet_length(headers)")
                             : QStringLiteral("LENGTH(CAST(text AS BLOB)) + LENGTH(CAST(headers "
                                              "AS BLOB))");
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT COUNT(*), COALESCE(SUM(%1), 0),"
                             " COALESCE(SUM(CASE WHEN sender = ? THEN 1 ELSE 0 END), 0),"
                             " COALESCE(SUM(CASE WHEN sender = ? THEN %1 END), 0)"
                             " FROM messages WHERE recipient = ? AND sent_at > ?")
                  .arg(size));
    q.addBindValue(message.from);
    q.addBindValue(message.from);
    q.addBindValue(message.to);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch() - kRetentionMs);
    m_quotaUnknown = !q.exec() || !q.next();
    if (m_quotaUnknown)
        return QStringLiteral("the quota could not be checked: %1").arg(q.lastError().text());
    const qint64 count = q.value(0).toLongLong();
    const qint64 total = qint64(q.value(1).toDouble());
    const qint64 fromSender = qint64(q.value(2).toDouble());
    const qint64 senderBytes = qint64(q.value(3).toDouble());
    const int share = std::max(1, m_quota.senderShare);
    if (count + 1 > m_quota.messages || total + bytes > m_quota.bytes)
        return QStringLiteral("'%1' has too many unread messages (at most %2 messages and %3 "
                              "bytes pending); try again later")
            .arg(message.to)
            .arg(m_quota.messages)
            .arg(m_quota.bytes);
    if (fromSender + 1 > m_quota.messages / share || senderBytes + bytes > m_quota.bytes / share)
        return QStringLiteral("too many of your messages to '%1' are unread (at most %2 "
                              "messages and %3 bytes from one sender); try again later")
            .arg(message.to)
            .arg(m_quota.messages / share)
            .arg(m_quota.bytes / share);
    return {};
}

SqlMessageStore::AddResult SqlMessageStore::add(const StoredMessage &message, QString *error)
{
    if (!usable(error))
        return AddResult::Failed;
    // Bound as text: a byte array would go to PostgreSQL as bytea.
    const QString headers = QString::fromUtf8(
        QJsonDocument(protocol::headersToJson(message.headers)).toJson(QJsonDocument::Compact));
    *error = overQuota(message, message.text.toUtf8().size() + headers.toUtf8().size());
    if (!error->isEmpty())
        return m_quotaUnknown ? AddResult::Failed : AddResult::OverQuota;
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT INTO messages (id, recipient, sender, text, headers, sent_at)"
                             " VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(message.id);
    q.addBindValue(message.to);
    q.addBindValue(message.from);
    q.addBindValue(message.text);
    q.addBindValue(headers);
    q.addBindValue(message.sentAtMs);
    if (!q.exec()) {
        *error = q.lastError().text();
        return AddResult::Failed;
    }
    return AddResult::Stored;
}

void SqlMessageStore::markSent(const QString &messageId, const QString &recipient,
                               const QString &device)
{
    if (!usable())
        return;
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT INTO message_deliveries (id, recipient, device) VALUES (?, ?, "
                             "?) ON CONFLICT DO NOTHING"));
    q.addBindValue(messageId);
    q.addBindValue(recipient);
    q.addBindValue(device);
    if (!q.exec())
        qCWarning(lcServerCalling) << "cannot record a delivery:" << q.lastError().text();
}

QList<StoredMessage> SqlMessageStore::pendingFor(const QString &recipient, const QString &device,
                                                 int limit)
{
    QList<StoredMessage> result;
    if (!usable())
        return result;
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral(
        "SELECT id, sender, recipient, text, headers, sent_at FROM messages m"
        " WHERE recipient = ? AND sent_at > ? AND NOT EXISTS (SELECT 1 FROM message_deliveries d"
        " WHERE d.id = m.id AND d.recipient = m.recipient AND d.device = ?) ORDER BY sent_at"
        " LIMIT ?"));
    q.addBindValue(recipient);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch() - kRetentionMs);
    q.addBindValue(device);
    q.addBindValue(limit);
    if (!q.exec()) {
        qCWarning(lcServerCalling) << "cannot read pending messages:" << q.lastError().text();
        return result;
    }
    while (q.next())
        result.append(readRow(q));
    return result;
}

std::optional<StoredMessage> SqlMessageStore::acknowledge(const QString &messageId,
                                                          const QString &recipient)
{
    if (!usable())
        return std::nullopt;
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT id, sender, recipient, text, headers, sent_at FROM messages"
                             " WHERE id = ? AND recipient = ?"));
    q.addBindValue(messageId);
    q.addBindValue(recipient);
    if (!q.exec() || !q.next())
        return std::nullopt;
    const StoredMessage message = readRow(q);
    q.finish();
    QSqlQuery del(m_connection.db());
    del.prepare(QStringLiteral("DELETE FROM messages WHERE id = ? AND recipient = ?"));
    del.addBindValue(messageId);
    del.addBindValue(recipient);
    if (!del.exec()) {
        qCWarning(lcServerCalling)
            << "cannot remove an acknowledged message:" << del.lastError().text();
        return std::nullopt;
    }
    // Another node's ack removed it first: that one was the first.
    if (del.numRowsAffected() == 0)
        return std::nullopt;
    return message;
}

int SqlMessageStore::purgeExpired(qint64 nowMs)
{
    if (!usable())
        return 0;
    QString error;
    const int purged = SqlDatabase::deleteInBatches(
        m_connection.db(), QStringLiteral("messages"), QStringLiteral("id, recipient"),
        QStringLiteral("sent_at <= ?"), nowMs - kRetentionMs, &error);
    if (!error.isEmpty())
        qCWarning(lcServerCalling) << "cannot purge old messages:" << error;
    return purged;
}

} // namespace softphone::server::calling
