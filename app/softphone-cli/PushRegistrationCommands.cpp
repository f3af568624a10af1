#include "PushRegistrationCommands.h"

#include "PushFlowSupport.h"

namespace softphone::cli {

using namespace client;

namespace {

// Only push: this short connection must not look like a device that can ring.
ClientCapabilities pushOnly()
{
    ClientCapabilities capabilities;
    capabilities.calling = false;
    capabilities.push = true;
    return capabilities;
}

QString runRegister(CliSession &session, const QCommandLineParser &parser, const QStringList &args)
{
    if (!args.isEmpty())
        return QStringLiteral("push register takes no arguments besides its options");
    signInWithKeys(session, [&session, &parser](const ServiceKeys &keys) {
        openPushDevice(
            session, parser, keys,
            [&session, keys](CliPushDevice *device, const push::PushSubscription &subscription) {
                QString why;
                const QByteArray data = CliPushDevice::pushData(
                    subscription, session.login().user, session.options().device, keys, &why);
                if (data.isEmpty()) {
                    session.fail(QStringLiteral("push registration failed: %1").arg(why),
                                 ExitCallFailed);
                    return;
                }
                SoftphoneClient *client = session.createClient(pushOnly());
                QObject::connect(client->pushRegistration(), &PushRegistration::registered,
                                 &session, [&session, device, keyId = keys.pushDataKeyId] {
                                     device->setRegisteredKeyId(keyId);
                                     session.printEvent({{"event", "push_registered"}});
                                     session.finish(ExitOk);
                                 });
                QObject::connect(client->pushRegistration(), &PushRegistration::registrationFailed,
                                 &session, [&session](const QString &error) {
                                     session.fail(QStringLiteral("push registration "
                                                                 "failed: %1")
                                                      .arg(error),
                                                  ExitCallFailed);
                                 });
                client->registerPushNotificationData(data);
                client->start();
            });
    });
    return {};
}

QString runUnregister(CliSession &session, const QCommandLineParser &, const QStringList &args)
{
    if (!args.isEmpty())
        return QStringLiteral("push unregister takes no arguments");
    session.signIn([&session](const LoginResult &) {
        SoftphoneClient *client = session.createClient(pushOnly());
        QObject::connect(client->pushRegistration(), &PushRegistration::unregistered, &session,
                         [&session] {
                             session.printEvent({{"event", "push_unregistered"}});
                             session.finish(ExitOk);
                         });
        QObject::connect(client->pushRegistration(), &PushRegistration::unregistrationFailed,
                         &session, [&session](const QString &error) {
                             session.fail(
                                 QStringLiteral("push unregistration failed: %1").arg(error),
                                 ExitCallFailed);
                         });
        client->unregisterPushNotificationData();
        client->start();
    });
    return {};
}

} // namespace

QList<CliCommand> pushRegistrationCommands()
{
    return {
        {QStringLiteral("push register"),
         QStringLiteral("push register [--push-url WS_URL] [--state-dir DIR]"),
         QStringLiteral("Subscribe this device at the push service and register the "
                        "subscription as its push data; exits once the service stored it."),
         {kFlowPushUrl, kFlowStateDir},
         runRegister},
        {QStringLiteral("push unregister"),
         QStringLiteral("push unregister"),
         QStringLiteral("Remove this device's push registration: no more pushes."),
         {},
         runUnregister},
    };
}

} // namespace softphone::cli
