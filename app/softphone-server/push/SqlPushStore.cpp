#include "SqlPushStore.h"

#include "softphone-server/common/ServerLogging.h"
#include "softphone-server/common/SqlDatabase.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace softphone::server::push {

namespace {
qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

SqlPushStore::SqlPushStore()
    : m_connection(QStringLiteral("push"))
{}

SqlPushStore::~SqlPushStore()
{
    resetPrepared(); // before the connection goes
}

namespace {
const QList<SchemaMigration> kMigrations{
    {1,
     {"CREATE TABLE IF NOT EXISTS devices(uaid TEXT PRIMARY KEY, created_ms BIGINT NOT NULL)",
      {"CREATE TABLE IF NOT EXISTS subscriptions(token TEXT PRIMARY KEY, "
       "uaid TEXT NOT NULL, channel_id TEXT NOT NULL, vapid_key BLOB, "
       "gone INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL)",
       // id: the insertion order SQLite's rowid gives.
       "CREATE TABLE IF NOT EXISTS subscriptions(id BIGSERIAL UNIQUE, token TEXT PRIMARY KEY, "
       "uaid TEXT NOT NULL, channel_id TEXT NOT NULL, vapid_key BYTEA, "
       "gone INTEGER NOT NULL DEFAULT 0, created_ms BIGINT NOT NULL)"},
      "CREATE UNIQUE INDEX IF NOT EXISTS subscriptions_live ON "
      "subscriptions(uaid, channel_id) WHERE gone = 0",
      // Per device: the live count at register, the tombstones at unregister.
      "CREATE INDEX IF NOT EXISTS subscriptions_device ON subscriptions(uaid, gone)",
      {"CREATE TABLE IF NOT EXISTS messages(seq INTEGER PRIMARY KEY "
       "AUTOINCREMENT, version TEXT NOT NULL UNIQUE, uaid TEXT NOT NULL, "
       "channel_id TEXT NOT NULL, data BLOB NOT NULL, topic TEXT, urgency TEXT, "
       "expires_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL)",
       "CREATE TABLE IF NOT EXISTS messages(seq BIGSERIAL PRIMARY KEY, "
       "version TEXT NOT NULL UNIQUE, uaid TEXT NOT NULL, "
       "channel_id TEXT NOT NULL, data BYTEA NOT NULL, topic TEXT, urgency TEXT, "
       "expires_ms BIGINT NOT NULL, created_ms BIGINT NOT NULL)"},
      "CREATE INDEX IF NOT EXISTS messages_device ON messages(uaid, seq)",
      "CREATE INDEX IF NOT EXISTS messages_topic ON messages(uaid, channel_id, "
      "topic) WHERE topic IS NOT NULL"}},
};
} // namespace

bool SqlPushStore::open(const QString &path, QString *error)
{
    return open(SqlDatabase::sqliteFile(path), error);
}

bool SqlPushStore::open(const SqlDatabase &where, QString *error)
{
    return m_connection.open(where, QStringLiteral("push"), kMigrations, error);
}

bool SqlPushStore::usable()
{
    // The prepared queries lived on a lost connection: freed before it closes.
    return m_connection.usable(&m_lastError, [this] { resetPrepared(); });
}

void SqlPushStore::resetPrepared()
{
    m_byToken.reset();
    m_pending.reset();
    m_insert.reset();
    m_count.reset();
    m_delete.reset();
}

bool SqlPushStore::exec(const QString &statement)
{
    QSqlQuery q(m_connection.db());
    if (!q.exec(statement)) {
        m_lastError = q.lastError().text();
        return false;
    }
    return true;
}

QSqlQuery &SqlPushStore::prepared(std::unique_ptr<QSqlQuery> &slot, const QString &statement)
{
    if (!slot) {
        slot = std::make_unique<QSqlQuery>(m_connection.db());
        if (!slot->prepare(statement))
            qCWarning(lcServerPush) << "cannot prepare" << statement << slot->lastError().text();
    }
    return *slot;
}

bool SqlPushStore::beginBatch()
{
    if (!usable())
        return false;
    // SQLite IMMEDIATE: this connection is the only writer, take the lock now rather
    // than on the first change.
    return SqlDatabase::beginWrite(m_connection.db(), &m_lastError);
}

bool SqlPushStore::commitBatch()
{
    // PostgreSQL answers the COMMIT of a transaction a statement broke with a silent
    // rollback: none of its changes may then be reported as stored.
    if (SqlDatabase::transactionFailed(m_connection.db())) {
        m_lastError = QStringLiteral("a change of the transaction failed; it was rolled back");
        return false;
    }
    return exec(QStringLiteral("COMMIT"));
}

void SqlPushStore::rollbackBatch()
{
    QSqlQuery(m_connection.db()).exec(QStringLiteral("ROLLBACK"));
}

bool SqlPushStore::deviceExists(const QString &uaid, QString *error)
{
    if (!usable()) {
        if (error)
            *error = m_lastError;
        return false;
    }
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT 1 FROM devices WHERE uaid = ?"));
    q.addBindValue(uaid);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        if (error)
            *error = m_lastError;
        return false;
    }
    return q.next();
}

