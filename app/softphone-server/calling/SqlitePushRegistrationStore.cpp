#include "SqlitePushRegistrationStore.h"

#include "protocol/Limits.h"
#include "softphone-server/common/ServerLogging.h"
#include "softphone-server/common/Sqlite.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace softphone::server::calling {

SqlitePushRegistrationStore::SqlitePushRegistrationStore()
    : m_connectionName(QStringLiteral("calling-push-") +
                       QUuid::createUuid().toString(QUuid::WithoutBraces))
{}

SqlitePushRegistrationStore::~SqlitePushRegistrationStore()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool SqlitePushRegistrationStore::open(const QString &path, QString *error)
{
    m_db = openSqlite(path, m_connectionName, error);
    if (!m_db.isOpen())
        return false;
    return execAll(m_db,
                   {QStringLiteral("CREATE TABLE IF NOT EXISTS push_registrations ("
                                   " user TEXT NOT NULL, device TEXT NOT NULL, data BLOB NOT NULL,"
                                   " updated_at INTEGER NOT NULL, PRIMARY KEY (user, device))")},
                   error);
}

bool SqlitePushRegistrationStore::put(const QString &user, const QString &device,
                                      const QByteArray &data, QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO push_registrations (user, device, data, "
                             "updated_at) VALUES (?, ?, ?, ?)"));
    q.addBindValue(user);
    q.addBindValue(device);
    q.addBindValue(data);
    q.addBindValue(QDateTime::currentSecsSinceEpoch());
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    // At most kMaxPushRegistrationsPerUser devices: each call or message signs a
    // payload per registered device. The row just written has the highest rowid
    // (INSERT OR REPLACE makes a new row), so the least recently registered go.
    QSqlQuery prune(m_db);
    prune.prepare(QStringLiteral(
        "DELETE FROM push_registrations WHERE user = ? AND rowid NOT IN (SELECT rowid FROM "
        "push_registrations WHERE user = ? ORDER BY rowid DESC LIMIT ?)"));
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

bool SqlitePushRegistrationStore::remove(const QString &user, const QString &device, QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM push_registrations WHERE user = ? AND device = ?"));
    q.addBindValue(user);
    q.addBindValue(device);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

QMap<QString, QByteArray> SqlitePushRegistrationStore::registrations(const QString &user) const
{
    QMap<QString, QByteArray> result;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT device, data FROM push_registrations WHERE user = ?"));
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
