#pragma once
// PushRegistrationStore in <dataDir>/calling.db (table push_registrations).

#include "PushRegistrationStore.h"

#include <QSqlDatabase>

namespace softphone::server::calling {

class SqlitePushRegistrationStore : public PushRegistrationStore
{
public:
    SqlitePushRegistrationStore();
    ~SqlitePushRegistrationStore() override;
    bool open(const QString &path, QString *error);

    bool put(const QString &user, const QString &device, const QByteArray &data,
             QString *error) override;
    bool remove(const QString &user, const QString &device, QString *error) override;
    QMap<QString, QByteArray> registrations(const QString &user) const override;

private:
    QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace softphone::server::calling
