#pragma once
// The agent's sign-in: a first sign-in with a password, else the refresh token
// the keychain keeps (CredentialStore, service "softphone", "<server>/<user>",
// the same entry the softphone's "remember me" writes). Refresh tokens rotate
// on every use and both processes may use the entry, so every new token is
// written back at once, and a refused token is retried once with what the
// keychain holds now (the softphone may have rotated it meanwhile).

#include "AppServerClient.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace softphone::storage {
class CredentialStore;
class Settings;
} // namespace softphone::storage

namespace softphone::tray {

class TraySession : public QObject
{
    Q_OBJECT

public:
    TraySession(storage::Settings &settings, storage::CredentialStore &credentials,
                QObject *parent = nullptr);

    // With a password: signs in (and remembers the account for both apps);
    // else from the keychain, or signedOut() when there is nothing to use.
    void start(const QString &server, const QString &user, const QString &password);
    // --allow-insecure: http:// to a server other than this machine.
    void setAllowInsecure(bool allow) { m_allowInsecure = allow; }
    // Forgets the token here, at the server and in the keychain.
    void signOut();
    void refreshNow();

    bool isSignedIn() const { return !m_user.isEmpty(); }
    QString server() const { return m_server; }
    QString user() const { return m_user; }
    QString deviceId();

signals:
    // The first sign-in of this session, then every refresh.
    void signedIn(const softphone::client::LoginResult &result);
    void refreshed(const softphone::client::LoginResult &result);
    // Not signed in (no credential, expired, signed out); reason for the user.
    void signedOut(const QString &reason);
    // Signed in, but the application server cannot be reached right now.
    void unreachable(const QString &reason);

private:
    void connectServer(const QString &server);
    void refreshWith(const QString &token);
    void onLogin(const client::LoginResult &result);
    void onFailed(const client::AppServerError &error);
    void endSession(const QString &reason);

    storage::Settings &m_settings;
    storage::CredentialStore &m_credentials;
    QPointer<client::AppServerClient> m_appServer;
    QTimer m_refreshTimer;
    QString m_server;
    QString m_pendingUser; // the account being signed in to
    QString m_user;        // set once signed in
    QString m_refreshToken;
    bool m_retriedFromKeychain = false;
    bool m_allowInsecure = false;
    bool m_busy = false;
};

} // namespace softphone::tray
