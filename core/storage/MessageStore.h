#pragma once
// Text messages by conversation (one conversation per remote user). Outgoing
// messages carry their delivery status; incoming ones are unread until the
// user opens the conversation. A message id is stored once: a message the
// service delivers twice is not shown twice.

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

namespace softphone::storage {

class Database;

struct ChatMessage
{
    enum class Status { Pending = 0, Sent = 1, Delivered = 2, Failed = 3, Unread = 4, Read = 5 };
    qint64 id = 0;
    QString messageId;
    QString peer;
    bool outgoing = false;
    QString text;
    QDateTime at;
    Status status = Status::Pending;
};

struct Conversation
{
    QString peer;
    QString lastText;
    QDateTime lastAt;
    int unread = 0;
};

class MessageStore : public QObject
{
    Q_OBJECT

public:
    explicit MessageStore(Database &database, QObject *parent = nullptr);

    bool addOutgoing(const QString &messageId, const QString &peer, const QString &text);
    // False when the message id is already stored (a redelivery) or on failure.
    bool addIncoming(const QString &messageId, const QString &from, const QString &text,
                     const QDateTime &sentAt);
    // Outgoing only; a status never goes back (Delivered stays Delivered).
    bool setStatus(const QString &messageId, ChatMessage::Status status);

    QList<Conversation> conversations() const;                               // most recent first
    QList<ChatMessage> messages(const QString &peer, int limit = 500) const; // oldest first
    int unreadCount(const QString &peer) const;
    int totalUnread() const;
    void markRead(const QString &peer);

signals:
    void changed(const QString &peer);
    void unreadCountChanged(int total);

private:
    Database &m_db;
};

} // namespace softphone::storage
