#include "RelayCommands.h"

#include "PushFlowSupport.h"

#include <QJsonDocument>
#include <QPointer>
#include <QTimer>

namespace softphone::cli {

using namespace client;

namespace {

const QCommandLineOption
    kAnswer(QStringLiteral("answer"),
            QStringLiteral("relay, offline: answer a relayed call that rings"));
const QCommandLineOption
    kRelayHangupAfter(QStringLiteral("hangup-after"),
                      QStringLiteral("call, answer, relay, offline: hang up SECONDS after the "
                                     "call is established"),
                      QStringLiteral("SECONDS"));

ClientCapabilities pushedDevice()
{
    ClientCapabilities capabilities;
    capabilities.calling = true;
    capabilities.messaging = true;
    capabilities.push = true;
    return capabilities;
}

// What a pushed device does with the calls and messages its relay brings:
// prints them, answers when asked, hangs up after a while when asked.
struct RelayBehaviour
{
    bool answer = false;
    int hangupAfterMs = -1;
};

void handleIncoming(CliSession &session, Call *call, RelayBehaviour behaviour,
                    std::function<void(Call *)> onEnded)
{
    QJsonObject event = CliSession::callJson(QStringLiteral("incoming"), call);
    event.insert(QLatin1StringView("headers"), QJsonObject::fromVariantMap(call->headersMap()));
    CliSession::printEvent(event);
    session.watchCall(call, std::move(onEnded));
    QPointer<Call> guard(call);
    if (behaviour.hangupAfterMs >= 0)
        QObject::connect(call, &Call::stateChanged, call, [guard, behaviour](CallState state) {
            if (state == CallState::Established)
                QTimer::singleShot(behaviour.hangupAfterMs, guard.data(), [guard] {
                    if (guard)
                        guard->hangup();
                });
        });
    if (behaviour.answer)
        QTimer::singleShot(0, call, [guard] {
            if (guard)
                guard->answer();
        });
}

void printMessage(const InstantMessage &message)
{
    CliSession::printEvent({{"event", "message"},
                            {"messageId", message.id},
                            {"from", message.from},
                            {"text", message.text},
                            {"headers", protocol::headersToJson(message.headers)},
                            {"sentAt", message.sentAt.toString(Qt::ISODateWithMs)}});
}

void printRelayEnded(const QString &callId, EndCause cause)
{
    CliSession::printEvent(
        {{"event", "relay_ended"}, {"callId", callId}, {"cause", endCauseName(cause)}});
}

QString behaviourFrom(const QCommandLineParser &parser, RelayBehaviour *behaviour)
{
    behaviour->answer = parser.isSet(kAnswer);
    if (parser.isSet(kRelayHangupAfter)) {
        bool ok = false;
        const double seconds = parser.value(kRelayHangupAfter).toDouble(&ok);
        if (!ok || seconds < 0 || seconds > 86400)
            return QStringLiteral("--hangup-after needs seconds (0-86400)");
        behaviour->hangupAfterMs = int(seconds * 1000);
    }
    return {};
}

QString runRelay(CliSession &session, const QCommandLineParser &parser, const QStringList &args)
{
    if (args.size() != 1)
        return QStringLiteral("relay needs exactly one PAYLOAD");
    RelayBehaviour behaviour;
    if (QString problem = behaviourFrom(parser, &behaviour); !problem.isEmpty())
        return problem;
    const QString payload = args.first();
    signInWithKeys(session, [&session, payload, behaviour](const ServiceKeys &keys) {
        SoftphoneClient *client = session.createClient(pushedDevice());
        client->setPayloadKey(keys.payloadKeyPem);
        QObject::connect(client, &SoftphoneClient::incomingCall, &session,
                         [&session, behaviour](Call *call) {
                             handleIncoming(session, call, behaviour,
                                            [&session](Call *) { session.finish(ExitOk); });
                         });
        QObject::connect(client, &SoftphoneClient::relayedCallEnded, &session,
                         [&session](const QString &callId, EndCause cause) {
                             printRelayEnded(callId, cause);
                             session.finish(ExitOk);
                         });
        const NotificationResult result = client->relayRemotePushNotificationPayload(payload);
        QJsonObject event = result.toJson();
        event.insert(QLatin1StringView("event"), QStringLiteral("relay_result"));
        CliSession::printEvent(event);
        if (!result.isValid()) {
            session.fail(QStringLiteral("invalid payload: %1").arg(result.error()), ExitCallFailed);
            return;
        }
        if (result.isMessage()) {
            QObject::connect(client->messaging(), &Messaging::incomingMessage, &session,
                             [&session, id = result.messageId()](const InstantMessage &message) {
                                 printMessage(message);
                                 if (message.id == id)
                                     session.finish(ExitOk);
                             });
            return;
        }
        if (!result.isCall() || result.isTimedOut())
            session.finish(ExitOk); // a cancel or a missed call: nothing to wait for
    });
    return {};
}

// Holds only the push channel; every push wakes a client that relays it.
class OfflineDevice : public QObject
{
public:
    OfflineDevice(CliSession &session, ServiceKeys keys, RelayBehaviour behaviour)
        : QObject(&session)
        , m_session(session)
        , m_keys(std::move(keys))
        , m_behaviour(behaviour)
    {}

