#include "Presence.h"

#include "SoftphoneClient.h"
#include "protocol/Builders.h"
#include "protocol/FieldValidators.h"
#include "protocol/Limits.h"

#include <QSet>

namespace softphone::client {

using protocol::PresenceStatus;

Presence::Presence(SoftphoneClient *client)
    : QObject(client)
    , m_client(client)
{
    m_retry.setSingleShot(true);
    m_retry.setInterval(std::chrono::minutes(1));
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (m_client->m_authenticated && m_subscribeId.isEmpty())
            sendSubscription();
    });
}

void Presence::subscribe(const QStringList &users)
{
    QStringList wanted;
    QSet<QString> seen;
    for (const QString &user : users) {
        if (!protocol::isValidUserId(user) || seen.contains(user))
            continue;
        if (wanted.size() == protocol::kMaxPresenceUsers) {
            m_client->log(QtWarningMsg, QStringLiteral("presence: only the first %1 contacts "
                                                       "are watched")
                                            .arg(protocol::kMaxPresenceUsers));
            break;
        }
        seen.insert(user);
        wanted.append(user);
    }
    if (wanted == m_users)
        return;
    m_users = wanted;
    if (!m_client->m_authenticated)
        return;
    if (!m_subscribeId.isEmpty() || m_retry.isActive())
        m_dirty = true; // sent with the reply, or when the retry is due
    else
        sendSubscription();
}

std::optional<PresenceStatus> Presence::status(const QString &user) const
{
    const auto it = m_statuses.constFind(user);
    if (it == m_statuses.cend())
        return std::nullopt;
    return *it;
}

void Presence::setDoNotDisturb(bool on)
{
    if (!m_client->config().capabilities.calling) {
        m_client->log(QtWarningMsg, QStringLiteral("presence: do not disturb needs capability "
                                                   "'calling'"));
        return;
    }
    if (on == m_doNotDisturb)
        return;
    m_doNotDisturb = on;
    if (m_client->m_authenticated)
        sendStatus();
}

void Presence::sendSubscription()
{
    m_dirty = false;
    m_inFlight = m_users;
    m_subscribeId = m_client->nextRequestId();
    m_client->send(protocol::makePresenceSubscribe(m_inFlight, m_subscribeId));
}

void Presence::sendStatus()
{
    m_statusId = m_client->nextRequestId();
    m_client->send(protocol::makePresenceSet(
        m_doNotDisturb ? PresenceStatus::DoNotDisturb : PresenceStatus::Online, m_statusId));
}

void Presence::afterWelcome()
{
    // A new session watches nobody and is online: state both again.
    if (m_doNotDisturb)
        sendStatus();
    if (!m_users.isEmpty())
        sendSubscription();
}

void Presence::connectionLost()
{
    m_subscribeId.clear();
    m_statusId.clear();
    m_dirty = false;
    m_retry.stop(); // the next session subscribes afresh
    const QStringList known = m_statuses.keys();
    m_statuses.clear();
    for (const QString &user : known)
        emit statusChanged(user);
}

bool Presence::handleReply(const protocol::Message &message)
{
    const QString re = message.requestId();
    if (re.isEmpty())
        return false;
    const bool ok = message.type == protocol::MessageType::Ok;
    if (re == m_statusId) {
        m_statusId.clear();
        if (!ok)
            m_client->log(QtWarningMsg, QStringLiteral("presence: do not disturb refused: %1")
                                            .arg(SoftphoneClient::replyError(message)));
        return true;
    }
    if (re != m_subscribeId)
        return false;
    m_subscribeId.clear();
    if (!ok) {
        const QString error = SoftphoneClient::replyError(message);
        m_client->log(QtWarningMsg, QStringLiteral("presence subscription refused: %1").arg(error));
        emit subscriptionFailed(error);
        // Contacts edited faster than the service allows: the latest list goes
        // once the service's minute has passed.
        if (message.errorCode() == protocol::ErrorCode::RateLimited) {
            m_retry.start();
            return true;
        }
    } else {
        // Users no longer watched become unknown; newly watched ones are offline
        // until the service's events (which follow this reply) say otherwise.
        const QSet<QString> watched(m_inFlight.cbegin(), m_inFlight.cend());
        for (const QString &user : m_statuses.keys())
            if (!watched.contains(user))
                setStatus(user, std::nullopt);
        for (const QString &user : std::as_const(m_inFlight))
            if (!m_statuses.contains(user))
                setStatus(user, PresenceStatus::Offline);
    }
    if (m_dirty)
        sendSubscription();
    return true;
}

void Presence::handleEvent(const protocol::Message &message)
{
    const QString user = message.string(QLatin1StringView("user"));
    if (!m_inFlight.contains(user) && !m_statuses.contains(user))
        return; // a late event about a user no longer watched
    setStatus(user, message.presenceStatus());
}

void Presence::setStatus(const QString &user, std::optional<PresenceStatus> status)
{
    if (this->status(user) == status)
        return;
    if (status)
        m_statuses.insert(user, *status);
    else
        m_statuses.remove(user);
    emit statusChanged(user);
}

} // namespace softphone::client
