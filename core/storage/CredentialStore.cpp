#include "CredentialStore.h"

#include "common/Logging.h"
#include "keychain/Keychain.h"

#include <QPointer>

namespace softphone::storage {

using keychain::Reply;
using keychain::Request;

CredentialStore::CredentialStore(keychain::Keychain &keychain, QObject *parent)
    : CredentialStore(keychain, QStringLiteral("softphone"), parent)
{}

CredentialStore::CredentialStore(keychain::Keychain &keychain, const QString &service,
                                 QObject *parent)
    : QObject(parent)
    , m_keychain(keychain)
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
    run({Request::Operation::Read, m_service, entryKey(server, user)}, context, std::move(done));
}

void CredentialStore::write(const QString &server, const QString &user, const QString &secret,
                            QObject *context, Callback done)
{
    run({Request::Operation::Write, m_service, entryKey(server, user), false, secret.toUtf8()},
        context, std::move(done));
}

void CredentialStore::remove(const QString &server, const QString &user, QObject *context,
                             Callback done)
{
    run({Request::Operation::Remove, m_service, entryKey(server, user)}, context, std::move(done));
}

void CredentialStore::run(const Request &request, QObject *context, Callback done)
{
    Q_ASSERT(context);
    // The answer comes while this store lives (it logs a failure), and reaches
    // done only while the caller's context does.
    const auto operation = request.operation;
    m_keychain.run(request, this,
                   [operation, guard = QPointer<QObject>(context),
                    done = std::move(done)](const Reply &reply) {
                       CredentialResult result;
                       switch (reply.status) {
                       case Reply::Status::Ok:
                           result.status = CredentialResult::Status::Ok;
                           if (operation == Request::Operation::Read)
                               result.secret = QString::fromUtf8(reply.data);
                           break;
                       case Reply::Status::NotFound:
                           // Deleting an entry that is not there is what the caller wanted.
                           result.status = operation == Request::Operation::Remove
                                               ? CredentialResult::Status::Ok
                                               : CredentialResult::Status::NotFound;
                           break;
                       case Reply::Status::Failed:
                           result.status = CredentialResult::Status::Failed;
                           result.message = reply.message;
                           qCWarning(lcStorage)
                               << "keychain"
                               << (operation == Request::Operation::Read    ? "read"
                                   : operation == Request::Operation::Write ? "write"
                                                                            : "delete")
                               << "failed:" << result.message;
                           break;
                       }
                       if (guard && done)
                           done(result);
                   });
}

} // namespace softphone::storage
