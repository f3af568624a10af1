#pragma once
// Keeps a client on a live node of a service with several nodes (a service
// address listing several URLs, AccountSession): the one place of the failover
// rule, for the softphone, the tray agent and softphone-cli.
//
// When the watched SoftphoneClient's connection is lost and not back within
// lostFor (2 s: a node that restarts at once keeps its clients), the session
// signs in again at the next node (AccountSession::failOver(), with the
// refresh token: nobody is asked) and the client connects to that node's
// calling service (SoftphoneClient::moveTo); again every retryEvery while it
// is still not connected, so a dead next node is passed over too. A node that
// went away without a word (no TCP reset: the machine is gone) is noticed by
// the connection's liveness rule first (45 s of silence).
// With a single URL nothing changes: the client dials its node again with its
// backoff, as before.

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <chrono>

namespace softphone::client {

class AccountSession;
class SoftphoneClient;
struct LoginResult;

class ServiceFailover : public QObject
{
    Q_OBJECT

public:
    explicit ServiceFailover(AccountSession *account, QObject *parent = nullptr);

    // The client to keep on a live node (the previous one is forgotten; a
    // destroyed client is forgotten by itself).
    void watch(SoftphoneClient *client);
    void setDelays(std::chrono::milliseconds lostFor, std::chrono::milliseconds retryEvery);

signals:
    // The client was sent to another node: login has its URLs (callingUrl,
    // pushWsUrl) and the session's serverUrl() is that node's application
    // server. For the apps' other connections to that node, and their logs.
    void moved(const softphone::client::LoginResult &login);

private:
    void onConnectionState();
    void onLostTooLong();
    void onRefreshed(const LoginResult &login);

    AccountSession *m_account;
    QPointer<SoftphoneClient> m_client;
    QTimer m_lost; // runs while the client is not connected
    std::chrono::milliseconds m_lostFor{2000};
    std::chrono::milliseconds m_retryEvery{4000};
};

} // namespace softphone::client
