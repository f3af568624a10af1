#include "KeychainSecretStore.h"

#include <qt6keychain/keychain.h>

namespace softphone::push {

KeychainSecretStore::KeychainSecretStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{}

void KeychainSecretStore::read(const QString &key, const QObject *context, ReadDone done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(key);
    // Never fall back to a plain-text settings file: a secret is kept in the keychain or nowhere.
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *j) {
        auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (j->error() == QKeychain::EntryNotFound)
            done(std::nullopt, QString());
        else if (j->error() != QKeychain::NoError)
            done(std::nullopt, QStringLiteral("keychain: %1").arg(j->errorString()));
        else
            done(readJob->binaryData(), QString());
    });
    job->start();
}

void KeychainSecretStore::write(const QString &key, const QByteArray &data, const QObject *context,
                                WriteDone done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setKey(key);
    job->setInsecureFallback(false);
    job->setBinaryData(data);
    connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError)
            done(false, QStringLiteral("keychain: %1").arg(j->errorString()));
        else
            done(true, QString());
    });
    job->start();
}

void KeychainSecretStore::remove(const QString &key, const QObject *context, WriteDone done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setKey(key);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *j) {
        const bool ok = j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound;
        done(ok, ok ? QString() : QStringLiteral("keychain: %1").arg(j->errorString()));
    });
    job->start();
}

} // namespace softphone::push
