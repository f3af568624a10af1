#include "PushCommands.h"

#include "CliSession.h"
#include "crypto/EcKey.h"
#include "crypto/WebPushEncryption.h"
#include "keychain/InProcessKeychain.h"
#include "push/KeychainSecretStore.h"
#include "push/PushChannel.h"
#include "push/WebPushSender.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStringDecoder>

namespace softphone::cli {

using namespace push;

namespace {

// Exit code of `push send` when the push was not taken (gone, rejected, retry later).
constexpr int kExitNotDelivered = 1;

const QCommandLineOption kPushUrl(QStringLiteral("push-url"),
                                  QStringLiteral("push listen: the push service's device "
                                                 "WebSocket, ws(s)://HOST:PORT/v1/push"),
                                  QStringLiteral("WS_URL"));
const QCommandLineOption
    kStateDir(QStringLiteral("state-dir"),
              QStringLiteral("push listen: where the subscription is remembered "
                             "(default: the user's data dir /push); secrets go to the keychain"),
              QStringLiteral("DIR"));
const QCommandLineOption kName(QStringLiteral("name"),
                               QStringLiteral("push listen: the subscription's name (default cli)"),
                               QStringLiteral("NAME"), QStringLiteral("cli"));
const QCommandLineOption
    kVapidKeyFile(QStringLiteral("vapid-key-file"),
                  QStringLiteral("push send: the application server's P-256 private key (PEM) "
                                 "to sign VAPID with"),
                  QStringLiteral("PEM"));
const QCommandLineOption
    kVapidSubject(QStringLiteral("vapid-subject"),
                  QStringLiteral("push send: the VAPID contact (default mailto:admin@localhost)"),
                  QStringLiteral("URI"), QStringLiteral("mailto:admin@localhost"));
const QCommandLineOption kTtl(QStringLiteral("ttl"),
                              QStringLiteral("push send: seconds the service keeps the push for "
                                             "an offline device (default 60; 0 = now or never)"),
                              QStringLiteral("S"), QStringLiteral("60"));
const QCommandLineOption kUrgency(QStringLiteral("urgency"),
                                  QStringLiteral("push send: very-low, low, normal or high"),
                                  QStringLiteral("U"));
const QCommandLineOption
    kTopic(QStringLiteral("topic"),
           QStringLiteral("push send: replaces an undelivered push with the same topic"),
           QStringLiteral("T"));

QString statusName(PushChannel::Status status)
{
    switch (status) {
    case PushChannel::Status::Stopped:
        return QStringLiteral("stopped");
    case PushChannel::Status::Loading:
        return QStringLiteral("loading");
    case PushChannel::Status::Connecting:
        return QStringLiteral("connecting");
    case PushChannel::Status::Connected:
        return QStringLiteral("connected");
    case PushChannel::Status::Waiting:
        return QStringLiteral("waiting");
    }
    return QString();
}

QString runListen(CliSession &session, const QCommandLineParser &parser, const QStringList &args)
{
    if (!args.isEmpty())
        return QStringLiteral("push listen takes no arguments besides its options");
    const QUrl url(parser.value(kPushUrl), QUrl::StrictMode);
    if (!parser.isSet(kPushUrl) || !url.isValid() ||
        (url.scheme() != u"ws" && url.scheme() != u"wss"))
        return QStringLiteral("--push-url ws(s)://HOST:PORT/v1/push is required");
    const QString stateDir =
        parser.isSet(kStateDir)
            ? parser.value(kStateDir)
            : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                  QStringLiteral("/push");
    if (!QDir().mkpath(stateDir))
        return QStringLiteral("cannot create the state dir %1").arg(stateDir);
    const QString name = parser.value(kName);
    if (name.isEmpty())
        return QStringLiteral("--name must not be empty");

    // The keychain store must outlive the channel: it goes when the channel is destroyed.
    auto *keychain = new keychain::InProcessKeychain();
    auto *secrets = new KeychainSecretStore(*keychain);
    auto *channel = new PushChannel(stateDir, secrets, &session);
    QObject::connect(channel, &QObject::destroyed, [keychain, secrets] {
        delete secrets;
        delete keychain;
    });
    channel->setServiceUrl(url);

    QObject::connect(
        channel, &PushChannel::statusChanged, &session,
        [channel, name](PushChannel::Status status) {
            CliSession::printEvent({{"event", "push_connection"}, {"state", statusName(status)}});
            // Subscribing once connected: the stored secrets are loaded by then,
            // so a known subscription is re-announced instead of replaced.
            if (status == PushChannel::Status::Connected &&
                !channel->property("softphoneSubscribed").toBool()) {
                channel->setProperty("softphoneSubscribed", true);
                channel->subscribe(name);
            }
        });
    QObject::connect(channel, &PushChannel::endpointChanged, &session,
                     [](const QString &subscriptionName, const PushSubscription &subscription) {
                         CliSession::printEvent({{"event", "subscription"},
                                                 {"name", subscriptionName},
                                                 {"subscription", subscription.toJson()}});
                     });
    QObject::connect(
        channel, &PushChannel::subscriptionFailed, &session,
        [&session](const QString &subscriptionName, const QString &reason) {
            session.fail(QStringLiteral("subscription %1 failed: %2").arg(subscriptionName, reason),
                         kExitNotDelivered);
        });
    QObject::connect(
        channel, &PushChannel::messageReceived, &session, [](const PushMessage &message) {
            QStringDecoder utf8(QStringDecoder::Utf8);
            const QString text = utf8(message.payload());
            CliSession::printEvent({{"event", "push"},
                                    {"name", message.subscription()},
                                    {"version", message.version()},
                                    {"size", int(message.payload().size())},
                                    // Text when the payload is UTF-8; the exact bytes always.
                                    {"text", utf8.hasError() ? QJsonValue() : QJsonValue(text)},
                                    {"base64", QString::fromLatin1(message.payload().toBase64())}});
            message.accept(); // printed: the service may forget it
        });
    QObject::connect(channel, &PushChannel::duplicateDropped, &session, [](const QString &version) {
        CliSession::printEvent({{"event", "duplicate"}, {"version", version}});
    });
    QObject::connect(channel, &PushChannel::errorOccurred, &session, [](const QString &message) {
        // The channel keeps retrying on its own; the user only needs to know.
        CliSession::printEvent({{"event", "warning"}, {"message", message}});
    });
    channel->start();
    return {};
}

std::optional<int> intOption(const QCommandLineParser &parser, const QCommandLineOption &option,
                             int min, int max, QString *error)
{
    bool ok = false;
    const int value = parser.value(option).toInt(&ok);
    if (!ok || value < min || value > max) {
        *error = QStringLiteral("--%1 needs a whole number %2-%3, not '%4'")
                     .arg(option.names().first())
                     .arg(min)
                     .arg(max)
                     .arg(parser.value(option));
        return std::nullopt;
    }
    return value;
}

QString runSend(CliSession &session, const QCommandLineParser &parser, const QStringList &args)
{
    if (args.size() != 2)
        return QStringLiteral("push send needs SUBSCRIPTION_JSON and TEXT");
    QString error;
    const auto subscription = PushSubscription::fromJsonBytes(args.at(0).toUtf8(), &error);
    if (!subscription)
        return QStringLiteral("bad SUBSCRIPTION_JSON: %1").arg(error);
    const QByteArray payload = args.at(1).toUtf8();
    if (payload.size() > crypto::kWebPushMaxPlaintext)
        return QStringLiteral("TEXT is %1 bytes; a push holds at most %2")
            .arg(payload.size())
            .arg(crypto::kWebPushMaxPlaintext);
    WebPushOptions options;
    const auto ttl = intOption(parser, kTtl, 0, 30 * 24 * 3600, &error);
    if (!ttl)
        return error;
    options.ttl = *ttl;
    options.urgency = parser.value(kUrgency);
    static const QStringList urgencies{QStringLiteral("very-low"), QStringLiteral("low"),
                                       QStringLiteral("normal"), QStringLiteral("high")};
    if (!options.urgency.isEmpty() && !urgencies.contains(options.urgency))
        return QStringLiteral("--urgency must be very-low, low, normal or high");
    options.topic = parser.value(kTopic);
    static const QRegularExpression topicRe(QStringLiteral("^[A-Za-z0-9_-]{1,32}$"));
    if (parser.isSet(kTopic) && !topicRe.match(options.topic).hasMatch())
        return QStringLiteral("--topic must be 1-32 base64url characters");
    crypto::EcKey vapidKey;
    if (parser.isSet(kVapidKeyFile)) {
        QFile file(parser.value(kVapidKeyFile));
        if (!file.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString());
        const auto key = crypto::EcKey::fromPem(file.read(64 * 1024));
        if (!key || !key->hasPrivate())
            return QStringLiteral("%1 is not a P-256 private key in PEM").arg(file.fileName());
        vapidKey = *key;
    }

    auto *sender = new WebPushSender(nullptr, &session);
    sender->send(
        *subscription, payload, options, vapidKey, parser.value(kVapidSubject),
        [&session](const WebPushResult &result) {
            CliSession::printEvent(
                {{"event", "push_sent"},
                 {"outcome", WebPushSender::outcomeName(result.outcome)},
                 {"status", result.httpStatus},
                 {"reason", result.reason},
                 {"location", result.location.isValid() ? QJsonValue(result.location.toString())
                                                        : QJsonValue()},
                 {"ttl", result.ttl},
                 {"attempts", result.attempts}});
            session.finish(result.outcome == WebPushResult::Outcome::Delivered ? ExitOk
                                                                               : kExitNotDelivered);
        });
    return {};
}

QString runPush(CliSession &session, const QCommandLineParser &parser, const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub == u"listen")
        return runListen(session, parser, args.mid(1));
    if (sub == u"send")
        return runSend(session, parser, args.mid(1));
    return QStringLiteral("push needs 'listen' or 'send', not '%1'").arg(sub);
}

} // namespace

QList<CliCommand> pushCommands()
{
    CliCommand push;
    push.name = QStringLiteral("push");
    push.synopsis = QStringLiteral(
        "push listen --push-url WS_URL [--state-dir DIR] [--name NAME]\n"
        "  push send SUBSCRIPTION_JSON TEXT [--vapid-key-file PEM] [--vapid-subject URI] "
        "[--ttl S] [--urgency U] [--topic T]");
    push.description = QStringLiteral(
        "listen: subscribe at a push service, print the subscription JSON, then each push "
        "(acked once printed) until interrupted. send: one Web Push; exit 1 unless delivered. "
        "No sign-in.");
    push.options = {kPushUrl,      kStateDir, kName,    kVapidKeyFile,
                    kVapidSubject, kTtl,      kUrgency, kTopic};
    push.signsIn = false;
    push.run = runPush;
    return {push};
}

} // namespace softphone::cli
