#include "RedisClient.h"

#include "softphone-server/common/ServerLogging.h"
#include "softphone-server/common/ServerOptions.h"

#include <QSocketNotifier>
#include <QUrl>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <vector>

namespace softphone::server::bus {

namespace {

constexpr std::chrono::milliseconds kWatchInterval{250};
// An idle node PINGs this often, so a hung Redis is noticed without traffic.
constexpr qint64 kIdlePingMs = 1000;

RedisClient::Reply convert(const redisReply *reply)
{
    RedisClient::Reply out;
    if (!reply)
        return out;
    using Type = RedisClient::Reply::Type;
    switch (reply->type) {
    case REDIS_REPLY_STRING:
        out.type = Type::String;
        break;
    case REDIS_REPLY_STATUS:
        out.type = Type::Status;
        break;
    case REDIS_REPLY_ERROR:
        out.type = Type::Error;
        break;
    case REDIS_REPLY_INTEGER:
        out.type = Type::Integer;
        out.integer = reply->integer;
        return out;
    case REDIS_REPLY_NIL:
        out.type = Type::Nil;
        return out;
    case REDIS_REPLY_ARRAY:
        out.type = Type::Array;
        for (size_t i = 0; i < reply->elements; ++i)
            out.elements.append(convert(reply->element[i]));
        return out;
    default:
        return out;
    }
    out.string = QByteArray(reply->str, qsizetype(reply->len));
    return out;
}

} // namespace

std::optional<RedisClient::Endpoint> RedisClient::parseUrl(const QString &text, QString *error)
{
    if (!ServerOptions::validBusUrl(text, error))
        return std::nullopt;
    const QUrl url(text);
    Endpoint endpoint;
    endpoint.host = url.host() == u"localhost" ? QStringLiteral("127.0.0.1") : url.host();
    endpoint.port = quint16(url.port(6379));
    return endpoint;
}

RedisClient::RedisClient(const Endpoint &endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
{
    m_commands.owner = this;
    m_subscriber.owner = this;
    m_clock.start();
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &RedisClient::connectLinks);
    m_watch.setInterval(kWatchInterval);
    connect(&m_watch, &QTimer::timeout, this, &RedisClient::watchdog);
}

RedisClient::~RedisClient()
{
    m_started = false; // callbacks from the frees below report nothing
    for (Pending *pending : m_pending)
        pending->done = {};
    for (Link *link : {&m_commands, &m_subscriber}) {
        if (redisAsyncContext *context = std::exchange(link->context, nullptr))
            redisAsyncFree(context);
    }
}

QString RedisClient::address() const
{
    return QStringLiteral("%1:%2").arg(m_endpoint.host).arg(m_endpoint.port);
}

void RedisClient::start()
{
    if (m_started)
        return;
    m_started = true;
    m_watch.start();
    connectLinks();
}

void RedisClient::connectLinks()
{
    if (!m_started)
        return;
    m_connectStartedMs = m_clock.elapsed();
    QString why;
    if (!open(m_commands, &why) || !open(m_subscriber, &why)) {
        drop(why);
        return;
    }
    for (const QByteArray &channel : std::as_const(m_channels))
        subscribeOn(channel);
}

bool RedisClient::open(Link &link, QString *why)
{
    redisAsyncContext *context =
        redisAsyncConnect(m_endpoint.host.toLatin1().constData(), m_endpoint.port);
    if (!context || context->err) {
        *why = context ? QString::fromLocal8Bit(context->errstr) : QStringLiteral("out of memory");
        if (context)
            redisAsyncFree(context);
        return false;
    }
    link.context = context;
    link.connected = false;
    context->data = &link;
    attach(link);
    redisAsyncSetConnectCallback(context, &RedisClient::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisClient::onDisconnect);
    // The connect completes on the first write event: watch for it now.
    context->ev.addWrite(&link);
    return true;
}

void RedisClient::watch(Link *link, bool forRead, bool on)
{
    QSocketNotifier *&notifier = forRead ? link->read : link->write;
    if (!on) {
        if (notifier)
            notifier->setEnabled(false);
        return;
    }
    if (!notifier) {
        notifier = new QSocketNotifier(link->context->c.fd,
                                       forRead ? QSocketNotifier::Read : QSocketNotifier::Write,
                                       link->owner);
        QObject::connect(notifier, &QSocketNotifier::activated, link->owner, [link, forRead] {
            if (!link->context)
                return;
            if (forRead)
                redisAsyncHandleRead(link->context);
            else
                redisAsyncHandleWrite(link->context);
        });
    }
    notifier->setEnabled(true);
}

void RedisClient::attach(Link &link)
{
    redisAsyncContext *context = link.context;
    context->ev.data = &link;
    context->ev.addRead = [](void *data) { watch(static_cast<Link *>(data), true, true); };
    context->ev.delRead = [](void *data) { watch(static_cast<Link *>(data), true, false); };
    context->ev.addWrite = [](void *data) { watch(static_cast<Link *>(data), false, true); };
    context->ev.delWrite = [](void *data) { watch(static_cast<Link *>(data), false, false); };
    context->ev.cleanup = [](void *data) {
        // The context is being freed (perhaps from inside a notifier's slot).
        auto *l = static_cast<Link *>(data);
        for (QSocketNotifier *notifier : {l->read, l->write}) {
            if (notifier) {
                notifier->setEnabled(false);
                notifier->deleteLater();
            }
        }
        l->read = nullptr;
        l->write = nullptr;
        l->context = nullptr;
        l->connected = false;
    };
}

void RedisClient::onConnect(const redisAsyncContext *context, int status)
{
    auto *link = static_cast<Link *>(context->data);
    RedisClient *self = link->owner;
    if (status != REDIS_OK) {
        // hiredis frees the context after this callback.
        const QString why = QString::fromLocal8Bit(context->errstr);
        link->context = nullptr;
        if (self->m_started)
            self->drop(QStringLiteral("cannot connect: %1").arg(why));
        return;
    }
    redisEnableKeepAlive(const_cast<redisContext *>(&context->c));
    self->linkConnected(*link);
}

void RedisClient::onDisconnect(const redisAsyncContext *context, int status)
{
    auto *link = static_cast<Link *>(context->data);
    RedisClient *self = link->owner;
    link->context = nullptr; // hiredis frees it after this callback
    link->connected = false;
    if (!self->m_started)
        return;
    self->drop(
        status == REDIS_OK
            ? QStringLiteral("connection closed")
            : QStringLiteral("connection lost: %1").arg(QString::fromLocal8Bit(context->errstr)));
}

void RedisClient::linkConnected(Link &link)
{
    link.connected = true;
    checkUp();
}

void RedisClient::checkUp()
{
    if (m_up || !m_commands.connected || !m_subscriber.connected)
        return;
    for (const QByteArray &channel : std::as_const(m_channels))
        if (!m_confirmed.contains(channel))
            return;
    m_up = true;
    m_downReported = false;
    m_backoff.reset();
    if (m_wasUp)
        qCInfo(lcServerBus) << "connected to Redis at" << address()
                            << "again: rewriting this node's state";
    else
        qCInfo(lcServerBus) << "connected to Redis at" << address();
    m_wasUp = true;
    Q_EMIT up();
}

void RedisClient::drop(const QString &why)
{
    // Freeing one link below reports its disconnect here again: once is enough.
    if (m_dropping)
        return;
    m_dropping = true;
    const bool wasUp = m_up;
    m_up = false;
    m_confirmed.clear();
    for (Link *link : {&m_commands, &m_subscriber}) {
        link->connected = false;
        if (redisAsyncContext *context = std::exchange(link->context, nullptr))
            redisAsyncFree(context); // pending callbacks get NULL: failed later
    }
    if (!m_downReported) {
        m_downReported = true;
        qCWarning(lcServerBus).noquote()
            << "Redis at" << address() << "unavailable:" << why
            << "- calls between devices on this node go on; devices on other nodes are out of "
               "reach until it is back (retrying)";
        Q_EMIT down(why);
    } else if (wasUp) {
        qCWarning(lcServerBus).noquote() << "Redis at" << address() << ":" << why;
    }
    if (m_started && !m_reconnect.isActive()) {
        m_reconnect.start(m_backoff.next());
    }
    m_dropping = false;
}

void RedisClient::watchdog()
{
    const qint64 now = m_clock.elapsed();
    if ((m_commands.context || m_subscriber.context) &&
        (!m_commands.connected || !m_subscriber.connected) &&
        now - m_connectStartedMs > m_timeout.count()) {
        drop(QStringLiteral("no connection within %1 ms").arg(m_timeout.count()));
        return;
    }
    if (!m_pending.empty() && now - m_pending.front()->sentMs > m_timeout.count()) {
        drop(QStringLiteral("no reply within %1 ms").arg(m_timeout.count()));
        return;
    }
    if (m_up && m_pending.empty() && now - m_lastCommandMs >= kIdlePingMs)
        command({"PING"});
}

void RedisClient::failLater(QObject *context, Callback done)
{
    if (!done)
        return;
    QMetaObject::invokeMethod(
        context ? context : this, [done = std::move(done)] { done(Reply{}); },
        Qt::QueuedConnection);
}

void RedisClient::command(const QList<QByteArray> &args, QObject *context, Callback done)
{
    if (!m_commands.context || !m_commands.connected) {
        failLater(context, std::move(done));
        return;
    }
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(size_t(args.size()));
    lengths.reserve(size_t(args.size()));
    for (const QByteArray &arg : args) {
        argv.push_back(arg.constData());
        lengths.push_back(size_t(arg.size()));
    }
    // The idle PING waits kIdlePingMs after the last command (it was never set, so an
    // idle node PINGed every watchdog tick, 4 a second: measured by bench_engine_cost).
    m_lastCommandMs = m_clock.elapsed();
    auto *pending =
        new Pending{this, context, context != nullptr, std::move(done), m_lastCommandMs, {}};
    m_pending.push_back(pending);
    pending->self = std::prev(m_pending.end());
    if (redisAsyncCommandArgv(m_commands.context, &RedisClient::onReply, pending, int(argv.size()),
                              argv.data(), lengths.data()) != REDIS_OK) {
        m_pending.erase(pending->self);
        failLater(context, std::move(pending->done));
        delete pending;
    }
}

void RedisClient::onReply(redisAsyncContext *, void *reply, void *privdata)
{
    std::unique_ptr<Pending> pending(static_cast<Pending *>(privdata));
    RedisClient *self = pending->owner;
    self->m_pending.erase(pending->self);
    if (!pending->done || (pending->hasContext && !pending->context))
        return;
    if (!reply) {
        self->failLater(pending->context, std::move(pending->done));
        return;
    }
    pending->done(convert(static_cast<redisReply *>(reply)));
}

void RedisClient::subscribe(const QByteArray &channel)
{
    if (m_channels.contains(channel))
        return;
    m_channels.insert(channel);
    if (m_subscriber.context)
        subscribeOn(channel);
}

void RedisClient::subscribeOn(const QByteArray &channel)
{
    const char *argv[] = {"SUBSCRIBE", channel.constData()};
    const size_t lengths[] = {9, size_t(channel.size())};
    redisAsyncCommandArgv(m_subscriber.context, &RedisClient::onSubscribed, this, 2, argv, lengths);
}

void RedisClient::onSubscribed(redisAsyncContext *, void *reply, void *privdata)
{
    auto *self = static_cast<RedisClient *>(privdata);
    const auto *r = static_cast<redisReply *>(reply);
    if (!r || !self->m_started || r->type != REDIS_REPLY_ARRAY || r->elements < 3)
        return;
    const QByteArray kind(r->element[0]->str, qsizetype(r->element[0]->len));
    const QByteArray channel(r->element[1]->str, qsizetype(r->element[1]->len));
    if (kind == "subscribe") {
        self->m_confirmed.insert(channel);
        self->checkUp();
    } else if (kind == "message" && r->element[2]->type == REDIS_REPLY_STRING) {
        Q_EMIT self->message(channel,
                             QByteArray(r->element[2]->str, qsizetype(r->element[2]->len)));
    }
}

} // namespace softphone::server::bus
