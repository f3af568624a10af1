#pragma once
// The refresh credential of a signed-in account, kept in the OS keychain
// through QtKeychain (Secret Service on Linux), never in a file of ours.
// Entry: service "softphone", key "<server>/<user>". Every operation is
// asynchronous and ends in exactly one call of its callback.

#include <QObject>
#include <QString>
#include <functional>

namespace softphone::storage {

struct CredentialResult
{
    enum class Status { Ok, NotFound, Failed };
    Status status = Status::Failed;
    QString secret;  // Ok on read: the stored refresh token
    QString message; // Failed: the keychain's reason
    bool ok() const { return status == Status::Ok; }
};

class CredentialStore : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const CredentialResult &)>;

    explicit CredentialStore(QObject *parent = nullptr);
    // Another keychain service name, so tests can keep to their own entries.
    explicit CredentialStore(const QString &service, QObject *parent = nullptr);

    QString service() const { return m_service; }
    static QString entryKey(const QString &server, const QString &user);

    void read(const QString &server, const QString &user, Callback done);
    void write(const QString &server, const QString &user, const QString &secret, Callback done);
    // Deleting an entry that does not exist is Ok (the outcome the caller wants).
    void remove(const QString &server, const QString &user, Callback done);

private:
    QString m_service;
};

} // namespace softphone::storage
