#include "Sqlite.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

namespace softphone::server {

QSqlDatabase openSqlite(const QString &path, const QString &connectionName, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        *error = QStringLiteral("cannot open database %1: %2").arg(path, db.lastError().text());
        return db;
    }
    // The files hold password hashes and tokens: owner only.
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QString e;
    if (!execAll(db,
                 {QStringLiteral("PRAGMA journal_mode=WAL"),
                  QStringLiteral("PRAGMA synchronous=FULL"),
                  QStringLiteral("PRAGMA foreign_keys=ON")},
                 &e)) {
        *error = QStringLiteral("cannot set up database %1: %2").arg(path, e);
        db.close();
    }
    return db;
}

bool execAll(QSqlDatabase &db, const QStringList &statements, QString *error)
{
    for (const QString &statement : statements) {
        QSqlQuery q(db);
        if (!q.exec(statement)) {
            *error = QStringLiteral("%1: %2").arg(statement.left(60), q.lastError().text());
            return false;
        }
    }
    return true;
}

} // namespace softphone::server
