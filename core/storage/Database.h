#pragma once
// The desktop's SQLite file (call history, contacts, messages) in the user's
// data dir. One QSqlDatabase connection per Database object, used from the GUI
// thread only; the queries are small and indexed, so they do not hold up the
// event loop in practice.

#include <QSqlDatabase>
#include <QString>

namespace softphone::storage {

class Database
{
public:
    // QStandardPaths::AppDataLocation/softphone.sqlite.
    static QString defaultPath();

    explicit Database(const QString &path = defaultPath());
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // False (and error() says why) when the file cannot be opened or migrated.
    bool open();
    bool isOpen() const { return m_db.isOpen(); }
    QString error() const { return m_error; }
    QString path() const { return m_path; }
    QSqlDatabase connection() const { return m_db; }

private:
    bool migrate();

    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
    QString m_error;
};

} // namespace softphone::storage
