#pragma once
// One HTTP request as the server's routes see it, and the limits every request
// of the HTTP port is held to. The request is produced by HttpParser (our
// bounded front, see HttpServer.h for why); the answer is an HttpResponse.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QUrl>
#include <QUrlQuery>

#include <chrono>

namespace softphone::server {

// Per-request and per-connection limits of the HTTP port (docs/security.md).
struct HttpLimits
{
    qsizetype maxHeadBytes = 16 * 1024;  // request line and headers; 431 above
    int maxHeaders = 100;                // header lines; 431 above
    qsizetype maxBody = 64 * 1024;       // default for routes without their own; 413 above
    int maxRequestsPerConnection = 1000; // the last answer says Connection: close
    // From the first byte of a request (or the connection's start) until its body
    // is complete; 408 and close when it passes.
    std::chrono::milliseconds requestTimeout{10000};
    // Between requests on a kept-alive connection (also bounds a response the peer
    // does not read); the connection is closed silently.
    std::chrono::milliseconds idleTimeout{30000};
    // Connections per source address that have not finished a request yet; more
    // are answered 503 and closed.
    int pendingPerAddress = 64;
    // Unsent response bytes above which no further request of the connection is
    // read until the peer took them.
    qint64 writeHighMark = 256 * 1024;
};

class HttpRequest
{
public:
    enum class Method { Unknown, Get, Post, Put, Delete, Head, Options, Patch, Connect, Trace };

    HttpRequest() = default;

    // First value of a header, case-insensitive; empty if absent.
    QByteArray value(const QByteArray &key) const;
    QUrl url() const { return m_url; }
    QUrlQuery query() const { return QUrlQuery(m_url); }
    Method method() const { return m_method; }
    QList<QPair<QByteArray, QByteArray>> headers() const { return m_headers; }
    QByteArray body() const { return m_body; }
    QHostAddress remoteAddress() const { return m_remoteAddress; }

private:
    friend class HttpParser;
    Method m_method = Method::Unknown;
    QUrl m_url;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QByteArray m_body;
    QHostAddress m_remoteAddress;
};

} // namespace softphone::server
