#include "SqliteMigration.h"

#include "softphone-server/appserver/SqlAccountStore.h"
#include "softphone-server/calling/SqlMessageStore.h"
#include "softphone-server/calling/SqlPushRegistrationStore.h"
#include "softphone-server/common/ServerOptions.h"
#include "softphone-server/common/SqlDatabase.h"
#include "softphone-server/push/SqlPushStore.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace softphone::server {

namespace {

const QStringList kParts{QStringLiteral("accounts"), QStringLiteral("calling"),
                         QStringLiteral("push")};

// Every table of the newest schema version, parents before children; rows in
// their SQLite order (rowid), which the PostgreSQL tables' own order columns
// (BIGSERIAL ids) then follow. serial: a column whose numbers are copied as
// they are, so its sequence is moved past them afterwards. Not copied:
// accounts.refresh_retries (copies kept a minute for a refresh's retry; the
// server is stopped, so none is still wanted).
struct Table
{
    const char *part;
    const char *name;
    const char *columns;
    const char *serial;
};
const Table kTables[] = {
    {"accounts", "users", "name, password_hash, created_at, disabled", nullptr},
    {"accounts", "refresh_tokens", "token_hash, \"user\", device, expires_at", nullptr},
    {"accounts", "revocations", "seq, \"user\", at", "seq"},
    {"calling", "push_registrations", "\"user\", device, data, updated_at", nullptr},
    {"calling", "messages", "id, recipient, sender, text, headers, sent_at", nullptr},
    {"calling", "message_deliveries", "id, recipient, device", nullptr},
    {"push", "devices", "uaid, created_ms", nullptr},
    {"push", "subscriptions", "token, uaid, channel_id, vapid_key, gone, created_ms", nullptr},
    {"push", "messages",
     "seq, version, uaid, channel_id, data, topic, urgency, expires_ms, created_ms", "seq"},
};

QString qualified(const Table &table)
{
    return QString::fromLatin1(table.part) + u'.' + QString::fromLatin1(table.name);
}

// The stores' own migrations bring a part's tables to the newest version (on
// the SQLite side too, as the server's start would).
bool bringUpToDate(const SqlDatabase &where, const QString &part, QString *error)
{
    if (part == u"accounts") {
        appserver::SqlAccountStore accounts;
        return accounts.open(where, error);
    }
    if (part == u"calling") {
        calling::SqlPushRegistrationStore registrations;
        calling::SqlMessageStore messages;
        return registrations.open(where, error) && messages.open(where, error);
    }
    push::SqlPushStore store;
    return store.open(where, error);
}

bool copyTable(QSqlDatabase &from, QSqlDatabase &to, const Table &table, qint64 *rows,
               QString *error)
{
    const QString columns = QString::fromLatin1(table.columns);
    QSqlQuery read(from);
    read.setForwardOnly(true);
    if (!read.exec(QStringLiteral("SELECT %1 FROM %2 ORDER BY rowid")
                       .arg(columns, QString::fromLatin1(table.name)))) {
        *error =
            QStringLiteral("cannot read %1: %2").arg(qualified(table), read.lastError().text());
        return false;
    }
    const int count = int(columns.count(u',') + 1);
    QStringList marks(count, QStringLiteral("?"));
    QSqlQuery write(to);
    if (!write.prepare(QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                           .arg(qualified(table), columns, marks.join(u',')))) {
        *error =
            QStringLiteral("cannot write %1: %2").arg(qualified(table), write.lastError().text());
        return false;
    }
    *rows = 0;
    while (read.next()) {
        for (int i = 0; i < count; ++i)
            write.bindValue(i, read.value(i));
        if (!write.exec()) {
            *error = QStringLiteral("cannot copy row %1 of %2: %3")
                         .arg(*rows + 1)
                         .arg(qualified(table), write.lastError().text());
            return false;
        }
        ++*rows;
    }
    if (!table.serial)
        return true;
    QSqlQuery sequence(to);
    const QString serial = QString::fromLatin1(table.serial);
    if (!sequence.exec(QStringLiteral("SELECT setval(pg_get_serial_sequence('%1', '%2'), "
                                      "COALESCE((SELECT MAX(%2) FROM %1), 0) + 1, false)")
                           .arg(qualified(table), serial))) {
        *error = QStringLiteral("cannot move the sequence of %1: %2")
                     .arg(qualified(table), sequence.lastError().text());
        return false;
    }
    return true;
}

// Removes the migration's connections once their queries are gone.
struct Connections
{
    QStringList names;
    ~Connections()
    {
        for (const QString &name : std::as_const(names)) {
            QSqlDatabase::database(name, false).close();
            QSqlDatabase::removeDatabase(name);
        }
    }
};

} // namespace

