#pragma once
// The routes of the HTTP port and the answer handle they write to. Our own
// bounded HTTP/1.1 front replaces Qt 6.4's QHttpServer, which reads every body
// whole before a route sees it (192 MiB sent unauthenticated cost 386 MiB) and
// offers no hook to refuse earlier; docs/security.md ("listeners") says why this
// and not something else. Routes keep the shapes of Qt's QHttpServer: a handler
// takes the request (HttpRequest) and returns an HttpResponse or a QFuture of
// one, or takes an HttpResponder and answers later. "<arg>" in a path matches one segment, handed
// over as a QString.

#include "HttpRequest.h"

#include "HttpResponse.h"
#include <QFuture>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <deque>
#include <functional>
#include <optional>
#include <type_traits>

namespace softphone::server {

class HttpConnection;

// Where a request's answer goes. Move-only; the first write wins. A responder
// dropped unanswered answers 500, so a connection never waits forever. If the
// connection is gone, writing does nothing.
class HttpResponder
{
public:
    HttpResponder(HttpConnection *connection, quint64 request);
    HttpResponder(HttpResponder &&other) noexcept;
    HttpResponder &operator=(HttpResponder &&other) noexcept;
    HttpResponder(const HttpResponder &) = delete;
    HttpResponder &operator=(const HttpResponder &) = delete;
    ~HttpResponder();

    void write(const HttpResponse &response);
    // Answers when the future has its result (on this thread).
    void write(QFuture<HttpResponse> future);
    // The connection is still there and waits for this answer.
    bool isConnected() const;

private:
    QPointer<HttpConnection> m_connection;
    quint64 m_request = 0;
};

// An answer known at once, for a route that answers through a QFuture.
QFuture<HttpResponse> readyAnswer(HttpResponse response);

class HttpServer
{
public:
    using Method = HttpRequest::Method;
    using Handler =
        std::function<void(const HttpRequest &, const QStringList &args, HttpResponder &&)>;

    struct Route
    {
        QStringList segments; // "<arg>" matches any one segment
        std::optional<Method> method;
        Handler handler;
        qsizetype maxBody = -1; // -1: HttpLimits::maxBody
    };

    explicit HttpServer(const HttpLimits &limits)
        : m_limits(limits)
    {}

    // The route for path and method; routes are tried in the order they were added.
    template<typename F> Route &route(const QString &path, Method method, F &&handler)
    {
        return add(path, method, adapt(std::forward<F>(handler)));
    }
    // Any method (e.g. the 405 answer of a resource's other methods).
    template<typename F> Route &route(const QString &path, F &&handler)
    {
        return add(path, std::nullopt, adapt(std::forward<F>(handler)));
    }

    const HttpLimits &limits() const { return m_limits; }
    // The route for this request, with its path arguments; nullptr if none.
    const Route *match(const HttpRequest &request, QStringList *args) const;
    qsizetype bodyLimit(const HttpRequest &request) const;
    void dispatch(const HttpRequest &request, HttpResponder &&responder) const;

private:
    Route &add(const QString &path, std::optional<Method> method, Handler handler);

    template<typename F> static Handler adapt(F handler)
    {
        return [handler = std::move(handler)](const HttpRequest &request, const QStringList &args,
                                              HttpResponder &&out) mutable {
            using Req = const HttpRequest &;
            using Arg = const QString &;
            using Out = HttpResponder &&;
            if constexpr (std::is_invocable_v<F &, Arg, Req, Out>)
                handler(args.value(0), request, std::move(out));
            else if constexpr (std::is_invocable_v<F &, Arg, Out>)
                handler(args.value(0), std::move(out));
            else if constexpr (std::is_invocable_v<F &, Req, Out>)
                handler(request, std::move(out));
            else if constexpr (std::is_invocable_v<F &, Arg, Req>)
                out.write(handler(args.value(0), request));
            else if constexpr (std::is_invocable_v<F &, Req>)
                out.write(handler(request));
            else if constexpr (std::is_invocable_v<F &, Arg>)
                out.write(handler(args.value(0)));
            else
                out.write(handler());
        };
    }

    const HttpLimits &m_limits;
    std::deque<Route> m_routes; // stable references for route()'s callers
};

} // namespace softphone::server
