#pragma once
// One answer of the HTTP port as a route writes it: status, headers, body.
// Our own small type (not Qt's QHttpServerResponse) so the server needs no
// Qt HttpServer module and HttpConnection can write every header a route set
// (Qt 6.4's type could not list them). Plain data: cheap to copy and safe to
// build on a worker thread and hand back through a QFuture.

#include <QByteArray>
#include <QList>
#include <QPair>

class QJsonObject;

namespace softphone::server {

class HttpResponse
{
public:
    // The statuses the routes and the front answer with.
    enum class Status {
        Ok = 200,
        Created = 201,
        NoContent = 204,
        BadRequest = 400,
        Unauthorized = 401,
        Forbidden = 403,
        NotFound = 404,
        MethodNotAllowed = 405,
        RequestTimeout = 408,
        Gone = 410,
        PayloadTooLarge = 413,
        TooManyRequests = 429,
        RequestHeaderFieldsTooLarge = 431,
        InternalServerError = 500,
        ServiceUnavailable = 503,
    };

    explicit HttpResponse(Status status = Status::Ok)
        : m_status(status)
    {}
    HttpResponse(const QByteArray &contentType, const QByteArray &body, Status status = Status::Ok)
        : m_status(status)
        , m_contentType(contentType)
        , m_body(body)
    {}
    // A compact JSON object body (application/json).
    static HttpResponse json(const QJsonObject &body, Status status = Status::Ok);

    Status status() const { return m_status; }
    int statusCode() const { return int(m_status); }
    const QByteArray &contentType() const { return m_contentType; }
    const QByteArray &body() const { return m_body; }

    // Sets a header, replacing one of the same name (case-insensitive). Names
    // and values come from the server's own code: no CR or LF.
    void setHeader(const QByteArray &name, const QByteArray &value);
    // The header's value; empty if absent.
    QByteArray header(const QByteArray &name) const;
    // Every header a route set, in order (Content-Type and Content-Length are
    // written by the connection from contentType() and body()).
    const QList<QPair<QByteArray, QByteArray>> &headers() const { return m_headers; }

private:
    Status m_status;
    QByteArray m_contentType;
    QByteArray m_body;
    QList<QPair<QByteArray, QByteArray>> m_headers;
};

} // namespace softphone::server
