#include "SqlitePushStore.h"

#include "Logging.h"
#include "Sqlite.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace softphone::server::push {

namespace {
qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

SqlitePushStore::~SqlitePushStore()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool SqlitePushStore::open(const QString &path, QString *error)
{
    m_connectionName = QStringLiteral("push-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_db = openSqlite(path, m_connectionName, error);
    if (!m_db.isOpen())
        return false;
    return execAll(
        m_db,
        {QStringLiteral("CREATE TABLE IF NOT EXISTS devices(uaid TEXT PRIMARY KEY, "
                        "created_ms INTEGER NOT NULL)"),
         QStringLiteral("CREATE TABLE IF NOT EXISTS subscriptions(token TEXT PRIMARY KEY, "
                        "uaid TEXT NOT NULL, channel_id TEXT NOT NULL, vapid_key BLOB, "
                        "gone INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL)"),
         QStringLiteral("CREATE UNIQUE INDEX IF NOT EXISTS subscriptions_live ON "
                        "subscriptions(uaid, channel_id) WHERE gone = 0"),
         QStringLiteral("CREATE TABLE IF NOT EXISTS messages(seq INTEGER PRIMARY KEY "
                        "AUTOINCREMENT, version TEXT NOT NULL UNIQUE, uaid TEXT NOT NULL, "
                        "channel_id TEXT NOT NULL, data BLOB NOT NULL, topic TEXT, urgency TEXT, "
                        "expires_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL)"),
         QStringLiteral("CREATE INDEX IF NOT EXISTS messages_device ON messages(uaid, seq)"),
         QStringLiteral("CREATE INDEX IF NOT EXISTS messages_topic ON messages(uaid, channel_id, "
                        "topic) WHERE topic IS NOT NULL")},
        error);
}

bool SqlitePushStore::deviceExists(const QString &uaid)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT 1 FROM devices WHERE uaid = ?"));
    q.addBindValue(uaid);
    return q.exec() && q.next();
}

bool SqlitePushStore::addDevice(const QString &uaid)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR IGNORE INTO devices(uaid, created_ms) VALUES(?, ?)"));
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

std::optional<PushStore::Subscription> SqlitePushStore::subscriptionByToken(const QString &token)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT token, uaid, channel_id, vapid_key, gone FROM subscriptions "
                             "WHERE token = ?"));
    q.addBindValue(token);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return subscriptionFrom(q);
}

std::optional<PushStore::Subscription>
SqlitePushStore::subscriptionByChannel(const QString &uaid, const QString &channelId)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT token, uaid, channel_id, vapid_key, gone FROM subscriptions "
                             "WHERE uaid = ? AND channel_id = ? AND gone = 0"));
    q.addBindValue(uaid);
    q.addBindValue(channelId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return subscriptionFrom(q);
}

bool SqlitePushStore::addSubscription(const Subscription &s)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO subscriptions(token, uaid, channel_id, vapid_key, gone, "
                             "created_ms) VALUES(?, ?, ?, ?, 0, ?)"));
    q.addBindValue(s.token);
    q.addBindValue(s.uaid);
    q.addBindValue(s.channelId);
    q.addBindValue(s.vapidKey.isEmpty() ? QVariant() : QVariant(s.vapidKey));
    q.addBindValue(nowMs());
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    return true;
}

bool SqlitePushStore::markGone(const QString &uaid, const QString &channelId)
{
    if (!m_db.transaction()) {
        m_lastError = m_db.lastError().text();
        return false;
    }
    QSqlQuery q(m_db);
    q.prepare(
        QStringLiteral("UPDATE subscriptions SET gone = 1 WHERE uaid = ? AND channel_id = ?"));
    q.addBindValue(uaid);
    q.addBindValue(channelId);
    QSqlQuery d(m_db);
    d.prepare(QStringLiteral("DELETE FROM messages WHERE uaid = ? AND channel_id = ?"));
    d.addBindValue(uaid);
    d.addBindValue(channelId);
    if (!q.exec() || !d.exec() || !m_db.commit()) {
        m_lastError = q.lastError().text() + d.lastError().text() + m_db.lastError().text();
        m_db.rollback();
        return false;
    }
    return true;
}