    void onPush(const push::PushMessage &message)
    {
        const QJsonObject body = QJsonDocument::fromJson(message.payload()).object();
        const QString payload = body.value(QLatin1StringView("softphone")).toString();
        CliSession::printEvent({{"event", "push_received"},
                                {"version", message.version()},
                                {"hasPayload", !payload.isEmpty()}});
        if (payload.isEmpty()) {
            message.reject(); // not ours; keeping it would only bring it back
            return;
        }
        SoftphoneClient *client = clientForRelay();
        const NotificationResult result = client->relayRemotePushNotificationPayload(payload);
        QJsonObject event = result.toJson();
        event.insert(QLatin1StringView("event"), QStringLiteral("relay_result"));
        CliSession::printEvent(event);
        // The relay has taken it (or it can never be used): the service may forget it.
        if (result.isValid())
            message.accept();
        else
            message.reject();
        if (!client->isStarted() && client->activeCalls().isEmpty() && !result.isCall() &&
            !result.isMessage())
            goOffline(); // nothing to connect for
    }

    // The push service gave this device a new endpoint (it forgot the uaid,
    // or the subscription was replaced), or the application server publishes
    // another push-data key than the registration used (a rotation): the
    // calling service must learn the new push data, or calls would be pushed
    // to an endpoint that is gone or sealed to a key that is retired.
    void onSubscription(CliPushDevice *device, const push::PushSubscription &subscription)
    {
        const QString endpoint = subscription.endpoint.toString();
        const bool rotated = device->registeredKeyId() != m_keys.pushDataKeyId;
        if ((m_endpoint.isEmpty() || endpoint == m_endpoint) && !rotated) {
            m_endpoint = endpoint;
            return;
        }
        const bool moved = !m_endpoint.isEmpty() && endpoint != m_endpoint;
        m_endpoint = endpoint;
        CliSession::printEvent(
            moved
                ? QJsonObject{{"event", "push_endpoint_changed"}, {"endpoint", endpoint}}
                : QJsonObject{{"event", "push_data_key_changed"}, {"keyId", m_keys.pushDataKeyId}});
        QString why;
        const QByteArray data = CliPushDevice::pushData(subscription, m_session.login().user,
                                                        m_session.options().device, m_keys, &why);
        if (data.isEmpty()) {
            CliSession::printEvent(
                {{"event", "warning"},
                 {"message", QStringLiteral("push registration failed: %1").arg(why)}});
            return;
        }
        SoftphoneClient *client = clientForRelay();
        connect(
            client->pushRegistration(), &PushRegistration::registered, this,
            [this, device = QPointer<CliPushDevice>(device)] {
                if (device)
                    device->setRegisteredKeyId(m_keys.pushDataKeyId);
                CliSession::printEvent({{"event", "push_registered"}});
                goOfflineLater();
            },
            Qt::SingleShotConnection);
        connect(
            client->pushRegistration(), &PushRegistration::registrationFailed, this,
            [this](const QString &error) {
                CliSession::printEvent(
                    {{"event", "warning"},
                     {"message", QStringLiteral("push registration failed: %1").arg(error)}});
                goOfflineLater();
            },
            Qt::SingleShotConnection);
        client->registerPushNotificationData(data);
        if (!client->isStarted())
            client->start();
    }

private:
    SoftphoneClient *clientForRelay()
    {
        if (m_client && !m_client->isTerminated())
            return m_client;
        m_client = m_session.createClient(pushedDevice());
        m_client->setPayloadKey(m_keys.payloadKeyPem);
        connect(m_client, &SoftphoneClient::incomingCall, this, [this](Call *call) {
            handleIncoming(m_session, call, m_behaviour, [this](Call *) { goOfflineLater(); });
        });
        connect(m_client, &SoftphoneClient::relayedCallEnded, this,
                [this](const QString &callId, EndCause cause) {
                    printRelayEnded(callId, cause);
                    goOfflineLater();
                });
        connect(m_client->messaging(), &Messaging::incomingMessage, this, &printMessage);
        return m_client;
    }