bool SqlPushStore::addDevice(const QString &uaid)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral(
        "INSERT INTO devices(uaid, created_ms) VALUES(?, ?) ON CONFLICT DO NOTHING"));
    q.addBindValue(uaid);
    q.addBindValue(nowMs());
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    return true;
}

static PushStore::Subscription subscriptionFrom(const QSqlQuery &q)
{
    PushStore::Subscription s;
    s.token = q.value(0).toString();
    s.uaid = q.value(1).toString();
    s.channelId = q.value(2).toString();
    s.vapidKey = q.value(3).toByteArray();
    s.gone = q.value(4).toInt() != 0;
    return s;
}

std::optional<PushStore::Subscription> SqlPushStore::subscriptionByToken(const QString &token,
                                                                         QString *error)
{
    if (!usable()) {
        if (error)
            *error = m_lastError;
        return std::nullopt;
    }
    QSqlQuery &q =
        prepared(m_byToken, QStringLiteral("SELECT token, uaid, channel_id, vapid_key, gone FROM "
                                           "subscriptions WHERE token = ?"));
    q.bindValue(0, token);
    std::optional<Subscription> found;
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        if (error)
            *error = m_lastError;
    } else if (q.next()) {
        found = subscriptionFrom(q);
    }
    q.finish(); // ends the read transaction at once (WAL checkpoints wait for readers)
    return found;
}

std::optional<PushStore::Subscription>
SqlPushStore::subscriptionByChannel(const QString &uaid, const QString &channelId, QString *error)
{
    if (!usable()) {
        if (error)
            *error = m_lastError;
        return std::nullopt;
    }
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT token, uaid, channel_id, vapid_key, gone FROM subscriptions "
                             "WHERE uaid = ? AND channel_id = ? AND gone = 0"));
    q.addBindValue(uaid);
    q.addBindValue(channelId);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        if (error)
            *error = m_lastError;
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return subscriptionFrom(q);
}

PushStore::AddResult SqlPushStore::addSubscription(const Subscription &s, int maxLive)
{
    // Count and insert run on the one writer connection, so nothing slips in between.
    QSqlQuery count(m_connection.db());
    count.prepare(QStringLiteral("SELECT COUNT(*) FROM subscriptions WHERE uaid = ? AND gone = 0"));
    count.addBindValue(s.uaid);
    if (!count.exec() || !count.next()) {
        m_lastError = count.lastError().text();
        return AddResult::Failed;
    }
    const int live = count.value(0).toInt();
    count.finish();
    if (live >= maxLive)
        return AddResult::Full;
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT INTO subscriptions(token, uaid, channel_id, vapid_key, gone, "
                             "created_ms) VALUES(?, ?, ?, ?, 0, ?)"));
    q.addBindValue(s.token);
    q.addBindValue(s.uaid);
    q.addBindValue(s.channelId);
    q.addBindValue(s.vapidKey.isEmpty() ? QVariant() : QVariant(s.vapidKey));
    q.addBindValue(nowMs());
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return AddResult::Failed;
    }
    return AddResult::Added;
}

bool SqlPushStore::markGone(const QString &uaid, const QString &channelId, int keepTombstones)
{
    if (!exec(QStringLiteral("SAVEPOINT mark_gone")))
        return false;
    QSqlQuery q(m_connection.db());
    q.prepare(
        QStringLiteral("UPDATE subscriptions SET gone = 1 WHERE uaid = ? AND channel_id = ?"));
    q.addBindValue(uaid);
    q.addBindValue(channelId);
    QSqlQuery d(m_connection.db());
    d.prepare(QStringLiteral("DELETE FROM messages WHERE uaid = ? AND channel_id = ?"));
    d.addBindValue(uaid);
    d.addBindValue(channelId);
    // Register/unregister churn must not grow the table: old tombstones go.
    QSqlQuery prune(m_connection.db());
    prune.prepare(QStringLiteral("DELETE FROM subscriptions WHERE uaid = ? AND gone = 1 AND token "
                                 "NOT IN (SELECT token FROM subscriptions WHERE uaid = ? AND gone "
                                 "= 1 ORDER BY created_ms DESC, %1 DESC LIMIT ?)")
                      .arg(m_connection.where().isPostgres() ? u"id" : u"rowid"));
    prune.addBindValue(uaid);
    prune.addBindValue(uaid);
    prune.addBindValue(keepTombstones);
    if (!q.exec() || !d.exec() || !prune.exec()) {
        m_lastError = q.lastError().text() + d.lastError().text() + prune.lastError().text();
        exec(QStringLiteral("ROLLBACK TO mark_gone"));
        exec(QStringLiteral("RELEASE mark_gone"));
        return false;
    }
    return exec(QStringLiteral("RELEASE mark_gone"));
}

