#pragma once
// PushRegistrationStore in SQL (table push_registrations): <dataDir>/calling.db, or
// the calling schema of the shared PostgreSQL database. One connection, on the
// calling service's thread; reopened at its next use when PostgreSQL dropped it.

#include "PushRegistrationStore.h"
#include "softphone-server/common/SqlDatabase.h"

#include <QSqlDatabase>

namespace softphone::server::calling {

class SqlPushRegistrationStore : public PushRegistrationStore
{
public:
    SqlPushRegistrationStore();
    ~SqlPushRegistrationStore() override;
    bool open(const SqlDatabase &where, QString *error);

    bool put(const QString &user, const QString &device, const QByteArray &data,
             QString *error) override;
    bool remove(const QString &user, const QString &device, QString *error) override;
    QMap<QString, QByteArray> registrations(const QString &user) const override;

private:
    mutable StoreConnection m_connection; // reopened by const reads too
};

} // namespace softphone::server::calling
