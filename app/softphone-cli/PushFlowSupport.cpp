#include "PushFlowSupport.h"

#include <QDir>

namespace softphone::cli {

const QCommandLineOption
    kFlowPushUrl(QStringLiteral("push-url"),
                 QStringLiteral("push listen/register, offline: the push service's device "
                                "WebSocket ws(s)://HOST:PORT/v1/push (default: from sign-in)"),
                 QStringLiteral("WS_URL"));
const QCommandLineOption
    kFlowStateDir(QStringLiteral("state-dir"),
                  QStringLiteral("push listen/register, offline: where the push subscription is "
                                 "remembered; secrets go to the keychain"),
                  QStringLiteral("DIR"));

void signInWithKeys(CliSession &session,
                    std::function<void(const client::ServiceKeys &keys)> onReady)
{
    session.signIn([&session, onReady](const client::LoginResult &) {
        auto *keys = new client::ServiceKeysClient(session.appServerUrl(), &session);
        keys->fetch(&session, [&session, keys, onReady](const client::ServiceKeys &fetched,
                                                        const QString &error) {
            keys->deleteLater();
            if (!error.isEmpty())
                session.fail(error, ExitSignInFailed);
            else
                onReady(fetched);
        });
    });
}

void openPushDevice(CliSession &session, const QCommandLineParser &parser,
                    const client::ServiceKeys &keys,
                    std::function<void(CliPushDevice *, const push::PushSubscription &)> onReady)
{
    const QUrl url =
        parser.isSet(kFlowPushUrl) ? QUrl(parser.value(kFlowPushUrl)) : session.login().pushWsUrl;
    if (!url.isValid() || (url.scheme() != u"ws" && url.scheme() != u"wss")) {
        session.fail(QStringLiteral("no push service: give --push-url ws(s)://HOST:PORT/v1/push"),
                     ExitUsage);
        return;
    }
    const QString stateDir = parser.isSet(kFlowStateDir) ? parser.value(kFlowStateDir)
                                                         : CliPushDevice::defaultStateDir();
    if (!QDir().mkpath(stateDir)) {
        session.fail(QStringLiteral("cannot create the state dir %1").arg(stateDir), ExitUsage);
        return;
    }
    auto *device = new CliPushDevice(stateDir, url, keys.vapidKey, &session);
    auto done = std::make_shared<bool>(false);
    QObject::connect(device, &CliPushDevice::ready, &session,
                     [device, onReady, done](const push::PushSubscription &subscription) {
                         CliSession::printEvent({{"event", "push_subscription"},
                                                 {"subscription", subscription.toJson()}});
                         if (!std::exchange(*done, true))
                             onReady(device, subscription);
                     });
    QObject::connect(device, &CliPushDevice::failed, &session, [&session](const QString &reason) {
        session.fail(QStringLiteral("push subscription failed: %1").arg(reason), ExitSignInFailed);
    });
    device->start();
}

} // namespace softphone::cli
