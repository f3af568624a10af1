#include "ContactBook.h"

#include "Database.h"
#include "common/Logging.h"

#include <QSqlError>
#include <QSqlQuery>

namespace softphone::storage {

ContactBook::ContactBook(Database &database, QObject *parent)
    : QObject(parent)
    , m_db(database)
{}

bool ContactBook::save(const QString &userId, const QString &displayName)
{
    const QString id = userId.trimmed();
    if (id.isEmpty())
        return false;
    QSqlQuery query(m_db.connection());
    query.prepare(
        QStringLiteral("INSERT INTO contacts (user_id, display_name) VALUES (?, ?)"
                       " ON CONFLICT(user_id) DO UPDATE SET display_name = excluded.display_name"));
    query.addBindValue(id);
    query.addBindValue(displayName.trimmed().isEmpty() ? id : displayName.trimmed());
    if (!query.exec()) {
        qCWarning(lcStorage) << "cannot save a contact:" << query.lastError().text();
        return false;
    }
    emit changed();
    return true;
}

bool ContactBook::remove(const QString &userId)
{
    QSqlQuery query(m_db.connection());
    query.prepare(QStringLiteral("DELETE FROM contacts WHERE user_id = ?"));
    query.addBindValue(userId);
    if (!query.exec() || query.numRowsAffected() != 1)
        return false;
    emit changed();
    return true;
}

QList<Contact> ContactBook::all() const
{
    QList<Contact> contacts;
    QSqlQuery query(m_db.connection());
    if (!query.exec(QStringLiteral("SELECT id, user_id, display_name FROM contacts"
                                   " ORDER BY display_name COLLATE NOCASE, user_id")))
        return contacts;
    while (query.next())
        contacts.append(
            {query.value(0).toLongLong(), query.value(1).toString(), query.value(2).toString()});
    return contacts;
}

QString ContactBook::displayName(const QString &userId) const
{
    QSqlQuery query(m_db.connection());
    query.prepare(QStringLiteral("SELECT display_name FROM contacts WHERE user_id = ?"));
    query.addBindValue(userId);
    if (query.exec() && query.next())
        return query.value(0).toString();
    return {};
}

} // namespace softphone::storage
