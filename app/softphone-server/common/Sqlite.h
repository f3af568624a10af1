#pragma once
// Opens a role's own SQLite file the way every role wants it: WAL, fsync on
// commit (synchronous=FULL), a busy timeout instead of immediate SQLITE_BUSY.

#include <QSqlDatabase>
#include <QString>

namespace softphone::server {

// The connection is registered under connectionName (QSqlDatabase::database(name));
// on failure returns an invalid/closed database and fills *error.
QSqlDatabase openSqlite(const QString &path, const QString &connectionName, QString *error);

// Runs each statement in order (schema setup); false with the failing statement's error.
bool execAll(QSqlDatabase &db, const QStringList &statements, QString *error);

} // namespace softphone::server
