#include "CallHistory.h"

#include "Database.h"
#include "common/Logging.h"

#include <QSqlError>
#include <QSqlQuery>

namespace softphone::storage {

CallHistory::CallHistory(Database &database, QObject *parent)
    : QObject(parent)
    , m_db(database)
{}

qint64 CallHistory::add(const CallRecord &record)
{
    QSqlQuery query(m_db.connection());
    query.prepare(QStringLiteral(
        "INSERT INTO calls (call_id, remote_user, outgoing, missed, started_at, duration_ms,"
        " end_cause, subject, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(record.callId);
    query.addBindValue(record.remoteUser);
    query.addBindValue(record.outgoing ? 1 : 0);
    query.addBindValue(record.missed ? 1 : 0);
    query.addBindValue(record.startedAt.toMSecsSinceEpoch());
    query.addBindValue(record.durationMs);
    // Null QStrings bind as SQL NULL; the columns are NOT NULL.
    query.addBindValue(record.endCause.isNull() ? QStringLiteral("") : record.endCause);
    query.addBindValue(record.subject.isNull() ? QStringLiteral("") : record.subject);
    query.addBindValue(record.missed ? 0 : 1);
    if (!query.exec()) {
        qCWarning(lcStorage) << "cannot store a call:" << query.lastError().text();
        return 0;
    }
    emit changed();
    if (record.missed)
        emit unseenMissedCountChanged(unseenMissedCount());
    return query.lastInsertId().toLongLong();
}

QList<CallRecord> CallHistory::recent(int limit) const
{
    QSqlQuery query(m_db.connection());
    query.prepare(QStringLiteral(
        "SELECT id, call_id, remote_user, outgoing, missed, started_at, duration_ms, end_cause,"
        " subject, seen FROM calls ORDER BY started_at DESC, id DESC LIMIT ?"));
    query.addBindValue(limit);
    QList<CallRecord> records;
    if (!query.exec())
        return records;
    while (query.next()) {
        CallRecord r;
        r.id = query.value(0).toLongLong();
        r.callId = query.value(1).toString();
        r.remoteUser = query.value(2).toString();
        r.outgoing = query.value(3).toBool();
        r.missed = query.value(4).toBool();
        r.startedAt = QDateTime::fromMSecsSinceEpoch(query.value(5).toLongLong());
        r.durationMs = query.value(6).toLongLong();
        r.endCause = query.value(7).toString();
        r.subject = query.value(8).toString();
        r.seen = query.value(9).toBool();
        records.append(r);
    }
    return records;
}

int CallHistory::unseenMissedCount() const
{
    QSqlQuery query(m_db.connection());
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM calls WHERE missed = 1 AND seen = 0")) ||
        !query.next())
        return 0;
    return query.value(0).toInt();
}

void CallHistory::markMissedSeen()
{
    if (unseenMissedCount() == 0)
        return;
    QSqlQuery query(m_db.connection());
    query.exec(QStringLiteral("UPDATE calls SET seen = 1 WHERE seen = 0"));
    emit changed();
    emit unseenMissedCountChanged(0);
}

bool CallHistory::remove(qint64 id)
{
    QSqlQuery query(m_db.connection());
    query.prepare(QStringLiteral("DELETE FROM calls WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec() || query.numRowsAffected() != 1)
        return false;
    emit changed();
    emit unseenMissedCountChanged(unseenMissedCount());
    return true;
}

QStringList CallHistory::remoteUsers(int limit) const
{
    QSqlQuery query(m_db.connection());
    query.prepare(QStringLiteral("SELECT remote_user, MAX(started_at) AS last FROM calls"
                                 " GROUP BY remote_user ORDER BY last DESC LIMIT ?"));
    query.addBindValue(limit);
    QStringList users;
    if (query.exec()) {
        while (query.next())
            users.append(query.value(0).toString());
    }
    return users;
}

} // namespace softphone::storage
