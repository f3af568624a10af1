#include "PushChannel.h"

#include "PushSecretStore.h"
#include "common/Logging.h"
#include "crypto/Base64Url.h"
#include "crypto/Random.h"
#include "crypto/WebPushEncryption.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <utility>

namespace softphone::push {

using namespace std::chrono_literals;

namespace {
constexpr int kSecretSize = 32 + 16;   // private scalar || auth secret
constexpr auto kBackOffMinimum = 5min; // after close 4774 the service asked us to stay away

QString secretKey(const QString &channelId)
{
    return QStringLiteral("channel/%1").arg(channelId);
}

net::KeptAliveSocket::Options socketOptions()
{
    net::KeptAliveSocket::Options options;
    options.peerName = QStringLiteral("the push service");
    options.subprotocols = {QStringLiteral("push-notification")};
    options.maxInboundBytes = PushChannel::kMaxFrameSize;
    options.keepalive = PushChannel::kKeepalive;
    options.backoff = Backoff::Policy{1000ms, 1.6, 0.2, 60000ms};
    return options;
}
} // namespace

PushChannel::PushChannel(const QString &stateDir, PushSecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_statePath(QDir(stateDir).filePath(QStringLiteral("push-channel.json")))
    , m_secrets(secrets)
    , m_socket(socketOptions(), this)
{
    qRegisterMetaType<PushMessage>();
    qRegisterMetaType<PushSubscription>();
    connect(&m_socket, &net::KeptAliveSocket::connected, this, [this] {
        QJsonObject hello{{QStringLiteral("messageType"), QStringLiteral("hello")},
                          {QStringLiteral("use_webpush"), true},
                          {QStringLiteral("broadcasts"), QJsonObject()}};
        if (!m_state.uaid.isEmpty())
            hello.insert(QStringLiteral("uaid"), m_state.uaid);
        send(hello);
    });
    connect(&m_socket, &net::KeptAliveSocket::textMessageReceived, this, &PushChannel::onText);
    connect(&m_socket, &net::KeptAliveSocket::disconnected, this, &PushChannel::onDisconnected);
    connect(&m_socket, &net::KeptAliveSocket::stateChanged, this,
            [this](net::KeptAliveSocket::State state) {
                if (m_status == Status::Stopped || m_status == Status::Loading)
                    return;
                if (state == net::KeptAliveSocket::State::Waiting)
                    setStatus(Status::Waiting);
                else if (state == net::KeptAliveSocket::State::Connecting)
                    setStatus(Status::Connecting);
            });
    connect(&m_socket, &net::KeptAliveSocket::logMessage, this,
            [](QtMsgType type, const QString &message) {
                if (type == QtInfoMsg || type == QtDebugMsg)
                    qCInfo(lcPush).noquote() << message;
                else
                    qCWarning(lcPush).noquote() << message;
            });
    // Loaded once here so subscribe() works before start(); a broken file is reported by start().
    m_state.load(m_statePath, &m_loadError);
}

// m_socket drops the connection quietly, without signals.
PushChannel::~PushChannel()
{
    m_socket.disconnect(this);
}

void PushChannel::setServiceUrl(const QUrl &url)
{
    const bool moved = url != m_url;
    if (moved && !m_url.isEmpty())
        m_confirmEndpoints = true;
    m_url = url;
    // A running channel follows at once (the service's node changed).
    if (moved && m_status != Status::Stopped && m_status != Status::Loading) {
        m_registerSent.clear();
        connectNow();
    }
}

void PushChannel::setStatus(Status status)
{
    if (m_status == status)
        return;
    m_status = status;
    emit statusChanged(status);
}

void PushChannel::saveState()
{
    if (!m_loadError.isEmpty())
        return; // never overwrite a state file we could not read
    QString error;
    if (!m_state.save(m_statePath, &error)) {
        qCWarning(lcPush) << error;
        emit errorOccurred(error);
    }
}

void PushChannel::start()
{
    if (m_status != Status::Stopped)
        return;
    if (!m_loadError.isEmpty()) {
        // The file stays untouched so nothing in it is lost; the user has to look at it.
        emit errorOccurred(m_loadError);
        return;
    }
    const int generation = m_generation;
    setStatus(Status::Loading);
    QStringList toLoad;
    for (const auto &entry : std::as_const(m_state.entries))
        if (!m_secretsByChannel.contains(entry.channelId) && !m_writing.contains(entry.channelId))
            toLoad.append(entry.channelId);
    m_loadsLeft = int(toLoad.size());
    if (m_loadsLeft == 0) {
        connectNow();
        return;
    }
    for (const QString &channelId : std::as_const(toLoad)) {
        m_secrets->read(
            secretKey(channelId), this,
            [this, generation, channelId](std::optional<QByteArray> data, const QString &err) {
                if (generation != m_generation)
                    return;
                std::optional<crypto::EcKey> key;
                if (data && data->size() == kSecretSize)
                    key = crypto::EcKey::fromPrivateRaw(data->left(32));
                if (key && !key->isNull()) {
                    m_secretsByChannel.insert(channelId, Secret{*key, data->mid(32)});
                } else {
                    // Without its secrets the subscription is useless: it gets new keys and a new
                    // endpoint after connecting (endpointChanged tells the application).
                    const QString reason = err.isEmpty() ? QStringLiteral("secrets missing") : err;
                    qCWarning(lcPush) << "subscription" << channelId << reason;
                    if (!err.isEmpty())
                        emit errorOccurred(err);
                }
                if (--m_loadsLeft == 0)
                    connectNow();
            });
    }
}

void PushChannel::stop()
{
    ++m_generation;
    m_registerSent.clear();
    m_socket.close(QWebSocketProtocol::CloseCodeNormal);
    setStatus(Status::Stopped);
}

void PushChannel::reconnect()
{
    if (m_status == Status::Stopped || m_status == Status::Loading)
        return;
    m_registerSent.clear();
    m_socket.reconnectNow();
}

void PushChannel::connectNow()
{
    if (m_status == Status::Stopped)
        return;
    if (!m_url.isValid()) {
        emit errorOccurred(QStringLiteral("no push service URL"));
        setStatus(Status::Stopped);
        return;
    }
    setStatus(Status::Connecting);
    m_socket.open(m_url);
}

void PushChannel::onDisconnected(int closeCode, const QString &reason)
{
    m_registerSent.clear();
    if (m_status == Status::Stopped)
        return;
    if (closeCode == kCloseReplaced) {
        // Another process took over our uaid; fighting back would make both flap.
        emit errorOccurred(QStringLiteral("replaced by another connection with the same uaid"));
        stop();
        return;
    }
    if (closeCode == kCloseBackOff) {
        qCWarning(lcPush) << "push service asked us to back off:" << reason;
        m_socket.holdOff(kBackOffMinimum);
    }
}

void PushChannel::send(const QJsonObject &msg)
{
    m_socket.sendText(QString::fromUtf8(QJsonDocument(msg).toJson(QJsonDocument::Compact)));
}

void PushChannel::onText(const QString &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    if (!doc.isObject()) {
        qCWarning(lcPush) << "push service sent something that is not a JSON object";
        return;
    }
    const QJsonObject msg = doc.object();
    const QString type = msg.value(u"messageType").toString();
    if (type == u"hello")
        onHello(msg);
    else if (type == u"register")
        onRegister(msg);
    else if (type == u"notification")
        onNotification(msg);
    else if (type == u"unregister" || type == u"ping")
        ; // nothing to do: unregister is fire-and-forget for us, ping answers our ping
    else
        qCInfo(lcPush) << "ignoring push message of type" << type;
}

void PushChannel::onHello(const QJsonObject &msg)
{
    const QString uaid = msg.value(u"uaid").toString();
    if (msg.value(u"status").toInt() != 200 || uaid.isEmpty()) {
        emit errorOccurred(QStringLiteral("push service refused hello (status %1)")
                               .arg(msg.value(u"status").toInt()));
        m_socket.abort();
        return;
    }
    const bool reset = uaid != m_state.uaid;
    m_state.uaid = uaid;
    setStatus(Status::Connected);
    m_socket.resetBackoff();
    if (reset) {
        // The service does not know us (new device, or it lost our registrations):
        // every subscription gets new keys and a new endpoint.
        m_state.pendingUnregister.clear();
        const QList<PushChannelState::Entry> entries = m_state.entries;
        for (const auto &entry : entries)
            createKeys(entry.name);
        saveState();
        return;
    }
    for (const QString &channelId : std::as_const(m_state.pendingUnregister))
        send(QJsonObject{{QStringLiteral("messageType"), QStringLiteral("unregister")},
                         {QStringLiteral("channelID"), channelId},
                         {QStringLiteral("code"), 200}});
    if (!m_state.pendingUnregister.isEmpty()) {
        m_state.pendingUnregister.clear();
        saveState();
    }
    const QList<PushChannelState::Entry> entries = m_state.entries;
    const bool again = std::exchange(m_confirmEndpoints, false);
    for (const auto &entry : entries) {
        if (!m_secretsByChannel.contains(entry.channelId))
            createKeys(entry.name);
        else
            registerIfReady(entry, again);
    }
}

void PushChannel::registerIfReady(const PushChannelState::Entry &entry, bool again)
{
    if (m_status != Status::Connected || !m_secretsByChannel.contains(entry.channelId) ||
        (!entry.endpoint.isEmpty() && !again) || m_registerSent.contains(entry.channelId))
        return;
    QJsonObject reg{{QStringLiteral("messageType"), QStringLiteral("register")},
                    {QStringLiteral("channelID"), entry.channelId}};
    if (!entry.vapidKey.isEmpty())
        reg.insert(QStringLiteral("key"), QString::fromLatin1(toBase64Url(entry.vapidKey)));
    m_registerSent.insert(entry.channelId);
    send(reg);
}

void PushChannel::onRegister(const QJsonObject &msg)
{
    const QString channelId = msg.value(u"channelID").toString();
    m_registerSent.remove(channelId);
    PushChannelState::Entry *entry = m_state.byChannel(channelId);
    if (!entry)
        return;
    const QUrl endpoint(msg.value(u"pushEndpoint").toString());
    if (msg.value(u"status").toInt() != 200 || !endpoint.isValid() || endpoint.isEmpty()) {
        const QString name = entry->name;
        emit subscriptionFailed(name, QStringLiteral("push service refused the registration "
                                                     "(status %1)")
                                          .arg(msg.value(u"status").toInt()));
        return;
    }
    if (entry->endpoint == endpoint)
        return; // registered again on the same node: nothing changed
    entry->endpoint = endpoint;
    saveState();
    if (const auto sub = subscriptionOf(*entry))
        emit endpointChanged(entry->name, *sub);
}

void PushChannel::onNotification(const QJsonObject &msg)
{
    const QString channelId = msg.value(u"channelID").toString();
    const QString version = msg.value(u"version").toString();
    if (version.isEmpty())
        return;
    const PushChannelState::Entry *entry = m_state.byChannel(channelId);
    const auto secret = m_secretsByChannel.constFind(channelId);
    if (!entry || secret == m_secretsByChannel.constEnd()) {
        qCInfo(lcPush) << "push for unknown channel" << channelId << "dropped";
        sendAck(channelId, version, 102);
        return;
    }
    if (m_state.recentVersions.contains(version)) {
        sendAck(channelId, version, 100);
        emit duplicateDropped(version);
        return;
    }
    if (m_pendingVersions.contains(version))
        return; // the application has it and has not answered yet
    QByteArray plaintext;
    if (msg.contains(u"data")) {
        const auto body = fromBase64Url(msg.value(u"data").toString().toLatin1());
        const auto result =
            body ? crypto::decryptWebPush(*body, secret->key, secret->auth)
                 : crypto::WebPushDecryptResult{crypto::WebPushDecryptError::BadHeader, {}};
        if (!result.ok()) {
            qCWarning(lcPush) << "push" << version << "for" << entry->name
                              << "cannot be decrypted:" << webPushDecryptErrorText(result.error);
            sendAck(channelId, version, 101);
            return;
        }
        plaintext = result.plaintext;
    }
    m_pendingVersions.insert(version);
    PushMessage message(entry->name, channelId, version, plaintext,
                        [guard = QPointer(this), channelId, version](bool accepted) {
                            if (guard)
                                guard->complete(channelId, version, accepted);
                        });
    emit messageReceived(message);
}

void PushChannel::complete(const QString &channelId, const QString &version, bool accepted)
{
    m_pendingVersions.remove(version);
    // Remembered before the ack leaves: if the ack is lost, the redelivery is dropped here.
    m_state.recentVersions.remember(version);
    saveState();
    if (m_status != Status::Connected)
        return; // the redelivery after reconnecting is acked as a duplicate
    if (accepted)
        sendAck(channelId, version, 100);
    else
        send(QJsonObject{{QStringLiteral("messageType"), QStringLiteral("nack")},
                         {QStringLiteral("version"), version},
                         {QStringLiteral("code"), 102}});
}

void PushChannel::sendAck(const QString &channelId, const QString &version, int code)
{
    const QJsonObject update{{QStringLiteral("channelID"), channelId},
                             {QStringLiteral("version"), version},
                             {QStringLiteral("code"), code}};
    send(QJsonObject{{QStringLiteral("messageType"), QStringLiteral("ack")},
                     {QStringLiteral("updates"), QJsonArray{update}}});
}

void PushChannel::subscribe(const QString &name, const QByteArray &vapidKey)
{
    if (name.isEmpty()) {
        emit subscriptionFailed(name, QStringLiteral("a subscription needs a name"));
        return;
    }
    if (!m_loadError.isEmpty()) {
        emit subscriptionFailed(name, m_loadError);
        return;
    }
    if (!vapidKey.isEmpty() && !crypto::EcKey::fromPublicRaw(vapidKey)) {
        emit subscriptionFailed(name, QStringLiteral("the VAPID key is not a P-256 public key"));
        return;
    }
    if (const PushChannelState::Entry *existing = m_state.byName(name)) {
        if (existing->vapidKey == vapidKey) {
            if (const auto sub = subscriptionOf(*existing))
                QMetaObject::invokeMethod(
                    this, [this, name, sub] { emit endpointChanged(name, *sub); },
                    Qt::QueuedConnection);
            return;
        }
        unsubscribe(name); // another application server key: a new subscription
    }
    PushChannelState::Entry entry;
    entry.name = name;
    entry.vapidKey = vapidKey;
    m_state.entries.append(entry);
    createKeys(name);
}

void PushChannel::createKeys(const QString &name)
{
    PushChannelState::Entry *entry = m_state.byName(name);
    if (!entry)
        return;
    if (!entry->channelId.isEmpty()) {
        m_secrets->remove(secretKey(entry->channelId), this, [](bool, const QString &) {});
        m_secretsByChannel.remove(entry->channelId);
    }
    const QString channelId = crypto::randomUuid();
    const crypto::EcKey key = crypto::EcKey::generate();
    const QByteArray auth = crypto::randomBytes(16);
    entry->channelId = channelId;
    entry->p256dh = key.publicRaw();
    entry->endpoint = QUrl();
    saveState();
    m_writing.insert(channelId);
    m_secrets->write(
        secretKey(channelId), key.privateRaw() + auth, this,
        [this, name, channelId, key, auth](bool ok, const QString &error) {
            m_writing.remove(channelId);
            PushChannelState::Entry *current = m_state.byChannel(channelId);
            if (!current)
                return; // unsubscribed meanwhile
            if (!ok) {
                m_state.entries.removeIf(
                    [&](const PushChannelState::Entry &e) { return e.channelId == channelId; });
                saveState();
                emit subscriptionFailed(name, QStringLiteral("cannot store the subscription's "
                                                             "secrets: %1")
                                                  .arg(error));
                return;
            }
            m_secretsByChannel.insert(channelId, Secret{key, auth});
            registerIfReady(*current);
        });
}

void PushChannel::unsubscribe(const QString &name)
{
    const PushChannelState::Entry *entry = m_state.byName(name);
    if (!entry)
        return;
    const QString channelId = entry->channelId;
    const bool registered = !entry->endpoint.isEmpty();
    m_state.entries.removeIf([&](const PushChannelState::Entry &e) { return e.name == name; });
    m_secretsByChannel.remove(channelId);
    m_secrets->remove(secretKey(channelId), this, [](bool, const QString &) {});
    if (registered) {
        if (m_status == Status::Connected)
            send(QJsonObject{{QStringLiteral("messageType"), QStringLiteral("unregister")},
                             {QStringLiteral("channelID"), channelId},
                             {QStringLiteral("code"), 200}});
        else
            m_state.pendingUnregister.append(channelId);
    }
    saveState();
}

std::optional<PushSubscription>
PushChannel::subscriptionOf(const PushChannelState::Entry &entry) const
{
    const auto secret = m_secretsByChannel.constFind(entry.channelId);
    if (entry.endpoint.isEmpty() || secret == m_secretsByChannel.constEnd())
        return std::nullopt;
    return PushSubscription{entry.endpoint, entry.p256dh, secret->auth, entry.channelId};
}

std::optional<PushSubscription> PushChannel::subscription(const QString &name) const
{
    for (const auto &entry : m_state.entries)
        if (entry.name == name)
            return subscriptionOf(entry);
    return std::nullopt;
}

QStringList PushChannel::subscriptionNames() const
{
    QStringList names;
    for (const auto &entry : m_state.entries)
        names.append(entry.name);
    return names;
}

} // namespace softphone::push