std::optional<qint64> SqlPushStore::storeMessage(const Message &m, int backlogCap, int *dropped)
{
    *dropped = 0;
    // A savepoint: atomic on its own, and nests inside a batch's transaction.
    if (!exec(QStringLiteral("SAVEPOINT store_message")))
        return std::nullopt;
    auto fail = [this](QSqlQuery &q) {
        m_lastError = q.lastError().text();
        q.finish();
        exec(QStringLiteral("ROLLBACK TO store_message"));
        exec(QStringLiteral("RELEASE store_message"));
        return std::nullopt;
    };
    if (!m.topic.isEmpty()) {
        QSqlQuery t(m_connection.db());
        t.prepare(QStringLiteral("DELETE FROM messages WHERE uaid = ? AND channel_id = ? AND "
                                 "topic = ?"));
        t.addBindValue(m.uaid);
        t.addBindValue(m.channelId);
        t.addBindValue(m.topic);
        if (!t.exec())
            return fail(t);
    }
    QSqlQuery &count =
        prepared(m_count, QStringLiteral("SELECT COUNT(*) FROM messages WHERE uaid = ?"));
    count.bindValue(0, m.uaid);
    if (!count.exec() || !count.next())
        return fail(count);
    const int excess = count.value(0).toInt() - backlogCap + 1;
    count.finish();
    if (excess > 0) {
        QSqlQuery drop(m_connection.db());
        drop.prepare(QStringLiteral("DELETE FROM messages WHERE seq IN (SELECT seq FROM messages "
                                    "WHERE uaid = ? ORDER BY seq LIMIT ?)"));
        drop.addBindValue(m.uaid);
        drop.addBindValue(excess);
        if (!drop.exec())
            return fail(drop);
        *dropped = drop.numRowsAffected();
    }
    // The seq is the database's (SQLite's AUTOINCREMENT, PostgreSQL's sequence,
    // shared by every node); PostgreSQL hands it back by RETURNING.
    QSqlQuery &q = prepared(
        m_insert,
        QStringLiteral("INSERT INTO messages(version, uaid, channel_id, data, topic, "
                       "urgency, expires_ms, created_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?)") +
            (m_connection.where().isPostgres() ? QStringLiteral(" RETURNING seq") : QString()));
    q.bindValue(0, m.version);
    q.bindValue(1, m.uaid);
    q.bindValue(2, m.channelId);
    q.bindValue(3, m.data);
    q.bindValue(4, m.topic.isEmpty() ? QVariant() : QVariant(m.topic));
    q.bindValue(5, m.urgency.isEmpty() ? QVariant() : QVariant(m.urgency));
    q.bindValue(6, m.expiresMs);
    q.bindValue(7, nowMs());
    if (!q.exec())
        return fail(q);
    const qint64 seq = m_connection.where().isPostgres() ? (q.next() ? q.value(0).toLongLong() : 0)
                                                         : q.lastInsertId().toLongLong();
    q.finish();
    if (!exec(QStringLiteral("RELEASE store_message"))) {
        exec(QStringLiteral("ROLLBACK TO store_message"));
        exec(QStringLiteral("RELEASE store_message"));
        return std::nullopt;
    }
    return seq;
}

QList<PushStore::Message> SqlPushStore::pendingMessages(const QString &uaid, int limit, qint64 now,
                                                        QString *error)
{
    QList<Message> out;
    if (!usable()) {
        if (error)
            *error = m_lastError;
        return out;
    }
    QSqlQuery &q =
        prepared(m_pending, QStringLiteral("SELECT seq, version, channel_id, data, topic, urgency, "
                                           "expires_ms FROM messages WHERE uaid = ? AND "
                                           "expires_ms > ? ORDER BY seq LIMIT ?"));
    q.bindValue(0, uaid);
    q.bindValue(1, now);
    q.bindValue(2, limit);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        qCWarning(lcServerPush) << "reading stored messages failed:" << m_lastError;
        if (error)
            *error = m_lastError;
        return out;
    }
    while (q.next()) {
        Message m;
        m.seq = q.value(0).toLongLong();
        m.version = q.value(1).toString();
        m.uaid = uaid;
        m.channelId = q.value(2).toString();
        m.data = q.value(3).toByteArray();
        m.topic = q.value(4).toString();
        m.urgency = q.value(5).toString();
        m.expiresMs = q.value(6).toLongLong();
        out.append(m);
    }
    q.finish();
    return out;
}

bool SqlPushStore::deleteMessage(const QString &uaid, const QString &version)
{
    QSqlQuery &q =
        prepared(m_delete, QStringLiteral("DELETE FROM messages WHERE uaid = ? AND version = ?"));
    q.bindValue(0, uaid);
    q.bindValue(1, version);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    const bool removed = q.numRowsAffected() > 0;
    q.finish();
    return removed;
}

bool SqlPushStore::deleteMessageByVersion(const QString &version)
{
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("DELETE FROM messages WHERE version = ?"));
    q.addBindValue(version);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    return q.numRowsAffected() > 0;
}

int SqlPushStore::purgeExpired(qint64 now)
{
    return SqlDatabase::deleteInBatches(m_connection.db(), QStringLiteral("messages"),
                                        QStringLiteral("seq"), QStringLiteral("expires_ms <= ?"),
                                        now, &m_lastError);
}

} // namespace softphone::server::push