    void goOfflineLater()
    {
        QTimer::singleShot(0, this, [this] {
            if (m_client && m_client->activeCalls().isEmpty())
                goOffline();
        });
    }

    void goOffline()
    {
        if (!m_client)
            return;
        m_client->terminate();
        CliSession::printEvent({{"event", "offline"}});
    }

    CliSession &m_session;
    ServiceKeys m_keys;
    RelayBehaviour m_behaviour;
    QPointer<SoftphoneClient> m_client;
    QString m_endpoint; // of the subscription the calling service knows
};

QString runOffline(CliSession &session, const QCommandLineParser &parser, const QStringList &args)
{
    if (!args.isEmpty())
        return QStringLiteral("offline takes no arguments besides its options");
    RelayBehaviour behaviour;
    if (QString problem = behaviourFrom(parser, &behaviour); !problem.isEmpty())
        return problem;
    signInWithKeys(session, [&session, &parser, behaviour](const ServiceKeys &keys) {
        auto *offline = new OfflineDevice(session, keys, behaviour);
        openPushDevice(
            session, parser, keys,
            [offline](CliPushDevice *device, const push::PushSubscription &subscription) {
                QObject::connect(device->channel(), &push::PushChannel::messageReceived, offline,
                                 &OfflineDevice::onPush);
                offline->onSubscription(device, subscription);
                QObject::connect(device, &CliPushDevice::ready, offline,
                                 [offline, device](const push::PushSubscription &changed) {
                                     offline->onSubscription(device, changed);
                                 });
                CliSession::printEvent({{"event", "offline_ready"}});
            });
    });
    return {};
}

} // namespace

QList<CliCommand> relayCommands()
{
    return {
        {QStringLiteral("relay"),
         QStringLiteral("relay PAYLOAD [--answer] [--hangup-after SECONDS]"),
         QStringLiteral("Relay a push payload: print what it is (relay_result); a live call is "
                        "claimed and rings (answered with --answer); exits when it is over."),
         {kAnswer, kRelayHangupAfter},
         runRelay},
        {QStringLiteral("offline"),
         QStringLiteral("offline [--answer] [--hangup-after SECONDS] [--push-url WS_URL] "
                        "[--state-dir DIR]"),
         QStringLiteral("Hold only the push channel (register first with push register); each "
                        "push starts a client that relays it, prints every step, and goes "
                        "offline again when the call is over. Runs until SIGINT/SIGTERM."),
         {kAnswer, kRelayHangupAfter, kFlowPushUrl, kFlowStateDir},
         runOffline},
    };
}

} // namespace softphone::cli
