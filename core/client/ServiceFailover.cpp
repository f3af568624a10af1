#include "ServiceFailover.h"

#include "AccountSession.h"
#include "SoftphoneClient.h"
#include "common/Logging.h"

namespace softphone::client {

using State = SoftphoneClient::ConnectionState;

ServiceFailover::ServiceFailover(AccountSession *account, QObject *parent)
    : QObject(parent)
    , m_account(account)
{
    m_lost.setSingleShot(true);
    connect(&m_lost, &QTimer::timeout, this, &ServiceFailover::onLostTooLong);
    connect(account, &AccountSession::refreshed, this, &ServiceFailover::onRefreshed);
}

void ServiceFailover::watch(SoftphoneClient *client)
{
    if (m_client)
        m_client->disconnect(this);
    m_lost.stop();
    m_client = client;
    if (client)
        connect(client, &SoftphoneClient::connectionStateChanged, this,
                &ServiceFailover::onConnectionState);
}

void ServiceFailover::setDelays(std::chrono::milliseconds lostFor,
                                std::chrono::milliseconds retryEvery)
{
    m_lostFor = lostFor;
    m_retryEvery = retryEvery;
}

void ServiceFailover::onConnectionState()
{
    const State state = m_client ? m_client->connectionState() : State::Disconnected;
    // Disconnected is the client's own decision (terminated, replaced, waiting
    // for a token): not a lost node.
    if (state == State::Reconnecting) {
        if (!m_lost.isActive())
            m_lost.start(m_lostFor);
    } else {
        m_lost.stop();
    }
}

void ServiceFailover::onLostTooLong()
{
    if (!m_client || m_client->connectionState() != State::Reconnecting)
        return;
    // False while a request is under way or with one URL; tried again later
    // either way (cheap: a timer while the client is offline).
    m_account->failOver();
    m_lost.start(m_retryEvery);
}

void ServiceFailover::onRefreshed(const LoginResult &login)
{
    // Every refresh answers from the node in use; only a client that lost its
    // node moves (a call on a live connection never ends for a refresh that
    // another node happened to answer).
    if (!m_client || m_client->connectionState() == State::Connected ||
        m_client->connectionState() == State::Disconnected ||
        login.callingUrl == m_client->config().serviceUrl)
        return;
    qCInfo(lcClient) << "moving to the calling service at" << login.callingUrl.toString();
    if (m_client->moveTo(login.callingUrl))
        emit moved(login);
}

} // namespace softphone::client
