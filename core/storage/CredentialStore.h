#pragma once
// The refresh credential of a signed-in account, kept in the OS keychain
// (core/keychain: QtKeychain, Secret Service on Linux, in this process or in a
// child), never in a file of ours. Entry: service "softphone", key
// "<server>/<user>", text. Every operation is
// asynchronous and ends in exactly one call of its callback (which may be
// empty), made only while its context object lives, as connect() does.

#include <QObject>
#include <QString>
#include <functional>

namespace softphone::keychain {
class Keychain;
struct Request;
} // namespace softphone::keychain

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

    // keychain: who does the work (it outlives this store).
    explicit CredentialStore(keychain::Keychain &keychain, QObject *parent = nullptr);
    // Another keychain service name, so tests can keep to their own entries.
    CredentialStore(keychain::Keychain &keychain, const QString &service,
                    QObject *parent = nullptr);

    QString service() const { return m_service; }
    static QString entryKey(const QString &server, const QString &user);

    void read(const QString &server, const QString &user, QObject *context, Callback done);
    void write(const QString &server, const QString &user, const QString &secret, QObject *context,
               Callback done);
    // Deleting an entry that does not exist is Ok (the outcome the caller wants).
    void remove(const QString &server, const QString &user, QObject *context, Callback done);

private:
    void run(const keychain::Request &request, QObject *context, Callback done);

    keychain::Keychain &m_keychain;
    QString m_service;
};

} // namespace softphone::storage
