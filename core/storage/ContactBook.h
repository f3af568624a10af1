#pragma once
// The user's own local contact list: a user id and the name to show.

#include <QList>
#include <QObject>
#include <QString>

namespace softphone::storage {

class Database;

struct Contact
{
    qint64 id = 0;
    QString userId;
    QString displayName;
};

class ContactBook : public QObject
{
    Q_OBJECT

public:
    explicit ContactBook(Database &database, QObject *parent = nullptr);

    // Adds or renames (the user id is the identity). False when the user id is
    // empty or the database refuses.
    bool save(const QString &userId, const QString &displayName);
    bool remove(const QString &userId);
    QList<Contact> all() const;                       // sorted by name
    QString displayName(const QString &userId) const; // empty when unknown

signals:
    void changed();

private:
    Database &m_db;
};

} // namespace softphone::storage