std::optional<qint64> SqlitePushStore::storeMessage(const Message &m, int backlogCap, int *dropped)
{
    *dropped = 0;
    if (!m_db.transaction()) {
        m_lastError = m_db.lastError().text();
        return std::nullopt;
    }
    auto fail = [this](const QSqlQuery &q) {
        m_lastError = q.lastError().text();
        m_db.rollback();
        return std::nullopt;
    };
    if (!m.topic.isEmpty()) {
        QSqlQuery t(m_db);
        t.prepare(QStringLiteral("DELETE FROM messages WHERE uaid = ? AND channel_id = ? AND "
                                 "topic = ?"));
        t.addBindValue(m.uaid);
        t.addBindValue(m.channelId);
        t.addBindValue(m.topic);
        if (!t.exec())
            return fail(t);
    }
    QSqlQuery count(m_db);
    count.prepare(QStringLiteral("SELECT COUNT(*) FROM messages WHERE uaid = ?"));
    count.addBindValue(m.uaid);
    if (!count.exec() || !count.next())
        return fail(count);
    const int excess = count.value(0).toInt() - backlogCap + 1;
    if (excess > 0) {
        QSqlQuery drop(m_db);
        drop.prepare(QStringLiteral("DELETE FROM messages WHERE seq IN (SELECT seq FROM messages "
                                    "WHERE uaid = ? ORDER BY seq LIMIT ?)"));
        drop.addBindValue(m.uaid);
        drop.addBindValue(excess);
        if (!drop.exec())
            return fail(drop);
        *dropped = drop.numRowsAffected();
    }
    QSqlQuery q(m_db);
    q.prepare(
        QStringLiteral("INSERT INTO messages(version, uaid, channel_id, data, topic, urgency, "
                       "expires_ms, created_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(m.version);
    q.addBindValue(m.uaid);
    q.addBindValue(m.channelId);
    q.addBindValue(m.data);
    q.addBindValue(m.topic.isEmpty() ? QVariant() : QVariant(m.topic));
    q.addBindValue(m.urgency.isEmpty() ? QVariant() : QVariant(m.urgency));
    q.addBindValue(m.expiresMs);
    q.addBindValue(nowMs());
    if (!q.exec())
        return fail(q);
    const qint64 seq = q.lastInsertId().toLongLong();
    if (!m_db.commit()) {
        m_lastError = m_db.lastError().text();
        m_db.rollback();
        return std::nullopt;
    }
    return seq;
}

QList<PushStore::Message> SqlitePushStore::pendingMessages(const QString &uaid, qint64 afterSeq,
                                                           int limit, qint64 now)
{
    QList<Message> out;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT seq, version, channel_id, data, topic, urgency, expires_ms "
                             "FROM messages WHERE uaid = ? AND seq > ? AND expires_ms > ? "
                             "ORDER BY seq LIMIT ?"));
    q.addBindValue(uaid);
    q.addBindValue(afterSeq);
    q.addBindValue(now);
    q.addBindValue(limit);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        qCWarning(lcServerPush) << "reading stored messages failed:" << m_lastError;
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
    return out;
}

bool SqlitePushStore::deleteMessage(const QString &uaid, const QString &version)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM messages WHERE uaid = ? AND version = ?"));
    q.addBindValue(uaid);
    q.addBindValue(version);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    return q.numRowsAffected() > 0;
}

bool SqlitePushStore::deleteMessageByVersion(const QString &version)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM messages WHERE version = ?"));
    q.addBindValue(version);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    return q.numRowsAffected() > 0;
}

int SqlitePushStore::purgeExpired(qint64 now)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM messages WHERE expires_ms <= ?"));
    q.addBindValue(now);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return 0;
    }
    return q.numRowsAffected();
}

} // namespace softphone::server::push
