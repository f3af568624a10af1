#include "MessageStore.h"

#include "Database.h"
#include "common/Logging.h"

#include <QSqlError>
#include <QSqlQuery>

namespace softphone::storage {

namespace {

bool insert(Database &db, const QString &messageId, const QString &peer, bool outgoing,
            const QString &text, const QDateTime &at, ChatMessage::Status status)
{
    QSqlQuery query(db.connection());
    query.prepare(QStringLiteral("INSERT OR IGNORE INTO messages (message_id, peer, outgoing, text,"
                                 " at, status) VALUES (?, ?, ?, ?, ?, ?)"));
    query.addBindValue(messageId);
    query.addBindValue(peer);
    query.addBindValue(outgoing ? 1 : 0);
    query.addBindValue(text);
    query.addBindValue(at.toMSecsSinceEpoch());
    query.addBindValue(int(status));
    if (!query.exec()) {
        qCWarning(lcStorage) << "cannot store a message:" << query.lastError().text();
        return false;
    }
    return query.numRowsAffected() == 1;
}

} // namespace

MessageStore::MessageStore(Database &database, QObject *parent)
    : QObject(parent)
    , m_db(database)
{}

bool MessageStore::addOutgoing(const QString &messageId, const QString &peer, const QString &text)
{
    if (messageId.isEmpty() || peer.isEmpty() || text.isEmpty())
        return false;
    if (!insert(m_db, messageId, peer, true, text, QDateTime::currentDateTimeUtc(),
                ChatMessage::Status::Pending))
        return false;
    emit changed(peer);
    return true;
}

bool MessageStore::addIncoming(const QString &messageId, const QString &from, const QString &text,
                               const QDateTime &sentAt)
{
    if (messageId.isEmpty() || from.isEmpty())
        return false;
    const QDateTime at = sentAt.isValid() ? sentAt : QDateTime::currentDateTimeUtc();
    if (!insert(m_db, messageId, from, false, text, at, ChatMessage::Status::Unread))
        return false;
    emit changed(from);
    emit unreadCountChanged(totalUnread());
    return true;
}

bool MessageStore::setStatus(const QString &messageId, ChatMessage::Status status)
{
    QSqlQuery query(m_db.connection());
    // Status only moves forward: a late "sent" must not undo "delivered".
    query.prepare(
        QStringLiteral("UPDATE messages SET status = ? WHERE message_id = ? AND outgoing = 1"
                       " AND status < ? AND status <> ?"));
    query.addBindValue(int(status));
    query.addBindValue(messageId);
    query.addBindValue(int(status));
    query.addBindValue(int(ChatMessage::Status::Failed));
    if (!query.exec() || query.numRowsAffected() != 1)
        return false;
    QSqlQuery peerQuery(m_db.connection());
    peerQuery.prepare(QStringLiteral("SELECT peer FROM messages WHERE message_id = ?"));
    peerQuery.addBindValue(messageId);
    if (peerQuery.exec() && peerQuery.next())
        emit changed(peerQuery.value(0).toString());
    return true;
}

QList<Conversation> MessageStore::conversations() const
{
    QList<Conversation> result;
    QSqlQuery query(m_db.connection());
    if (!query.exec(QStringLiteral(
            "SELECT m.peer, m.text, m.at,"
            " (SELECT COUNT(*) FROM messages u WHERE u.peer = m.peer AND u.status = 4)"
            " FROM messages m WHERE m.id = (SELECT id FROM messages l WHERE l.peer = m.peer"
            " ORDER BY l.at DESC, l.id DESC LIMIT 1) ORDER BY m.at DESC")))
        return result;
    while (query.next())
        result.append({query.value(0).toString(), query.value(1).toString(),
                       QDateTime::fromMSecsSinceEpoch(query.value(2).toLongLong()),
                       query.value(3).toInt()});
    return result;
}

QList<ChatMessage> MessageStore::messages(const QString &peer, int limit) const
{
    QList<ChatMessage> result;
    QSqlQuery query(m_db.connection());
    query.prepare(QStringLiteral("SELECT * FROM (SELECT id, message_id, peer, outgoing, text, at,"
                                 " status FROM messages WHERE peer = ? ORDER BY at DESC, id DESC"
                                 " LIMIT ?) ORDER BY at, id"));
    query.addBindValue(peer);
    query.addBindValue(limit);
    if (!query.exec())
        return result;
    while (query.next()) {
        ChatMessage m;
        m.id = query.value(0).toLongLong();
        m.messageId = query.value(1).toString();
        m.peer = query.value(2).toString();
        m.outgoing = query.value(3).toBool();
        m.text = query.value(4).toString();
        m.at = QDateTime::fromMSecsSinceEpoch(query.value(5).toLongLong());
        m.status = ChatMessage::Status(query.value(6).toInt());
        result.append(m);
    }
    return result;
}

int MessageStore::unreadCount(const QString &peer) const
{
    QSqlQuery query(m_db.connection());
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM messages WHERE peer = ? AND status = 4"));
    query.addBindValue(peer);
    return query.exec() && query.next() ? query.value(0).toInt() : 0;
}

int MessageStore::totalUnread() const
{
    QSqlQuery query(m_db.connection());
    return query.exec(QStringLiteral("SELECT COUNT(*) FROM messages WHERE status = 4")) &&
                   query.next()
               ? query.value(0).toInt()
               : 0;
}

void MessageStore::markRead(const QString &peer)
{
    if (unreadCount(peer) == 0)
        return;
    QSqlQuery query(m_db.connection());
    query.prepare(QStringLiteral("UPDATE messages SET status = 5 WHERE peer = ? AND status = 4"));
    query.addBindValue(peer);
    query.exec();
    emit changed(peer);
    emit unreadCountChanged(totalUnread());
}

} // namespace softphone::storage
