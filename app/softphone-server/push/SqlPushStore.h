#pragma once
// PushStore in SQL: the role's own SQLite file (push.db: WAL, synchronous=FULL) or
// the push schema of the shared PostgreSQL database. One connection per thread: the
// role reads through one, PushWriter writes through another; a PostgreSQL connection
// the server dropped is reopened at its next use.

#include "PushStore.h"
#include "softphone-server/common/SqlDatabase.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <memory>

namespace softphone::server::push {

class SqlPushStore : public PushStore
{
public:
    SqlPushStore();
    ~SqlPushStore() override;

    bool open(const SqlDatabase &where, QString *error);
    // The SQLite file at path.
    bool open(const QString &path, QString *error);

    bool deviceExists(const QString &uaid, QString *error = nullptr) override;
    bool addDevice(const QString &uaid) override;
    std::optional<Subscription> subscriptionByToken(const QString &token,
                                                    QString *error = nullptr) override;
    std::optional<Subscription> subscriptionByChannel(const QString &uaid, const QString &channelId,
                                                      QString *error = nullptr) override;
    AddResult addSubscription(const Subscription &subscription, int maxLive) override;
    bool markGone(const QString &uaid, const QString &channelId, int keepTombstones) override;
    std::optional<qint64> storeMessage(const Message &message, int backlogCap,
                                       int *dropped) override;
    QList<Message> pendingMessages(const QString &uaid, int limit, qint64 nowMs,
                                   QString *error = nullptr) override;
    bool deleteMessage(const QString &uaid, const QString &version) override;
    bool deleteMessageByVersion(const QString &version) override;
    // In batches (SqlDatabase::deleteInBatches).
    int purgeExpired(qint64 nowMs) override;
    bool beginBatch() override;
    bool commitBatch() override;
    void rollbackBatch() override;
    QString lastError() const override { return m_lastError; }

private:
    // False (and lastError() says why) when a lost PostgreSQL connection cannot be reopened.
    bool usable();
    void resetPrepared();
    bool exec(const QString &statement);
    // Statements run once per push are prepared once (a connection is used by one thread).
    QSqlQuery &prepared(std::unique_ptr<QSqlQuery> &slot, const QString &statement);

    StoreConnection m_connection; // before the queries: they go first
    QString m_lastError;
    std::unique_ptr<QSqlQuery> m_byToken;
    std::unique_ptr<QSqlQuery> m_pending;
    std::unique_ptr<QSqlQuery> m_insert;
    std::unique_ptr<QSqlQuery> m_count;
    std::unique_ptr<QSqlQuery> m_delete;
};

} // namespace softphone::server::push
