#include "SharedWindowLimiter.h"

#include "RedisClient.h"

#include <QPromise>
#include <memory>

namespace softphone::server::bus {

namespace {

// KEYS[1] the key's set; ARGV: window ms, limit, ticket. {1, 0} admitted,
// {0, ms until the oldest event leaves the window} refused.
const QByteArray kTryAdd =
    QByteArrayLiteral("local t = redis.call('TIME') "
                      "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
                      "local window = tonumber(ARGV[1]) "
                      "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window) "
                      "if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then "
                      "  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES') "
                      "  return {0, tonumber(oldest[2]) + window - now} end "
                      "redis.call('ZADD', KEYS[1], now, ARGV[3]) "
                      "redis.call('PEXPIRE', KEYS[1], window) "
                      "return {1, 0}");

} // namespace

SharedWindowLimiter::SharedWindowLimiter(RedisClient &redis, const QString &name, int limit,
                                         std::chrono::seconds window, const QString &node,
                                         QObject *parent)
    : QObject(parent)
    , m_redis(redis)
    , m_prefix(QByteArrayLiteral("softphone:rate:") + name.toUtf8() + ':')
    , m_limit(limit)
    , m_window(window)
    , m_node(node.toUtf8())
{}

QByteArray SharedWindowLimiter::keyOf(const QString &key) const
{
    return m_prefix + key.toUtf8();
}

void SharedWindowLimiter::tryAdd(const QString &key, QObject *context, Verdict done)
{
    const QByteArray ticket = m_node + ':' + QByteArray::number(++m_next);
    const qint64 windowMs = std::chrono::milliseconds(m_window).count();
    m_redis.command({"EVAL", kTryAdd, "1", keyOf(key), QByteArray::number(windowMs),
                     QByteArray::number(m_limit), ticket},
                    context, [done = std::move(done), ticket](const RedisClient::Reply &r) {
                        using Type = RedisClient::Reply::Type;
                        if (r.type != Type::Array || r.elements.size() != 2 ||
                            r.elements[0].type != Type::Integer) {
                            done(true, 0, {}); // Redis did not answer: the node's limit holds
                            return;
                        }
                        if (r.elements[0].integer == 1) {
                            done(true, 0, ticket);
                            return;
                        }
                        const qint64 waitMs = r.elements[1].integer;
                        done(false, int(std::max<qint64>(1, (waitMs + 999) / 1000)), {});
                    });
}

void SharedWindowLimiter::takeBack(const QString &key, const QByteArray &ticket)
{
    if (!ticket.isEmpty())
        m_redis.command({"ZREM", keyOf(key), ticket});
}

} // namespace softphone::server::bus

namespace softphone::server::bus {

QFuture<HttpResponse>
SharedWindowLimiter::gate(const QString &key, QObject *context,
                          std::function<QFuture<HttpResponse>(const QByteArray &)> admitted,
                          std::function<HttpResponse(int retryAfterSeconds)> refused)
{
    auto promise = std::make_shared<QPromise<HttpResponse>>();
    promise->start();
    tryAdd(key, context,
           [context, promise, admitted = std::move(admitted),
            refused = std::move(refused)](bool ok, int retryAfter, const QByteArray &ticket) {
               auto answer = [promise](const HttpResponse &response) {
                   promise->addResult(response);
                   promise->finish();
               };
               if (ok)
                   admitted(ticket).then(context, answer);
               else
                   answer(refused(retryAfter));
           });
    return promise->future();
}

} // namespace softphone::server::bus
