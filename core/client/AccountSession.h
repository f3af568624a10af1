#pragma once
// The one place where sign-in policy lives, for the softphone, the tray agent
// and softphone-cli: a sign-in with a password or with the refresh token the
// keychain keeps, a refresh of the access token at 4/5 of its lifetime, the
// write-back of every new refresh token to the keychain (tokens rotate on every
// use, and the softphone and the tray agent of one user share the entry
// "<server>/<user>"), and one retry with the keychain's token when the server
// refuses ours (the other process may have just rotated it). The executables
// only turn its signals into their windows, icon or JSON lines.
//
// A service with several nodes: `server` may list several application server
// URLs separated by commas (serviceUrls()). A request that finds its node
// unreachable or failing (no answer, 5xx, TLS) is sent to the next node at once,
// each node once per request; failOver() moves the session to the next node
// when the calling service's node was lost (ServiceFailover decides when).
// Every attempt to refresh one token (the next node, a later retry, a failover)
// carries the same request id, so a node that rotated the token and died before
// answering costs nothing: any node gives the same new token to that id for a
// minute (docs/protocol.md "POST /v1/token").
//
// Options say what a process keeps: softphone-cli keeps nothing (no keychain,
// no settings, its own device id); the softphone and the tray keep the account
// in Settings and the refresh token in the keychain.

#include "AppServerClient.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <chrono>
#include <functional>

namespace softphone::storage {
class CredentialStore;
class Settings;
} // namespace softphone::storage

namespace softphone::client {

class AccountSession : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        // Where the refresh token is kept between runs (and shared with the
        // other app of the user); null: in memory only.
        storage::CredentialStore *keychain = nullptr;
        // Remembers server, user, "remember me" and the device id; null: nothing.
        storage::Settings *settings = nullptr;
        // The device id sent at sign-in; empty: the settings' DeviceId (made once).
        QString deviceId;
        // --allow-insecure: http:// to an application server other than this machine.
        bool allowInsecure = false;
        // After a refresh the server did not answer (or failed): try again this soon.
        std::chrono::milliseconds retryDelay{30000};
    };
    // Why signedOut(): the user signed out, or the server refused the session's
    // refresh token and the keychain held no newer one.
    enum class SignOutCause { User, Expired };
    Q_ENUM(SignOutCause)

    explicit AccountSession(const Options &options, QObject *parent = nullptr);

    // server: the service address, one URL or several separated by commas; it
    // names the keychain entry and the settings' server as given.
    // A sign-in with a password. remember: the keychain keeps the refresh token
    // (else this account's entry is removed). Ends in signedIn or signInFailed.
    void signIn(const QString &server, const QString &user, const QString &password, bool remember);
    // Continues the saved sign-in with the keychain's refresh token for
    // server/user. Ends in signedIn, noSavedSignIn, signInFailed, or unreachable
    // (then it is tried again until it succeeds or is refused).
    void resume(const QString &server, const QString &user);
    // A new access token now (the calling service asked for one); nothing while
    // a request is under way or without a refresh token.
    void refreshNow();
    // Forgets the session here, at the server (best effort) and in the keychain,
    // then signedOut(User). done runs once the server answered (or could not be
    // reached, 3 s at most), unless `context` is gone by then.
    void signOut(QObject *context = nullptr, std::function<void()> done = {});

    // The node the calling service of this session was lost on: signs in again
    // (with the refresh token) at the next node of the service address; its
    // answer comes as refreshed() with that node's URLs, a failure as for any
    // refresh. False (nothing done) with one URL, without a session, or while
    // a request is under way.
    bool failOver();

    bool isSignedIn() const { return m_signedIn; }
    // The service address as given (one URL or several).
    QString server() const { return m_server; }
    // The application server of the node in use (for /v1/push, /v1/keys).
    QUrl serverUrl() const;
    QString user() const { return m_signedIn ? m_login.user : QString(); }
    // The latest tokens and URLs (the access token changes on every refresh).
    const LoginResult &login() const { return m_login; }
    QString deviceId();

signals:
    // The session started; the keychain (if any) already holds its refresh token.
    void signedIn(const softphone::client::LoginResult &result);
    // A new access token, once the keychain holds the new refresh token.
    void refreshed(const softphone::client::LoginResult &result);
    // A sign-in ended without a session: the password was wrong, the server
    // could not be reached for a password sign-in, the saved sign-in was
    // refused (BadRefreshToken; its keychain entry is removed), ...
    void signInFailed(const softphone::client::AppServerError &error);
    // resume() found nothing to continue with. keychainError: empty when the
    // keychain simply has no entry, else why the keychain could not be read.
    void noSavedSignIn(const QString &keychainError);
    void signedOut(softphone::client::AccountSession::SignOutCause cause);
    // The application server did not answer (or failed) while there is a refresh
    // token to try again with: the session (if any) is kept and retried.
    void unreachable(const softphone::client::AppServerError &error);

private:
    void startAttempt(const QString &server, const QString &user, bool remember);
    AppServerClient *appServer();
    void refreshWith(const QString &token);
    // The current request (login with m_password, else refresh) to the current node.
    void sendRequest();
    // After a failure that another node may not have: moves to the next node
    // not yet tried for this request; false when there is none.
    bool tryNextNode(const AppServerError &error);
    void onReply(const AppServerReply &reply);
    void onLogin(const LoginResult &result);
    void onFailed(const AppServerError &error);
    void retryFromKeychain();
    // The refresh token is dead: forget it here and in the keychain.
    void forgetSaved();
    void rememberAccount(bool remember);

    Options m_options;
    QPointer<AppServerClient> m_appServer;
    // The context of the current attempt's requests: replaced by a new sign-in or
    // a sign-out, so answers to an older attempt never arrive.
    QObject *m_attempt = nullptr;
    QTimer m_refreshTimer;
    QString m_server;
    QStringList m_urls; // the nodes of m_server
    int m_node = 0;     // the one in use
    int m_nodesTried = 0;
    QString m_password; // only while a password sign-in is under way
    QString m_user;     // the account being signed in to (or signed in)
    QString m_refreshToken;
    // The request id of the refresh of m_refreshIdToken: kept across its attempts
    // until that token is replaced (or refused).
    QString m_refreshId;
    QString m_refreshIdToken;
    LoginResult m_login;
    QString m_deviceId;
    bool m_remember = false;
    bool m_signedIn = false;
    bool m_busy = false;                // a request (or keychain read) is under way
    bool m_retriedFromKeychain = false; // once per refresh, then the refusal stands
};

} // namespace softphone::client
