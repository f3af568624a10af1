#include "SignedInClient.h"

#include "client/CallVoice.h"

#include <QTest>

namespace softphone::test {

QString passwordOf(const QString &user)
{
    return user + QStringLiteral("-correct-horse-battery");
}

bool startWithUsers(ServerProcess &server, const QStringList &users)
{
    if (!server.start())
        return false;
    for (const QString &user : users)
        if (!server.addUser(user, passwordOf(user)))
            return false;
    return true;
}

std::unique_ptr<client::SoftphoneClient> signIn(ServerProcess &server, const QString &user,
                                                const QString &device,
                                                const client::ClientCapabilities &caps)
{
    const QString token = server.login(user, passwordOf(user), device);
    if (token.isEmpty())
        return nullptr;
    client::ClientConfig config;
    config.serviceUrl = server.callingUrl();
    config.userId = user;
    config.deviceId = device;
    config.capabilities = caps;
    auto client = std::make_unique<client::SoftphoneClient>(config);
    client->setCallMedia(client::CallVoice::create);
    client->setAccessToken(token);
    if (!client->start() || !QTest::qWaitFor([&] { return client->isStarted(); }, 15000))
        return nullptr;
    return client;
}

} // namespace softphone::test
