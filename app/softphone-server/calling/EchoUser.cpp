#include "EchoUser.h"

#include "CallingConnection.h"
#include "EchoEndpoint.h"
#include "crypto/Random.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"
#include "softphone-server/common/ServerLogging.h"

namespace softphone::server::calling {

EchoUser::EchoUser(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_thread.setObjectName(QStringLiteral("echo-media"));
    m_thread.start();
    m_home = new QObject;
    m_home->moveToThread(&m_thread);
}

EchoUser::~EchoUser()
{
    // The endpoints (BYE, close_notify) and the home go on their own thread.
    QList<EchoEndpoint *> endpoints;
    for (const Call &call : std::as_const(m_calls))
        endpoints.append(call.endpoint);
    QObject *home = m_home;
    QMetaObject::invokeMethod(
        m_home,
        [endpoints, home] {
            qDeleteAll(endpoints);
            delete home;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void EchoUser::post(EchoEndpoint *endpoint, std::function<void()> work)
{
    QMetaObject::invokeMethod(endpoint, std::move(work), Qt::QueuedConnection);
}

CallingConnection *EchoUser::callerOf(const QString &callId) const
{
    const auto it = m_calls.constFind(callId);
    if (it == m_calls.cend() || !it->caller || it->caller->isClosing())
        return nullptr;
    return it->caller;
}

std::optional<protocol::MediaDescription>
EchoUser::answer(const QString &callId, CallingConnection *caller,
                 const std::optional<protocol::MediaDescription> &offer)
{
    if (!offer || !caller) {
        qCInfo(lcServerCalling) << "echo call" << callId
                                << "offered no media: nothing can be echoed";
        return std::nullopt;
    }
    QString error;
    auto certificate = rtp::DtlsCertificate::generate(&error);
    if (!certificate) {
        qCWarning(lcServerCalling) << "echo call" << callId << "has no DTLS certificate:" << error;
        return std::nullopt;
    }
    EchoEndpoint::Settings settings;
    settings.delayMs = m_settings.delayMs;
    auto &channel = settings.channel;
    // ICE when the caller offered it, it is a caller on this node and a slot is free.
    channel.useIce = offer->hasIce() && !caller->peerAddress().isNull() &&
                     m_iceSessions < m_settings.maxIceSessions;
    protocol::MediaDescription media{{}, {}, certificate->fingerprint(), QStringLiteral("active")};
    if (channel.useIce) {
        // Our credentials now (the agent is made on the worker): 32 and 128
        // random bits in hex, which are ICE characters.
        media.iceUfrag = QString::fromLatin1(crypto::randomBytes(4).toHex());
        media.icePwd = QString::fromLatin1(crypto::randomBytes(16).toHex());
        channel.ice.firstCredentials = std::pair{media.iceUfrag, media.icePwd};
        channel.ice.connectTimeoutMs = m_settings.iceTimeoutMs;
        channel.ice.maxRemoteCandidates = protocol::kMaxCandidatesPerGeneration;
        // A loopback listener (tests, a local demo) takes every interface's:
        // with only a 127.0.0.1 candidate, ICE with a client whose candidates
        // are the machine's other addresses failed in tst_voice (session 6;
        // plain UDP between them works, so it is libnice's doing, not found).
        const QHostAddress &local = m_settings.localAddress;
        if (!local.isNull() && !local.isLoopback() && local != QHostAddress::Any &&
            local != QHostAddress::AnyIPv4 && local != QHostAddress::AnyIPv6)
            channel.ice.localAddresses = {local.toString()};
        settings.callerAddress = caller->peerAddress();
        ++m_iceSessions;
    } else if (offer->hasIce()) {
        qCInfo(lcServerCalling) << "echo call" << callId << "takes the relay only:" << m_iceSessions
                                << "echo calls have ICE already";
    }

    // What the endpoint sends the caller comes here, queued, on the main thread.
    EchoEndpoint::Outbox outbox;
    outbox.relay = [this, callId](const QByteArray &datagram) {
        QMetaObject::invokeMethod(
            this,
            [this, callId, datagram] {
                if (CallingConnection *to = callerOf(callId)) {
                    to->sendMedia(datagram);
                    ++m_calls[callId].sentOnRelay;
                }
            },
            Qt::QueuedConnection);
    };
    outbox.candidate = [this, callId](const QString &ufrag, const QString &line) {
        QMetaObject::invokeMethod(
            this,
            [this, callId, ufrag, line] {
                if (CallingConnection *to = callerOf(callId))
                    to->send(protocol::makeRemoteCandidate(callId, ufrag, line));
            },
            Qt::QueuedConnection);
    };
    outbox.restarted = [this, callId](const protocol::MediaDescription &update) {
        QMetaObject::invokeMethod(
            this,
            [this, callId, update] {
                if (CallingConnection *to = callerOf(callId))
                    to->send(protocol::makeRemoteMediaUpdate(callId, update));
            },
            Qt::QueuedConnection);
    };
    outbox.iceEnded = [this, callId] {
        QMetaObject::invokeMethod(
            this, [this, callId] { iceEnded(callId); }, Qt::QueuedConnection);
    };

    auto *endpoint = new EchoEndpoint(callId, std::move(certificate), settings, std::move(outbox));
    endpoint->moveToThread(&m_thread);
    m_calls.insert(callId, Call{caller, endpoint, channel.useIce});
    // Whatever it sends is queued behind `established`, which the router
    // sends when this returns: the caller takes no frame or candidate before it.
    post(endpoint, [endpoint, offer = *offer] { endpoint->start(offer); });
    return media;
}

void EchoUser::frameReceived(const QString &callId, const QByteArray &frame)
{
    if (const auto it = m_calls.constFind(callId); it != m_calls.cend()) {
        EchoEndpoint *endpoint = it->endpoint;
        post(endpoint, [endpoint, frame] { endpoint->relayDatagramReceived(frame); });
    }
}

void EchoUser::remoteCandidate(const QString &callId, const QString &ufrag, const QString &line)
{
    if (const auto it = m_calls.constFind(callId); it != m_calls.cend() && it->ice) {
        EchoEndpoint *endpoint = it->endpoint;
        post(endpoint, [endpoint, ufrag, line] { endpoint->remoteCandidate(ufrag, line); });
    }
}

void EchoUser::remoteRestart(const QString &callId, const protocol::MediaDescription &media)
{
    if (const auto it = m_calls.constFind(callId); it != m_calls.cend() && it->ice) {
        EchoEndpoint *endpoint = it->endpoint;
        post(endpoint, [endpoint, media] { endpoint->remoteRestart(media); });
    }
}

void EchoUser::iceEnded(const QString &callId)
{
    const auto it = m_calls.find(callId);
    if (it == m_calls.end() || !it->ice)
        return;
    it->ice = false;
    --m_iceSessions;
}

void EchoUser::callFinished(const QString &callId)
{
    const Call call = m_calls.take(callId);
    if (!call.endpoint)
        return;
    if (call.ice)
        --m_iceSessions;
    // Zero for an echo call over UDP (tst_voice reads it).
    qCInfo(lcServerCalling).noquote()
        << QStringLiteral("echo call %1 ended: %2 frames sent on the relay")
               .arg(callId)
               .arg(call.sentOnRelay);
    EchoEndpoint *endpoint = call.endpoint;
    post(endpoint, [endpoint] {
        endpoint->close();
        endpoint->deleteLater();
    });
}

} // namespace softphone::server::calling
