#include "CliSession.h"

#include "client/CallVoice.h"
#include "common/Version.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>
#include <cstdio>

namespace softphone::cli {

using namespace client;

namespace {
AccountSession::Options accountOptions(const SessionOptions &options)
{
    AccountSession::Options account; // no keychain, no settings: a run keeps nothing
    account.deviceId = options.device;
    account.allowInsecure = options.allowInsecure;
    return account;
}
} // namespace

CliSession::CliSession(const SessionOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_account(accountOptions(options))
{
    connect(&m_account, &AccountSession::signedIn, this, &CliSession::onLoggedIn);
    connect(&m_account, &AccountSession::refreshed, this, [this](const LoginResult &result) {
        m_allNodesDown.stop(); // a node answered
        if (m_client) {
            m_client->setAccessToken(result.accessToken);
            m_client->setIceServers(result.ice); // fresh TURN credentials
        }
    });
    auto failed = [this](const AppServerError &error) {
        onAppServerFailed(error.message, AppServerError::typeName(error.type));
    };
    // {"event":"moved"}: the node in use was lost and the session signed in
    // again at another one; the client is connecting there.
    connect(&m_failover, &ServiceFailover::moved, this, [this](const LoginResult &login) {
        printEvent({{"event", "moved"},
                    {"server", m_account.serverUrl().toString()},
                    {"calling", login.callingUrl.toString()}});
    });
    connect(&m_account, &AccountSession::signInFailed, this, failed);
    connect(&m_account, &AccountSession::unreachable, this, &CliSession::onUnreachable);
    m_allNodesDown.setSingleShot(true);
    connect(&m_allNodesDown, &QTimer::timeout, this, [this] {
        const QStringList nodes = serviceUrls(m_options.server);
        fail(QStringLiteral("no node of the service answered for %1 s (%2): %3")
                 .arg(m_options.failoverTime.count())
                 .arg(nodes.join(QStringLiteral(", ")), m_lastUnreachable),
             ExitSignInFailed);
    });
    connect(
        &m_account, &AccountSession::signedOut, this, [this](AccountSession::SignOutCause cause) {
            if (cause == AccountSession::SignOutCause::Expired)
                onAppServerFailed(QStringLiteral("the sign-in has expired"),
                                  AppServerError::typeName(AppServerError::Type::BadRefreshToken));
        });
}

void CliSession::start(ClientCapabilities capabilities, std::function<void()> onStarted)
{
    m_capabilities = capabilities;
    m_onStarted = std::move(onStarted);
    m_account.signIn(m_options.server, m_options.user, m_options.password, false);
}

void CliSession::signIn(std::function<void(const LoginResult &)> onSignedIn)
{
    m_onSignedIn = std::move(onSignedIn);
    m_account.signIn(m_options.server, m_options.user, m_options.password, false);
}

void CliSession::onLoggedIn(const LoginResult &result)
{
    if (m_phase != Phase::SigningIn)
        return;
    m_phase = Phase::Running;
    printEvent({{"event", "signed_in"},
                {"user", result.user},
                {"device", m_options.device},
                {"calling", result.callingUrl.toString()}});
    if (auto onSignedIn = std::exchange(m_onSignedIn, nullptr)) {
        onSignedIn(result);
        return;
    }
    createClient(m_capabilities)->start();
}

SoftphoneClient *CliSession::createClient(ClientCapabilities capabilities)
{
    if (m_client) {
        m_client->disconnect(this);
        m_client->terminate();
        m_client->deleteLater();
    }
    ClientConfig config;
    const LoginResult &login = m_account.login();
    config.serviceUrl = login.callingUrl;
    config.allowInsecure = m_options.allowInsecure;
    config.userId = login.user.isEmpty() ? m_options.user : login.user;
    config.deviceId = m_options.device;
    config.capabilities = capabilities;
    config.clientName = clientName("softphone-cli");
    m_client = new SoftphoneClient(config, this);
    m_client->setCallMedia(CallVoice::create);
    UdpMediaSettings udpMedia;
    udpMedia.enabled = m_options.udpMedia;
    udpMedia.shortFrames = m_options.shortFrames;
    m_client->setUdpMedia(udpMedia);
    m_client->setIceServers(login.ice);
    m_failover.watch(m_client);

    connect(m_client, &SoftphoneClient::started, this, [this] {
        printEvent({{"event", "started"}});
        if (auto onStarted = std::exchange(m_onStarted, nullptr))
            onStarted();
    });
    connect(
        m_client, &SoftphoneClient::connectionStateChanged, this,
        [this](SoftphoneClient::ConnectionState state) {
            if (state == SoftphoneClient::ConnectionState::Connected)
                m_allNodesDown.stop();
            static const char *names[] = {"disconnected", "connecting", "connected",
                                          "reconnecting"};
            printEvent({{"event", "connection"}, {"state", QLatin1StringView(names[int(state)])}});
        });
    connect(m_client, &SoftphoneClient::failed, this, [this](const ClientError &error) {
        fail(QStringLiteral("%1 (%2)").arg(error.message, ClientError::typeName(error.type)),
             ExitSignInFailed);
    });
    connect(m_client, &SoftphoneClient::credentialsRequired, this, [this] {
        if (m_phase == Phase::Running)
            m_account.refreshNow();
    });
    connect(m_client, &SoftphoneClient::logMessage, this, [](QtMsgType, const QString &message) {
        std::fprintf(stderr, "softphone-cli: %s\n", qPrintable(message));
    });
    m_client->setAccessToken(login.accessToken);
    return m_client;
}

void CliSession::onAppServerFailed(const QString &message, const QString &type)
{
    if (m_phase == Phase::Finishing)
        return;
    const QString what = m_phase == Phase::SigningIn ? QStringLiteral("sign-in failed")
                                                     : QStringLiteral("token refresh failed");
    fail(QStringLiteral("%1: %2 (%3)").arg(what, message, type), ExitSignInFailed);
}

void CliSession::onUnreachable(const AppServerError &error)
{
    // A refresh failing while the calling connection is up is no lost node:
    // the run ends at once, as with a single URL.
    const bool connected =
        m_client && m_client->connectionState() == SoftphoneClient::ConnectionState::Connected;
    if (m_phase != Phase::Running || serviceUrls(m_options.server).size() < 2 || connected) {
        onAppServerFailed(error.message, AppServerError::typeName(error.type));
        return;
    }
    // Every node was tried once for this request; ServiceFailover tries again
    // every few seconds while the client is offline.
    m_lastUnreachable =
        QStringLiteral("%1 (%2)").arg(error.message, AppServerError::typeName(error.type));
    std::fprintf(stderr, "softphone-cli: no node of the service answers: %s - trying again\n",
                 qPrintable(m_lastUnreachable));
    if (!m_allNodesDown.isActive())
        m_allNodesDown.start(m_options.failoverTime);
}

void CliSession::watchCall(Call *call, std::function<void(Call *)> onEnded)
{
    connect(call, &Call::stateChanged, this, [this, call, onEnded](CallState state) {
        if (state != CallState::Ended) {
            QJsonObject event = callJson(QStringLiteral("state"), call);
            event.insert(QLatin1StringView("state"), callStateName(state));
            printEvent(event);
            return;
        }
        const CallDetails details = call->details();
        QJsonObject event = callJson(QStringLiteral("ended"), call);
        event.insert(QLatin1StringView("cause"), endCauseName(details.endCause));
        event.insert(QLatin1StringView("error"),
                     details.error ? QJsonValue(details.error->toJson()) : QJsonValue());
        event.insert(QLatin1StringView("durationMs"), details.durationMs);
        printEvent(event);
        if (onEnded)
            onEnded(call);
    });
    // {"event":"held"|"resumed","byMe","byRemote","framesSent","framesReceived"}:
    // the voice counters when the hold changed, so a test sees what flowed.
    connect(call, &Call::holdChanged, this, [call] {
        QJsonObject event =
            callJson(call->isOnHold() ? QStringLiteral("held") : QStringLiteral("resumed"), call);
        event.insert(QLatin1StringView("byMe"), call->isHeldByMe());
        event.insert(QLatin1StringView("byRemote"), call->isHeldByRemote());
        if (MediaSession *media = call->media()) {
            media->refreshQuality();
            event.insert(QLatin1StringView("framesSent"), qint64(media->quality().framesSent));
            event.insert(QLatin1StringView("framesReceived"),
                         qint64(media->quality().framesReceived));
        }
        printEvent(event);
    });
    connect(call, &Call::shouldSendPushNotification, this,
            [this, call](const QList<protocol::PushPair> &pairs) {
                QJsonArray list;
                for (const auto &pair : pairs)
                    list.append(
                        QJsonObject{{"device", pair.device},
                                    {"payload", pair.payload},
                                    {"pushData", QString::fromLatin1(pair.pushData.toBase64())}});
                QJsonObject event = callJson(QStringLiteral("push"), call);
                event.insert(QLatin1StringView("pairs"), list);
                printEvent(event);
            });
}

QJsonObject CliSession::callJson(const QString &event, const Call *call)
{
    return {{"event", event},
            {"callId", call->id()},
            {"direction", call->direction() == CallDirection::Incoming ? "incoming" : "outgoing"},
            {"remote", call->remoteUserId()}};
}

void CliSession::printEvent(const QJsonObject &event)
{
    const QByteArray line = QJsonDocument(event).toJson(QJsonDocument::Compact);
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void CliSession::fail(const QString &message, int exitCode)
{
    if (m_phase == Phase::Finishing)
        return;
    printEvent({{"event", "error"}, {"message", message}});
    std::fprintf(stderr, "softphone-cli: %s\n", qPrintable(message));
    finish(exitCode);
}

void CliSession::finish(int exitCode)
{
    if (m_phase == Phase::Finishing)
        return;
    const bool signedIn = m_phase == Phase::Running;
    m_phase = Phase::Finishing;
    m_exitCode = exitCode;
    if (m_client)
        m_client->terminate();
    if (signedIn && m_account.isSignedIn()) {
        // Sign out so refresh tokens of finished runs do not pile up on the server
        // (best effort: quits once the server answered, or after 3 s).
        m_account.signOut(this, [this] { quit(); });
        return;
    }
    quit();
}

void CliSession::quit()
{
    // Queued: let the client's close frame and the last lines go out first.
    QTimer::singleShot(0, qApp, [code = m_exitCode] { QCoreApplication::exit(code); });
}

} // namespace softphone::cli
