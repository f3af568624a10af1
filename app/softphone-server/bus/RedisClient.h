#pragma once
// The server's one way to talk to Redis (--bus redis://host:port), so nodes of a
// cluster can see each other's devices and pass each other call events.
//
// hiredis's async API (libhiredis-dev), driven by the server's own event loop
// through two QSocketNotifiers of ours per connection. Chosen over the sync API
// on a worker thread because every user of the bus (device locations, the node
// bridge) lives on the main loop: replies come back there in order, with no
// thread hop and no locking, and a slow Redis never blocks the loop. hiredis
// 0.14's adapters/qt.h is not used: it is a Qt 5 header with a Q_OBJECT class
// in it (moc over a system header); the adapter is a few lines here.
//
// Two connections: one for commands, one for SUBSCRIBE (a subscribed
// connection takes no other command). They share one fate: when either drops,
// or a command has no reply within the timeout (a hung Redis; an idle client
// sends PING every second so it notices too), both are
// dropped, every pending callback gets a Failed reply, and both are rebuilt
// after a backoff (0.1 s doubling to 5 s, core/common/Backoff). Channels stay subscribed across
// reconnects. up() says when both are back and subscribed, so the users
// rewrite what a restarted Redis lost; down() says, once, that it is gone.

#include "common/Backoff.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QTimer>
#include <functional>
#include <list>
#include <memory>
#include <optional>

struct redisAsyncContext;
class QSocketNotifier;

namespace softphone::server::bus {

class RedisClient : public QObject
{
    Q_OBJECT
public:
    struct Reply
    {
        // Failed: no reply (Redis unreachable, too slow, or the connection went).
        enum class Type { Failed, Nil, Status, Error, Integer, String, Array };
        Type type = Type::Failed;
        qint64 integer = 0;
        QByteArray string; // String, Status and Error
        QList<Reply> elements;
        bool ok() const { return type != Type::Failed && type != Type::Error; }
    };
    using Callback = std::function<void(const Reply &)>;

    struct Endpoint
    {
        QString host;
        quint16 port = 6379;
    };
    // redis://host[:port] (no user, password, database or path); false with a message.
    static std::optional<Endpoint> parseUrl(const QString &url, QString *error = nullptr);

    explicit RedisClient(const Endpoint &endpoint, QObject *parent = nullptr);
    ~RedisClient() override;

    // Connects (and keeps reconnecting); up() when ready.
    void start();
    bool isUp() const { return m_up; }
    QString address() const;

    // Sends a command. `done` runs on the event loop with the reply, or with a
    // Failed reply when Redis is down, did not answer within the timeout, or the
    // connection went; never after `context` is destroyed.
    void command(const QList<QByteArray> &args, QObject *context = nullptr, Callback done = {});
    // Subscribes now and after every reconnect; messages come as message().
    void subscribe(const QByteArray &channel);

    void setCommandTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

Q_SIGNALS:
    void up();
    void down(const QString &why);
    void message(const QByteArray &channel, const QByteArray &payload);

private:
    // One hiredis connection and its notifiers.
    struct Link
    {
        RedisClient *owner = nullptr;
        redisAsyncContext *context = nullptr;
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        bool connected = false;
    };
    struct Pending
    {
        RedisClient *owner;
        QPointer<QObject> context;
        bool hasContext;
        Callback done;
        qint64 sentMs;
        std::list<Pending *>::iterator self;
    };

    void connectLinks();
    bool open(Link &link, QString *why);
    void linkConnected(Link &link);
    // Both links are dropped (why for the log), then rebuilt after the backoff.
    void drop(const QString &why);
    void watchdog();
    void subscribeOn(const QByteArray &channel);
    void checkUp();
    static void onReply(redisAsyncContext *context, void *reply, void *privdata);
    static void onSubscribed(redisAsyncContext *context, void *reply, void *privdata);
    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void attach(Link &link);
    // hiredis's add/del read/write hooks: the link's notifier on or off.
    static void watch(Link *link, bool forRead, bool on);
    // A Failed reply for `done`, from the event loop (never re-entrant).
    void failLater(QObject *context, Callback done);

    Endpoint m_endpoint;
    Link m_commands;
    Link m_subscriber;
    std::list<Pending *> m_pending; // oldest first
    QSet<QByteArray> m_channels;
    QSet<QByteArray> m_confirmed; // subscriptions Redis confirmed on this link
    QTimer m_reconnect;
    QTimer m_watch;
    QElapsedTimer m_clock;
    qint64 m_connectStartedMs = 0;
    qint64 m_lastCommandMs = 0;
    std::chrono::milliseconds m_timeout{2000};
    // 0.1 s growing to 5 s, with jitter: nodes do not return in the same millisecond.
    Backoff m_backoff{
        Backoff::Policy{std::chrono::milliseconds(100), 2.0, 0.2, std::chrono::milliseconds(5000)}};
    bool m_up = false;
    bool m_wasUp = false;
    bool m_downReported = false;
    bool m_started = false;
    bool m_dropping = false;
};

} // namespace softphone::server::bus
