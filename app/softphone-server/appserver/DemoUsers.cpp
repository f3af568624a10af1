#include "DemoUsers.h"

#include "crypto/PasswordHash.h"
#include "crypto/Random.h"
#include "softphone-server/common/ServerLogging.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace softphone::server::appserver {

const QStringList &DemoUsers::names()
{
    static const QStringList kNames{QStringLiteral("alice"), QStringLiteral("bob"),
                                    QStringLiteral("carol")};
    return kNames;
}

std::optional<QJsonObject> DemoUsers::ensure(AccountStore &store, const QString &dataDir,
                                             const crypto::ScryptCost &cost, QString *error)
{
    const QString path = QDir(dataDir).filePath(QStringLiteral("demo-users.json"));
    QJsonObject known;
    QFile in(path);
    if (in.open(QIODevice::ReadOnly)) {
        const QJsonDocument doc = QJsonDocument::fromJson(in.readAll());
        if (!doc.isObject()) {
            *error = QStringLiteral("%1 is not a JSON object; remove it to start over").arg(path);
            return std::nullopt;
        }
        known = doc.object();
    }

    QJsonObject result;
    bool changed = false;
    for (const QString &name : names()) {
        const bool exists = store.passwordHash(name).has_value();
        if (exists) {
            if (known.value(name).isString())
                result.insert(name, known.value(name));
            continue;
        }
        // Reuse a remembered password (the user was removed) or make a new one.
        QString password = known.value(name).toString();
        if (password.isEmpty())
            password = crypto::randomToken(9);
        if (!store.addUser(name, crypto::hashPassword(password.toUtf8(), cost), error))
            return std::nullopt;
        qCInfo(lcServerApp) << "created demo user" << name;
        result.insert(name, password);
        changed = changed || known.value(name).toString() != password;
        known.insert(name, password);
    }
    if (changed) {
        QSaveFile out(path);
        if (!out.open(QIODevice::WriteOnly)) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, out.errorString());
            return std::nullopt;
        }
        out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        out.write(QJsonDocument(known).toJson());
        if (!out.commit()) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, out.errorString());
            return std::nullopt;
        }
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    return result;
}

} // namespace softphone::server::appserver
