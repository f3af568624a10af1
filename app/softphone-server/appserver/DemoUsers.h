#pragma once
// `--demo`: alice, bob and carol with random passwords, kept in
// <dataDir>/demo-users.json (mode 0600) so a restart prints the same ones.

#include "AccountStore.h"

#include <QJsonObject>

namespace softphone::server::appserver {

class DemoUsers
{
public:
    static const QStringList &names();
    // Creates the demo users that do not exist yet; returns {"alice":"pw",...} for
    // every demo user whose password is known (one added earlier by `user add` is not).
    static std::optional<QJsonObject> ensure(AccountStore &store, const QString &dataDir,
                                             const crypto::ScryptCost &cost, QString *error);
};

} // namespace softphone::server::appserver
