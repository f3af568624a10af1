#include "AccountSession.h"

#include "ClientConfig.h"
#include "common/Logging.h"
#include "crypto/Random.h"
#include "storage/CredentialStore.h"
#include "storage/Settings.h"

#include <QUuid>
#include <algorithm>

namespace softphone::client {

using Key = storage::Settings::Key;
using storage::CredentialResult;

namespace {
// A sign-out does not wait long for the server: it only forgets the token there.
constexpr std::chrono::milliseconds kLogoutTimeout{3000};
constexpr std::chrono::milliseconds kRequestTimeout{15000};

// Well before expiry (the calling service warns 60 s before); a failed refresh
// is retried while the old token still works.
std::chrono::milliseconds refreshDelay(int expiresInSeconds)
{
    if (expiresInSeconds <= 0)
        return std::chrono::seconds(30); // the server did not say
    return std::max(std::chrono::milliseconds(1000),
                    std::chrono::milliseconds(qint64(expiresInSeconds) * 800));
}
} // namespace

AccountSession::AccountSession(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_attempt(new QObject(this))
{
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &AccountSession::refreshNow);
}

QString AccountSession::deviceId()
{
    if (!m_options.deviceId.isEmpty())
        return m_options.deviceId;
    if (m_deviceId.isEmpty() && m_options.settings)
        m_deviceId = m_options.settings->string(Key::DeviceId);
    if (m_deviceId.isEmpty()) {
        // Stable per installation, from the service's id alphabet; the softphone
        // and the tray agent are one device (the agent is its push endpoint).
        m_deviceId = QStringLiteral("desk-") + QUuid::createUuid().toString(QUuid::Id128).left(12);
        if (m_options.settings) {
            m_options.settings->setValue(Key::DeviceId, m_deviceId);
            m_options.settings->sync();
        }
    }
    return m_deviceId;
}

QUrl AccountSession::serverUrl() const
{
    return QUrl(m_urls.value(m_node, m_server));
}

AppServerClient *AccountSession::appServer()
{
    if (!m_appServer || m_appServer->baseUrl() != serverUrl()) {
        if (m_appServer)
            m_appServer->deleteLater();
        m_appServer = new AppServerClient(serverUrl(), this);
        m_appServer->setAllowInsecure(m_options.allowInsecure);
    }
    return m_appServer;
}

void AccountSession::startAttempt(const QString &server, const QString &user, bool remember)
{
    // Answers to an earlier attempt (or session) are dropped from here on.
    delete m_attempt;
    m_attempt = new QObject(this);
    m_refreshTimer.stop();
    m_server = server;
    m_urls = serviceUrls(server);
    m_node = 0;
    m_password.clear();
    m_user = user;
    m_remember = remember;
    m_refreshToken.clear();
    m_login = {};
    m_signedIn = false;
    m_retriedFromKeychain = false;
    m_busy = true;
}

void AccountSession::signIn(const QString &server, const QString &user, const QString &password,
                            bool remember)
{
    startAttempt(server, user, remember);
    m_password = password; // kept only until the answer, for the next node
    m_nodesTried = 1;
    sendRequest();
}

void AccountSession::resume(const QString &server, const QString &user)
{
    startAttempt(server, user, true);
    if (!m_options.keychain) {
        m_busy = false;
        QMetaObject::invokeMethod(
            m_attempt, [this] { emit noSavedSignIn({}); }, Qt::QueuedConnection);
        return;
    }
    m_options.keychain->read(server, user, m_attempt, [this](const CredentialResult &stored) {
        if (!stored.ok() || stored.secret.isEmpty()) {
            m_busy = false;
            emit noSavedSignIn(stored.status == CredentialResult::Status::Failed ? stored.message
                                                                                 : QString());
            return;
        }
        refreshWith(stored.secret);
    });
}

void AccountSession::refreshWith(const QString &token)
{
    m_refreshToken = token;
    m_nodesTried = 1;
    sendRequest();
}

void AccountSession::sendRequest()
{
    m_busy = true;
    auto done = [this](const AppServerReply &reply) { onReply(reply); };
    if (!m_password.isEmpty()) {
        appServer()->login(m_user, m_password, deviceId(), m_attempt, done);
        return;
    }
    // One id per token: each attempt to refresh it (the next node, a retry after
    // the node's answer was lost) is the same request to the service.
    if (m_refreshIdToken != m_refreshToken) {
        m_refreshIdToken = m_refreshToken;
        m_refreshId = crypto::randomToken(16);
    }
    appServer()->refresh(m_refreshToken, m_refreshId, m_attempt, done);
}

bool AccountSession::tryNextNode(const AppServerError &error)
{
    using T = AppServerError::Type;
    if (error.type != T::Unreachable && error.type != T::Server && error.type != T::Tls)
        return false;
    if (m_urls.size() < 2 || m_nodesTried >= m_urls.size())
        return false;
    const QUrl failed = serverUrl();
    m_node = (m_node + 1) % int(m_urls.size());
    ++m_nodesTried;
    qCWarning(lcClient) << "application server at" << failed.toString()
                        << "failed:" << AppServerError::typeName(error.type) << error.message
                        << "- trying" << serverUrl().toString();
    return true;
}

bool AccountSession::failOver()
{
    if (m_urls.size() < 2 || !m_signedIn || m_refreshToken.isEmpty() || m_busy)
        return false;
    m_node = (m_node + 1) % int(m_urls.size());
    qCInfo(lcClient) << "the service's node was lost: signing in again at"
                     << serverUrl().toString();
    m_retriedFromKeychain = false;
    refreshWith(m_refreshToken);
    return true;
}

void AccountSession::refreshNow()
{
    if (m_refreshToken.isEmpty() || m_busy)
        return;
    m_retriedFromKeychain = false;
    refreshWith(m_refreshToken);
}

void AccountSession::onReply(const AppServerReply &reply)
{
    m_busy = false;
    if (!reply.ok() && tryNextNode(*reply.error)) {
        sendRequest();
        return;
    }
    m_password.clear();
    if (reply.ok())
        onLogin(reply.login);
    else
        onFailed(*reply.error);
}

void AccountSession::onLogin(const LoginResult &result)
{
    const bool first = !m_signedIn;
    m_signedIn = true;
    m_retriedFromKeychain = false;
    m_login = result;
    m_user = result.user;
    m_refreshToken = result.refreshToken;
    m_refreshTimer.start(refreshDelay(result.expiresInSeconds));
    if (m_options.settings) {
        m_options.settings->setValue(Key::ServerUrl, m_server);
        m_options.settings->setValue(Key::UserName, m_user);
        m_options.settings->setValue(Key::RememberMe, m_remember);
        m_options.settings->sync();
    }
    auto announce = [this, first, result] {
        if (first)
            emit signedIn(result);
        else
            emit refreshed(result);
    };
    if (!m_options.keychain) {
        announce();
        return;
    }
    // Announced once the keychain holds the newest token: the other process
    // (a softphone started for a push) may read it right away.
    if (m_remember) {
        m_options.keychain->write(m_server, m_user, m_refreshToken, m_attempt,
                                  [announce](const CredentialResult &written) {
                                      if (!written.ok())
                                          qCWarning(lcClient)
                                              << "could not keep the sign-in in the keychain:"
                                              << written.message;
                                      announce();
                                  });
    } else if (first) {
        m_options.keychain->remove(m_server, m_user, m_attempt,
                                   [announce](const CredentialResult &) { announce(); });
    } else {
        announce();
    }
}

void AccountSession::onFailed(const AppServerError &error)
{
    using T = AppServerError::Type;
    qCWarning(lcClient) << "application server:" << AppServerError::typeName(error.type)
                        << error.message;
    if (error.type == T::BadRefreshToken && m_options.keychain && !m_retriedFromKeychain) {
        // The other app of this user shares the saved sign-in and its token
        // rotates on every use: it may have just replaced ours.
        m_retriedFromKeychain = true;
        retryFromKeychain();
        return;
    }
    if (error.type == T::BadRefreshToken) {
        forgetSaved();
        if (std::exchange(m_signedIn, false))
            emit signedOut(SignOutCause::Expired);
        else
            emit signInFailed(error);
        return;
    }
    if (m_refreshToken.isEmpty() || error.type == T::BadCredentials || error.type == T::Insecure) {
        // A password sign-in: nothing to try again with.
        m_refreshTimer.stop();
        emit signInFailed(error);
        return;
    }
    // Unreachable, TLS, server trouble: keep the session and try again.
    m_refreshTimer.start(m_options.retryDelay);
    emit unreachable(error);
}

void AccountSession::retryFromKeychain()
{
    const QString refused = m_refreshToken;
    m_busy = true;
    m_options.keychain->read(
        m_server, m_user, m_attempt, [this, refused](const CredentialResult &stored) {
            m_busy = false;
            if (stored.ok() && !stored.secret.isEmpty() && stored.secret != refused) {
                qCInfo(lcClient) << "refresh token refused; retrying with the keychain's newer one";
                refreshWith(stored.secret);
                return;
            }
            // Nothing newer: the refusal stands.
            onFailed(AppServerError{AppServerError::Type::BadRefreshToken,
                                    0,
                                    {},
                                    QStringLiteral("the saved sign-in is no longer valid")});
        });
}

void AccountSession::forgetSaved()
{
    m_refreshTimer.stop();
    m_refreshToken.clear();
    if (m_options.keychain && !m_server.isEmpty() && !m_user.isEmpty())
        m_options.keychain->remove(m_server, m_user, this, {});
    rememberAccount(false);
}

void AccountSession::rememberAccount(bool remember)
{
    if (!m_options.settings)
        return;
    m_options.settings->setValue(Key::RememberMe, remember);
    m_options.settings->sync();
}

void AccountSession::signOut(QObject *context, std::function<void()> done)
{
    const QString token = std::exchange(m_refreshToken, {});
    // Answers to anything under way are dropped from here on.
    delete m_attempt;
    m_attempt = new QObject(this);
    m_busy = false;
    m_signedIn = false;
    m_password.clear();
    forgetSaved();
    if (!context)
        context = this;
    if (!token.isEmpty() && !m_server.isEmpty()) {
        AppServerClient *server = appServer();
        server->setTimeout(kLogoutTimeout);
        server->logout(token, context, [done](const AppServerReply &) {
            if (done)
                done();
        });
        server->setTimeout(kRequestTimeout);
    } else if (done) {
        QMetaObject::invokeMethod(context, done, Qt::QueuedConnection);
    }
    emit signedOut(SignOutCause::User);
}

} // namespace softphone::client
