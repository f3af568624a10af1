#pragma once
// `softphone-server migrate-from-sqlite DIR --database postgresql://...`: moves a
// single-node deployment's stores (the SQLite files accounts.db, calling.db and
// push.db in DIR) into an empty PostgreSQL database, so an operator whose users
// outgrow one machine keeps every account, refresh token, push registration,
// message and stored push (docs/operations.md "From SQLite to PostgreSQL").
// Both sides are brought to the newest schema version by the stores' own
// migrations first; then every row is copied in one PostgreSQL transaction
// (all or nothing), and the counts are printed. A target that already holds
// rows is refused before anything is written.

#include <QString>
#include <QTextStream>

namespace softphone::server {

struct ServerOptions;

// Exit code: 0 copied, 1 failed or refused (the reason on err), 2 bad usage.
int migrateFromSqlite(const QString &sqliteDir, const ServerOptions &options, QTextStream &out,
                      QTextStream &err);

} // namespace softphone::server
