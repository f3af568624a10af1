#include "CredentialStore.h"

#include "common/Logging.h"

#include <QPointer>
#include <qt6keychain/keychain.h>

namespace softphone::storage {

namespace {

CredentialResult resultOf(const QKeychain::Job *job)
{
    CredentialResult result;
    switch (job->error()) {
    case QKeychain::NoError:
        result.status = CredentialResult::Status::Ok;
        break;
    case QKeychain::EntryNotFound:
        result.status = CredentialResult::Status::NotFound;
        break;
    default:
        result.status = CredentialResult::Status::Failed;
        result.message = job->errorString();
        break;
    }
    return result;
}

} // namespace

CredentialStore::CredentialStore(QObject *parent)
    : CredentialStore(QStringLiteral("softphone"), parent)
{}

CredentialStore::CredentialStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{}

QString CredentialStore::entryKey(const QString &server, const QString &user)
{
    QString host = server;
    while (host.endsWith(QLatin1Char('/')))
        host.chop(1);
    return host + QLatin1Char('/') + user;
}

void CredentialStore::read(const QString &server, const QString &user, QObject *context,
                           Callback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(entryKey(server, user));
    run(job, Operation::Read, context, std::move(done));
}

void CredentialStore::write(const QString &server, const QString &user, const QString &secret,
                            QObject *context, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setKey(entryKey(server, user));
    job->setTextData(secret);
    run(job, Operation::Write, context, std::move(done));
}

void CredentialStore::remove(const QString &server, const QString &user, QObject *context,
                             Callback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setKey(entryKey(server, user));
    run(job, Operation::Remove, context, std::move(done));
}

void CredentialStore::run(QKeychain::Job *job, Operation operation, QObject *context, Callback done)
{
    Q_ASSERT(context);
    job->setAutoDelete(true);
    // Without a keychain we refuse rather than fall back to a plain file.
    job->setInsecureFallback(false);
    connect(
        job, &QKeychain::Job::finished, this,
        [operation, guard = QPointer<QObject>(context), done = std::move(done)](QKeychain::Job *j) {
            CredentialResult result = resultOf(j);
            if (operation == Operation::Read && result.ok())
                result.secret = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
            if (operation == Operation::Remove &&
                result.status == CredentialResult::Status::NotFound)
                result.status = CredentialResult::Status::Ok;
            if (result.status == CredentialResult::Status::Failed)
                qCWarning(lcStorage) << "keychain"
                                     << (operation == Operation::Read    ? "read"
                                         : operation == Operation::Write ? "write"
                                                                         : "delete")
                                     << "failed:" << result.message;
            if (guard && done)
                done(result);
        });
    job->start();
}

} // namespace softphone::storage
