#pragma once
// A WindowLimiter for the whole cluster: events per key in a sliding window,
// counted in Redis (a sorted set per key, one Lua script per event, Redis's own
// clock), so a limit such as "10 failed logins per user a minute" holds however
// the attempts are spread over the nodes. The node's own WindowLimiter stays in
// front of it: when Redis does not answer, an event is admitted here and the
// node's limit alone applies (a Redis outage never locks users out).
//   softphone:rate:<name>:<key>   ZSET of tickets scored by their time (ms)

#include "softphone-server/common/HttpResponse.h"

#include <QByteArray>
#include <QFuture>
#include <QObject>
#include <QString>
#include <chrono>
#include <functional>

namespace softphone::server::bus {

class RedisClient;

class SharedWindowLimiter : public QObject
{
    Q_OBJECT
public:
    // admitted false: the key is at its limit; retry after retryAfterSeconds (>= 1).
    // ticket: what takeBack() needs; empty when nothing was counted.
    using Verdict =
        std::function<void(bool admitted, int retryAfterSeconds, const QByteArray &ticket)>;

    SharedWindowLimiter(RedisClient &redis, const QString &name, int limit,
                        std::chrono::seconds window, const QString &node,
                        QObject *parent = nullptr);

    // Counts one event for key unless it is at the limit; `done` runs on the event
    // loop (never after `context` died).
    void tryAdd(const QString &key, QObject *context, Verdict done);
    // Takes back the event of that ticket (the attempt it stood for was fine).
    void takeBack(const QString &key, const QByteArray &ticket);

    // tryAdd() in front of an HTTP answer: the future of `admitted(ticket)`, or
    // `refused(retryAfterSeconds)` when the key is at its limit.
    QFuture<HttpResponse> gate(const QString &key, QObject *context,
                               std::function<QFuture<HttpResponse>(const QByteArray &)> admitted,
                               std::function<HttpResponse(int retryAfterSeconds)> refused);

private:
    QByteArray keyOf(const QString &key) const;

    RedisClient &m_redis;
    const QByteArray m_prefix;
    const int m_limit;
    const std::chrono::seconds m_window;
    const QByteArray m_node;
    quint64 m_next = 0;
};

} // namespace softphone::server::bus
