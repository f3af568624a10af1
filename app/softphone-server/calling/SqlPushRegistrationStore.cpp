#include "SqlPushRegistrationStore.h"

#include "protocol/Limits.h"
#include "softphone-server/common/ServerLogging.h"
#include "softphone-server/common/SqlDatabase.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace softphone::server::calling {

SqlPushRegistrationStore::SqlPushRegistrationStore()
    : m_connection(QStringLiteral("calling-push"))
{}

SqlPushRegistrationStore::~SqlPushRegistrationStore() = default;

namespace {
// id: the registration order (SQLite's rowid; a new row for each put).
const QList<SchemaMigration> kMigrations{
    {1,
     {{"CREATE TABLE IF NOT EXISTS push_registrations ("
       " \"user\" TEXT NOT NULL, device TEXT NOT NULL, data BLOB NOT NULL,"
       " updated_at INTEGER NOT NULL, PRIMARY KEY (\"user\", device))",
       "CREATE TABLE IF NOT EXISTS push_registrations (id BIGSERIAL UNIQUE,"
       " \"user\" TEXT NOT NULL, device TEXT NOT NULL, data BYTEA NOT NULL,"
       " updated_at BIGINT NOT NULL, PRIMARY KEY (\"user\", device))"}}},
};
} // namespace

bool SqlPushRegistrationStore::open(const SqlDatabase &where, QString *error)
{
    return m_connection.open(where, QStringLiteral("push_registrations"), kMigrations, error);
}

bool SqlPushRegistrationStore::put(const QString &user, const QString &device,
                                   const QByteArray &data, QString *error)
{
    if (!m_connection.usable(error))
        return false;
    // Replaced by a new row (delete, insert: one transaction), so the newest
    // registration has the highest row order.
    if (!SqlDatabase::beginWrite(m_connection.db(), error))
        return false;
    QSqlQuery del(m_connection.db());
    del.prepare(QStringLiteral("DELETE FROM push_registrations WHERE \"user\" = ? AND device = ?"));
    del.addBindValue(user);
    del.addBindValue(device);
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("INSERT INTO push_registrations (\"user\", device, data, "
                             "updated_at) VALUES (?, ?, ?, ?)"));
    q.addBindValue(user);
    q.addBindValue(device);
    q.addBindValue(data);
    q.addBindValue(QDateTime::currentSecsSinceEpoch());
    if (!del.exec() || !q.exec() || !m_connection.db().commit()) {
        *error = del.lastError().isValid() ? del.lastError().text()
                 : q.lastError().isValid() ? q.lastError().text()
                                           : m_connection.db().lastError().text();
        m_connection.db().rollback();
        return false;
    }
    // At most kMaxPushRegistrationsPerUser devices: each call or message signs a
    // payload per registered device. The row just written comes last in row
    // order, so the least recently registered go.
    QSqlQuery prune(m_connection.db());
    prune.prepare(QStringLiteral("DELETE FROM push_registrations WHERE \"user\" = ? AND %1 NOT "
                                 "IN (SELECT %1 FROM push_registrations WHERE \"user\" = ? ORDER "
                                 "BY %1 DESC LIMIT ?)")
                      .arg(m_connection.where().isPostgres() ? u"id" : u"rowid"));
    prune.addBindValue(user);
    prune.addBindValue(user);
    prune.addBindValue(protocol::kMaxPushRegistrationsPerUser);
    if (!prune.exec())
        qCWarning(lcServerCalling)
            << "cannot prune push registrations:" << prune.lastError().text();
    else if (prune.numRowsAffected() > 0)
        qCInfo(lcServerCalling) << "pruned" << prune.numRowsAffected()
                                << "older push registration(s) of" << user;
    return true;
}

bool SqlPushRegistrationStore::remove(const QString &user, const QString &device, QString *error)
{
    if (!m_connection.usable(error))
        return false;
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("DELETE FROM push_registrations WHERE \"user\" = ? AND device = ?"));
    q.addBindValue(user);
    q.addBindValue(device);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

QMap<QString, QByteArray> SqlPushRegistrationStore::registrations(const QString &user) const
{
    QMap<QString, QByteArray> result;
    if (QString why; !m_connection.usable(&why)) {
        qCWarning(lcServerCalling) << "cannot read push registrations:" << why;
        return result;
    }
    QSqlQuery q(m_connection.db());
    q.prepare(QStringLiteral("SELECT device, data FROM push_registrations WHERE \"user\" = ?"));
    q.addBindValue(user);
    if (!q.exec()) {
        qCWarning(lcServerCalling) << "cannot read push registrations:" << q.lastError().text();
        return result;
    }
    while (q.next())
        result.insert(q.value(0).toString(), q.value(1).toByteArray());
    return result;
}

} // namespace softphone::server::calling
