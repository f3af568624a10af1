#include "AttackSetup.h"

#include <QDebug>

namespace softphone::test {

std::unique_ptr<ServerProcess> startServerWithUsers(const QStringList &users,
                                                    const QStringList &extraArgs)
{
    auto server = std::make_unique<ServerProcess>(extraArgs);
    if (!server->start()) {
        qWarning() << "the server did not start:" << server->lastError();
        return nullptr;
    }
    for (const QString &user : users) {
        if (!server->addUser(user, kAttackPassword)) {
            qWarning() << "cannot add user" << user;
            return nullptr;
        }
    }
    return server;
}

bool CallingAttack::startServer(const QStringList &users, const QStringList &extraArgs)
{
    m_server = startServerWithUsers(users, extraArgs);
    return m_server != nullptr;
}

std::unique_ptr<RawCallingClient> signedIn(const ServerProcess &server, const QString &token,
                                           const QString &device,
                                           const protocol::Capabilities &caps)
{
    auto client = std::make_unique<RawCallingClient>();
    if (!client->signIn(server.callingUrl(), token, device, caps))
        return nullptr;
    return client;
}

std::unique_ptr<RawCallingClient> signedInAs(const ServerProcess &server, const QString &user,
                                             const QString &device,
                                             const protocol::Capabilities &caps)
{
    return signedIn(server, serviceToken(server, user), device, caps);
}

} // namespace softphone::test
