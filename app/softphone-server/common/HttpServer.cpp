#include "HttpServer.h"

#include "HttpConnection.h"
#include "HttpJson.h"

#include <QFutureWatcher>
#include <QPromise>

namespace softphone::server {

HttpResponder::HttpResponder(HttpConnection *connection, quint64 request)
    : m_connection(connection)
    , m_request(request)
{}

HttpResponder::HttpResponder(HttpResponder &&other) noexcept
    : m_connection(std::exchange(other.m_connection, nullptr))
    , m_request(other.m_request)
{}

HttpResponder &HttpResponder::operator=(HttpResponder &&other) noexcept
{
    if (this != &other) {
        m_connection = std::exchange(other.m_connection, nullptr);
        m_request = other.m_request;
    }
    return *this;
}

HttpResponder::~HttpResponder()
{
    if (isConnected())
        m_connection->answer(m_request, jsonError(HttpResponse::Status::InternalServerError,
                                                  QStringLiteral("internal"),
                                                  QStringLiteral("the request was not answered")));
}

bool HttpResponder::isConnected() const
{
    return m_connection && m_connection->awaits(m_request);
}

void HttpResponder::write(const HttpResponse &response)
{
    if (isConnected())
        m_connection->answer(m_request, response);
    m_connection = nullptr;
}

void HttpResponder::write(QFuture<HttpResponse> future)
{
    HttpConnection *connection = m_connection;
    if (!connection)
        return;
    auto *watcher = new QFutureWatcher<HttpResponse>(connection);
    auto self = std::make_shared<HttpResponder>(std::move(*this));
    QObject::connect(watcher, &QFutureWatcherBase::finished, connection, [watcher, self] {
        QFuture<HttpResponse> done = watcher->future();
        watcher->deleteLater();
        if (done.isValid() && done.resultCount() > 0)
            self->write(done.takeResult());
        // else: dropped unanswered, the destructor answers 500
    });
    watcher->setFuture(std::move(future));
}

QFuture<HttpResponse> readyAnswer(HttpResponse response)
{
    QPromise<HttpResponse> promise;
    promise.start();
    promise.addResult(std::move(response));
    promise.finish();
    return promise.future();
}

HttpServer::Route &HttpServer::add(const QString &path, std::optional<Method> method,
                                   Handler handler)
{
    Route route;
    route.segments = path.split(u'/', Qt::SkipEmptyParts);
    route.method = method;
    route.handler = std::move(handler);
    m_routes.push_back(std::move(route));
    return m_routes.back();
}

const HttpServer::Route *HttpServer::match(const HttpRequest &request, QStringList *args) const
{
    const QStringList segments = request.url().path().split(u'/', Qt::SkipEmptyParts);
    for (const Route &route : m_routes) {
        if (route.method && *route.method != request.method())
            continue;
        if (route.segments.size() != segments.size())
            continue;
        QStringList found;
        bool ok = true;
        for (qsizetype i = 0; ok && i < segments.size(); ++i) {
            if (route.segments[i] == QLatin1String("<arg>"))
                found << segments[i];
            else
                ok = route.segments[i] == segments[i];
        }
        if (ok) {
            if (args)
                *args = found;
            return &route;
        }
    }
    return nullptr;
}

qsizetype HttpServer::bodyLimit(const HttpRequest &request) const
{
    const Route *route = match(request, nullptr);
    return route && route->maxBody >= 0 ? route->maxBody : m_limits.maxBody;
}

void HttpServer::dispatch(const HttpRequest &request, HttpResponder &&responder) const
{
    QStringList args;
    const Route *route = match(request, &args);
    if (!route) {
        responder.write(jsonError(HttpResponse::Status::NotFound, QStringLiteral("not_found"),
                                  QStringLiteral("no resource at this path")));
        return;
    }
    route->handler(request, args, std::move(responder));
}

} // namespace softphone::server
