#include "KeychainSecretStore.h"

#include "keychain/Keychain.h"

#include <QPointer>

namespace softphone::push {

using keychain::Reply;
using keychain::Request;

namespace {

QString failure(const Reply &reply)
{
    return QStringLiteral("keychain: %1").arg(reply.message);
}

} // namespace

KeychainSecretStore::KeychainSecretStore(keychain::Keychain &keychain, const QString &service,
                                         QObject *parent)
    : QObject(parent)
    , m_keychain(keychain)
    , m_service(service)
{}

// Each answer runs only while both the context and this store live (PushSecretStore.h).
void KeychainSecretStore::read(const QString &key, const QObject *context, ReadDone done)
{
    m_keychain.run({Request::Operation::Read, m_service, key, true}, context,
                   [store = QPointer(this), done = std::move(done)](const Reply &reply) {
                       if (!store)
                           return;
                       if (reply.status == Reply::Status::NotFound)
                           done(std::nullopt, QString());
                       else if (reply.status == Reply::Status::Failed)
                           done(std::nullopt, failure(reply));
                       else
                           done(reply.data, QString());
                   });
}

void KeychainSecretStore::write(const QString &key, const QByteArray &data, const QObject *context,
                                WriteDone done)
{
    m_keychain.run({Request::Operation::Write, m_service, key, true, data}, context,
                   [store = QPointer(this), done = std::move(done)](const Reply &reply) {
                       if (!store)
                           return;
                       const bool ok = reply.status == Reply::Status::Ok;
                       done(ok, ok ? QString() : failure(reply));
                   });
}

void KeychainSecretStore::remove(const QString &key, const QObject *context, WriteDone done)
{
    m_keychain.run({Request::Operation::Remove, m_service, key, true}, context,
                   [store = QPointer(this), done = std::move(done)](const Reply &reply) {
                       if (!store)
                           return;
                       const bool ok = reply.status != Reply::Status::Failed;
                       done(ok, ok ? QString() : failure(reply));
                   });
}

} // namespace softphone::push
