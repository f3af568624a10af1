#include "TraySession.h"

#include "CredentialStore.h"
#include "Settings.h"
#include "TrayLogging.h"

#include <QUuid>
#include <algorithm>

namespace softphone::tray {

using Key = storage::Settings::Key;
using storage::CredentialResult;

TraySession::TraySession(storage::Settings &settings, storage::CredentialStore &credentials,
                         QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_credentials(credentials)
{
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &TraySession::refreshNow);
}

QString TraySession::deviceId()
{
    // The softphone's own device id: the agent is that device's push endpoint.
    QString id = m_settings.string(Key::DeviceId);
    if (id.isEmpty()) {
        id = QStringLiteral("desk-") + QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_settings.setValue(Key::DeviceId, id);
        m_settings.sync();
    }
    return id;
}

void TraySession::connectServer(const QString &server)
{
    if (m_appServer)
        m_appServer->deleteLater();
    m_server = server;
    m_appServer = new client::AppServerClient(QUrl(server), this);
    m_appServer->setAllowInsecure(m_allowInsecure);
    connect(m_appServer, &client::AppServerClient::loggedIn, this, &TraySession::onLogin);
    connect(m_appServer, &client::AppServerClient::refreshed, this, &TraySession::onLogin);
    connect(m_appServer, &client::AppServerClient::failed, this, &TraySession::onFailed);
}

void TraySession::start(const QString &server, const QString &user, const QString &password)
{
    const QString s = server.isEmpty() ? m_settings.string(Key::ServerUrl) : server;
    const QString u = user.isEmpty() ? m_settings.string(Key::UserName) : user;
    if (s.isEmpty() || u.isEmpty()) {
        emit signedOut(tr("Not signed in"));
        return;
    }
    connectServer(s);
    m_pendingUser = u;
    m_busy = true;
    if (!password.isEmpty()) {
        m_appServer->login(u, password, deviceId());
        return;
    }
    m_credentials.read(s, u, [this](const CredentialResult &stored) {
        if (!stored.ok()) {
            m_busy = false;
            emit signedOut(stored.status == CredentialResult::Status::NotFound
                               ? tr("Not signed in")
                               : tr("The keychain is not available: %1").arg(stored.message));
            return;
        }
        refreshWith(stored.secret);
    });
}

void TraySession::refreshWith(const QString &token)
{
    m_refreshToken = token;
    m_busy = true;
    m_appServer->refresh(token);
}

void TraySession::refreshNow()
{
    if (!m_appServer || m_refreshToken.isEmpty() || m_busy)
        return;
    m_retriedFromKeychain = false;
    refreshWith(m_refreshToken);
}

void TraySession::onLogin(const client::LoginResult &result)
{
    m_busy = false;
    m_retriedFromKeychain = false;
    const bool first = m_user.isEmpty();
    m_user = result.user;
    m_refreshToken = result.refreshToken;
    // Well before expiry; a failed refresh retries while the old token still works.
    m_refreshTimer.start(std::max(30, result.expiresInSeconds * 4 / 5) * 1000);
    m_settings.setValue(Key::ServerUrl, m_server);
    m_settings.setValue(Key::UserName, m_user);
    m_settings.setValue(Key::RememberMe, true); // the softphone signs in with it too
    m_settings.sync();
    // Announce only once the keychain has the newest token: a softphone started for
    // a push reads it right away.
    m_credentials.write(m_server, m_user, m_refreshToken,
                        [this, first, result](const CredentialResult &written) {
                            if (!written.ok())
                                qCWarning(lcTray) << "could not keep the sign-in in the keychain:"
                                                  << written.message;
                            if (first)
                                emit signedIn(result);
                            else
                                emit refreshed(result);
                        });
}

void TraySession::onFailed(const client::AppServerError &error)
{
    m_busy = false;
    using T = client::AppServerError::Type;
    qCWarning(lcTray) << "application server:" << client::AppServerError::typeName(error.type)
                      << error.message;
    if (error.type == T::BadRefreshToken && !m_retriedFromKeychain) {
        // The softphone may have used (and rotated) the shared token: take its newest.
        m_retriedFromKeychain = true;
        const QString user = m_user.isEmpty() ? m_pendingUser : m_user;
        m_credentials.read(m_server, user, [this](const CredentialResult &stored) {
            if (stored.ok() && stored.secret != m_refreshToken)
                refreshWith(stored.secret);
            else
                endSession(tr("Your sign-in has expired"));
        });
        return;
    }
    if (error.type == T::BadRefreshToken || error.type == T::BadCredentials) {
        endSession(error.type == T::BadCredentials ? tr("Wrong user name or password")
                                                   : tr("Your sign-in has expired"));
        return;
    }
    // Unreachable, TLS, server trouble: keep the session and try again.
    m_refreshTimer.start(30000);
    emit unreachable(error.message);
}

void TraySession::endSession(const QString &reason)
{
    m_refreshTimer.stop();
    m_user.clear();
    m_refreshToken.clear();
    emit signedOut(reason);
}

void TraySession::signOut()
{
    m_refreshTimer.stop();
    if (m_appServer && !m_refreshToken.isEmpty())
        m_appServer->logout(m_refreshToken);
    const QString user = m_user.isEmpty() ? m_pendingUser : m_user;
    if (!m_server.isEmpty() && !user.isEmpty())
        m_credentials.remove(m_server, user, [](const CredentialResult &) {});
    m_settings.setValue(Key::RememberMe, false);
    m_settings.sync();
    endSession(tr("Signed out"));
}

} // namespace softphone::tray