int migrateFromSqlite(const QString &sqliteDir, const ServerOptions &options, QTextStream &out,
                      QTextStream &err)
{
    if (!options.database.startsWith(u"postgresql://")) {
        err << "softphone-server: migrate-from-sqlite DIR needs --database postgresql://...\n";
        return 2;
    }
    if (!QFileInfo(sqliteDir).isDir()) {
        err << "softphone-server: " << sqliteDir << " is not a folder\n";
        return 2;
    }
    QString error;
    QStringList present; // the parts with a SQLite file in the folder
    for (const QString &part : kParts) {
        const QString file = QDir(sqliteDir).filePath(part + QStringLiteral(".db"));
        const auto target = SqlDatabase::forStore(options, part, &error);
        if (!target || !bringUpToDate(*target, part, &error)) {
            err << "softphone-server: " << error << "\n";
            return 1;
        }
        if (!QFileInfo::exists(file)) {
            out << part << ": no " << file << ", nothing to copy\n";
            continue;
        }
        if (!bringUpToDate(SqlDatabase::sqliteFile(file), part, &error)) {
            err << "softphone-server: " << file << ": " << error << "\n";
            return 1;
        }
        present << part;
    }

    Connections connections;
    connections.names << QStringLiteral("migrate-to");
    const auto where = SqlDatabase::postgresUrl(options.database, &error);
    QSqlDatabase to = where ? where->open(QStringLiteral("migrate-to"), &error) : QSqlDatabase();
    if (!to.isOpen()) {
        err << "softphone-server: " << error << "\n";
        return 1;
    }
    // Refused before anything is written: a second run, or a database in use.
    QStringList holding;
    for (const Table &table : kTables) {
        QSqlQuery count(to);
        if (!count.exec(QStringLiteral("SELECT COUNT(*) FROM ") + qualified(table)) ||
            !count.next()) {
            err << "softphone-server: cannot read " << qualified(table) << ": "
                << count.lastError().text() << "\n";
            return 1;
        }
        if (count.value(0).toLongLong() > 0)
            holding << QStringLiteral("%1 (%2 rows)")
                           .arg(qualified(table))
                           .arg(count.value(0).toLongLong());
    }
    if (!holding.isEmpty()) {
        err << "softphone-server: " << where->displayName()
            << " already holds data: " << holding.join(QStringLiteral(", "))
            << "; migrate into an empty database (nothing was copied)\n";
        return 1;
    }

    // One transaction: all of it or nothing.
    if (!to.transaction()) {
        err << "softphone-server: " << to.lastError().text() << "\n";
        return 1;
    }
    QStringList report;
    qint64 total = 0;
    for (const QString &part : std::as_const(present)) {
        const QString name = QStringLiteral("migrate-from-") + part;
        connections.names << name;
        QSqlDatabase from =
            SqlDatabase::sqliteFile(QDir(sqliteDir).filePath(part + QStringLiteral(".db")))
                .open(name, &error);
        if (!from.isOpen()) {
            to.rollback();
            err << "softphone-server: " << error << "\n";
            return 1;
        }
        for (const Table &table : kTables) {
            if (part != QLatin1String(table.part))
                continue;
            qint64 rows = 0;
            if (!copyTable(from, to, table, &rows, &error)) {
                to.rollback();
                err << "softphone-server: " << error << " (nothing was copied)\n";
                return 1;
            }
            report << QStringLiteral("%1: %2").arg(qualified(table)).arg(rows);
            total += rows;
        }
    }
    if (!to.commit()) {
        err << "softphone-server: cannot commit: " << to.lastError().text()
            << " (nothing was copied)\n";
        to.rollback();
        return 1;
    }
    for (const QString &line : std::as_const(report))
        out << line << "\n";
    out << "copied " << total << " rows from " << QDir(sqliteDir).absolutePath() << " into "
        << where->displayName() << "\n";
    return 0;
}

} // namespace softphone::server
